from notifications import views_messages

app_name = "notifications"

urlpatterns = [
    *views_messages.urlpatterns,
]

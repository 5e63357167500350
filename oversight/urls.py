from oversight.views import operations, retention

app_name = "oversight"

urlpatterns = [
    *operations.urlpatterns,
    *retention.urlpatterns,
]

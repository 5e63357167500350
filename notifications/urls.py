from django.urls import path

from notifications import views_messages, views_receipts

app_name = "notifications"

urlpatterns = [
    *views_messages.urlpatterns,
    path("receipts/", views_receipts.receipt, name="receipt"),
]

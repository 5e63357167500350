from django.urls import path

from notifications import urls_templates, views_messages, views_receipts

app_name = "notifications"

urlpatterns = [
    *views_messages.urlpatterns,
    *urls_templates.urlpatterns,
    path("receipts/", views_receipts.receipt, name="receipt"),
]

"""URLs of the notice-template editor, merged into notifications/urls.py (namespace notifications)."""

from django.urls import path

from notifications import views_templates

urlpatterns = [
    path("templates/", views_templates.template_list, name="template-list"),
    path("templates/new/", views_templates.template_create, name="template-create"),
    path("templates/<int:pk>/", views_templates.template_update, name="template-update"),
]

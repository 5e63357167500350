"""The card office's API and its OpenAPI schema, mounted at the site root (no namespace)."""

from django.urls import path
from drf_spectacular.renderers import OpenApiJsonRenderer2, OpenApiYamlRenderer2
from drf_spectacular.views import SpectacularAPIView

from interviews.api import ClearanceView

urlpatterns = [
    path("api/v1/clearances/<str:number>/", ClearanceView.as_view(), name="api-clearance"),
    # JSON by default (application/json), YAML with ?format=yaml.
    path(
        "api/schema/",
        SpectacularAPIView.as_view(renderer_classes=[OpenApiJsonRenderer2, OpenApiYamlRenderer2]),
        name="api-schema",
    ),
]

"""Oversight views, one module per area; oversight.urls merges their urlpatterns."""

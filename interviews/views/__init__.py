"""Interviews views, one module per area; interviews.urls merges their urlpatterns."""

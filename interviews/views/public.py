"""Public views: the worker's appointment page (signed link) and the card office's API."""

urlpatterns: list = []

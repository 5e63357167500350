"""availability views."""

urlpatterns: list = []

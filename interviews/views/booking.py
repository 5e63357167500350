"""booking views."""

urlpatterns: list = []

"""concerns views."""

urlpatterns: list = []

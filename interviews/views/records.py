"""records views."""

urlpatterns: list = []

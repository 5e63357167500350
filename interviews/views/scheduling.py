"""scheduling views."""

urlpatterns: list = []

"""clearance views."""

urlpatterns: list = []

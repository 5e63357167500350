"""calendars views."""

urlpatterns: list = []

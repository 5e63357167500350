"""Addresses without a login: the health endpoint for the ministry's monitoring."""

from oversight.views import operations

urlpatterns = [*operations.public_urlpatterns]

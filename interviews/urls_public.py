"""Addresses without a login: the worker's appointment page, and the card office's API."""

from interviews.views import public

urlpatterns = [*public.urlpatterns]

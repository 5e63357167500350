"""The permission helpers every staff view goes through."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404


def staff_view(*permissions: str) -> Callable:
    """Require a signed-in user holding every permission named ("app_label.codename").

    Anonymous users go to the login page; signed-in users without the permission get 403,
    which the 403 handler writes to the audit log.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if permissions and not request.user.has_perms(permissions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


def object_for(request, queryset: type[Model] | QuerySet, permission: str, **lookup):
    """The object, if it exists (404 otherwise) and this user holds `permission` (403 otherwise)."""
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return get_object_or_404(queryset, **lookup)

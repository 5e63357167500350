"""The authentication backend: Django's, with the permission check in one query."""

from django.contrib.auth import backends
from django.contrib.auth.models import Group, Permission
from django.db.models import Exists, OuterRef

from accounts.models import User


class ModelBackend(backends.ModelBackend):
    """Django's ModelBackend, reading a user's own permissions and their roles' permissions in
    one query instead of two. Every signed-in page checks permissions, so every page saves a
    query (issue 7: at most 15 queries a page). Nothing is cached beyond the request, as in
    Django's: a role taken away counts from the user's next request."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                permissions = Permission.objects.all()
            else:
                own = User.user_permissions.through.objects.filter(
                    user=user_obj, permission=OuterRef("pk")
                )
                from_roles = Group.permissions.through.objects.filter(
                    group__user=user_obj, permission=OuterRef("pk")
                )
                permissions = Permission.objects.filter(Exists(own) | Exists(from_roles))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                ).order_by()
            }
        return user_obj._perm_cache

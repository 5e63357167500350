"""The authentication backend: Django's, loading a signed-in user's permissions and the device of
their second factor in the same query as the user.

Every signed-in page reads the session, the user, the device that verified the user and the
user's permissions. Read one by one, that is four queries before the view runs; here it is two:
the session, then the user with the other two (issue 7: at most 15 queries a page). Nothing is
kept beyond the request, as in Django: a role taken away or a device removed counts from the
user's next request, in every process.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.contrib.auth import backends
from django.contrib.auth.models import Group, Permission
from django.db.models import (
    Exists,
    F,
    FilteredRelation,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models import Value as V
from django.db.models.functions import Concat
from django_otp.models import Device

from accounts.models import User

# (device model, primary key) of the device the session says verified the user, while
# accounts.middleware.OTPMiddleware loads the user; None otherwise.
_session_device: ContextVar[tuple[type[Device], int] | None] = ContextVar(
    "session_device", default=None
)

# The annotations that carry the device on the user's row (see _with_device).
_DEVICE = "session_device"


def device_key(persistent_id: str) -> tuple[type[Device], int] | None:
    """(model, primary key) of a device's persistent id ("otp_totp.totpdevice/5"), or None if it
    names no device model."""
    try:
        label, pk = persistent_id.rsplit("/", 1)
        model = apps.get_model(label)
        pk = int(pk)
    except (ValueError, LookupError):
        return None
    if not issubclass(model, Device):
        return None
    return model, pk


@contextmanager
def loading_with_device(key: tuple[type[Device], int] | None) -> Iterator[None]:
    """While the with block runs, a user loaded by get_user comes with this device of theirs,
    as `user.session_device`: (key, device or None if the user has no such device)."""
    token = _session_device.set(key)
    try:
        yield
    finally:
        _session_device.reset(token)


class _Joined(Func):
    """The rows' values joined by spaces, in one text. An aggregate, declared as a plain function
    so that the subquery computing it has no GROUP BY: it gives one row, for one user."""

    function = "STRING_AGG"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def _held(user) -> Q:
    """A permission's condition to be the user's own or one of their roles'; `user` may be an
    OuterRef."""
    own = User.user_permissions.through.objects.filter(user=user, permission=OuterRef("pk"))
    from_roles = Group.permissions.through.objects.filter(
        group__user=user, permission=OuterRef("pk")
    )
    return Q(Exists(own)) | Q(Exists(from_roles))


def _permission_names() -> Subquery:
    """For each user row: "app_label.codename" of every permission the user holds (all of them
    for a superuser), space separated (neither part ever holds a space), or None for none."""
    user = OuterRef(OuterRef("pk"))
    superuser = Exists(User.objects.filter(pk=user, is_superuser=True))
    names = (
        Permission.objects.filter(_held(user) | Q(superuser))
        .order_by()
        .values(names=_Joined(Concat("content_type__app_label", V("."), "codename"), V(" ")))
    )
    return Subquery(names, output_field=TextField())


def _device_columns(model: type[Device]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _with_device(users: QuerySet[User], model: type[Device], pk: int) -> QuerySet[User]:
    """Each user row joined to the user's device `pk` of `model` (nothing when the user has no
    such device), its columns as `session_device_<column>` annotations."""
    relation = model._meta.get_field("user").related_query_name()
    return users.annotate(
        **{_DEVICE: FilteredRelation(relation, condition=Q(**{f"{relation}__pk": pk}))}
    ).annotate(
        **{f"{_DEVICE}_{column}": F(f"{_DEVICE}__{column}") for column in _device_columns(model)}
    )


def _device_from_row(user: User, model: type[Device]) -> Device | None:
    columns = _device_columns(model)
    values = [user.__dict__.pop(f"{_DEVICE}_{column}") for column in columns]
    if values[columns.index(model._meta.pk.attname)] is None:
        return None
    device = model.from_db(user._state.db, columns, values)
    device.user = user
    return device


class ModelBackend(backends.ModelBackend):
    """Django's ModelBackend, reading a user's own permissions and their roles' permissions in
    one query instead of two, and that query part of the one loading the user at each request."""

    def get_user(self, user_id):
        users = User._default_manager.filter(pk=user_id).annotate(
            permission_names=_permission_names()
        )
        key = _session_device.get()
        if key is not None:
            users = _with_device(users, *key)
        try:
            user = users.get()
        except User.DoesNotExist:
            return None
        names = user.__dict__.pop("permission_names")
        if key is not None:
            user.session_device = (key, _device_from_row(user, key[0]))
        if not self.user_can_authenticate(user):
            return None
        # What get_all_permissions would read.
        user._perm_cache = set(names.split()) if names else set()
        return user

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = (
                Permission.objects.all()
                if user_obj.is_superuser
                else Permission.objects.filter(_held(user_obj))
            )
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                ).order_by()
            }
        return user_obj._perm_cache

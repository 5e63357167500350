"""Writes for staff accounts, roles, two factors and the audit log."""

from collections.abc import Iterable

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEntry, User
from accounts.roles import ROLE_PERMISSIONS

Action = AuditEntry.Action


def audit_log(
    *,
    action: str,
    actor: User | None = None,
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    changed_fields: Iterable[str] = (),
    username: str = "",
    detail: str = "",
) -> AuditEntry:
    """Record one action in the append-only audit log (every feature calls this).

    Only field names are stored, never their values, so sensitive data never reaches the log.
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    ip_address = get_client_ip_address(request) if request is not None else None
    return AuditEntry.objects.create(
        actor=actor,
        actor_username=(actor.get_username() if actor else username)[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        changed_fields=sorted(set(changed_fields)),
        ip_address=ip_address or None,
        detail=detail[:255],
    )


def roles_sync(*, apps=None, strict: bool = True) -> None:
    """Create one group per role holding exactly the permissions listed in accounts.roles.

    Data migrations call it with the historical app registry and strict=False: a permission
    whose app is not migrated yet is skipped, and that app's own migration syncs again.
    """
    group_model = apps.get_model("auth", "Group") if apps else Group
    permission_model = apps.get_model("auth", "Permission") if apps else Permission
    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=str(role))
        permissions = []
        for code in codes:
            app_label, codename = code.split(".", 1)
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                if not strict:
                    continue
                raise LookupError(f"Role {role}: permission {code} does not exist.")
            permissions.append(permission)
        group.permissions.set(permissions)


def roles_sync_migration(apps, schema_editor) -> None:
    """RunPython body for the data migrations that keep the role groups in step."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_sync(apps=apps, strict=False)


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[str], by: User | None = None) -> None:
    groups = list(Group.objects.filter(name__in=[str(r) for r in roles]))
    user.groups.set(groups)
    audit_log(action=Action.UPDATE, actor=by, obj=user, changed_fields=["groups"])


def totp_device_start(*, user: User) -> TOTPDevice:
    """Return the user's unconfirmed TOTP device for enrolment, creating it if needed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, request: HttpRequest | None = None) -> list[str]:
    """Confirm an enrolled authenticator, drop any older one, and issue fresh recovery codes."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_log(
        action=Action.CREATE,
        actor=device.user,
        request=request,
        object_type="otp_totp.totpdevice",
        object_id=device.pk,
        detail="two-factor authenticator enrolled",
    )
    return recovery_codes_issue(user=device.user, request=request)


@transaction.atomic
def recovery_codes_issue(*, user: User, request: HttpRequest | None = None) -> list[str]:
    """Replace the user's recovery codes with new single-use ones and return them once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.HESTIA_RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    audit_log(
        action=Action.CREATE,
        actor=user,
        request=request,
        object_type="otp_static.staticdevice",
        object_id=device.pk,
        detail="recovery codes issued",
    )
    return codes


def user_has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()

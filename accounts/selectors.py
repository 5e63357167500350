import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import AuditEntry, User


def audit_entries(
    *,
    username: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor")
    if username:
        entries = entries.filter(actor_username=username)
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type.lower())
    if object_id:
        entries = entries.filter(object_id=object_id)
    zone = timezone.get_current_timezone()
    if date_from:
        entries = entries.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, zone))
    if date_to:
        next_day = date_to + dt.timedelta(days=1)
        entries = entries.filter(at__lt=dt.datetime.combine(next_day, dt.time.min, zone))
    return entries


def recent_sign_ins(user: User, limit: int = 8) -> QuerySet[AuditEntry]:
    """The user's own recent sign-ins and failed attempts, so they can spot misuse.

    When a second factor is required, a sign-in counts once that step is done.
    """
    entries = AuditEntry.objects.filter(
        actor_username=user.get_username(),
        action__in=[AuditEntry.Action.LOGIN, AuditEntry.Action.LOGIN_FAILED],
    )
    if settings.HESTIA_REQUIRE_2FA:
        entries = entries.exclude(action=AuditEntry.Action.LOGIN, detail="password")
    return entries[:limit]

"""Reads of the outbox shared by the messages list and the oversight dashboard."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from notifications.models import Message

# A message's last change the list filters on: its last attempt, or when it was written (a
# held or cancelled message has never been attempted).
LAST_CHANGE = Coalesce("last_attempt_at", "created_at")
# The dashboard's window for failed messages.
FAILED_WINDOW_DAYS = 7


def message_list(
    *,
    status: str = "",
    kind: str = "",
    channel: str = "",
    since_days: int | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Message]:
    """Messages, newest change first, filtered; never the text (the body is deferred)."""
    messages = Message.objects.defer(
        "body", "subject", "context", "worker__passport_number"
    ).annotate(last_change=LAST_CHANGE)
    if status:
        messages = messages.filter(status=status)
    if kind:
        messages = messages.filter(kind=kind)
    if channel:
        messages = messages.filter(channel=channel)
    if since_days:
        now = now or timezone.now()
        messages = messages.filter(last_change__gte=now - dt.timedelta(days=since_days))
    return messages.select_related("worker").order_by("-last_change", "-id")


def message_figures(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Failed in the last FAILED_WINDOW_DAYS days, and held for hand-over, in one query."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=FAILED_WINDOW_DAYS)
    failed = Q(status=Message.Status.FAILED, last_change__gte=since)
    held = Q(status=Message.Status.HELD)
    # The WHERE lets PostgreSQL read both from the status indexes instead of every message.
    return (
        Message.objects.annotate(last_change=LAST_CHANGE)
        .filter(failed | held)
        .aggregate(failed=Count("pk", filter=failed), held=Count("pk", filter=held))
    )

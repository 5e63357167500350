"""What the administrators' operations view shows: the notice queue, the periodic tasks and the
tasks that failed. A fixed number of queries whatever the volume."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from notifications.models import Message
from oversight import health
from oversight.models import RetentionRun, TaskFailure

Status = Message.Status


@dataclass(frozen=True)
class QueueFigures:
    queued: int
    due_now: int
    oldest_queued_at: dt.datetime | None
    sending: int
    oldest_sending_at: dt.datetime | None
    held: int
    failed_24h: int
    failed_7d: int
    broker_waiting: int | None

    @property
    def oldest_queued_age(self) -> dt.timedelta | None:
        return timezone.now() - self.oldest_queued_at if self.oldest_queued_at else None

    @property
    def oldest_sending_age(self) -> dt.timedelta | None:
        return timezone.now() - self.oldest_sending_at if self.oldest_sending_at else None


def queue_figures(now: dt.datetime | None = None) -> QueueFigures:
    now = now or timezone.now()
    figures = Message.objects.aggregate(
        queued=Count("pk", filter=Q(status=Status.QUEUED)),
        due_now=Count("pk", filter=Q(status=Status.QUEUED, next_attempt_at__lte=now)),
        oldest_queued_at=Min("created_at", filter=Q(status=Status.QUEUED)),
        sending=Count("pk", filter=Q(status=Status.SENDING)),
        oldest_sending_at=Min("last_attempt_at", filter=Q(status=Status.SENDING)),
        held=Count("pk", filter=Q(status=Status.HELD)),
        failed_24h=Count(
            "pk", filter=Q(status=Status.FAILED, last_attempt_at__gte=now - dt.timedelta(days=1))
        ),
        failed_7d=Count(
            "pk", filter=Q(status=Status.FAILED, last_attempt_at__gte=now - dt.timedelta(days=7))
        ),
    )
    return QueueFigures(**figures, broker_waiting=health.queue_length())


@dataclass(frozen=True)
class PeriodicRow:
    task: PeriodicTask
    late: bool


def _expected_gap(task: PeriodicTask) -> dt.timedelta | None:
    if task.interval_id:
        period = {
            "days": dt.timedelta(days=1),
            "hours": dt.timedelta(hours=1),
            "minutes": dt.timedelta(minutes=1),
            "seconds": dt.timedelta(seconds=1),
            "microseconds": dt.timedelta(microseconds=1),
        }[task.interval.period]
        return period * task.interval.every
    if task.crontab_id:
        # Hestia's crontab tasks run daily.
        return dt.timedelta(days=1)
    return None


def periodic_rows(now: dt.datetime | None = None) -> list[PeriodicRow]:
    """Each periodic task with whether it is late: enabled, and not run for twice its period
    (plus five minutes of slack), or never run although it has existed that long."""
    now = now or timezone.now()
    rows = []
    tasks = PeriodicTask.objects.select_related("interval", "crontab").order_by("name")
    for task in tasks:
        gap = _expected_gap(task)
        late = False
        if task.enabled and gap is not None:
            reference = task.last_run_at or task.date_changed
            late = reference is not None and now - reference > 2 * gap + dt.timedelta(minutes=5)
        rows.append(PeriodicRow(task, late))
    return rows


def recent_failures(limit: int = 50) -> list[TaskFailure]:
    return list(TaskFailure.objects.all()[:limit])


def failures_since(since: dt.datetime) -> int:
    return TaskFailure.objects.filter(failed_at__gte=since).count()


def last_retention_runs(limit: int = 5) -> list[RetentionRun]:
    return list(RetentionRun.objects.select_related("started_by")[:limit])

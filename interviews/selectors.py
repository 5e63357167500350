"""Reads for interviews that several views share: the interview list, one worker's interviews,
an interview's history and chain of missed appointments, and the times an officer may book.

Each list is built in a fixed number of queries whatever its length."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from interviews.models import Interpreter, Interview, InterviewerProfile, Slot
from interviews.services import (
    free_slots,
    interpreters_for,
    interviews_visible_to,
    live_bookings,
    worker_languages,
)
from registry.models import Worker
from registry.selectors import worker_search_condition

# The status filter's default: what still needs work.
OPEN = ""
# The status filter's value for every status.
ANY_STATUS = "all"

# A missed appointment's chain is never this long; the bound keeps a corrupt chain finite.
CHAIN_LIMIT = 50


def _appointment_order() -> list:
    """Booked appointments by time, then the not yet booked by due date."""
    return [
        F("starts_at").asc(nulls_last=True),
        F("due_on").asc(nulls_last=True),
        "id",
    ]


def overdue_condition(today: dt.date) -> Q:
    """Open (due, invited or confirmed) and its due date has passed."""
    return Q(status__in=Interview.OPEN_STATUSES, due_on__lt=today)


def appointment_within(days: int, *, now: dt.datetime) -> Q:
    """The appointment's time fell in the last `days` days, up to now."""
    return Q(starts_at__gte=now - dt.timedelta(days=days), starts_at__lte=now)


def interview_list(
    user: User,
    *,
    status: str = OPEN,
    kind: str = "",
    interviewer: User | None = None,
    due_before: dt.date | None = None,
    unbooked: bool = False,
    move_requested: bool = False,
    q: str = "",
    overdue: bool = False,
    past_days: int | None = None,
) -> QuerySet[Interview]:
    """Interviews this user may see, filtered, with everything a row shows, in one query."""
    interviews = interviews_visible_to(user, Interview.objects.all())
    if status == OPEN:
        interviews = interviews.filter(status__in=Interview.OPEN_STATUSES)
    elif status != ANY_STATUS:
        interviews = interviews.filter(status=status)
    if kind:
        interviews = interviews.filter(kind=kind)
    if interviewer is not None:
        interviews = interviews.filter(interviewer=interviewer)
    if due_before is not None:
        interviews = interviews.filter(due_on__lt=due_before)
    if unbooked:
        interviews = interviews.filter(status=Interview.Status.DUE)
    if move_requested:
        interviews = interviews.filter(
            move_requested_at__isnull=False, status__in=Interview.BOOKED_STATUSES
        )
    if overdue:
        interviews = interviews.filter(overdue_condition(timezone.localdate()))
    if past_days:
        interviews = interviews.filter(appointment_within(past_days, now=timezone.now()))
    if q.strip():
        interviews = interviews.filter(
            worker__in=Worker.objects.filter(worker_search_condition(q)).values("pk")
        )
    return interviews.select_related("worker", "interviewer", "room", "interpreter").order_by(
        *_appointment_order()
    )


def interviewers() -> QuerySet[User]:
    """Staff who hold interviews: the interviewer role, or anyone with an interviewer profile."""
    return (
        User.objects.filter(
            Q(groups__name=str(Role.INTERVIEWER)) | Q(interviewer_profile__isnull=False),
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def worker_interviews(user: User, worker: Worker) -> QuerySet[Interview]:
    """One worker's interviews this user may see, newest first."""
    return (
        interviews_visible_to(user, Interview.objects.filter(worker=worker))
        .select_related("interviewer", "room", "interpreter", "card")
        .order_by("-created_at", "-id")
    )


def worker_next_interview(user: User, worker: Worker) -> tuple[Interview | None, int]:
    """The worker's next open interview this user may see and how many are open, in one
    query: a worker has a handful of open interviews at most."""
    open_interviews = list(
        interviews_visible_to(
            user, Interview.objects.filter(worker=worker, status__in=Interview.OPEN_STATUSES)
        )
        .select_related("room", "interviewer")
        .order_by(*_appointment_order())
    )
    return (open_interviews[0] if open_interviews else None), len(open_interviews)


# --- One interview ----------------------------------------------------------------------------


@dataclass
class StatusChange:
    at: dt.datetime
    status: str
    label: str
    by: User | None


def status_history(interview: Interview) -> list[StatusChange]:
    """Each change of the interview's status, oldest first, from its history."""
    labels = dict(Interview.Status.choices)
    changes: list[StatusChange] = []
    previous = None
    for record in interview.history.select_related("history_user").order_by(
        "history_date", "history_id"
    ):
        if record.status != previous:
            changes.append(
                StatusChange(
                    at=record.history_date,
                    status=record.status,
                    label=labels.get(record.status, record.status),
                    by=record.history_user,
                )
            )
            previous = record.status
    return changes


def missed_chain(interview: Interview) -> tuple[list[Interview], list[Interview]]:
    """The earlier interviews this one follows (nearest first) and those that follow it."""
    earlier: list[Interview] = []
    seen = {interview.pk}
    current_id = interview.follows_id
    while current_id is not None and current_id not in seen and len(earlier) < CHAIN_LIMIT:
        current = Interview.objects.select_related("room", "interviewer").get(pk=current_id)
        earlier.append(current)
        seen.add(current.pk)
        current_id = current.follows_id
    later = list(interview.followed_by.select_related("room", "interviewer").order_by("id"))
    return earlier, later


# --- Times to book ---------------------------------------------------------------------------


@dataclass
class BookingOption:
    """A free slot for one interview: the interviewer speaks `language` with the worker, or an
    interpreter for `language` is needed and `interpreters` are the free ones."""

    slot: Slot
    language: str
    interviewer_speaks: bool
    interpreters: list[Interpreter] = field(default_factory=list)

    @property
    def bookable(self) -> bool:
        return self.interviewer_speaks or bool(self.interpreters) or not self.language


def booking_options(
    interview: Interview,
    *,
    after: dt.datetime | None = None,
    before: dt.datetime | None = None,
    limit: int = 100,
    speakers_first: bool = True,
) -> list[BookingOption]:
    """Free slots for `interview`, the ones whose interviewer speaks one of the worker's
    languages first (unless `speakers_first` is off), each needing an interpreter with the
    independent interpreters free at that time. Five queries, however many slots."""
    languages = worker_languages(interview.worker)
    slots = list(free_slots(after=after, before=before)[:limit])
    if not slots:
        return []
    spoken = {
        profile.user_id: [code.lower() for code in profile.languages]
        for profile in InterviewerProfile.objects.filter(
            user_id__in={slot.interviewer_id for slot in slots}
        )
    }
    needed = languages[0] if languages else (interview.language or "")
    candidates = interpreters_for(needed) if needed else []
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    if candidates:
        for interpreter_id, starts_at, ends_at in (
            live_bookings()
            .exclude(pk=interview.pk)
            .filter(
                interpreter__in=candidates,
                starts_at__lt=max(slot.ends_at for slot in slots),
                ends_at__gt=min(slot.starts_at for slot in slots),
            )
            .values_list("interpreter_id", "starts_at", "ends_at")
        ):
            busy.setdefault(interpreter_id, []).append((starts_at, ends_at))

    def free(interpreter: Interpreter, slot: Slot) -> bool:
        return not any(
            starts_at < slot.ends_at and ends_at > slot.starts_at
            for starts_at, ends_at in busy.get(interpreter.pk, [])
        )

    options = []
    for slot in slots:
        common = [code for code in languages if code in spoken.get(slot.interviewer_id, [])]
        if common or not needed:
            options.append(
                BookingOption(
                    slot=slot, language=common[0] if common else "", interviewer_speaks=True
                )
            )
        else:
            options.append(
                BookingOption(
                    slot=slot,
                    language=needed,
                    interviewer_speaks=False,
                    interpreters=[i for i in candidates if free(i, slot)],
                )
            )
    if speakers_first:
        # sorted() is stable: each group stays in time order.
        options.sort(key=lambda option: not option.interviewer_speaks)
    return options

"""Scheduling (recommendations 36 and 37): the daily run that creates and books the renewal
interviews, the reminders, the worker's answer through the signed link, and missed appointments.

The annual interview is tied to the renewal of the worker's ID card or visa (DESIGN.md). Every
day the run finds the active employments whose card has entered its window, creates the one
interview each needs, books the earliest free slot in a language the worker speaks (or with an
independent interpreter) and invites the worker through notifications. It is idempotent: a
card's interview exists once, whatever the number of runs, and the partial unique constraint
interviews_one_open_renewal_per_card backs that up when two runs overlap.

A worker who does not come may be kept from coming: a missed appointment is re-invited and
shown to the officers, and at the policy's count it becomes a concern ("possible restriction
of movement"). Nothing here tells the employer or the mission anything.
"""

import bisect
import datetime as dt
import logging
from collections import defaultdict
from dataclasses import asdict, dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Exists,
    OuterRef,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from accounts.models import AuditEntry, User
from accounts.services import audit_log
from interviews import services
from interviews.availability import slots_publish_ahead
from interviews.links import link_for
from interviews.models import (
    RENEWAL_KINDS,
    Concern,
    Indicator,
    Interpreter,
    Interview,
    InterviewerProfile,
    InterviewKind,
    InterviewPolicy,
    InterviewRecord,
    Room,
    Slot,
)
from notifications.models import Kind
from notifications.services import notify, notify_many
from registry.models import Employment, IdentityCard
from registry.selectors import actively_employed_workers

logger = logging.getLogger(__name__)
Action = AuditEntry.Action
Status = Interview.Status

SCHEDULER = "scheduler"
WORKER_LINK = "worker link"
# The earliest appointment the run proposes: a domestic worker needs days to arrange the time
# off, and the first reminder (72 hours before, by default) should come after the invitation.
NOTICE = dt.timedelta(days=3)
# Workers per transaction: progress is kept as the run goes, and no lock is held for long.
CHUNK = 200
# How many free slots the run tries for one worker when others take them first.
BOOKING_ATTEMPTS = 5
# An appointment with neither a record nor a "missed" mark this long after it began is chased.
UNRECORDED_AFTER = dt.timedelta(days=1)
NOTE_MAX_LENGTH = 300
# What the run's audit entry for each interview names (never values).
CREATED_FIELDS = sorted(
    ["worker", "card", "kind", "due_on", "slot", "starts_at", "language", "interpreter", "status"]
)


# --- Which interview a card needs ------------------------------------------------------------


@dataclass(frozen=True)
class RenewalTarget:
    kind: str
    window_opens_on: dt.date
    due_on: dt.date


def renewal_target(
    *,
    employment: Employment,
    card: IdentityCard,
    policy: InterviewPolicy,
    today: dt.date,
    renewal_held: bool,
) -> RenewalTarget:
    """The renewal interview `card` needs for `employment` (recommendation 37: the interview
    repeated once a year with the card's renewal; the first one after the probation period).

    The card's window opens `window_opens_days` before its expiry; the interview is due
    `due_days` before it.

    First renewal: while the employment has no held renewal interview (first renewal or annual)
    and started less than `probation_months` + 12 months ago, its renewal interview is a
    first renewal. When the probation period ends before the card's window opens (the card
    outlives the probation), that first renewal is brought forward: due on the day the probation
    ends, its window opening (window_opens_days - due_days) days earlier, so it is as long as
    the card's. Once the card's own window has opened, the card's window applies again, so a
    card whose early interview never happened still gets one in its window.

    Every other renewal interview is annual, in the card's window. An employment that started
    long before Hestia knew of it, with no held interview, is annual too.
    """
    opens = card.expiry_date - dt.timedelta(days=policy.window_opens_days)
    due = card.expiry_date - dt.timedelta(days=policy.due_days)
    young = employment.start_date > today - relativedelta(months=policy.probation_months + 12)
    if renewal_held or not young:
        return RenewalTarget(InterviewKind.ANNUAL, opens, due)
    probation_ends = employment.start_date + relativedelta(months=policy.probation_months)
    if probation_ends < opens and today < opens:
        length = dt.timedelta(days=policy.window_opens_days - policy.due_days)
        return RenewalTarget(InterviewKind.FIRST_RENEWAL, probation_ends - length, probation_ends)
    return RenewalTarget(InterviewKind.FIRST_RENEWAL, opens, due)


def _covers(target: RenewalTarget, due_on: dt.date | None) -> bool:
    """Whether an existing interview of the card (any state) is the one for this window. One
    made by hand without a due date counts: the officer took the card in hand."""
    return due_on is None or target.window_opens_on <= due_on <= target.due_on


# --- Free slots, held in memory for one run ----------------------------------------------------


class SlotPlanner:
    """The free slots of the coming weeks, loaded once, with the rule of services.slot_proposal:
    the earliest free slot whose interviewer speaks one of the worker's languages (the first of
    them the interviewer speaks), or that an independent interpreter for the worker's first
    language can join. slot_proposal reads up to 500 slots per call, which for thousands of
    workers in one run is millions of rows; the planner reads them once and marks each one taken
    as it is booked. Every booking is still checked under row locks, so a slot someone else took
    meanwhile is refused and the next one proposed."""

    def __init__(self, *, after: dt.datetime):
        self.slots = list(
            services.free_slots(after=after)
            .select_related(None)
            .only("pk", "interviewer_id", "room_id", "starts_at", "ends_at")
        )
        self.positions = {slot.pk: position for position, slot in enumerate(self.slots)}
        self.profiles = {
            user_id: [code.lower() for code in languages]
            for user_id, languages in InterviewerProfile.objects.values_list("user_id", "languages")
        }
        self.taken: set[int] = set()
        # language -> positions (in time order) of the slots whose interviewer speaks it
        self.by_language: dict[str, list[int]] = defaultdict(list)
        for position, slot in enumerate(self.slots):
            for code in self.profiles.get(slot.interviewer_id, ()):
                self.by_language[code].append(position)
        self.cursors: dict[str, int] = defaultdict(int)
        # Per language: slots before this position have no free interpreter for it, or are
        # taken. Both only grow during a run, so the cursor only moves forward.
        self.interpreter_cursors: dict[str, int] = defaultdict(int)
        self.interpreters: dict[str, list[Interpreter]] = defaultdict(list)
        for interpreter in Interpreter.objects.filter(active=True, independent=True):
            for code in {code.lower() for code in interpreter.languages}:
                self.interpreters[code].append(interpreter)
        # interpreter -> its bookings (start, end), sorted; one interpreter's never overlap
        self.busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
        for interpreter_id, starts_at, ends_at in (
            services.live_bookings()
            .filter(interpreter__isnull=False, ends_at__gt=after)
            .values_list("interpreter_id", "starts_at", "ends_at")
        ):
            bisect.insort(self.busy[interpreter_id], (starts_at, ends_at))

    def _earliest_for(self, code: str) -> int | None:
        positions = self.by_language.get(code)
        if not positions:
            return None
        cursor = self.cursors[code]
        while cursor < len(positions) and positions[cursor] in self.taken:
            cursor += 1
        self.cursors[code] = cursor
        return positions[cursor] if cursor < len(positions) else None

    def _interpreter_free(self, interpreter: Interpreter, slot: Slot) -> bool:
        busy = self.busy.get(interpreter.pk)
        if not busy:
            return True
        # The last booking starting before the slot ends is the only one that can overlap it.
        before_end = bisect.bisect_left(busy, (slot.ends_at,))
        return before_end == 0 or busy[before_end - 1][1] <= slot.starts_at

    def _with_interpreter(self, code: str, until: int) -> tuple[int, Interpreter] | None:
        candidates = self.interpreters.get(code)
        if not candidates:
            return None
        position = self.interpreter_cursors[code]
        while position < until:
            if position not in self.taken:
                slot = self.slots[position]
                for interpreter in candidates:
                    if self._interpreter_free(interpreter, slot):
                        self.interpreter_cursors[code] = position
                        return position, interpreter
            position += 1
        self.interpreter_cursors[code] = max(position, self.interpreter_cursors[code])
        return None

    def propose(self, languages: list[str]) -> tuple[Slot, str, Interpreter | None] | None:
        if not languages:
            return None
        matches = [p for p in (self._earliest_for(code) for code in languages) if p is not None]
        best = min(matches) if matches else None
        # Only slots before the best match can need an interpreter: their interviewers speak
        # none of the worker's languages.
        helped = self._with_interpreter(languages[0], len(self.slots) if best is None else best)
        if helped is not None:
            position, interpreter = helped
            return self.slots[position], languages[0], interpreter
        if best is None:
            return None
        slot = self.slots[best]
        spoken = self.profiles.get(slot.interviewer_id, [])
        return slot, next(code for code in languages if code in spoken), None

    def take(self, slot: Slot, interpreter: Interpreter | None = None) -> None:
        if slot.pk in self.positions:
            self.taken.add(self.positions[slot.pk])
        if interpreter is not None:
            bisect.insort(self.busy[interpreter.pk], (slot.starts_at, slot.ends_at))


# --- The daily run ---------------------------------------------------------------------------


@dataclass
class ScheduleResult:
    created: int = 0
    booked: int = 0
    left_unbooked: int = 0
    skipped: int = 0
    failed: int = 0
    slots_published: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def __str__(self) -> str:
        return (
            f"created {self.created}, booked {self.booked}, left unbooked {self.left_unbooked}, "
            f"skipped {self.skipped}, failed {self.failed}, slots published {self.slots_published}"
        )


def earliest_proposal(today: dt.date) -> dt.datetime:
    """Appointments are proposed from NOTICE after now (or after the start of a later day the
    run is asked to act for)."""
    start_of_day = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return max(timezone.now(), start_of_day) + NOTICE


def _current_cards(today: dt.date) -> dict[int, IdentityCard]:
    """Each active worker's current card: the latest issued one that has not expired."""
    active_workers = actively_employed_workers()
    cards: dict[int, IdentityCard] = {}
    for card in IdentityCard.objects.filter(
        worker_id__in=active_workers,
        status=IdentityCard.Status.ISSUED,
        expiry_date__gte=today,
    ).order_by("worker_id", "-expiry_date", "-issue_date", "-pk"):
        cards.setdefault(card.worker_id, card)
    return cards


@dataclass
class _Work:
    employment: Employment
    card: IdentityCard
    target: RenewalTarget
    languages: list[str] | None = None
    proposal: tuple | None = None


def _due_work(policy: InterviewPolicy, today: dt.date, result: ScheduleResult) -> list[_Work]:
    """Every card whose window is open and that has no interview for it yet, in a handful of
    queries whatever the number of workers."""
    cards = _current_cards(today)
    held = set(
        Interview.objects.filter(
            kind__in=RENEWAL_KINDS,
            status=Status.HELD,
            employment__status=Employment.Status.ACTIVE,
        ).values_list("employment_id", flat=True)
    )
    existing: dict[int, list[tuple[str, dt.date | None]]] = defaultdict(list)
    for card_id, status, due_on in Interview.objects.filter(
        kind__in=RENEWAL_KINDS,
        card__status=IdentityCard.Status.ISSUED,
        card__expiry_date__gte=today,
    ).values_list("card_id", "status", "due_on"):
        existing[card_id].append((status, due_on))
    work = []
    employments = (
        Employment.objects.filter(status=Employment.Status.ACTIVE)
        .select_related("worker")
        .order_by("pk")
    )
    for employment in employments:
        card = cards.get(employment.worker_id)
        if card is None:
            continue
        target = renewal_target(
            employment=employment,
            card=card,
            policy=policy,
            today=today,
            renewal_held=employment.pk in held,
        )
        if target.window_opens_on > today:
            continue
        # One open renewal interview per card at a time (the database refuses a second).
        if any(
            status in Interview.OPEN_STATUSES or _covers(target, due_on)
            for status, due_on in existing.get(card.pk, [])
        ):
            result.skipped += 1
            continue
        work.append(_Work(employment, card, target))
    return work


def _new_interview(item: _Work, by: User | None) -> Interview:
    worker = item.employment.worker
    return Interview(
        worker=worker,
        employment=item.employment,
        card=item.card,
        kind=item.target.kind,
        status=Status.DUE,
        window_opens_on=item.target.window_opens_on,
        due_on=item.target.due_on,
        language=item.languages[0] if item.languages else (worker.preferred_language or ""),
        created_by=by,
    )


def _schedule_one(item: _Work, planner: SlotPlanner, by: User | None) -> bool:
    """One worker the careful way: create the interview and book it through
    services.interview_book, which locks the slot and the interpreter; whether it was booked."""
    interview = _new_interview(item, by)
    interview.save()
    proposal = item.proposal
    for _attempt in range(BOOKING_ATTEMPTS):
        if proposal is None:
            return False
        slot, language, interpreter = proposal
        try:
            services.interview_book(
                interview=interview, slot=slot, language=language, interpreter=interpreter, by=by
            )
        except services.BookingError:
            proposal = _propose(item, planner)  # someone took it meanwhile
            continue
        return True
    return False


def _propose(item: _Work, planner: SlotPlanner):
    """The earliest fitting slot for `item`, held in the planner at once."""
    item.proposal = planner.propose(item.languages)
    if item.proposal is not None:
        slot, _language, interpreter = item.proposal
        planner.take(slot, interpreter)
    return item.proposal


def _refused(items: list[_Work]) -> list[_Work]:
    """Lock the slots and interpreters proposed to `items` (in one order, so that two runs
    cannot deadlock) and return the items whose slot or interpreter someone else took, or
    withdrew, since the planner read them."""
    wanted = {item.proposal[0].pk: item for item in items}
    free = set(
        Slot.objects.select_for_update()
        .filter(pk__in=wanted, withdrawn=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    free -= set(services.live_bookings().filter(slot_id__in=free).values_list("slot_id", flat=True))
    refused = [item for pk, item in wanted.items() if pk not in free]
    helped = [item for item in items if item.proposal[2] is not None and item not in refused]
    if helped:
        interpreter_ids = sorted({item.proposal[2].pk for item in helped})
        usable = set(
            Interpreter.objects.select_for_update()
            .filter(pk__in=interpreter_ids, active=True, independent=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        elsewhere = defaultdict(list)
        for interpreter_id, starts_at, ends_at in (
            services.live_bookings()
            .filter(
                interpreter_id__in=interpreter_ids,
                starts_at__lt=max(item.proposal[0].ends_at for item in helped),
                ends_at__gt=min(item.proposal[0].starts_at for item in helped),
            )
            .values_list("interpreter_id", "starts_at", "ends_at")
        ):
            elsewhere[interpreter_id].append((starts_at, ends_at))
        for item in helped:
            slot, _language, interpreter = item.proposal
            if interpreter.pk not in usable or any(
                starts_at < slot.ends_at and ends_at > slot.starts_at
                for starts_at, ends_at in elsewhere[interpreter.pk]
            ):
                refused.append(item)
    return refused


def _claim(items: list[_Work], planner: SlotPlanner) -> None:
    """Hold every proposal of the chunk under row locks; propose again to those someone else
    got to first, and leave due those still without a slot after a few tries."""
    pending = [item for item in items if item.proposal]
    for _attempt in range(BOOKING_ATTEMPTS):
        pending = _refused(pending) if pending else []
        if not pending:
            return
        pending = [item for item in pending if _propose(item, planner)]
    for item in pending:
        item.proposal = None  # left for an officer to book


def _schedule_chunk(
    chunk: list[_Work], planner: SlotPlanner, policy: InterviewPolicy, by: User | None
) -> tuple[int, int]:
    """Create and book a chunk of interviews with a few bulk statements, then invite each
    worker through notifications (in the same transaction, as interview_book does). The
    database's constraints guard every row: if any is refused, the caller redoes the chunk one
    worker at a time. Returns (booked, left unbooked)."""
    _claim(chunk, planner)
    now = timezone.now()
    interviews = []
    for item in chunk:
        interview = _new_interview(item, by)
        if item.proposal is not None:
            slot, language, interpreter = item.proposal
            interview.status = Status.INVITED
            interview.interpreter = interpreter
            interview.slot = slot
            interview.interviewer_id = slot.interviewer_id
            interview.room_id = slot.room_id
            interview.starts_at = slot.starts_at
            interview.ends_at = slot.ends_at
            interview.language = language
            interview.invited_at = now
        interviews.append(interview)
    bulk_create_with_history(interviews, Interview, default_user=by, default_date=now)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            at=now,
            actor=by,
            actor_username=by.get_username() if by else SCHEDULER,
            action=Action.CREATE,
            object_type=Interview._meta.label_lower,
            object_id=str(interview.pk),
            changed_fields=CREATED_FIELDS,
            detail="booked" if interview.slot_id else "due",
        )
        for interview in interviews
    )
    rooms = {room.pk: room for room in Room.objects.filter(pk__in={i.room_id for i in interviews})}
    invited = [interview for interview in interviews if interview.slot_id is not None]
    for interview in invited:
        interview.room = rooms[interview.room_id]
    # The invitations interview_book would send, one for each worker, written in one INSERT.
    notify_many(
        ((interview.worker, appointment_context(interview, policy)) for interview in invited),
        Kind.INTERVIEW_INVITATION,
        by=by,
    )
    return len(invited), len(interviews) - len(invited)


def schedule_run(*, today: dt.date | None = None, by: User | None = None) -> ScheduleResult:
    """The daily scheduling run (recommendation 37: the interview repeated with each renewal).

    Publishes the interviewers' slots for the next eight weeks, then, for every active
    employment whose worker's current card (the latest issued, not expired) has entered its
    window (renewal_target) and has no renewal interview for that window in any state, creates
    the interview and books the earliest free slot in the worker's language, or with an
    independent interpreter, and invites the worker through notifications. With no free slot
    the interview stays due for an officer to book. Running it twice creates nothing new.

    Thousands of workers in one run: the work is read in a few queries, the slots are planned
    in memory, and each chunk of CHUNK workers is written with bulk statements in its own
    transaction. If the database refuses anything in a chunk (a run at the same time, an
    officer booking the same slot), the chunk is redone one worker at a time, each in a
    savepoint through services.interview_book, so one failure is logged and counted and the
    run goes on. One audit entry records the run; one more records each interview.
    """
    today = today or timezone.localdate()
    result = ScheduleResult()
    result.slots_published = slots_publish_ahead(weeks=8, today=today)
    policy = services.policy_current()
    work = _due_work(policy, today, result)
    planner = SlotPlanner(after=earliest_proposal(today))
    for start in range(0, len(work), CHUNK):
        chunk = work[start : start + CHUNK]
        with transaction.atomic():
            workers = [item.employment.worker for item in chunk]
            # What worker_languages reads, for the whole chunk at once (notify_many reads the rest).
            prefetch_related_objects(workers, "languages")
            for item in chunk:
                item.languages = services.worker_languages(item.employment.worker)
                _propose(item, planner)
            careful = []
            try:
                with transaction.atomic():
                    booked, unbooked = _schedule_chunk(chunk, planner, policy, by)
            except Exception:
                logger.warning("A scheduling chunk was refused; redoing it worker by worker.")
                careful = chunk
            else:
                result.created += booked + unbooked
                result.booked += booked
                result.left_unbooked += unbooked
            for item in careful:
                try:
                    with transaction.atomic():
                        booked = _schedule_one(item, planner, by)
                except IntegrityError:
                    result.skipped += 1  # another run created this card's interview meanwhile
                except Exception:
                    logger.exception(
                        "Scheduling failed for employment %s (card %s).",
                        item.employment.pk,
                        item.card.pk,
                    )
                    result.failed += 1
                else:
                    result.created += 1
                    if booked:
                        result.booked += 1
                    else:
                        result.left_unbooked += 1
    audit_log(
        action=Action.CREATE,
        actor=by,
        object_type="interviews.interview",
        username=SCHEDULER,
        detail=f"scheduling run for {today.isoformat()}: {result}",
    )
    return result


# --- Reminders -------------------------------------------------------------------------------


def reminder_offsets(policy: InterviewPolicy) -> list[int]:
    """The policy's reminder offsets in hours, largest first (bad entries are ignored)."""
    offsets = set()
    for value in policy.reminder_hours or []:
        try:
            hours = int(value)
        except (TypeError, ValueError):
            continue
        if hours > 0:
            offsets.add(hours)
    return sorted(offsets, reverse=True)


def appointment_context(interview: Interview, policy: InterviewPolicy) -> dict:
    """What a notice about an appointment carries: the date (with the time), the place and the
    worker's signed link; never what the appointment is for (DESIGN.md, worker safety)."""
    return {
        "date": interview.starts_at,
        "place": interview.room.location if interview.room_id else "",
        "link": link_for(interview, valid_days=policy.link_valid_days),
    }


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind workers of their booked appointments at the policy's offsets (for example 72 and
    24 hours before); returns how many reminders were sent.

    Each offset is sent once: it is recorded in reminders_sent under the interview's row lock,
    and a row another worker process holds is skipped (it is sending). A cancelled, held or
    missed appointment gets none. When several offsets are due at once (an appointment booked
    or moved at short notice) one reminder covers them, and an offset whose moment came before
    the invitation is only recorded: the invitation itself gave the time. Quiet hours are the
    notifications layer's: an SMS due at night is queued for the morning.
    """
    now = now or timezone.now()
    policy = services.policy_current()
    offsets = reminder_offsets(policy)
    if not offsets:
        return 0
    candidates = list(
        services.live_bookings()
        .filter(starts_at__gt=now, starts_at__lte=now + dt.timedelta(hours=offsets[0]))
        .order_by("starts_at", "pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in candidates:
        with transaction.atomic():
            interview = (
                Interview.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status__in=Interview.BOOKED_STATUSES, starts_at__gt=now)
                .first()
            )
            if interview is None:
                continue
            done = {value for value in interview.reminders_sent if isinstance(value, int)}
            due = [
                hours
                for hours in offsets
                if hours not in done and interview.starts_at - dt.timedelta(hours=hours) <= now
            ]
            if not due:
                continue
            if any(
                interview.invited_at is None
                or interview.starts_at - dt.timedelta(hours=hours) >= interview.invited_at
                for hours in due
            ):
                notify(interview.worker, Kind.REMINDER, appointment_context(interview, policy))
                sent += 1
            # update(): the list of reminders is not part of the interview's history.
            Interview.objects.filter(pk=pk).update(
                reminders_sent=sorted(done | set(due), reverse=True)
            )
    return sent


# --- The worker's answer through the signed link -----------------------------------------------


class AnswerRefused(Exception):
    """The appointment can no longer be answered: closed, or its time has passed."""


def appointment_is_open(interview: Interview, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        interview.status in Interview.BOOKED_STATUSES
        and interview.starts_at is not None
        and interview.starts_at > now
    )


def _lock_open(interview: Interview) -> Interview:
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    if not appointment_is_open(interview):
        raise AnswerRefused
    return interview


@transaction.atomic
def appointment_confirm(*, interview: Interview, request=None) -> Interview:
    """The worker says they will come (signed link, no login). Confirming twice changes
    nothing; confirming withdraws an earlier request for another time."""
    interview = _lock_open(interview)
    if interview.status == Status.CONFIRMED and interview.move_requested_at is None:
        return interview
    interview.status = Status.CONFIRMED
    interview.confirmed_at = timezone.now()
    interview.move_requested_at = None
    interview.move_request_note = ""
    fields = ["status", "confirmed_at", "move_requested_at", "move_request_note"]
    interview.save(update_fields=[*fields, "updated_at"])
    audit_log(
        action=Action.UPDATE,
        request=request,
        obj=interview,
        changed_fields=fields,
        username=WORKER_LINK,
        detail="the worker confirmed the appointment",
    )
    return interview


@transaction.atomic
def appointment_move_request(*, interview: Interview, note: str = "", request=None) -> Interview:
    """The worker asks for another time, with an optional note of the times that suit them.
    The appointment stays invited until an officer moves it (the interview list shows it)."""
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": "too long"}, code="too_long")
    interview = _lock_open(interview)
    interview.status = Status.INVITED
    interview.confirmed_at = None
    interview.move_requested_at = timezone.now()
    interview.move_request_note = note
    fields = ["status", "confirmed_at", "move_requested_at", "move_request_note"]
    interview.save(update_fields=[*fields, "updated_at"])
    audit_log(
        action=Action.UPDATE,
        request=request,
        obj=interview,
        changed_fields=fields,
        username=WORKER_LINK,
        detail="the worker asked for another time",
    )
    return interview


# --- Missed appointments -----------------------------------------------------------------------


def may_mark_missed(user: User, interview: Interview) -> bool:
    """Officers and supervisors (book_interview), or the interviewer it is assigned to."""
    return user.has_perm("interviews.book_interview") or (
        user.has_perm("interviews.record_interview") and interview.interviewer_id == user.pk
    )


def misses_in_a_row(interviews) -> dict[int, int]:
    """For each missed interview given, how many appointments in a row the worker missed up to
    it, following `follows` back (one query for any number of interviews)."""
    interviews = list(interviews)
    earlier = dict(
        Interview.objects.filter(
            worker_id__in={interview.worker_id for interview in interviews},
            status=Status.NO_SHOW,
        ).values_list("pk", "follows_id")
    )
    counts = {}
    for interview in interviews:
        count, pk = 0, interview.pk
        while pk in earlier and count <= len(earlier):
            count += 1
            pk = earlier[pk]
        counts[interview.pk] = count
    return counts


@dataclass
class MissedResult:
    missed: Interview
    follower: Interview
    booked: bool
    misses: int
    concern: Concern | None


def _book_without_invitation(
    *, interview: Interview, slot: Slot, language: str, interpreter, by, request
) -> Interview:
    """services.interview_book without its invitation: after a missed appointment the worker
    gets one message, the missed-appointment notice carrying the new appointment's link."""
    with transaction.atomic():
        interview = services._lock_interview(interview)
        if interview.status != Status.DUE:
            raise services.BookingError(_("This interview is already booked or closed."))
        services._claim(interview, slot, interpreter, language)
        interview.status = Status.INVITED
        interview.invited_at = timezone.now()
        interview.reminders_sent = []
        services._save_booking(interview)
        audit_log(
            action=Action.UPDATE,
            actor=by,
            request=request,
            obj=interview,
            changed_fields=["slot", "interviewer", "room", "starts_at", "interpreter", "status"],
            username=services.SYSTEM,
            detail="booked after a missed appointment",
        )
    return interview


@transaction.atomic
def interview_mark_missed(*, interview: Interview, by: User, request=None) -> MissedResult:
    """Record that the worker did not come to a booked appointment whose time has passed.

    A worker who does not come may be kept from coming (ILO indicator: restriction of
    movement). The missed interview becomes no_show; the next one is created at once (same
    worker, card, kind and employment, the due dates kept, `follows` the missed one) and booked
    into the earliest free slot in the worker's language; the worker gets one message, the
    missed-appointment notice with the new appointment's link. After the policy's number of
    missed appointments in a row (two by default) a concern is raised for the officers and
    supervisors. The employer and the mission are never told anything.
    """
    missed = services._lock_interview(interview)
    if not may_mark_missed(by, missed):
        raise PermissionDenied
    now = timezone.now()
    if missed.status not in Interview.BOOKED_STATUSES:
        raise services.BookingError(_("Only a booked appointment can be marked as missed."))
    if missed.starts_at is None or missed.starts_at > now:
        raise services.BookingError(_("The appointment has not started yet."))
    if InterviewRecord.objects.filter(interview=missed).exists():
        raise services.BookingError(_("This interview has a record: it was held."))
    missed.status = Status.NO_SHOW
    missed.save(update_fields=["status", "updated_at"])
    audit_log(
        action=Action.UPDATE,
        actor=by,
        request=request,
        obj=missed,
        changed_fields=["status"],
        detail="missed appointment",
    )
    worker = missed.worker
    follower = Interview.objects.create(
        worker=worker,
        employment=missed.employment,
        card=missed.card,
        kind=missed.kind,
        status=Status.DUE,
        window_opens_on=missed.window_opens_on,
        due_on=missed.due_on,
        language=missed.language,
        follows=missed,
        created_by=by,
    )
    audit_log(
        action=Action.CREATE,
        actor=by,
        request=request,
        obj=follower,
        changed_fields=["worker", "kind", "due_on", "follows"],
        detail="re-invited after a missed appointment",
    )
    languages = services.worker_languages(worker) or [missed.language]
    proposal = services.slot_proposal(languages, after=now + NOTICE)
    booked = False
    if proposal is not None:
        slot, language, interpreter = proposal
        try:
            follower = _book_without_invitation(
                interview=follower,
                slot=slot,
                language=language,
                interpreter=interpreter,
                by=by,
                request=request,
            )
            booked = True
        except services.BookingError:
            follower.refresh_from_db()
    policy = services.policy_current()
    context = {"link": link_for(follower, valid_days=policy.link_valid_days)}
    if booked:
        context = appointment_context(follower, policy)
    notify(worker, Kind.MISSED_APPOINTMENT, context, by=by)
    misses = misses_in_a_row([missed])[missed.pk]
    concern = None
    already_raised = Concern.objects.filter(
        worker=worker, source=Concern.Source.NO_SHOW, status__in=Concern.OPEN_STATUSES
    ).exists()
    if misses >= policy.missed_for_concern and not already_raised:
        concern = services.concern_open(
            worker=worker,
            source=Concern.Source.NO_SHOW,
            severity=Concern.Severity.HIGH,
            summary=ngettext(
                "Possible restriction of movement: %(count)d missed appointment",
                "Possible restriction of movement: %(count)d missed appointments",
                misses,
            )
            % {"count": misses},
            details=_(
                "The worker did not come to %(count)d appointments in a row. A worker who does "
                "not come may be kept from coming: contact the worker without the employer."
            )
            % {"count": misses},
            interview=missed,
            indicators=[Indicator.RESTRICTION_OF_MOVEMENT],
            by=by,
            request=request,
        )
    return MissedResult(
        missed=missed, follower=follower, booked=booked, misses=misses, concern=concern
    )


def missed_to_follow_up(user: User) -> QuerySet:
    """Missed appointments the officers follow up, oldest first: the latest miss of each chain
    whose next appointment has not been held, missed or cancelled, with that next appointment
    and whether a concern about missed appointments is open for the worker."""
    followers = Interview.objects.filter(follows=OuterRef("pk"))
    next_one = followers.filter(status__in=Interview.OPEN_STATUSES).order_by("-pk")
    queryset = (
        Interview.objects.filter(status=Status.NO_SHOW)
        .exclude(Exists(followers.exclude(status__in=Interview.OPEN_STATUSES)))
        .annotate(
            next_status=Subquery(next_one.values("status")[:1]),
            next_starts_at=Subquery(next_one.values("starts_at")[:1]),
            next_pk=Subquery(next_one.values("pk")[:1]),
            concern_open=Exists(
                Concern.objects.filter(
                    worker=OuterRef("worker"),
                    source=Concern.Source.NO_SHOW,
                    status__in=Concern.OPEN_STATUSES,
                )
            ),
        )
        .select_related("worker", "interviewer")
        .order_by("starts_at", "pk")
    )
    return services.interviews_visible_to(user, queryset)


def unrecorded_appointments(user: User, *, now: dt.datetime | None = None) -> QuerySet:
    """Booked appointments that began more than a day ago with neither a record nor a "missed"
    mark, oldest first: the officers chase the interviewer."""
    now = now or timezone.now()
    queryset = (
        services.live_bookings()
        .filter(starts_at__lt=now - UNRECORDED_AFTER)
        .exclude(Exists(InterviewRecord.objects.filter(interview=OuterRef("pk"))))
        .select_related("worker", "interviewer", "room")
        .order_by("starts_at", "pk")
    )
    return services.interviews_visible_to(user, queryset)

"""Interviewers' availability: rooms, interpreters, interviewers' profiles, weekly patterns, days
without interviews, the slots published from them, calendars and the iCalendar feed.

Recommendation 36 needs a face-to-face interview in a private room; recommendation 38 needs an
interviewer or an independent interpreter who speaks the worker's language. Double booking of an
interviewer or a room is impossible: publishing locks the interviewer's and the rooms' rows
(SELECT ... FOR UPDATE) before it checks for overlaps, and the unique constraints on Slot back it
up. Interpreters are locked by interviews.services.interview_book.
"""

import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.services import audit_log
from interviews.models import (
    AvailabilityException,
    AvailabilityPattern,
    Interpreter,
    Interview,
    InterviewerProfile,
    Room,
    Slot,
)
from interviews.services import live_bookings, policy_current

Action = AuditEntry.Action
SYSTEM = "system"
# Held and missed appointments stay in the feed: they took the interviewer's time.
FEED_STATUSES = (*Interview.BOOKED_STATUSES, Interview.Status.HELD, Interview.Status.NO_SHOW)
FEED_DAYS_BACK = 30


# --- Who acts for whom ------------------------------------------------------------------------


def acts_for_any_interviewer(user) -> bool:
    """Supervisors: they manage every interviewer's availability and see every calendar."""
    return user.has_perm("interviews.manage_availability") and user.has_perm(
        "interviews.view_all_concerns"
    )


def can_manage_for(user, interviewer) -> bool:
    """An interviewer manages their own availability; a supervisor anyone's."""
    if not user.has_perm("interviews.manage_availability"):
        return False
    return user.pk == interviewer.pk or acts_for_any_interviewer(user)


def sees_every_calendar(user) -> bool:
    """Officers (they book) and supervisors see every calendar and every booked worker's name."""
    return user.has_perm("interviews.book_interview") or user.has_perm(
        "interviews.view_all_concerns"
    )


def can_see_calendar_of(user, interviewer) -> bool:
    return user.has_perm("interviews.view_slot") and (
        sees_every_calendar(user) or user.pk == interviewer.pk
    )


def sees_worker_of(user, interview: Interview) -> bool:
    return sees_every_calendar(user) or interview.interviewer_id == user.pk


# --- Time helpers -----------------------------------------------------------------------------


def local_start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def _changed(instance, data: dict) -> list[str]:
    if instance.pk is None:
        return list(data)
    return [name for name, value in data.items() if getattr(instance, name, None) != value]


def _lock_users(ids: Iterable[int], *, active_only: bool = False) -> list[int]:
    """Lock the interviewers' rows, always in the same order so two writers cannot deadlock."""
    users = User.objects.select_for_update().filter(pk__in=set(ids))
    if active_only:
        users = users.filter(is_active=True)
    return list(users.order_by("pk").values_list("pk", flat=True))


def _lock_rooms(ids: Iterable[int]) -> dict[int, Room]:
    return {
        room.pk: room
        for room in Room.objects.select_for_update().filter(pk__in=set(ids)).order_by("pk")
    }


# --- Rooms and interpreters -------------------------------------------------------------------


@transaction.atomic
def room_save(*, by: User | None, room: Room | None = None, request=None, **data) -> Room:
    """Create or change a room. A room is never deleted: taken out of use, its free future slots
    are withdrawn and its booked ones are listed to be moved."""
    room = room or Room()
    created = room.pk is None
    was_active = room.active
    changed = _changed(room, data)
    for name, value in data.items():
        setattr(room, name, value)
    room.full_clean()
    room.save()
    audit_log(
        action=Action.CREATE if created else Action.UPDATE,
        actor=by,
        request=request,
        obj=room,
        changed_fields=changed,
    )
    if not created and was_active and not room.active:
        _withdraw(Slot.objects.filter(room=room))
    return room


@transaction.atomic
def interpreter_save(
    *, by: User | None, interpreter: Interpreter | None = None, request=None, **data
) -> Interpreter:
    """Create or change an interpreter. Never deleted: made unavailable instead, so past
    interviews keep who interpreted them."""
    interpreter = interpreter or Interpreter()
    created = interpreter.pk is None
    changed = _changed(interpreter, data)
    for name, value in data.items():
        setattr(interpreter, name, value)
    interpreter.languages = [code.lower() for code in interpreter.languages]
    interpreter.full_clean()
    interpreter.save()
    audit_log(
        action=Action.CREATE if created else Action.UPDATE,
        actor=by,
        request=request,
        obj=interpreter,
        changed_fields=changed,
    )
    return interpreter


# --- Interviewers' profiles -------------------------------------------------------------------


def profile_for(interviewer: User) -> InterviewerProfile | None:
    return (
        InterviewerProfile.objects.filter(user=interviewer).select_related("default_room").first()
    )


@transaction.atomic
def profile_save(
    *,
    interviewer: User,
    languages: list[str],
    default_room: Room | None,
    by: User | None,
    request=None,
) -> InterviewerProfile:
    """The languages an interviewer holds interviews in (recommendation 38) and their usual room."""
    profile = InterviewerProfile.objects.filter(user=interviewer).first()
    created = profile is None
    profile = profile or InterviewerProfile(user=interviewer)
    data = {"languages": [code.lower() for code in languages], "default_room": default_room}
    changed = _changed(profile, data)
    for name, value in data.items():
        setattr(profile, name, value)
    profile.save()
    audit_log(
        action=Action.CREATE if created else Action.UPDATE,
        actor=by,
        request=request,
        obj=profile,
        changed_fields=changed,
    )
    return profile


@transaction.atomic
def profile_token_reset(*, interviewer: User, by: User | None, request=None) -> InterviewerProfile:
    """A new address for the interviewer's calendar feed; the old one stops working at once."""
    profile = InterviewerProfile.objects.select_for_update().filter(user=interviewer).first()
    if profile is None:
        profile = InterviewerProfile(user=interviewer)
    profile.calendar_token = secrets.token_urlsafe(32)
    profile.save()
    audit_log(
        action=Action.UPDATE,
        actor=by,
        request=request,
        obj=profile,
        changed_fields=["calendar_token"],
        detail="calendar feed address reset",
    )
    return profile


# --- Weekly patterns and days without interviews ----------------------------------------------


def _periods_meet(a_from, a_until, b_from, b_until) -> bool:
    """Whether two validity periods (None: open-ended) share a day."""
    return (a_until is None or b_from <= a_until) and (b_until is None or a_from <= b_until)


@transaction.atomic
def pattern_add(
    *,
    interviewer: User,
    room: Room,
    weekday: int,
    start_time: dt.time,
    end_time: dt.time,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    by: User | None,
    request=None,
) -> AvailabilityPattern:
    """A weekly period when the interviewer holds interviews in a room. It may not overlap the
    interviewer's other periods, nor another interviewer's period in the same room."""
    _lock_users([interviewer.pk])
    room = _lock_rooms([room.pk]).get(room.pk, room)
    errors: dict[str, list] = defaultdict(list)
    if end_time <= start_time:
        errors["end_time"].append(_("The period must end after it starts."))
    else:
        minutes = policy_current().slot_minutes
        length = dt.datetime.combine(dt.date.min, end_time) - dt.datetime.combine(
            dt.date.min, start_time
        )
        if length < dt.timedelta(minutes=minutes):
            errors["end_time"].append(
                _("The period is shorter than one interview (%(minutes)s minutes).")
                % {"minutes": minutes}
            )
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"].append(_("The last day cannot be before the first."))
    if not room.active:
        errors["room"].append(_("This room is not in use."))
    if not errors:
        same_time = AvailabilityPattern.objects.filter(
            weekday=weekday, start_time__lt=end_time, end_time__gt=start_time
        ).select_related("room")
        for other in same_time.filter(Q(interviewer=interviewer) | Q(room=room)):
            if not _periods_meet(valid_from, valid_until, other.valid_from, other.valid_until):
                continue
            if other.interviewer_id == interviewer.pk:
                errors["start_time"].append(
                    _("This overlaps your availability %(period)s in %(room)s.")
                    % {"period": str(other), "room": other.room.name}
                )
            else:
                errors["room"].append(
                    _("%(room)s is already used by another interviewer at this time (%(period)s).")
                    % {"room": room.name, "period": str(other)}
                )
            break
    if errors:
        raise ValidationError(dict(errors))
    pattern = AvailabilityPattern.objects.create(
        interviewer=interviewer,
        room=room,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    audit_log(
        action=Action.CREATE,
        actor=by,
        request=request,
        obj=pattern,
        changed_fields=[
            "interviewer",
            "room",
            "weekday",
            "start_time",
            "end_time",
            "valid_from",
            "valid_until",
        ],
    )
    return pattern


@dataclass
class Withdrawal:
    withdrawn: int = 0
    to_move: int = 0


@transaction.atomic
def pattern_end(
    *, pattern: AvailabilityPattern, first_day_without: dt.date, by: User | None, request=None
) -> Withdrawal:
    """Stop a weekly period from `first_day_without` on (a period that had not started yet is
    removed). Free slots it no longer covers are withdrawn; booked ones are left to be moved."""
    first_day_without = max(first_day_without, timezone.localdate())
    _lock_users([pattern.interviewer_id])
    pattern = AvailabilityPattern.objects.select_for_update().get(pk=pattern.pk)
    if pattern.valid_until is not None and pattern.valid_until < first_day_without:
        raise ValidationError({"first_day_without": _("This period already ends before that day.")})
    if first_day_without <= pattern.valid_from:
        pk = pattern.pk
        pattern.delete()
        pattern.pk = pk
        audit_log(action=Action.DELETE, actor=by, request=request, obj=pattern)
    else:
        pattern.valid_until = first_day_without - dt.timedelta(days=1)
        pattern.save(update_fields=["valid_until"])
        audit_log(
            action=Action.UPDATE,
            actor=by,
            request=request,
            obj=pattern,
            changed_fields=["valid_until"],
        )
    # The interviewer's future slots in this room from that day which no period covers any more.
    candidates = Slot.objects.filter(
        interviewer_id=pattern.interviewer_id,
        room_id=pattern.room_id,
        withdrawn=False,
        starts_at__gte=local_start_of(first_day_without),
    ).values_list("pk", "starts_at", "ends_at", "room_id")
    remaining = list(AvailabilityPattern.objects.filter(interviewer_id=pattern.interviewer_id))
    uncovered = [
        pk
        for pk, starts_at, ends_at, room_id in candidates
        if _fits(pattern, starts_at, ends_at, room_id, check_validity=False)
        and not any(_fits(p, starts_at, ends_at, room_id) for p in remaining)
    ]
    return _withdraw(Slot.objects.filter(pk__in=uncovered))


def _fits(
    pattern: AvailabilityPattern,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    room_id: int,
    *,
    check_validity: bool = True,
) -> bool:
    start, end = _local(starts_at), _local(ends_at)
    day = start.date()
    if pattern.room_id != room_id or pattern.weekday != day.weekday() or end.date() != day:
        return False
    if check_validity and (
        day < pattern.valid_from or (pattern.valid_until and day > pattern.valid_until)
    ):
        return False
    return pattern.start_time <= start.time() and end.time() <= pattern.end_time


class DayOffKind:
    LEAVE = "leave"
    ROOM = "room"
    EVERYONE = "everyone"


@transaction.atomic
def day_off_add(
    *,
    date: dt.date,
    reason: str,
    interviewer: User | None = None,
    room: Room | None = None,
    by: User | None,
    request=None,
) -> tuple[AvailabilityException, Withdrawal]:
    """A day without interviews: a public holiday (no interviewer, no room), an interviewer's
    leave, or a room out of use. Free slots that day are withdrawn; booked ones are left to be
    moved by whoever books."""
    reason = (reason or "").strip()
    errors = {}
    if date < timezone.localdate():
        errors["date"] = _("This day has already passed.")
    if len(reason) < 3:
        errors["reason"] = _("Give the reason, in a few words.")
    if interviewer is not None and room is not None:
        errors["room"] = _("A day off is for one interviewer, one room, or everyone.")
    if errors:
        raise ValidationError(errors)
    day_off = AvailabilityException.objects.create(
        date=date, interviewer=interviewer, room=room, reason=reason[:200]
    )
    audit_log(
        action=Action.CREATE,
        actor=by,
        request=request,
        obj=day_off,
        changed_fields=["date", "interviewer", "room", "reason"],
    )
    slots = Slot.objects.filter(
        starts_at__gte=local_start_of(date),
        starts_at__lt=local_start_of(date + dt.timedelta(days=1)),
    )
    if interviewer is not None:
        slots = slots.filter(interviewer=interviewer)
    if room is not None:
        slots = slots.filter(room=room)
    return day_off, _withdraw(slots)


@transaction.atomic
def day_off_remove(*, day_off: AvailabilityException, by: User | None, request=None) -> None:
    """Remove a day without interviews; the next publication offers that day's times again."""
    pk = day_off.pk
    day_off.delete()
    day_off.pk = pk
    audit_log(action=Action.DELETE, actor=by, request=request, obj=day_off)


def _withdraw(slots: QuerySet) -> Withdrawal:
    """Withdraw the free future slots among `slots`; count the booked ones, left to be moved.

    The slots' rows are locked first, so a booking in progress either finishes first (and its
    slot stays) or sees the slot withdrawn (interviews.services._claim refuses it)."""
    future = slots.filter(withdrawn=False, starts_at__gt=timezone.now())
    locked = list(future.select_for_update().values_list("pk", flat=True))
    if not locked:
        return Withdrawal()
    booked = live_bookings().filter(slot=OuterRef("pk"))
    withdrawn = Slot.objects.filter(pk__in=locked).exclude(Exists(booked)).update(withdrawn=True)
    return Withdrawal(withdrawn=withdrawn, to_move=len(locked) - withdrawn)


# --- Publishing slots -------------------------------------------------------------------------


@dataclass
class _Busy:
    """What is already taken, per (interviewer or room, day): to check overlaps in memory."""

    by_interviewer: dict = field(default_factory=lambda: defaultdict(list))
    by_room: dict = field(default_factory=lambda: defaultdict(list))

    def add(self, day, interviewer_id, room_id, starts_at, ends_at) -> None:
        self.by_interviewer[(interviewer_id, day)].append((starts_at, ends_at))
        self.by_room[(room_id, day)].append((starts_at, ends_at))

    def clashes(self, day, interviewer_id, room_id, starts_at, ends_at) -> bool:
        return any(
            start < ends_at and starts_at < end
            for start, end in (
                *self.by_interviewer.get((interviewer_id, day), ()),
                *self.by_room.get((room_id, day), ()),
            )
        )


@dataclass
class _DaysOff:
    everyone: set = field(default_factory=set)
    interviewers: set = field(default_factory=set)
    rooms: set = field(default_factory=set)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple]) -> "_DaysOff":
        """From (date, interviewer id, room id) rows: neither id is a day off for everyone."""
        days_off = cls()
        for date, interviewer_id, room_id in rows:
            if interviewer_id is None and room_id is None:
                days_off.everyone.add(date)
            if interviewer_id is not None:
                days_off.interviewers.add((interviewer_id, date))
            if room_id is not None:
                days_off.rooms.add((room_id, date))
        return days_off

    def blocks(self, day, interviewer_id, room_id) -> bool:
        return (
            day in self.everyone
            or (interviewer_id, day) in self.interviewers
            or (room_id, day) in self.rooms
        )


def _candidates(patterns, start: dt.date, end: dt.date, minutes: int, zone):
    """(day, interviewer id, room id, starts_at, ends_at) for every slot the patterns give."""
    length = dt.timedelta(minutes=minutes)
    for pattern in patterns:
        first = max(start, pattern.valid_from)
        last = min(end, pattern.valid_until) if pattern.valid_until else end
        first += dt.timedelta(days=(pattern.weekday - first.weekday()) % 7)
        day = first
        while day <= last:
            moment = dt.datetime.combine(day, pattern.start_time)
            closing = dt.datetime.combine(day, pattern.end_time)
            while moment + length <= closing:
                starts_at = timezone.make_aware(moment, zone)
                yield day, pattern.interviewer_id, pattern.room_id, starts_at, starts_at + length
                moment += length
            day += dt.timedelta(days=7)


def _publish(
    interviewer_ids: Iterable[int], start: dt.date, end: dt.date, *, by=None, request=None
) -> int:
    """Publish the slots the weekly patterns give from `start` to `end` (both included) for these
    interviewers. Idempotent; never two overlapping slots for one interviewer or one room."""
    if end < start:
        return 0
    minutes = policy_current().slot_minutes
    now = timezone.now()
    zone = timezone.get_current_timezone()
    with transaction.atomic():
        interviewers = set(_lock_users(interviewer_ids, active_only=True))
        if not interviewers:
            return 0
        patterns = list(
            AvailabilityPattern.objects.filter(
                interviewer_id__in=interviewers, valid_from__lte=end
            ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
        )
        rooms = {
            pk for pk, room in _lock_rooms({p.room_id for p in patterns}).items() if room.active
        }
        if not rooms:
            return 0
        days_off = _DaysOff.from_rows(
            AvailabilityException.objects.filter(date__gte=start, date__lte=end)
            .filter(
                Q(interviewer__isnull=True, room__isnull=True)
                | Q(interviewer_id__in=interviewers)
                | Q(room_id__in=rooms)
            )
            .values_list("date", "interviewer_id", "room_id")
        )
        # Every slot these interviewers or rooms hold in the window, taken or withdrawn.
        window = (local_start_of(start), local_start_of(end + dt.timedelta(days=1)))
        existing = list(
            Slot.objects.filter(starts_at__lt=window[1], ends_at__gt=window[0])
            .filter(Q(interviewer_id__in=interviewers) | Q(room_id__in=rooms))
            .values_list("pk", "interviewer_id", "room_id", "starts_at", "ends_at", "withdrawn")
        )
        busy = _Busy()
        withdrawn_at: dict[tuple, dict] = {}  # (interviewer, start) -> withdrawn slot
        room_withdrawn_at: dict[tuple, dict] = {}  # (room, start) -> withdrawn slot
        for pk, interviewer_id, room_id, starts_at, ends_at, withdrawn in existing:
            if withdrawn:
                slot = {"pk": pk, "interviewer_id": interviewer_id, "room_id": room_id}
                withdrawn_at[(interviewer_id, starts_at)] = slot
                room_withdrawn_at[(room_id, starts_at)] = slot
            else:
                busy.add(
                    starts_at.astimezone(zone).date(), interviewer_id, room_id, starts_at, ends_at
                )
        referenced = set(
            Interview.objects.filter(
                slot_id__in=[slot["pk"] for slot in withdrawn_at.values()]
            ).values_list("slot_id", flat=True)
        )
        new: list[tuple] = []  # (interviewer id, room id, starts_at, ends_at)
        offered_again: list[Slot] = []
        cleared: list[int] = []
        for day, interviewer_id, room_id, starts_at, ends_at in _candidates(
            patterns, start, end, minutes, zone
        ):
            if starts_at <= now or room_id not in rooms:
                continue
            if days_off.blocks(day, interviewer_id, room_id):
                continue
            if busy.clashes(day, interviewer_id, room_id, starts_at, ends_at):
                continue
            own = withdrawn_at.get((interviewer_id, starts_at))
            in_room = room_withdrawn_at.get((room_id, starts_at))
            if in_room is not None and in_room is not own:
                # Another withdrawn slot holds this room at this time: drop it if nobody was
                # ever booked in it; otherwise it stays, and this time is not offered.
                if in_room["pk"] in referenced:
                    continue
                cleared.append(in_room["pk"])
                room_withdrawn_at.pop((room_id, starts_at))
                withdrawn_at.pop((in_room["interviewer_id"], starts_at), None)
            if own is not None:
                # The same time was withdrawn earlier (a day off since removed): offer it again.
                withdrawn_at.pop((interviewer_id, starts_at))
                room_withdrawn_at.pop((own["room_id"], starts_at), None)
                offered_again.append(
                    Slot(
                        pk=own["pk"],
                        interviewer_id=interviewer_id,
                        room_id=room_id,
                        ends_at=ends_at,
                        withdrawn=False,
                    )
                )
            else:
                new.append((interviewer_id, room_id, starts_at, ends_at))
            busy.add(day, interviewer_id, room_id, starts_at, ends_at)
        if cleared:
            Slot.objects.filter(pk__in=cleared, withdrawn=True).delete()
        if offered_again:
            Slot.objects.bulk_update(
                offered_again, ["room", "ends_at", "withdrawn"], batch_size=500
            )
        _slots_insert(new)
        published: dict[int, int] = defaultdict(int)
        for interviewer_id, *_rest in new:
            published[interviewer_id] += 1
        for slot in offered_again:
            published[slot.interviewer_id] += 1
        for interviewer_id, count in sorted(published.items()):
            audit_log(
                action=Action.CREATE,
                actor=by,
                request=request,
                object_type="interviews.slot",
                username=SYSTEM,
                detail=f"{count} slots published for staff user {interviewer_id}",
            )
    return len(new) + len(offered_again)


def _slots_insert(rows: list[tuple]) -> None:
    """Insert (interviewer id, room id, starts_at, ends_at) rows in one statement.

    bulk_create prepares every value through the model's fields and took most of a second for
    8,000 slots (50 interviewers, 8 weeks); PostgreSQL takes the columns as five arrays, SQLite
    an executemany, both a small fraction of that."""
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(Slot._meta.db_table)
    columns = ", ".join(
        ops.quote_name(c)
        for c in ("interviewer_id", "room_id", "starts_at", "ends_at", "withdrawn")
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            interviewers, rooms, starts, ends = (list(column) for column in zip(*rows, strict=True))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT *, false FROM unnest("  # noqa: S608  # nosec B608: names from the model, values bound
                "%s::bigint[], %s::bigint[], %s::timestamptz[], %s::timestamptz[])",
                [interviewers, rooms, starts, ends],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608  # nosec B608: names from the model, values bound
                [
                    (
                        i,
                        r,
                        ops.adapt_datetimefield_value(s),
                        ops.adapt_datetimefield_value(e),
                        False,
                    )
                    for i, r, s, e in rows
                ],
            )


def slots_publish(
    *, interviewer: User, start: dt.date, end: dt.date, by: User | None = None, request=None
) -> int:
    """Publish the interviewer's slots from `start` to `end` (both included); returns how many
    were created (or offered again). Running it twice creates nothing new."""
    return _publish([interviewer.pk], start, end, by=by, request=request)


def slots_publish_ahead(*, weeks: int = 8, today: dt.date | None = None) -> int:
    """Publish `weeks` weeks of slots for every active interviewer with a profile: the daily
    scheduling task calls this first."""
    today = today or timezone.localdate()
    interviewers = InterviewerProfile.objects.filter(user__is_active=True).values_list(
        "user_id", flat=True
    )
    return _publish(list(interviewers), today, today + dt.timedelta(weeks=weeks, days=-1))


# --- Reading: the availability page -----------------------------------------------------------


@dataclass
class AvailabilityOverview:
    patterns: list
    days_off: list
    slots: list
    to_move: list


def availability_overview(interviewer: User, *, weeks: int = 4) -> AvailabilityOverview:
    """The interviewer's weekly periods, the days without interviews that concern them, their
    published slots of the coming weeks, and booked appointments no availability covers any
    more (to be moved). A fixed number of queries."""
    today = timezone.localdate()
    now = timezone.now()
    patterns = list(
        AvailabilityPattern.objects.filter(interviewer=interviewer)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("room")
    )
    room_ids = {p.room_id for p in patterns}
    days_off = list(
        AvailabilityException.objects.filter(date__gte=today)
        .filter(
            Q(interviewer__isnull=True, room__isnull=True)
            | Q(interviewer=interviewer)
            | Q(room_id__in=room_ids)
        )
        .select_related("room")
        .order_by("date", "id")
    )
    until = local_start_of(today + dt.timedelta(weeks=weeks))
    slots = list(
        Slot.objects.filter(
            interviewer=interviewer, withdrawn=False, starts_at__gt=now, starts_at__lt=until
        )
        .select_related("room")
        .prefetch_related(
            Prefetch("interviews", queryset=live_bookings().only("pk", "slot_id"), to_attr="live")
        )
    )
    booked = list(
        live_bookings()
        .filter(interviewer=interviewer, starts_at__gt=now)
        .select_related("room", "slot", "worker")
        .order_by("starts_at", "pk")
    )
    booked_rooms = {i.room_id for i in booked} - room_ids
    room_days_off = (
        list(AvailabilityException.objects.filter(date__gte=today, room_id__in=booked_rooms))
        if booked_rooms
        else []
    )
    all_patterns = list(AvailabilityPattern.objects.filter(interviewer=interviewer))
    blocking = _DaysOff.from_rows(
        (row.date, row.interviewer_id, row.room_id) for row in days_off + room_days_off
    )
    to_move = [
        interview
        for interview in booked
        if (interview.slot is not None and interview.slot.withdrawn)
        or (interview.room is not None and not interview.room.active)
        or blocking.blocks(_local(interview.starts_at).date(), interviewer.pk, interview.room_id)
        or not any(
            _fits(
                p, interview.starts_at, interview.ends_at or interview.starts_at, interview.room_id
            )
            for p in all_patterns
        )
    ]
    return AvailabilityOverview(patterns=patterns, days_off=days_off, slots=slots, to_move=to_move)


# --- Reading: calendars -----------------------------------------------------------------------


def calendar_slots(
    *, start: dt.date, end: dt.date, interviewer: User | None = None, room: Room | None = None
) -> list[Slot]:
    """Slots from `start` to `end` (both included) of one interviewer or one room: the free ones
    offered and the booked ones, each with its live interview (or None) in `booking`. Three
    queries whatever the number of slots."""
    booked = live_bookings().filter(slot=OuterRef("pk"))
    slots = (
        Slot.objects.filter(
            starts_at__gte=local_start_of(start),
            starts_at__lt=local_start_of(end + dt.timedelta(days=1)),
        )
        .filter(Q(withdrawn=False) | Exists(booked))
        .select_related("room", "interviewer")
        .prefetch_related(
            Prefetch(
                "interviews",
                queryset=live_bookings().select_related("worker", "interpreter"),
                to_attr="live",
            )
        )
        .order_by("starts_at", "pk")
    )
    if interviewer is not None:
        slots = slots.filter(interviewer=interviewer)
    if room is not None:
        slots = slots.filter(room=room)
    slots = list(slots)
    for slot in slots:
        slot.booking = slot.live[0] if slot.live else None
    return slots


def calendar_days_off(
    *, start: dt.date, end: dt.date, interviewer: User | None = None, room: Room | None = None
) -> dict[dt.date, list[AvailabilityException]]:
    rows = AvailabilityException.objects.filter(date__gte=start, date__lte=end)
    concerns = Q(interviewer__isnull=True, room__isnull=True)
    if interviewer is not None:
        concerns |= Q(interviewer=interviewer)
    if room is not None:
        concerns |= Q(room=room)
    by_day: dict[dt.date, list] = defaultdict(list)
    for row in rows.filter(concerns).order_by("date", "id"):
        by_day[row.date].append(row)
    return by_day


# --- The iCalendar feed -----------------------------------------------------------------------


def profile_by_token(token: str) -> InterviewerProfile | None:
    if not token or len(token) > 64:
        return None
    return InterviewerProfile.objects.filter(calendar_token=token, user__is_active=True).first()


def interviewer_feed(profile: InterviewerProfile) -> bytes:
    """The interviewer's appointments from 30 days ago on, as iCalendar. A calendar application
    or a phone may keep or sync it anywhere, so it holds no worker's name, phone or anything
    personal: only a reference to the interview, the place, the language and the interpreter's
    mode."""
    since = timezone.now() - dt.timedelta(days=FEED_DAYS_BACK)
    interviews = (
        Interview.objects.filter(
            interviewer_id=profile.user_id, status__in=FEED_STATUSES, starts_at__gte=since
        )
        .select_related("room", "interpreter")
        .only(
            "pk",
            "starts_at",
            "ends_at",
            "language",
            "status",
            "updated_at",
            "room__location",
            "interpreter__mode",
        )
        .order_by("starts_at", "pk")
    )
    domain = urlsplit(settings.HESTIA_PUBLIC_URL).hostname or "hestia"
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Hestia//Interview calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Hestia")
    stamp = timezone.now()
    for interview in interviews:
        event = icalendar.Event()
        event.add("uid", f"hestia-interview-{interview.pk}@{domain}")
        event.add("dtstamp", stamp)
        event.add("last-modified", interview.updated_at)
        event.add("dtstart", interview.starts_at)
        event.add(
            "dtend",
            interview.ends_at or interview.starts_at + dt.timedelta(minutes=45),
        )
        event.add("summary", f"Hestia interview #{interview.pk}")
        if interview.room is not None:
            event.add("location", interview.room.location)
        interpreter = (
            interview.interpreter.get_mode_display() if interview.interpreter else _("none")
        )
        event.add(
            "description",
            _("Language: %(language)s. Interpreter: %(interpreter)s.")
            % {"language": interview.language or "—", "interpreter": interpreter},
        )
        # An invitation the worker has not confirmed yet is tentative.
        tentative = interview.status == Interview.Status.INVITED
        event.add("status", "TENTATIVE" if tentative else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()

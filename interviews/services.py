"""Writes for interviews: booking, moving and cancelling appointments, and raising concerns.

Every function runs in a transaction and writes the audit log. Booking locks the slot, the
interview and the interpreter rows (SELECT ... FOR UPDATE on PostgreSQL) and the database's
partial unique constraint backs it up, so two requests for one slot can never both win.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.roles import Role
from accounts.services import audit_log
from interviews.links import link_for
from interviews.models import (
    RENEWAL_KINDS,
    Concern,
    Interpreter,
    Interview,
    InterviewerProfile,
    InterviewKind,
    InterviewPolicy,
    Slot,
)
from notifications.models import Kind
from notifications.services import notify

Action = AuditEntry.Action
SYSTEM = "system"

# The worker's languages good enough to be heard in, best first.
SPOKEN_LEVELS = ("native", "fluent", "working")


class BookingError(ValidationError):
    """The booking cannot be made; the message says why, in the user's language."""


def policy_current() -> InterviewPolicy:
    policy = InterviewPolicy.objects.order_by("pk").first()
    if policy is None:
        policy = InterviewPolicy.objects.create(reminder_hours=[72, 24])
    return policy


def worker_languages(worker) -> list[str]:
    """Languages the worker can be interviewed in without help, best first."""
    order = {level: rank for rank, level in enumerate(SPOKEN_LEVELS)}
    spoken = sorted(
        (entry for entry in worker.languages.all() if entry.level in order),
        key=lambda entry: order[entry.level],
    )
    codes = [worker.preferred_language, *(entry.language for entry in spoken)]
    if worker.host_language_level in SPOKEN_LEVELS:
        codes.append(settings.HESTIA_HOST_LANGUAGE)
    seen: list[str] = []
    for code in codes:
        code = (code or "").strip().lower()
        if code and code not in seen:
            seen.append(code)
    return seen


def interviewer_languages(user) -> list[str]:
    profile = InterviewerProfile.objects.filter(user=user).first()
    return [code.lower() for code in (profile.languages if profile else [])]


def live_bookings() -> QuerySet:
    return Interview.objects.filter(status__in=Interview.BOOKED_STATUSES)


def _clashes_with_slot() -> QuerySet:
    """Live bookings overlapping the outer slot's time."""
    return live_bookings().filter(
        starts_at__lt=OuterRef("ends_at"), ends_at__gt=OuterRef("starts_at")
    )


def free_slots(*, after: dt.datetime | None = None, before: dt.datetime | None = None) -> QuerySet:
    """Slots nobody holds, not withdrawn, starting after `after` (now by default), whose
    interviewer and room have no other appointment at that time (slots may overlap)."""
    after = after or timezone.now()
    taken = live_bookings().filter(slot=OuterRef("pk"))
    interviewer_busy = _clashes_with_slot().filter(interviewer=OuterRef("interviewer"))
    room_busy = _clashes_with_slot().filter(room=OuterRef("room"))
    slots = (
        Slot.objects.filter(withdrawn=False, starts_at__gt=after)
        .exclude(Exists(taken))
        .exclude(Exists(interviewer_busy))
        .exclude(Exists(room_busy))
    )
    if before is not None:
        slots = slots.filter(starts_at__lt=before)
    return slots.select_related("room", "interviewer").order_by("starts_at", "pk")


def interpreter_is_free(interpreter: Interpreter, starts_at, ends_at, *, exclude=None) -> bool:
    clash = live_bookings().filter(
        interpreter=interpreter, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    return not clash.exists()


def interpreters_for(language: str) -> list[Interpreter]:
    """Independent, available interpreters for `language` (JSON lists cannot be filtered
    portably, and there are few interpreters)."""
    return [
        interpreter
        for interpreter in Interpreter.objects.filter(active=True, independent=True)
        if language in [code.lower() for code in interpreter.languages]
    ]


def slot_proposal(
    languages: list[str],
    *,
    after: dt.datetime | None = None,
    before: dt.datetime | None = None,
    profiles: dict | None = None,
    limit: int = 500,
) -> tuple[Slot, str, Interpreter | None] | None:
    """The earliest free slot whose interviewer speaks one of `languages`, or that an
    independent interpreter for the worker's first language can join. Returns the slot, the
    language and the interpreter (None when the interviewer speaks it)."""
    if not languages:
        return None
    if profiles is None:
        profiles = {
            p.user_id: [c.lower() for c in p.languages] for p in InterviewerProfile.objects.all()
        }
    interpreters = {code: interpreters_for(code) for code in languages[:1]}
    for slot in free_slots(after=after, before=before)[:limit]:
        spoken = profiles.get(slot.interviewer_id, [])
        for code in languages:
            if code in spoken:
                return slot, code, None
        for code, candidates in interpreters.items():
            for interpreter in candidates:
                if interpreter_is_free(interpreter, slot.starts_at, slot.ends_at):
                    return slot, code, interpreter
    return None


def _notify_appointment(interview: Interview, kind: str, *, by=None) -> None:
    policy = policy_current()
    context = {"link": link_for(interview, valid_days=policy.link_valid_days)}
    if kind != Kind.CANCELLED:
        context["place"] = interview.room.location if interview.room else ""
    if interview.starts_at:
        context["date"] = interview.starts_at
    notify(interview.worker, kind, context, by=by)


def _lock_interview(interview: Interview) -> Interview:
    return Interview.objects.select_for_update().get(pk=interview.pk)


def _claim(
    interview: Interview, slot: Slot, interpreter: Interpreter | None, language: str
) -> None:
    """Point `interview` at `slot` once nobody else holds it; the caller holds the locks.

    Locks the slot with its room and interviewer rows, so bookings of one interviewer, one room
    or one interpreter are made one at a time and each sees the others' committed appointments
    (slots of one interviewer or room may overlap: the time check covers that). NO KEY UPDATE
    locks leave inserts that merely refer to these rows (audit entries) unblocked."""
    slot = (
        Slot.objects.select_for_update(no_key=True)
        .select_related("room", "interviewer")
        .get(pk=slot.pk)
    )
    if slot.withdrawn:
        raise BookingError(_("This time is no longer offered. Choose another."))
    if slot.starts_at <= timezone.now():
        raise BookingError(_("This time has already passed. Choose another."))
    others = live_bookings().exclude(pk=interview.pk)
    if others.filter(slot=slot).exists():
        raise BookingError(_("Someone has just booked this time. Choose another."))
    overlapping = others.filter(starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at)
    if overlapping.filter(interviewer_id=slot.interviewer_id).exists():
        raise BookingError(
            _("The interviewer already has an appointment at this time. Choose another.")
        )
    if overlapping.filter(room_id=slot.room_id).exists():
        raise BookingError(_("The room is already taken at this time. Choose another."))
    if interpreter is not None:
        interpreter = Interpreter.objects.select_for_update(no_key=True).get(pk=interpreter.pk)
        if not (interpreter.active and interpreter.independent):
            raise BookingError(_("This interpreter cannot be booked."))
        if not interpreter_is_free(interpreter, slot.starts_at, slot.ends_at, exclude=interview):
            raise BookingError(_("The interpreter is already booked at this time."))
    interview.slot = slot
    interview.interviewer_id = slot.interviewer_id
    interview.room = slot.room
    interview.starts_at = slot.starts_at
    interview.ends_at = slot.ends_at
    interview.interpreter = interpreter
    interview.language = language or interview.language


def _save_booking(interview: Interview) -> None:
    try:
        with transaction.atomic():
            interview.save()
    except IntegrityError:
        # The partial unique constraint: another transaction took the slot first.
        raise BookingError(_("Someone has just booked this time. Choose another.")) from None


@transaction.atomic
def interview_book(
    *,
    interview: Interview,
    slot: Slot,
    language: str = "",
    interpreter: Interpreter | None = None,
    by: User | None = None,
    request=None,
) -> Interview:
    """Book a due interview into a free slot and invite the worker."""
    interview = _lock_interview(interview)
    if interview.status != Interview.Status.DUE:
        raise BookingError(_("This interview is already booked or closed."))
    _claim(interview, slot, interpreter, language)
    interview.status = Interview.Status.INVITED
    interview.invited_at = timezone.now()
    interview.reminders_sent = []
    fields = [
        "slot",
        "interviewer",
        "room",
        "starts_at",
        "ends_at",
        "interpreter",
        "language",
        "status",
        "invited_at",
    ]
    _save_booking(interview)
    audit_log(
        action=Action.UPDATE,
        actor=by,
        request=request,
        obj=interview,
        changed_fields=fields,
        username=SYSTEM,
        detail="booked",
    )
    _notify_appointment(interview, Kind.INTERVIEW_INVITATION, by=by)
    return interview


@transaction.atomic
def interview_move(
    *,
    interview: Interview,
    slot: Slot,
    language: str = "",
    interpreter: Interpreter | None = None,
    by: User | None,
    request=None,
) -> Interview:
    """Move a booked appointment to another slot; the worker is told the new time."""
    interview = _lock_interview(interview)
    if interview.status not in Interview.BOOKED_STATUSES:
        raise BookingError(_("Only a booked appointment can be moved."))
    if slot.pk == interview.slot_id and interpreter == interview.interpreter:
        raise BookingError(_("The appointment is already at this time."))
    _claim(interview, slot, interpreter, language)
    interview.status = Interview.Status.INVITED
    interview.confirmed_at = None
    interview.move_requested_at = None
    interview.reminders_sent = []
    fields = [
        "slot",
        "interviewer",
        "room",
        "starts_at",
        "ends_at",
        "interpreter",
        "language",
        "status",
        "confirmed_at",
        "move_requested_at",
    ]
    _save_booking(interview)
    audit_log(
        action=Action.UPDATE,
        actor=by,
        request=request,
        obj=interview,
        changed_fields=fields,
        username=SYSTEM,
        detail="moved",
    )
    _notify_appointment(interview, Kind.MOVED, by=by)
    return interview


def _reason_checked(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise ValidationError({"reason": _("Give the reason, in a few words.")})
    return reason


@transaction.atomic
def interview_cancel(
    *, interview: Interview, reason: str, by: User | None, request=None
) -> Interview:
    """Cancel an open interview with a reason; a worker who had an appointment is told."""
    reason = _reason_checked(reason)
    interview = _lock_interview(interview)
    if not interview.is_open:
        raise BookingError(_("This interview is already closed."))
    had_appointment = interview.status in Interview.BOOKED_STATUSES
    interview.status = Interview.Status.CANCELLED
    interview.cancel_reason = reason[:300]
    interview.save()
    audit_log(
        action=Action.UPDATE,
        actor=by,
        request=request,
        obj=interview,
        changed_fields=["status", "cancel_reason"],
        username=SYSTEM,
        detail="cancelled",
    )
    if had_appointment:
        _notify_appointment(interview, Kind.CANCELLED, by=by)
    return interview


# Kinds an officer creates by hand; first renewals come from the scheduler only.
HAND_MADE_KINDS = (
    InterviewKind.REGISTRATION,
    InterviewKind.FOLLOW_UP,
    InterviewKind.EXIT,
    InterviewKind.ANNUAL,
)
# An interview made by hand with no due date is due this many days later.
HAND_MADE_DUE_DAYS = 30


@transaction.atomic
def interview_create(
    *,
    worker,
    kind: str,
    card=None,
    employment=None,
    due_on: dt.date | None = None,
    language: str = "",
    by: User | None,
    request=None,
) -> Interview:
    """An interview an officer creates by hand (recommendations 36 and 37): a registration,
    follow-up or exit interview, or the annual interview for one of the worker's cards. It is
    due, not booked: booking is interview_book."""
    if kind not in HAND_MADE_KINDS:
        raise ValidationError({"kind": _("Choose the kind of interview.")})
    if card is not None and card.worker_id != worker.pk:
        raise ValidationError({"card": _("This card is not the worker's.")})
    if employment is not None and employment.worker_id != worker.pk:
        raise ValidationError({"employment": _("This contract is not the worker's.")})
    today = timezone.localdate()
    if due_on is not None and due_on < today:
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    window_opens_on = today
    if kind == InterviewKind.ANNUAL:
        if card is None:
            raise ValidationError(
                {"card": _("Choose the card whose renewal this interview is for.")}
            )
        policy = policy_current()
        window_opens_on = card.expiry_date - dt.timedelta(days=policy.window_opens_days)
        due_on = due_on or max(today, card.expiry_date - dt.timedelta(days=policy.due_days))
        employment = employment or card.employment
    due_on = due_on or today + dt.timedelta(days=HAND_MADE_DUE_DAYS)
    window_opens_on = min(window_opens_on, due_on)
    languages = worker_languages(worker)
    interview = Interview(
        worker=worker,
        employment=employment,
        card=card,
        kind=kind,
        window_opens_on=window_opens_on,
        due_on=due_on,
        language=(language or (languages[0] if languages else "")).strip().lower(),
        created_by=by,
    )
    open_renewal = _("This card already has an open annual interview.")
    if (
        kind == InterviewKind.ANNUAL
        and Interview.objects.filter(
            card=card, kind__in=RENEWAL_KINDS, status__in=Interview.OPEN_STATUSES
        ).exists()
    ):
        raise ValidationError({"card": open_renewal})
    try:
        with transaction.atomic():
            interview.save()
    except IntegrityError:
        # The partial unique constraint: the scheduler made one for this card meanwhile.
        raise ValidationError({"card": open_renewal}) from None
    audit_log(
        action=Action.CREATE,
        actor=by,
        request=request,
        obj=interview,
        changed_fields=[
            "worker",
            "employment",
            "card",
            "kind",
            "window_opens_on",
            "due_on",
            "language",
        ],
        username=SYSTEM,
        detail="created by hand",
    )
    return interview


# --- Concerns ---------------------------------------------------------------------------------


@transaction.atomic
def concern_open(
    *,
    worker,
    source: str,
    severity: str,
    summary: str,
    details: str = "",
    record=None,
    interview: Interview | None = None,
    indicators=(),
    owner: User | None = None,
    due_on: dt.date | None = None,
    by: User | None = None,
    request=None,
) -> Concern:
    """Raise a concern about a worker. An urgent one alerts every supervisor at once. Nothing
    about a concern is ever sent to the worker's employer or mission, nor to the worker."""
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Say in a few words what the concern is.")})
    if severity not in Concern.Severity.values:
        raise ValidationError({"severity": _("Choose a severity.")})
    if due_on is None:
        days = {"urgent": 1, "high": 7, "medium": 14, "low": 30}[severity]
        due_on = timezone.localdate() + dt.timedelta(days=days)
    concern = Concern.objects.create(
        worker=worker,
        source=source,
        severity=severity,
        summary=summary[:200],
        details=details,
        record=record,
        interview=interview,
        indicators=sorted(set(indicators)),
        owner=owner,
        due_on=due_on,
        opened_by=by,
    )
    audit_log(
        action=Action.CREATE,
        actor=by,
        request=request,
        obj=concern,
        changed_fields=[
            "worker",
            "source",
            "severity",
            "summary",
            "details",
            "indicators",
            "owner",
            "due_on",
        ],
        username=SYSTEM,
    )
    if severity == Concern.Severity.URGENT:
        supervisors_alert(concern)
    return concern


def supervisors_alert(concern: Concern) -> None:
    """E-mail every active supervisor once the concern is saved. The e-mail holds only a link:
    what the worker said stays in Hestia, behind a login."""
    from accounts.tasks import email_send

    recipients = sorted(
        User.objects.filter(is_active=True, groups__name=str(Role.SUPERVISOR))
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return
    url = settings.HESTIA_PUBLIC_URL + reverse("interviews:concern-detail", args=[concern.pk])
    subject = _("Hestia: an urgent concern needs a supervisor")
    body = _(
        "An urgent concern was raised at %(time)s and needs a supervisor today.\n\n"
        "Open it in Hestia: %(url)s\n\n"
        "This message holds no details on purpose."
    ) % {"time": timezone.localtime(concern.opened_at).strftime("%Y-%m-%d %H:%M"), "url": url}

    def send() -> None:
        # One e-mail each: no supervisor sees the others' addresses, and one bad address or
        # one failure does not keep the alert from the rest.
        # robust: a mail outage must not undo the concern; it is on every supervisor's list.
        for recipient in recipients:
            try:
                email_send.delay(subject=subject, body=body, to=[recipient])
            except Exception:
                logging.getLogger(__name__).exception("Could not queue the urgent-concern alert.")

    transaction.on_commit(send)


def open_concerns(worker) -> QuerySet:
    return Concern.objects.filter(worker=worker, status__in=Concern.OPEN_STATUSES)


def has_open_urgent_concern(worker) -> bool:
    return open_concerns(worker).filter(severity=Concern.Severity.URGENT).exists()


def interviews_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Interviews this user may see: officers and supervisors all, interviewers their own."""
    queryset = queryset if queryset is not None else Interview.objects.all()
    if user.has_perm("interviews.book_interview") or user.has_perm("interviews.view_all_concerns"):
        return queryset
    return queryset.filter(Q(interviewer=user))

"""Concerns after they are raised, referrals and the organisations referred to (recommendation
37: prevention of abuse inside the ministry; DESIGN.md "Concern / referral").

A concern goes open -> in_progress -> referred -> closed(reason); a supervisor may reopen it.
Raising one is interviews.services.concern_open. Every write here locks the concern's row,
runs in a transaction and writes the audit log with field names only. Nothing about a concern
is ever sent to the worker, the employer or the mission: no function here calls notify().
"""

import datetime as dt

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.services import audit_log
from interviews.models import Concern, ConcernAction, Interview, Organisation, Referral
from interviews.services import supervisors_alert

Action = AuditEntry.Action
Status = Concern.Status

# Referrals the organisation has not turned down or finished: the concern is with them.
LIVE_REFERRAL_STATUSES = (Referral.Status.SENT, Referral.Status.ACCEPTED)
# The answers an organisation gives, and which answers may follow which.
RESPONSE_STATUSES = (Referral.Status.ACCEPTED, Referral.Status.DECLINED, Referral.Status.COMPLETED)
RESPONSE_FOLLOWS = {
    Referral.Status.SENT: set(RESPONSE_STATUSES),
    Referral.Status.ACCEPTED: {Referral.Status.DECLINED, Referral.Status.COMPLETED},
}
REOPEN_REASON_LENGTH = 100  # kept in the concern's history (history_change_reason)

# Used when an owner is not being changed (None means "nobody").
KEEP = object()


# --- Who sees what ------------------------------------------------------------------------------


def is_concern_supervisor(user: User) -> bool:
    return user.has_perm("interviews.view_all_concerns")


def concerns_visible_to(user: User, qs: QuerySet | None = None) -> QuerySet:
    """The concerns this user may see (DESIGN.md: an interviewer never sees workers of other
    interviewers' concerns). Supervisors: all. Interviewers: those they opened, own, or raised
    on an interview assigned to them. Everyone else: none."""
    qs = qs if qs is not None else Concern.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if is_concern_supervisor(user):
        return qs
    if not user.has_perm("interviews.view_concern"):
        return qs.none()
    return qs.filter(
        Q(opened_by=user)
        | Q(owner=user)
        | Q(interview__interviewer=user)
        | Q(record__interview__interviewer=user)
    )


def concern_handlers() -> QuerySet:
    """Active staff who may own a concern: interviewers and supervisors."""
    permission = Permission.objects.filter(
        content_type__app_label="interviews", codename="view_concern"
    )
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(groups__permissions__in=permission)
            | Q(user_permissions__in=permission)
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def worker_interviews_held_by(user: User, worker) -> QuerySet:
    """The worker's interviews assigned to this user, but for cancelled ones."""
    return Interview.objects.filter(worker=worker, interviewer=user).exclude(
        status=Interview.Status.CANCELLED
    )


def may_raise_concern(user: User, worker) -> bool:
    """Supervisors raise a concern about anyone; interviewers about workers whose interviews
    they hold."""
    if not user.has_perm("interviews.add_concern"):
        return False
    return is_concern_supervisor(user) or worker_interviews_held_by(user, worker).exists()


def concerns_for_list(
    user: User,
    *,
    status: str = "",
    severity: str = "",
    owner: str = "",
    overdue: bool = False,
    older_than_days: int | None = None,
) -> QuerySet:
    """The concerns list: open ones by default, urgent first, then the oldest."""
    qs = concerns_visible_to(user, Concern.objects.select_related("worker", "owner"))
    if status == "all":
        pass
    elif status in Status.values:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=Concern.OPEN_STATUSES)
    if severity:
        qs = qs.filter(severity=severity)
    if owner == "mine":
        qs = qs.filter(owner=user)
    elif owner == "nobody":
        qs = qs.filter(owner__isnull=True)
    if overdue:
        qs = qs.filter(status__in=Concern.OPEN_STATUSES, due_on__lt=timezone.localdate())
    if older_than_days:
        qs = qs.filter(opened_at__lte=timezone.now() - dt.timedelta(days=older_than_days))
    urgent_first = Case(
        When(severity=Concern.Severity.URGENT, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return qs.order_by(urgent_first, "opened_at", "id")


def concern_age_days(concern: Concern, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return (today - timezone.localdate(concern.opened_at)).days


def concern_is_overdue(concern: Concern, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return concern.is_open and concern.due_on is not None and concern.due_on < today


# --- Helpers for the writes ---------------------------------------------------------------------


def _locked(concern: Concern, by: User) -> Concern:
    locked = Concern.objects.select_for_update().get(pk=concern.pk)
    locked._history_user = by
    return locked


def _require_open(concern: Concern) -> None:
    if not concern.is_open:
        raise ValidationError(_("This concern is closed. A supervisor must reopen it first."))


def _date_checked(value: dt.date | None, field: str, *, not_before: dt.date) -> dt.date:
    """A date of something done: given, not in the future, not before `not_before`."""
    if value is None:
        raise ValidationError({field: _("Enter the date.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
    if value < not_before:
        raise ValidationError(
            {
                field: _("This date is before %(date)s, when the concern was raised.")
                % {"date": not_before.isoformat()}
            }
        )
    return value


def _text_checked(value: str, field: str, message: str, *, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if max_length is not None and len(value) > max_length:
        raise ValidationError(
            {field: _("Keep it under %(count)d characters.") % {"count": max_length}}
        )
    return value


def _opened_on(concern: Concern) -> dt.date:
    return timezone.localdate(concern.opened_at)


def _save(concern: Concern, fields: list[str]) -> None:
    concern.save(update_fields=fields)


def _move(concern: Concern, status: str, *, by: User, request, detail: str) -> None:
    """A status change a step brings with it (first action, referral, declined referral),
    saved and audited with what caused it."""
    concern.status = status
    _save(concern, ["status"])
    audit_log(
        action=Action.UPDATE,
        actor=by,
        request=request,
        obj=concern,
        changed_fields=["status"],
        detail=detail,
    )


# --- Writes -------------------------------------------------------------------------------------


@transaction.atomic
def concern_update(
    *,
    concern: Concern,
    severity: str,
    due_on: dt.date | None,
    owner=KEEP,
    by: User,
    request=None,
) -> Concern:
    """Change a concern's severity, due date and, for supervisors only, its owner. Raising it
    to urgent alerts every supervisor, as an urgent concern raised so does."""
    concern = _locked(concern, by)
    _require_open(concern)
    if severity not in Concern.Severity.values:
        raise ValidationError({"severity": _("Choose a severity.")})
    if due_on is None:
        raise ValidationError({"due_on": _("Enter the date by which something must be done.")})
    changed = []
    if severity != concern.severity:
        changed.append("severity")
    if due_on != concern.due_on:
        if due_on < timezone.localdate():
            raise ValidationError({"due_on": _("The due date cannot be in the past.")})
        changed.append("due_on")
    if owner is not KEEP and (owner.pk if owner else None) != concern.owner_id:
        if not is_concern_supervisor(by):
            raise PermissionDenied(_("Only a supervisor may give a concern to someone else."))
        if owner is not None and not concern_handlers().filter(pk=owner.pk).exists():
            raise ValidationError({"owner": _("This person cannot handle concerns.")})
        changed.append("owner")
    if not changed:
        return concern
    became_urgent = (
        severity == Concern.Severity.URGENT and concern.severity != Concern.Severity.URGENT
    )
    concern.severity = severity
    concern.due_on = due_on
    if owner is not KEEP:
        concern.owner = owner
    _save(concern, changed)
    audit_log(action=Action.UPDATE, actor=by, request=request, obj=concern, changed_fields=changed)
    if became_urgent:
        supervisors_alert(concern)
    return concern


@transaction.atomic
def concern_action_add(
    *, concern: Concern, text: str, taken_on: dt.date | None, by: User, request=None
) -> ConcernAction:
    """Record an action taken. The first one puts an open concern in progress."""
    concern = _locked(concern, by)
    _require_open(concern)
    text = _text_checked(text, "text", _("Write what was done."))
    taken_on = _date_checked(taken_on, "taken_on", not_before=_opened_on(concern))
    action = ConcernAction.objects.create(
        concern=concern, text=text, taken_on=taken_on, written_by=by
    )
    audit_log(
        action=Action.CREATE,
        actor=by,
        request=request,
        obj=action,
        changed_fields=["concern", "text", "taken_on"],
    )
    if concern.status == Status.OPEN:
        _move(concern, Status.IN_PROGRESS, by=by, request=request, detail="first action taken")
    return action


@transaction.atomic
def concern_refer(
    *,
    concern: Concern,
    organisation: Organisation | None,
    referred_on: dt.date | None,
    by: User,
    request=None,
) -> Referral:
    """Refer the concern to an organisation in use; the concern becomes "referred"."""
    concern = _locked(concern, by)
    _require_open(concern)
    if organisation is None:
        raise ValidationError({"organisation": _("Choose the organisation.")})
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not organisation.active:
        raise ValidationError(
            {"organisation": _("This organisation is no longer in use. Choose another.")}
        )
    referred_on = _date_checked(referred_on, "referred_on", not_before=_opened_on(concern))
    referral = Referral.objects.create(
        concern=concern, organisation=organisation, referred_on=referred_on, referred_by=by
    )
    audit_log(
        action=Action.CREATE,
        actor=by,
        request=request,
        obj=referral,
        changed_fields=["concern", "organisation", "referred_on", "status"],
    )
    if concern.status != Status.REFERRED:
        _move(concern, Status.REFERRED, by=by, request=request, detail="referred")
    return referral


@transaction.atomic
def referral_respond(
    *,
    referral: Referral,
    status: str,
    response: str,
    response_on: dt.date | None,
    by: User,
    request=None,
) -> Referral:
    """Record the organisation's answer: accepted, declined or completed. An earlier answer is
    kept above the new one. A concern whose last open referral is declined goes back to
    "in progress"."""
    concern = _locked(referral.concern, by)
    _require_open(concern)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if status not in RESPONSE_STATUSES:
        raise ValidationError({"status": _("Choose the organisation's answer.")})
    if status not in RESPONSE_FOLLOWS.get(referral.status, set()):
        raise ValidationError(
            {
                "status": _("This referral is already marked “%(status)s”.")
                % {"status": referral.get_status_display()}
            }
        )
    text = _text_checked(response, "response", _("Write what the organisation answered."))
    response_on = _date_checked(response_on, "response_on", not_before=referral.referred_on)
    if referral.response_on and response_on < referral.response_on:
        raise ValidationError(
            {"response_on": _("This date is before the organisation's earlier answer.")}
        )
    entry = f"{response_on.isoformat()}: {text}"
    referral.response = f"{referral.response}\n\n{entry}" if referral.response else entry
    referral.status = status
    referral.response_on = response_on
    referral.save(update_fields=["status", "response", "response_on"])
    audit_log(
        action=Action.UPDATE,
        actor=by,
        request=request,
        obj=referral,
        changed_fields=["status", "response", "response_on"],
    )
    still_with_someone = (
        concern.referrals.filter(status__in=LIVE_REFERRAL_STATUSES).exclude(pk=referral.pk).exists()
    )
    if (
        status == Referral.Status.DECLINED
        and concern.status == Status.REFERRED
        and not still_with_someone
    ):
        _move(concern, Status.IN_PROGRESS, by=by, request=request, detail="referral declined")
    return referral


@transaction.atomic
def concern_close(*, concern: Concern, reason: str, note: str, by: User, request=None) -> Concern:
    """Close a concern with a reason and a note. It then accepts nothing until reopened."""
    concern = _locked(concern, by)
    _require_open(concern)
    if reason not in Concern.ClosureReason.values:
        raise ValidationError({"reason": _("Choose the reason for closing.")})
    note = _text_checked(note, "note", _("Write a closing note."), max_length=500)
    if (
        reason == Concern.ClosureReason.REFERRED_ELSEWHERE
        and not concern.referrals.exclude(status=Referral.Status.DECLINED).exists()
    ):
        raise ValidationError(
            {"reason": _("No organisation has taken this concern: refer it first.")}
        )
    concern.status = Status.CLOSED
    concern.closure_reason = reason
    concern.closure_note = note
    concern.closed_at = timezone.now()
    concern.closed_by = by
    fields = ["status", "closure_reason", "closure_note", "closed_at", "closed_by"]
    _save(concern, fields)
    audit_log(
        action=Action.UPDATE,
        actor=by,
        request=request,
        obj=concern,
        changed_fields=fields,
        detail="closed",
    )
    return concern


@transaction.atomic
def concern_reopen(*, concern: Concern, reason: str, by: User, request=None) -> Concern:
    """A supervisor reopens a closed concern, with the reason. It goes back to "referred"
    while an organisation still has it, else "in progress" once work began, else "open"."""
    if not is_concern_supervisor(by):
        raise PermissionDenied(_("Only a supervisor may reopen a concern."))
    concern = _locked(concern, by)
    if concern.is_open:
        raise ValidationError(_("This concern is not closed."))
    reason = _text_checked(
        reason, "reason", _("Give the reason, in a few words."), max_length=REOPEN_REASON_LENGTH
    )
    if concern.referrals.filter(status__in=LIVE_REFERRAL_STATUSES).exists():
        concern.status = Status.REFERRED
    elif concern.actions.exists() or concern.referrals.exists():
        concern.status = Status.IN_PROGRESS
    else:
        concern.status = Status.OPEN
    concern.closure_reason = ""
    concern.closure_note = ""
    concern.closed_at = None
    concern.closed_by = None
    concern._change_reason = reason
    fields = ["status", "closure_reason", "closure_note", "closed_at", "closed_by"]
    _save(concern, fields)
    audit_log(
        action=Action.UPDATE,
        actor=by,
        request=request,
        obj=concern,
        changed_fields=fields,
        detail="reopened",
    )
    return concern


# --- Organisations ------------------------------------------------------------------------------

ORGANISATION_FIELDS = ["name", "kind", "phone", "email", "active"]


@transaction.atomic
def organisation_save(
    *,
    organisation: Organisation | None = None,
    name: str,
    kind: str,
    phone: str = "",
    email: str = "",
    active: bool = True,
    by: User,
    request=None,
) -> Organisation:
    """Create or change an organisation concerns are referred to. A deactivated one keeps its
    referrals but receives no new ones."""
    name = _text_checked(name, "name", _("Enter the organisation's name."), max_length=200)
    if kind not in Organisation.Kind.values:
        raise ValidationError({"kind": _("Choose what kind of organisation this is.")})
    others = Organisation.objects.filter(name__iexact=name)
    if organisation is not None:
        others = others.exclude(pk=organisation.pk)
    if others.exists():
        raise ValidationError({"name": _("Another organisation already has this name.")})
    values = {
        "name": name,
        "kind": kind,
        "phone": (phone or "").strip(),
        "email": (email or "").strip(),
        "active": bool(active),
    }
    creating = organisation is None
    if creating:
        organisation = Organisation(**values)
        changed = list(ORGANISATION_FIELDS)
    else:
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changed = [key for key, value in values.items() if getattr(organisation, key) != value]
        if not changed:
            return organisation
        for key in changed:
            setattr(organisation, key, values[key])
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        raise ValidationError({"name": _("Another organisation already has this name.")}) from None
    audit_log(
        action=Action.CREATE if creating else Action.UPDATE,
        actor=by,
        request=request,
        obj=organisation,
        changed_fields=changed,
    )
    return organisation

"""The interviewer's day, the interview record form, the record page and its addenda.

The record is written by the interview's interviewer or a supervisor and read by them only;
officers see on the day page that an interview was held, when, and whether it counts, never what
was said. The restricted notes are shown to the interviewer and supervisors, and every showing
is in the audit log (interviews.records).
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import AuditEntry, User
from accounts.permissions import object_for, staff_view
from accounts.roles import Role
from accounts.services import audit_log
from interviews import records, scheduling
from interviews.forms_records import AddendumForm, DayForm, RecordForm
from interviews.models import Concern, Interview, InterviewRecord, Outcome
from registry.selectors import language_name

Action = AuditEntry.Action


def _interview_for(request, permission: str, pk: int) -> Interview:
    return object_for(
        request,
        Interview.objects.select_related("worker", "room", "interpreter", "interviewer"),
        permission,
        pk=pk,
    )


def _form_errors(form, error: ValidationError) -> None:
    """The service's errors next to the fields they name; the others above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, field_errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, field_errors)


# --- The interviewer's day --------------------------------------------------------------------


@dataclass
class DayRow:
    interview: Interview
    language: str
    may_record: bool
    may_read_record: bool
    may_mark_missed: bool


def _may_see_others(user: User) -> bool:
    return user.has_perm("interviews.book_interview") or records.is_supervisor(user)


def _interviewers():
    return (
        User.objects.filter(
            Q(groups__name=str(Role.INTERVIEWER)) | Q(interviewer_profile__isnull=False),
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _day_url(day: dt.date, interviewer: User | None) -> str:
    query = {"date": day.isoformat()}
    if interviewer is not None:
        query["interviewer"] = interviewer.pk
    return f"{reverse('interviews:day')}?{urlencode(query)}"


@staff_view("interviews.view_interview")
@require_GET
def day(request):
    """One day's appointments in time order: an interviewer's own, or for officers (who arrange
    interpreters) and supervisors anyone's."""
    user = request.user
    others = _may_see_others(user)
    asked = request.GET.get("interviewer", "")
    if not others and asked not in ("", str(user.pk)):
        raise PermissionDenied
    today = timezone.localdate()
    form = DayForm(
        request.GET or None,
        initial={"date": today},
        interviewers=_interviewers() if others else None,
    )
    chosen_day, interviewer = today, None if others else user
    if form.is_bound and form.is_valid():
        chosen_day = form.cleaned_data["date"] or today
        if others:
            interviewer = form.cleaned_data["interviewer"]
    chosen = interviewer if others else None  # an interviewer's own day needs no parameter
    # Workers' names and appointments are personal data: who looked at which day.
    audit_log(
        action=Action.VIEW,
        request=request,
        object_type="interviews.interview",
        detail=f"interviewer's day {chosen_day.isoformat()}",
    )
    now = timezone.now()
    rows = []
    for interview in records.day_interviews(viewer=user, day=chosen_day, interviewer=interviewer):
        due = (
            interview.status in Interview.BOOKED_STATUSES
            and interview.starts_at <= now
            and not interview.has_record
        )
        may_write = records.record_may_write(user, interview)
        rows.append(
            DayRow(
                interview=interview,
                language=language_name(interview.language),
                may_record=due and may_write,
                may_read_record=interview.has_record and records.record_may_read(user, interview),
                may_mark_missed=due and scheduling.may_mark_missed(user, interview),
            )
        )
    return render(
        request,
        "interviews/day.html",
        {
            "form": form,
            "day": chosen_day,
            "is_today": chosen_day == today,
            "interviewer": interviewer,
            "show_interviewer": interviewer is None,
            "choose_interviewer": others,
            "rows": rows,
            "previous_url": _day_url(chosen_day - dt.timedelta(days=1), chosen),
            "next_url": _day_url(chosen_day + dt.timedelta(days=1), chosen),
            "today_url": _day_url(today, chosen),
        },
    )


# --- The record form --------------------------------------------------------------------------


@staff_view("interviews.record_interview")
@require_http_methods(["GET", "POST"])
def record_create(request, pk: int):
    interview = _interview_for(request, "interviews.record_interview", pk)
    if not records.record_may_write(request.user, interview):
        raise PermissionDenied
    if InterviewRecord.objects.filter(interview=interview).exists():
        messages.warning(
            request, _("This interview is already recorded. To correct it, add an addendum.")
        )
        return redirect("interviews:record-detail", pk=interview.pk)
    refusal = records.record_refusal(interview)
    account = records.current_bank_account(interview.worker)
    if account is not None and not refusal:
        # The form shows the account (masked) and its holder's names for the worker to confirm.
        audit_log(action=Action.VIEW, request=request, obj=account, detail="record form")
    posted = request.method == "POST" and not refusal
    form = RecordForm(request.POST if posted else None, interview=interview, account=account)
    if posted and form.is_valid():
        try:
            record = records.record_create(
                interview=interview, by=request.user, request=request, **form.record_data()
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            _after_create_messages(request, record)
            return redirect("interviews:record-detail", pk=interview.pk)
    return render(
        request,
        "interviews/record_form.html",
        {
            "interview": interview,
            "worker": interview.worker,
            "form": form,
            "refusal": refusal,
            "account": account,
            "language": language_name(interview.language),
            "show_not_counting": form.not_counting_answered()
            or "confirm_not_counting" in form.errors,
        },
    )


def _after_create_messages(request, record: InterviewRecord) -> None:
    messages.success(request, _("The interview record is saved."))
    if not record.counts:
        messages.warning(
            request,
            _(
                "This interview does not count for the renewal. A follow-up interview is due; "
                "an officer will book it."
            ),
        )
    elif record.outcome == Outcome.FOLLOW_UP:
        messages.info(
            request, _("A follow-up interview is due within a month; an officer will book it.")
        )
    concern = record.concerns.first()
    if concern is not None and concern.severity == Concern.Severity.URGENT:
        messages.warning(request, _("An urgent concern was opened and every supervisor alerted."))
    elif concern is not None:
        messages.info(request, _("A concern was opened."))


# --- The record page and its addenda -----------------------------------------------------------


@staff_view("interviews.view_interviewrecord")
@require_GET
def record_detail(request, pk: int):
    """The whole record, for the interview's interviewer and supervisors. Officers see that an
    interview was held, when and whether it counts on the day page, never here: nothing of what
    the worker said reaches them."""
    interview = _interview_for(request, "interviews.view_interviewrecord", pk)
    if not records.record_may_read(request.user, interview):
        raise PermissionDenied
    record = get_object_or_404(
        InterviewRecord.objects.select_related(
            "interview", "recorded_by", "interpreter", "bank_account"
        ),
        interview=interview,
    )
    return _record_page(request, interview, record)


RECORD_LABELS = {
    field.name: capfirst(field.verbose_name) for field in InterviewRecord._meta.concrete_fields
}
WAGE_ANSWERS = ("wage_into_own_account", "wage_on_time", "wage_in_full")
CHECKLIST_ANSWERS = (
    "weekly_rest_day",
    "annual_leave",
    "own_room_locks",
    "free_to_go_out",
    "own_phone",
    "contact_family",
    "threats_or_abuse",
    "wish_to_continue",
)


def _answers(record: InterviewRecord, names) -> list[tuple]:
    return [(RECORD_LABELS[name], getattr(record, f"get_{name}_display")()) for name in names]


def _record_page(request, interview: Interview, record: InterviewRecord):
    user = request.user
    notes = None
    if records.record_may_read_notes(user, record):
        notes = records.record_notes_read(record=record, user=user, request=request)
    else:
        audit_log(action=Action.VIEW, request=request, obj=record, detail="record")
    may_write = records.record_may_write(user, interview)
    return render(
        request,
        "interviews/record_detail.html",
        {
            "interview": interview,
            "worker": interview.worker,
            "record": record,
            "language": language_name(record.language),
            "notes": notes,
            "notes_shown": notes is not None,
            "indicators": list(record.indicators.all()),
            "addenda": list(record.addenda.select_related("written_by")),
            "concerns": list(record.concerns.all()),
            "follow_ups": list(interview.followed_by.all()),
            "may_write": may_write,
            "labels": RECORD_LABELS,
            "wage": _answers(record, WAGE_ANSWERS),
            "checklist": _answers(record, CHECKLIST_ANSWERS),
        },
    )


@staff_view("interviews.record_interview")
@require_http_methods(["GET", "POST"])
def addendum_create(request, pk: int):
    interview = _interview_for(request, "interviews.record_interview", pk)
    if not records.record_may_write(request.user, interview):
        raise PermissionDenied
    record = get_object_or_404(
        InterviewRecord.objects.select_related("interview"), interview=interview
    )
    form = AddendumForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            records.record_addendum_add(
                record=record, by=request.user, text=form.cleaned_data["text"], request=request
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The addendum is added to the record."))
            return redirect("interviews:record-detail", pk=interview.pk)
    return render(
        request,
        "interviews/addendum_form.html",
        {"interview": interview, "worker": interview.worker, "record": record, "form": form},
    )


urlpatterns = [
    path("day/", day, name="day"),
    path("<int:pk>/record/new/", record_create, name="record-create"),
    path("<int:pk>/record/", record_detail, name="record-detail"),
    path("<int:pk>/record/addenda/new/", addendum_create, name="addendum-create"),
]

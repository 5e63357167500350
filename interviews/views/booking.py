"""Booking by hand: the interview list and an interview's page; officers create interviews and
book, move and cancel appointments (the worker is told by the services); one worker's
interviews. Interviewers see only their own interviews."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import AuditEntry
from accounts.permissions import object_for, staff_view
from accounts.services import audit_log
from accounts.viewtools import form_errors_from
from interviews import records, scheduling, selectors, services
from interviews.forms_booking import (
    CancelForm,
    InterviewCreateForm,
    InterviewFilterForm,
    SlotChoiceForm,
    SlotRangeForm,
)
from interviews.models import Interview
from registry.models import Worker
from registry.selectors import language_name

Action = AuditEntry.Action
PAGE_SIZE = 25
# Free slots looked at for the proposals, and how many of each sort are shown.
PROPOSALS_SCANNED = 100
PROPOSALS_SPEAKING = 10
PROPOSALS_WITH_INTERPRETER = 5
# Free slots shown at most for a range of dates.
RANGE_SHOWN = 200

VIEW = "interviews.view_interview"
BOOK = "interviews.book_interview"


def _interview_for(request, pk) -> Interview:
    """The interview if this user may see it: 404 if it does not exist, 403 for an interviewer
    who is not assigned to it (the 403 handler audits it)."""
    interview = object_for(
        request,
        Interview.objects.select_related(
            "worker", "interviewer", "room", "interpreter", "slot", "card", "employment"
        ),
        VIEW,
        pk=pk,
    )
    visible = services.interviews_visible_to(request.user, Interview.objects.filter(pk=pk))
    if not visible.exists():
        raise PermissionDenied
    return interview


# --- Lists ----------------------------------------------------------------------------------


@staff_view(VIEW)
@require_GET
def interview_list(request):
    user = request.user
    show_interviewer = user.has_perm(BOOK) or user.has_perm("interviews.view_all_concerns")
    form = InterviewFilterForm(request.GET or None, show_interviewer=show_interviewer)
    filters = form.cleaned_data if form.is_valid() else {}
    interviews = selectors.interview_list(
        user,
        status=filters.get("status", selectors.OPEN),
        kind=filters.get("kind", ""),
        interviewer=filters.get("interviewer"),
        due_before=filters.get("due_before"),
        unbooked=filters.get("unbooked", False),
        move_requested=filters.get("move_requested", False),
        q=filters.get("q", ""),
        overdue=filters.get("overdue", False),
        past_days=filters.get("past_days"),
    )
    # Workers' names are personal data: who looked, and whether they searched.
    audit_log(
        action=Action.VIEW,
        request=request,
        object_type="interviews.interview",
        detail="interview search" if filters.get("q") else "interview list",
    )
    page = Paginator(interviews, PAGE_SIZE).get_page(request.GET.get("page"))
    for interview in page:
        interview.language_name = language_name(interview.language)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "interviews/interview_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now()},
    )


@staff_view(VIEW)
@require_GET
def worker_interviews(request, worker_pk):
    worker = object_for(request, Worker.objects.defer("passport_number"), VIEW, pk=worker_pk)
    interviews = list(selectors.worker_interviews(request.user, worker))
    for interview in interviews:
        interview.language_name = language_name(interview.language)
    audit_log(action=Action.VIEW, request=request, obj=worker, detail="interviews")
    return render(
        request,
        "interviews/worker_interviews.html",
        {"worker": worker, "interviews": interviews},
    )


# --- One interview --------------------------------------------------------------------------


@staff_view(VIEW)
@require_GET
def interview_detail(request, pk):
    interview = _interview_for(request, pk)
    user = request.user
    audit_log(action=Action.VIEW, request=request, obj=interview, detail="interview page")
    try:
        record = interview.record
    except ObjectDoesNotExist:
        record = None
    started = interview.starts_at is not None and interview.starts_at <= timezone.now()
    booked = interview.status in Interview.BOOKED_STATUSES
    earlier, later = selectors.missed_chain(interview)
    return render(
        request,
        "interviews/interview_detail.html",
        {
            "interview": interview,
            "worker": interview.worker,
            "language_name": language_name(interview.language),
            "history": selectors.status_history(interview),
            "earlier": earlier,
            "later": later,
            "record": record,
            # Officers learn that it was held and whether it counts, never what was said.
            "can_read_record": record is not None
            and records.record_may_read(user, interview, record),
            "can_book": user.has_perm(BOOK) and interview.status == Interview.Status.DUE,
            "can_move": user.has_perm(BOOK) and booked,
            "can_cancel": user.has_perm(BOOK) and interview.is_open,
            "can_mark_missed": booked and started and scheduling.may_mark_missed(user, interview),
            "can_record": (
                booked and started and record is None and records.record_may_write(user, interview)
            ),
        },
    )


@staff_view(VIEW, BOOK)
@require_http_methods(["GET", "POST"])
def interview_create(request, worker_pk):
    worker = object_for(request, Worker.objects.defer("passport_number"), BOOK, pk=worker_pk)
    form = InterviewCreateForm(request.POST or None, worker=worker)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interview = services.interview_create(
                worker=worker,
                kind=data["kind"],
                card=data["card"],
                employment=data["employment"],
                due_on=data["due_on"],
                language=data["language"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The interview is created."))
            if data["book_now"]:
                return redirect("interviews:interview-book", pk=interview.pk)
            return redirect("interviews:interview-detail", pk=interview.pk)
    return render(request, "interviews/interview_form.html", {"form": form, "worker": worker})


def _options(request, interview: Interview):
    """The proposals, or every free time in the range asked for, with the range form."""
    range_form = SlotRangeForm(request.GET if "after" in request.GET else None)
    if range_form.is_bound and range_form.is_valid():
        after, before = range_form.bounds()
        options = selectors.booking_options(
            interview, after=after, before=before, limit=RANGE_SHOWN, speakers_first=False
        )
        return range_form, options, True
    options = selectors.booking_options(interview, limit=PROPOSALS_SCANNED)
    speaking = [option for option in options if option.interviewer_speaks]
    helped = [option for option in options if not option.interviewer_speaks and option.bookable]
    return (
        range_form,
        speaking[:PROPOSALS_SPEAKING] + helped[:PROPOSALS_WITH_INTERPRETER],
        False,
    )


def _choose_time(request, pk, *, moving: bool):
    interview = _interview_for(request, pk)
    form = SlotChoiceForm(request.POST or None, interview=interview)
    if request.method == "POST" and form.is_valid():
        service = services.interview_move if moving else services.interview_book
        data = form.cleaned_data
        try:
            # The service locks the slot, the interview and the interpreter: if anyone was
            # quicker, BookingError says so and nothing changed.
            interview = service(
                interview=interview,
                slot=data["slot"],
                language=data["language"],
                interpreter=data["interpreter"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            if moving:
                messages.success(request, _("The appointment is moved. The worker is told."))
            else:
                messages.success(request, _("The appointment is booked. The worker is invited."))
            return redirect("interviews:interview-detail", pk=interview.pk)
    allowed = (
        interview.status in Interview.BOOKED_STATUSES
        if moving
        else interview.status == Interview.Status.DUE
    )
    range_form, options, in_range = _options(request, interview) if allowed else (None, [], False)
    for option in options:
        option.language_name = language_name(option.language)
    return render(
        request,
        "interviews/interview_book.html",
        {
            "interview": interview,
            "worker": interview.worker,
            "form": form,
            "range_form": range_form,
            "options": options,
            "in_range": in_range,
            "moving": moving,
            "allowed": allowed,
            "worker_languages": [
                language_name(code) for code in services.worker_languages(interview.worker)
            ],
        },
    )


@staff_view(VIEW, BOOK)
@require_http_methods(["GET", "POST"])
def interview_book(request, pk):
    return _choose_time(request, pk, moving=False)


@staff_view(VIEW, BOOK)
@require_http_methods(["GET", "POST"])
def interview_move(request, pk):
    return _choose_time(request, pk, moving=True)


@staff_view(VIEW, BOOK)
@require_http_methods(["GET", "POST"])
def interview_cancel(request, pk):
    interview = _interview_for(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_cancel(
                interview=interview,
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The interview is cancelled."))
            return redirect("interviews:interview-detail", pk=interview.pk)
    return render(
        request,
        "interviews/interview_cancel.html",
        {"interview": interview, "worker": interview.worker, "form": form},
    )


urlpatterns = [
    path("", interview_list, name="interview-list"),
    path("<int:pk>/", interview_detail, name="interview-detail"),
    path("<int:pk>/book/", interview_book, name="interview-book"),
    path("<int:pk>/move/", interview_move, name="interview-move"),
    path("<int:pk>/cancel/", interview_cancel, name="interview-cancel"),
    path("workers/<int:worker_pk>/", worker_interviews, name="worker-interviews"),
    path("workers/<int:worker_pk>/new/", interview_create, name="interview-create"),
]

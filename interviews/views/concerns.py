"""Concerns and referrals: the supervisors' list (interviewers see theirs), a concern's page with
its timeline, raising one by hand, the steps after, and the organisations referred to.

Every page loads concerns through interviews.concerns.concerns_visible_to: a concern the user
may not see is a 404, and officers, administrators and auditors get 403 everywhere here.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import AuditEntry
from accounts.permissions import object_for, staff_view
from accounts.services import audit_log
from accounts.viewtools import bound, form_errors_from, page_and_query
from interviews import concerns as services
from interviews.forms_concerns import (
    ActionForm,
    CloseForm,
    ConcernCreateForm,
    ConcernEditForm,
    ConcernFilterForm,
    OrganisationFilterForm,
    OrganisationForm,
    ReferralForm,
    ReferralResponseForm,
    ReopenForm,
)
from interviews.models import Concern, Indicator, Interview, InterviewRecord, Organisation, Referral
from interviews.records import record_may_read
from interviews.services import concern_open, interviews_visible_to
from registry.models import Worker

Action = AuditEntry.Action
PAGE_SIZE = 25
INDICATOR_LABELS = dict(Indicator.choices)


def _concern_for(request, pk: int, permission: str) -> Concern:
    """The concern if this user holds `permission` (403) and may see it (404 otherwise)."""
    visible = services.concerns_visible_to(
        request.user,
        Concern.objects.select_related(
            "worker", "owner", "opened_by", "closed_by", "interview", "record"
        ),
    )
    return object_for(request, visible, permission, pk=pk)


def _to_concern(concern: Concern):
    return redirect("interviews:concern-detail", pk=concern.pk)


# --- The list -----------------------------------------------------------------------------------


@staff_view("interviews.view_concern")
@require_GET
def concern_list(request):
    form = ConcernFilterForm(request.GET or None)
    filters = form.filters()
    newer_than_days = filters.pop("newer_than_days")
    concerns = services.concerns_for_list(request.user, **filters)
    if newer_than_days:
        # Opened less than this many days ago (the dashboard's age columns).
        concerns = concerns.filter(
            opened_at__gt=timezone.now() - dt.timedelta(days=newer_than_days)
        )
    page, query = page_and_query(request, concerns, PAGE_SIZE)
    today = timezone.localdate()
    for concern in page:
        concern.age_days = services.concern_age_days(concern, today)
        concern.overdue = services.concern_is_overdue(concern, today)
    # Workers' names and what worries us about them: who looked is logged.
    audit_log(action=Action.VIEW, request=request, object_type="interviews.concern", detail="list")
    return render(
        request,
        "interviews/concern_list.html",
        {"form": form, "page": page, "query": query, "today": today},
    )


# --- One concern --------------------------------------------------------------------------------


def _source_links(request, concern: Concern) -> dict:
    """Links to the interview and the record the concern came from, for users who may see them."""
    links = {"interview_url": "", "record_url": ""}
    interview = concern.interview or (concern.record.interview if concern.record else None)
    if interview is None:
        return links
    user = request.user
    if not interviews_visible_to(user, Interview.objects.filter(pk=interview.pk)).exists():
        return links
    links["interview_url"] = reverse("interviews:interview-detail", args=[interview.pk])
    record = concern.record or InterviewRecord.objects.filter(interview=interview).first()
    if record is not None and record_may_read(user, interview, record):
        links["record_url"] = reverse("interviews:record-detail", args=[interview.pk])
    return links


def _timeline(concern: Concern) -> list[dict]:
    """Actions and referrals, oldest first; each referral carries its answer."""
    entries = [
        {"kind": "action", "date": action.taken_on, "item": action}
        for action in concern.actions.select_related("written_by")
    ]
    entries += [
        {"kind": "referral", "date": referral.referred_on, "item": referral}
        for referral in concern.referrals.select_related("organisation", "referred_by")
    ]
    return sorted(entries, key=lambda entry: (entry["date"], entry["kind"], entry["item"].pk))


def _status_changes(concern: Concern) -> list:
    """The concern's history, one row per change of status (the first: when it was raised)."""
    changes, previous = [], None
    history = concern.history.select_related("history_user").order_by("history_date", "history_id")
    for row in history:
        if row.status != previous:
            changes.append(row)
        previous = row.status
    return changes


@staff_view("interviews.view_concern")
@require_GET
def concern_detail(request, pk: int):
    concern = _concern_for(request, pk, "interviews.view_concern")
    # The details and the actions are encrypted restricted data: every reading is logged.
    audit_log(
        action=Action.VIEW,
        request=request,
        obj=concern,
        detail="concern page: restricted details and actions shown",
    )
    today = timezone.localdate()
    user = request.user
    context = {
        "concern": concern,
        "details": concern.details,
        "indicators": [INDICATOR_LABELS.get(code, code) for code in concern.indicators],
        "timeline": _timeline(concern),
        "status_changes": _status_changes(concern),
        "age_days": services.concern_age_days(concern, today),
        "overdue": services.concern_is_overdue(concern, today),
        "is_supervisor": services.is_concern_supervisor(user),
        "answerable": list(services.RESPONSE_FOLLOWS),
        **_source_links(request, concern),
    }
    if concern.is_open and user.has_perm("interviews.change_concern"):
        context["action_form"] = ActionForm(prefix="action")
    if concern.is_open and user.has_perm("interviews.add_referral"):
        context["referral_form"] = ReferralForm(prefix="referral")
    return render(request, "interviews/concern_detail.html", context)


def _step(
    request, concern: Concern, form, *, title: str, submit: str, intro: str = "", reopening=False
):
    """The page of one step on a concern: its form, or why the concern takes nothing now."""
    blocked = ""
    if reopening and concern.is_open:
        blocked = _("This concern is not closed.")
    elif not reopening and not concern.is_open:
        blocked = _("This concern is closed. A supervisor must reopen it first.")
    return render(
        request,
        "interviews/concern_step.html",
        {
            "concern": concern,
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            "blocked": blocked,
        },
    )


@staff_view("interviews.change_concern")
@require_http_methods(["GET", "POST"])
def concern_edit(request, pk: int):
    concern = _concern_for(request, pk, "interviews.change_concern")
    initial = {"severity": concern.severity, "due_on": concern.due_on, "owner": concern.owner}
    form = ConcernEditForm(bound(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = data["owner"] if "owner" in form.fields else services.KEEP
        try:
            services.concern_update(
                concern=concern,
                severity=data["severity"],
                due_on=data["due_on"],
                owner=owner,
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The concern is saved."))
            return _to_concern(concern)
    return _step(request, concern, form, title=_("Change the concern"), submit=_("Save"))


@staff_view("interviews.change_concern")
@require_http_methods(["GET", "POST"])
def concern_action(request, pk: int):
    concern = _concern_for(request, pk, "interviews.change_concern")
    form = ActionForm(bound(request), prefix="action")
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_action_add(
                concern=concern, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The action is recorded."))
            return _to_concern(concern)
    return _step(request, concern, form, title=_("Record an action"), submit=_("Record the action"))


@staff_view("interviews.add_referral")
@require_http_methods(["GET", "POST"])
def concern_referral(request, pk: int):
    concern = _concern_for(request, pk, "interviews.add_referral")
    form = ReferralForm(bound(request), prefix="referral")
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.concern_refer(
                concern=concern, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("The concern is referred to %(organisation)s.")
                % {"organisation": referral.organisation.name},
            )
            return _to_concern(concern)
    return _step(
        request,
        concern,
        form,
        title=_("Refer the concern"),
        submit=_("Refer"),
        intro=_(
            "Nothing is sent from Hestia: contact the organisation yourself, then record "
            "the referral here."
        ),
    )


@staff_view("interviews.add_referral")
@require_http_methods(["GET", "POST"])
def referral_response(request, pk: int):
    visible = services.concerns_visible_to(request.user)
    referral = object_for(
        request,
        Referral.objects.select_related("organisation", "concern__worker").filter(
            concern__in=visible
        ),
        "interviews.add_referral",
        pk=pk,
    )
    concern = referral.concern
    form = ReferralResponseForm(bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_respond(
                referral=referral, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The organisation's answer is recorded."))
            return _to_concern(concern)
    return render(
        request,
        "interviews/referral_response.html",
        {
            "concern": concern,
            "referral": referral,
            "form": form,
            "may_answer": concern.is_open and referral.status in services.RESPONSE_FOLLOWS,
        },
    )


@staff_view("interviews.change_concern")
@require_http_methods(["GET", "POST"])
def concern_close(request, pk: int):
    concern = _concern_for(request, pk, "interviews.change_concern")
    form = CloseForm(bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_close(
                concern=concern,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The concern is closed."))
            return _to_concern(concern)
    return _step(request, concern, form, title=_("Close the concern"), submit=_("Close"))


@staff_view("interviews.view_all_concerns", "interviews.change_concern")
@require_http_methods(["GET", "POST"])
def concern_reopen(request, pk: int):
    concern = _concern_for(request, pk, "interviews.view_all_concerns")
    form = ReopenForm(bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_reopen(
                concern=concern,
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The concern is open again."))
            return _to_concern(concern)
    return _step(
        request, concern, form, title=_("Reopen the concern"), submit=_("Reopen"), reopening=True
    )


# --- Raising a concern by hand ------------------------------------------------------------------


@staff_view("interviews.add_concern")
@require_http_methods(["GET", "POST"])
def concern_create(request, worker_pk: int):
    worker = object_for(request, Worker, "interviews.add_concern", pk=worker_pk)
    if not services.may_raise_concern(request.user, worker):
        raise PermissionDenied
    if services.is_concern_supervisor(request.user):
        interviews = Interview.objects.filter(worker=worker)
    else:
        interviews = services.worker_interviews_held_by(request.user, worker)
    interviews = interviews.order_by("-starts_at", "-due_on", "-id")
    initial = {"owner": request.user.pk}
    if request.GET.get("interview", "").isdigit():
        initial["interview"] = int(request.GET["interview"])
    form = ConcernCreateForm(
        bound(request), user=request.user, interviews=interviews, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        interview = data["interview"]
        record = InterviewRecord.objects.filter(interview=interview).first() if interview else None
        try:
            concern = concern_open(
                worker=worker,
                source=Concern.Source.MANUAL,
                severity=data["severity"],
                summary=data["summary"],
                details=data["details"],
                indicators=data["indicators"],
                interview=interview,
                record=record,
                owner=data["owner"],
                due_on=data["due_on"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            if concern.severity == Concern.Severity.URGENT:
                messages.warning(request, _("The concern is raised. Every supervisor is alerted."))
            else:
                messages.success(request, _("The concern is raised."))
            return _to_concern(concern)
    return render(request, "interviews/concern_create.html", {"worker": worker, "form": form})


# --- Organisations ------------------------------------------------------------------------------


@staff_view("interviews.view_organisation", "interviews.change_organisation")
@require_GET
def organisation_list(request):
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = Organisation.objects.order_by("name", "id")
    if filters.get("kind"):
        organisations = organisations.filter(kind=filters["kind"])
    if filters.get("active"):
        organisations = organisations.filter(active=filters["active"] == "yes")
    page, query = page_and_query(request, organisations, PAGE_SIZE)
    return render(
        request, "interviews/organisation_list.html", {"form": form, "page": page, "query": query}
    )


@staff_view("interviews.add_organisation")
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    form = OrganisationForm(bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_save(
                by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": organisation.name})
            return redirect("interviews:organisation-list")
    return render(
        request, "interviews/organisation_form.html", {"form": form, "organisation": None}
    )


@staff_view("interviews.change_organisation")
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk: int):
    organisation = object_for(request, Organisation, "interviews.change_organisation", pk=pk)
    stored_name = organisation.name
    initial = {name: getattr(organisation, name) for name in services.ORGANISATION_FIELDS}
    form = OrganisationForm(bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_save(
                organisation=organisation, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": form.cleaned_data["name"]})
            return redirect("interviews:organisation-list")
    return render(
        request,
        "interviews/organisation_form.html",
        {"form": form, "organisation": organisation, "stored_name": stored_name},
    )


urlpatterns = [
    path("concerns/", concern_list, name="concern-list"),
    path("concerns/<int:pk>/", concern_detail, name="concern-detail"),
    path("concerns/<int:pk>/edit/", concern_edit, name="concern-edit"),
    path("concerns/<int:pk>/actions/new/", concern_action, name="concern-action"),
    path("concerns/<int:pk>/referrals/new/", concern_referral, name="concern-referral"),
    path("concerns/<int:pk>/close/", concern_close, name="concern-close"),
    path("concerns/<int:pk>/reopen/", concern_reopen, name="concern-reopen"),
    path("referrals/<int:pk>/response/", referral_response, name="referral-response"),
    path("workers/<int:worker_pk>/concerns/new/", concern_create, name="concern-create"),
    path("organisations/", organisation_list, name="organisation-list"),
    path("organisations/new/", organisation_create, name="organisation-create"),
    path("organisations/<int:pk>/edit/", organisation_edit, name="organisation-edit"),
]

"""Missions, their employers, and the host state's policy on domestic workers' contracts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import AuditEntry
from accounts.permissions import object_for, staff_view
from accounts.services import audit_log
from accounts.viewtools import bound, form_errors_from, page_and_query
from registry import services
from registry.forms_organisations import (
    EMPLOYER_FIELDS,
    MISSION_FIELDS,
    POLICY_FIELDS,
    EmployerFilterForm,
    EmployerForm,
    MissionFilterForm,
    MissionForm,
    PolicyForm,
    initial_from,
)
from registry.models import Employer, Employment, Mission, Policy

PAGE_SIZE = 25
# Every status but "ended": the worker still belongs to this household.
OPEN_STATUSES = [s for s in Employment.Status.values if s != Employment.Status.ENDED]


# --- Missions -----------------------------------------------------------------------------


@staff_view("registry.view_mission")
@require_GET
def mission_list(request):
    form = MissionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    # Correlated counts, evaluated for the rows shown only (a grouped join over every
    # employment cost 30-60 ms at ministry size; see bench/RESULTS.md).
    employer_count = (
        Employer.objects.filter(mission=OuterRef("pk"))
        .order_by()
        .values("mission")
        .annotate(n=Count("pk"))
        .values("n")
    )
    worker_count = (
        Employment.objects.filter(employer__mission=OuterRef("pk"), status__in=OPEN_STATUSES)
        .order_by()
        .values("employer__mission")
        .annotate(n=Count("worker", distinct=True))
        .values("n")
    )
    missions = Mission.objects.annotate(
        employer_count=Coalesce(Subquery(employer_count, output_field=IntegerField()), 0),
        worker_count=Coalesce(Subquery(worker_count, output_field=IntegerField()), 0),
    ).order_by("name", "id")
    if filters.get("q"):
        missions = missions.filter(name__icontains=filters["q"].strip())
    if filters.get("kind"):
        missions = missions.filter(kind=filters["kind"])
    if filters.get("sending_state"):
        missions = missions.filter(sending_state=filters["sending_state"])
    page, query = page_and_query(request, missions, PAGE_SIZE)
    return render(
        request, "registry/mission_list.html", {"form": form, "page": page, "query": query}
    )


@staff_view("registry.add_mission")
@require_http_methods(["GET", "POST"])
def mission_create(request):
    form = MissionForm(bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            mission = services.mission_save(by=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("The mission %(name)s was registered.") % {"name": mission.name}
            )
            return redirect("registry:mission-detail", pk=mission.pk)
    return render(request, "registry/mission_form.html", {"form": form, "mission": None})


@staff_view("registry.view_mission")
@require_GET
def mission_detail(request, pk: int):
    mission = object_for(request, Mission, "registry.view_mission", pk=pk)
    employers = mission.employers.annotate(
        open_employments=Count("employments", filter=Q(employments__status__in=OPEN_STATUSES))
    ).order_by("family_name", "given_names", "id")
    page, query = page_and_query(request, employers, PAGE_SIZE)
    return render(
        request,
        "registry/mission_detail.html",
        {"mission": mission, "page": page, "query": query},
    )


@staff_view("registry.change_mission")
@require_http_methods(["GET", "POST"])
def mission_update(request, pk: int):
    mission = object_for(request, Mission, "registry.change_mission", pk=pk)
    # The heading keeps the stored name even if the service rejects the new one.
    stored_name = mission.name
    form = MissionForm(
        bound(request), mission=mission, initial=initial_from(mission, MISSION_FIELDS)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mission_save(
                by=request.user, mission=mission, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The mission %(name)s was saved.") % {"name": mission.name})
            return redirect("registry:mission-detail", pk=mission.pk)
    return render(
        request,
        "registry/mission_form.html",
        {"form": form, "mission": mission, "stored_name": stored_name},
    )


# --- Employers ----------------------------------------------------------------------------


@staff_view("registry.view_employer")
@require_GET
def employer_list(request):
    form = EmployerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    open_employments = (
        Employment.objects.filter(employer=OuterRef("pk"), status__in=OPEN_STATUSES)
        .order_by()
        .values("employer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    employers = (
        Employer.objects.select_related("mission")
        .annotate(
            open_employments=Coalesce(Subquery(open_employments, output_field=IntegerField()), 0)
        )
        .order_by("family_name", "given_names", "id")
    )
    for word in (filters.get("q") or "").split():
        employers = employers.filter(
            Q(family_name__icontains=word)
            | Q(given_names__icontains=word)
            | Q(accreditation_number__icontains=word)
        )
    if filters.get("mission"):
        employers = employers.filter(mission=filters["mission"])
    if filters.get("privileges_category"):
        employers = employers.filter(privileges_category=filters["privileges_category"])
    if filters.get("head_of_mission"):
        employers = employers.filter(is_head_of_mission=filters["head_of_mission"] == "yes")
    page, query = page_and_query(request, employers, PAGE_SIZE)
    return render(
        request, "registry/employer_list.html", {"form": form, "page": page, "query": query}
    )


@staff_view("registry.add_employer")
@require_http_methods(["GET", "POST"])
def employer_create(request):
    # "New employer" on a mission's page opens the form with that mission chosen.
    form = EmployerForm(bound(request), initial={"mission": request.GET.get("mission")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # By id: employer_save compares the new employer's fields first, and a new employer
        # has no mission object to compare yet.
        data["mission_id"] = data.pop("mission").pk
        try:
            employer = services.employer_save(by=request.user, request=request, **data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("The employer %(name)s was registered.") % {"name": employer}
            )
            return redirect("registry:employer-detail", pk=employer.pk)
    return render(request, "registry/employer_form.html", {"form": form, "employer": None})


def _rank_limit(employer: Employer, policy: Policy) -> int:
    if employer.is_head_of_mission:
        return policy.workers_per_head_of_mission
    return policy.workers_per_staff_member


@staff_view("registry.view_employer")
@require_GET
def employer_detail(request, pk: int):
    employer = object_for(
        request, Employer.objects.select_related("mission"), "registry.view_employer", pk=pk
    )
    employments = list(employer.employments.select_related("worker").order_by("-start_date", "-id"))
    policy = services.policy_current()
    open_count = sum(1 for e in employments if e.status in OPEN_STATUSES)
    limit = _rank_limit(employer, policy)
    # The page names the household's workers and their contracts.
    audit_log(action=AuditEntry.Action.VIEW, request=request, obj=employer)
    return render(
        request,
        "registry/employer_detail.html",
        {
            "employer": employer,
            "employments": employments,
            "open_count": open_count,
            "limit": limit,
            "above_limit": open_count > limit,
        },
    )


@staff_view("registry.change_employer")
@require_http_methods(["GET", "POST"])
def employer_update(request, pk: int):
    employer = object_for(request, Employer, "registry.change_employer", pk=pk)
    stored_name = str(employer)
    form = EmployerForm(
        bound(request), employer=employer, initial=initial_from(employer, EMPLOYER_FIELDS)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.employer_save(
                by=request.user, employer=employer, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The employer %(name)s was saved.") % {"name": employer})
            return redirect("registry:employer-detail", pk=employer.pk)
    return render(
        request,
        "registry/employer_form.html",
        {"form": form, "employer": employer, "stored_name": stored_name},
    )


# --- Policy -------------------------------------------------------------------------------


@staff_view("registry.view_policy")
@require_http_methods(["GET", "POST"])
def policy_update(request):
    """Administrators edit the policy; supervisors read the same values."""
    can_change = request.user.has_perm("registry.change_policy")
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    policy = services.policy_current()
    form = None
    if can_change:
        form = PolicyForm(bound(request), initial=initial_from(policy, POLICY_FIELDS))
        if request.method == "POST" and form.is_valid():
            try:
                services.policy_save(
                    by=request.user, policy=policy, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                form_errors_from(form, error)
                policy.refresh_from_db()
            else:
                messages.success(request, _("The policy was saved."))
                return redirect("registry:policy-update")
    rules = [
        (Policy._meta.get_field(name).verbose_name, getattr(policy, name)) for name in POLICY_FIELDS
    ]
    return render(
        request,
        "registry/policy_update.html",
        {"policy": policy, "form": form, "rules": rules},
    )


urlpatterns = [
    path("missions/", mission_list, name="mission-list"),
    path("missions/new/", mission_create, name="mission-create"),
    path("missions/<int:pk>/", mission_detail, name="mission-detail"),
    path("missions/<int:pk>/edit/", mission_update, name="mission-update"),
    path("employers/", employer_list, name="employer-list"),
    path("employers/new/", employer_create, name="employer-create"),
    path("employers/<int:pk>/", employer_detail, name="employer-detail"),
    path("employers/<int:pk>/edit/", employer_update, name="employer-update"),
    path("policy/", policy_update, name="policy-update"),
]

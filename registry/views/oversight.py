"""The supervisor's queue: contracts registered in person that wait for a decision because they
do not meet the policy, and any active contract below the policy without a recorded exception."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import AuditEntry
from accounts.permissions import staff_view
from accounts.services import audit_log
from registry import services
from registry.selectors_oversight import (
    active_below_policy,
    contracts_awaiting_exception,
    queue_rows,
)

PAGE_SIZE = 25


def _page(request, queryset, parameter: str):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(parameter))


def _query_without(request, parameter: str) -> str:
    query = request.GET.copy()
    query.pop(parameter, None)
    return query.urlencode()


# The queue is for those who act on contracts: officers correct the terms (read-only here),
# supervisors record the exception. Interviewers see a contract on the worker's page instead.
@staff_view("registry.view_employment", "registry.change_employment")
@require_GET
def contracts_awaiting_exception_list(request):
    policy = services.policy_current()
    waiting = _page(request, contracts_awaiting_exception(), "page")
    below = _page(request, active_below_policy(policy), "active_page")
    # Workers' names and their contracts' terms are personal data: record who looked.
    audit_log(
        action=AuditEntry.Action.VIEW,
        request=request,
        object_type="registry.employment",
        detail="contracts awaiting exception",
    )
    today = timezone.localdate()
    rows = queue_rows(waiting, policy)
    for row in rows:
        row.days_waiting = (today - timezone.localdate(row.employment.waiting_since)).days
    return render(
        request,
        "registry/oversight_contracts.html",
        {
            "page": waiting,
            "query": _query_without(request, "page"),
            "rows": rows,
            "active_page": below,
            "active_query": _query_without(request, "active_page"),
            "active_rows": queue_rows(below, policy),
            "policy": policy,
            "may_override": request.user.has_perm("registry.override_policy"),
        },
    )


urlpatterns = [
    path(
        "contracts/awaiting-exception/",
        contracts_awaiting_exception_list,
        name="contracts-awaiting-exception",
    ),
]

"""The administrators' operations view and the monitoring health endpoint."""

import datetime as dt

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.permissions import staff_view
from oversight import health, operations


@staff_view("oversight.view_operations")
@require_safe
def operations_view(request):
    now = timezone.now()
    checks = health.checks()
    return render(
        request,
        "oversight/operations.html",
        {
            "checks": checks,
            "all_ok": all(check.ok for check in checks),
            "queue": operations.queue_figures(now),
            "periodic": operations.periodic_rows(now),
            "failures": operations.recent_failures(),
            "failures_24h": operations.failures_since(now - dt.timedelta(days=1)),
            "retention_runs": operations.last_retention_runs(),
            "now": now,
        },
    )


@never_cache
@require_safe
def healthz(request):
    """200 when the database and the broker answer, 503 otherwise. No login: it says nothing
    but which part is down."""
    checks = health.checks()
    healthy = all(check.ok for check in checks)
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": {check.name: {"ok": check.ok, "ms": check.milliseconds} for check in checks},
        },
        status=200 if healthy else 503,
    )


urlpatterns = [
    path("operations/", operations_view, name="operations"),
]

public_urlpatterns = [
    path("healthz", healthz, name="healthz"),
]

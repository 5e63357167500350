"""The supervisors' oversight dashboard: their home page."""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from accounts.permissions import staff_view
from oversight import charts, dashboard
from registry.selectors_oversight import contract_counts


@staff_view("oversight.view_dashboard")
@require_safe
def dashboard_view(request):
    now = timezone.now()
    today = timezone.localdate(now)
    rtl = translation.get_language_bidi()
    # One query per block, each chart read with its block's figures; the registry's policy comes
    # with the contract figures and serves the cards' clearances as well.
    interviews = dashboard.interview_counts(now=now, user=request.user)
    concerns = dashboard.concern_counts(now=now)
    contracts = contract_counts()
    chart_list = [
        dashboard.interview_chart(now=now, rtl=rtl, counts=interviews),
        dashboard.concern_chart(now=now, rtl=rtl, counts=concerns),
    ]
    return render(
        request,
        "oversight/dashboard.html",
        {
            "now": now,
            "interviews": dashboard.interview_figures(counts=interviews),
            "recent_days": dashboard.RECENT_DAYS,
            "cards": dashboard.card_figures(today=today, registry_policy=contracts.policy),
            "concerns": dashboard.concern_figures(counts=concerns),
            "concern_ages": [age for age, _youngest, _oldest in dashboard.CONCERN_AGES],
            "bank": dashboard.bank_figures(today=today),
            "contracts": dashboard.contract_figures(contracts),
            "notices": dashboard.message_figures_list(now=now),
            "charts": [(chart, charts.chart_svg(chart)) for chart in chart_list],
        },
    )


urlpatterns = [
    path("", dashboard_view, name="dashboard"),
]

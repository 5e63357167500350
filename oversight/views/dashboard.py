"""The supervisors' oversight dashboard: their home page."""

from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.views.decorators.http import require_safe

from accounts.permissions import staff_view
from oversight import charts, dashboard


@staff_view("oversight.view_dashboard")
@require_safe
def dashboard_view(request):
    rtl = translation.get_language_bidi()
    # The figures are computed at most once a minute per supervisor (dashboard.snapshot);
    # "?refresh=1" computes them now.
    figures = dashboard.snapshot(user=request.user, refresh=request.GET.get("refresh") == "1")
    now = figures.at
    chart_list = [
        dashboard.interview_chart(now=now, rtl=rtl, counts=figures.interviews),
        dashboard.concern_chart(now=now, rtl=rtl, counts=figures.concerns),
    ]
    return render(
        request,
        "oversight/dashboard.html",
        {
            "now": now,
            "interviews": dashboard.interview_figures(counts=figures.interviews),
            "recent_days": dashboard.RECENT_DAYS,
            "cards": figures.cards,
            "concerns": dashboard.concern_figures(counts=figures.concerns),
            "concern_ages": [age for age, _youngest, _oldest in dashboard.CONCERN_AGES],
            "bank": dashboard.bank_figures(counts=figures.bank),
            "contracts": dashboard.contract_figures(figures.contracts),
            "notices": dashboard.message_figures_list(counts=figures.notices),
            "charts": [(chart, charts.chart_svg(chart)) for chart in chart_list],
        },
    )


urlpatterns = [
    path("", dashboard_view, name="dashboard"),
]

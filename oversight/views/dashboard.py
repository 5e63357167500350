"""The supervisors' oversight dashboard: their home page."""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from accounts.permissions import staff_view
from oversight import charts, dashboard


@staff_view("oversight.view_dashboard")
@require_safe
def dashboard_view(request):
    now = timezone.now()
    today = timezone.localdate(now)
    rtl = translation.get_language_bidi()
    chart_list = [
        dashboard.interview_chart(now=now, rtl=rtl),
        dashboard.concern_chart(today=today, rtl=rtl),
    ]
    return render(
        request,
        "oversight/dashboard.html",
        {
            "now": now,
            "interviews": dashboard.interview_figures(now=now, user=request.user),
            "recent_days": dashboard.RECENT_DAYS,
            "cards": dashboard.card_figures(today=today),
            "concerns": dashboard.concern_figures(now=now),
            "concern_ages": [age for age, _youngest, _oldest in dashboard.CONCERN_AGES],
            "bank": dashboard.bank_figures(today=today),
            "contracts": dashboard.contract_figures(),
            "notices": dashboard.message_figures_list(now=now),
            "charts": [(chart, charts.chart_svg(chart)) for chart in chart_list],
        },
    )


urlpatterns = [
    path("", dashboard_view, name="dashboard"),
]

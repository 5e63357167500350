"""The supervisors' oversight dashboard: each figure right on a small data set, a fixed number of
queries at any size, the charts, Arabic, and the supervisor's home page."""

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from interviews import services as interview_services
from interviews.models import Interview
from oversight import charts, dashboard
from registry import services as registry_services
from tests.interviews.factories import at
from tests.oversight import factories_dashboard as data
from tests.oversight.factories_dashboard import DAY, NOW, TODAY, booked, concern

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("oversight:dashboard")
SVG = "{http://www.w3.org/2000/svg}"
# Every staff page at most 15 queries at any size ("proof at scale"): what every signed-in request
# reads (the session, the user, ...), then the dashboard's own, one per block where it can be:
# interviews with their chart, concerns with theirs, the registry's policy with the contracts,
# the cards and their clearance (the cards with their holds, the interview policy, interview
# records, accounts, employments, decisions), bank accounts and notices. The same at any size
# (see test_the_dashboard_costs_the_same_number_of_queries_at_any_size).
MOST_QUERIES = 15


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def values(figures) -> dict[str, int]:
    return {figure.key: figure.value for figure in figures}


# --- Each figure --------------------------------------------------------------------------------


def test_interviews_due_overdue_missed_and_held_are_counted_with_the_chart_in_one_query(
    supervisor, django_assert_num_queries
):
    expected = data.interviews_of_every_kind()
    supervisor.has_perm("interviews.book_interview")  # as on a page: the permissions are read
    with django_assert_num_queries(1):
        counts = dashboard.interview_counts(user=supervisor)
    assert values(dashboard.interview_figures(counts=counts)) == expected
    # The chart from the same query, by the month of the appointment: in October the two missed
    # about 30 days ago and the one held 45 days ago; in November the rest.
    assert counts["held_by_month"][-2:] == [1, 1]
    assert counts["missed_by_month"][-2:] == [2, 1]
    assert sum(counts["held_by_month"]) == 2 and sum(counts["missed_by_month"]) == 3


def test_the_follow_up_figure_is_left_out_without_a_user():
    data.interviews_of_every_kind()
    assert "follow_up" not in values(dashboard.interview_figures())


def test_cards_expiring_without_clearance_are_counted_per_bucket():
    expected = data.cards_of_every_kind()
    buckets = dashboard.card_figures(today=TODAY)
    assert {(b.first_day, b.last_day): (b.not_cleared, b.cards) for b in buckets} == expected


def test_the_cards_cost_the_same_number_of_queries_however_many_cards():
    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            dashboard.card_figures(today=TODAY)
        return len(queries)

    interview_services.policy_current()
    registry_services.policy_current()
    data.workers_with_everything(3)
    few = measure()
    data.workers_with_everything(20)
    assert measure() == few


def test_open_concerns_are_counted_by_severity_and_age_in_one_query(django_assert_num_queries):
    expected = data.concerns_of_every_kind()
    with django_assert_num_queries(1):
        counts = dashboard.concern_counts()
    # The chart comes with the same query.
    assert len(counts["opened_by_month"]) == len(counts["closed_by_month"]) == 12
    table = dashboard.concern_figures(counts=counts)
    cells = {(cell.severity, cell.age): cell.value for row in table.rows for cell in row.cells}
    assert {key: value for key, value in cells.items() if value} == expected
    assert [row.severity for row in table.rows] == ["urgent", "high", "medium", "low"]
    assert [row.total for row in table.rows] == [2, 2, 2, 1]
    assert [cell.value for cell in table.age_totals] == [2, 3, 2]
    assert table.total == 7


def test_salary_accounts_needing_attention_are_counted_in_one_query(django_assert_num_queries):
    expected = data.accounts_of_every_kind()
    with django_assert_num_queries(1):
        figures = dashboard.bank_figures(today=TODAY)
    assert values(figures) == expected


def test_contracts_below_the_policy_are_counted_with_the_policy_in_one_query(
    django_assert_num_queries,
):
    expected = data.contracts_of_every_kind()
    policy = registry_services.policy_current()
    with django_assert_num_queries(1):
        figures = dashboard.contract_figures()
    assert values(figures) == expected
    policy.minimum_monthly_wage = Decimal("950.00")
    policy.save()
    # The active contract at 1000 meets the lower minimum; the one registered at 900 still waits.
    assert values(dashboard.contract_figures()) == {"awaiting": 2, "below": 0}


def test_the_contract_figures_create_the_policy_the_first_time():
    data.contracts_of_every_kind()
    assert values(dashboard.contract_figures()) == {"awaiting": 2, "below": 1}
    assert registry_services.policy_current().minimum_monthly_wage == Decimal("1800.00")


def test_failed_and_held_notices_are_counted_in_one_query(django_assert_num_queries):
    expected = data.notices_of_every_kind()
    with django_assert_num_queries(1):
        figures = dashboard.message_figures_list()
    assert values(figures) == expected


def test_the_page_shows_each_figure_with_its_link(client_for, supervisor):
    data.interviews_of_every_kind()
    data.concerns_of_every_kind()
    page = client_for(supervisor).get(DASHBOARD).content.decode()
    overdue = re.search(
        r'href="([^"]+)" data-figure="interviews-overdue">.*?data-value>(\d+)<', page, re.S
    )
    assert overdue.groups() == ("/interviews/?overdue=on", "2")
    urgent = re.search(
        r'href="([^"]+)" data-figure="concerns-urgent-under7".*?data-value>(\d+)<', page, re.S
    )
    assert urgent.groups() == ("/interviews/concerns/?severity=urgent&amp;age=under7", "1")
    assert 'data-figure="cards-61-90"' in page
    assert 'data-figure="bank-none"' in page
    assert 'data-figure="contracts-below"' in page
    assert 'data-figure="notices-failed"' in page


# --- Queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("workers", [5, 40])
def test_the_dashboard_renders_in_a_fixed_number_of_queries(
    workers, client_for, supervisor, django_assert_max_num_queries
):
    interview_services.policy_current()
    registry_services.policy_current()
    client = client_for(supervisor)
    client.get(reverse("accounts:password-change"))  # the session is written on the first visit
    data.workers_with_everything(workers)
    with django_assert_max_num_queries(MOST_QUERIES):
        # Computed now, not the figures of a minute ago.
        response = client.get(DASHBOARD, {"refresh": "1"})
    assert response.status_code == 200


def test_the_dashboard_costs_the_same_number_of_queries_at_any_size(client_for, supervisor):
    interview_services.policy_current()
    registry_services.policy_current()
    client = client_for(supervisor)
    client.get(DASHBOARD)  # the session is written on the first visit

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DASHBOARD, {"refresh": "1"}).status_code == 200
        return len(queries)

    data.workers_with_everything(5)
    small = measure()
    data.workers_with_everything(35)
    assert measure() == small


def _held_notices(page: str) -> int:
    return int(re.search(r'data-figure="notices-held".*?data-value>(\d+)<', page, re.S).group(1))


def test_the_figures_are_computed_at_most_once_a_minute_and_on_demand(
    client_for, supervisor, time_machine
):
    data.notices_of_every_kind()
    client = client_for(supervisor)
    first = client.get(DASHBOARD).content.decode()
    held = _held_notices(first)
    assert "Figures as of 2026-" in first
    data.notices_of_every_kind()
    # Within the minute: the same figures, the time they were computed, and hardly a query.
    time_machine.move_to(NOW + dt.timedelta(seconds=59), tick=False)
    with CaptureQueriesContext(connection) as queries:
        kept = client.get(DASHBOARD).content.decode()
    assert _held_notices(kept) == held
    assert len(queries) <= 3
    # Asked for, or a minute later, they are computed again.
    assert _held_notices(client.get(DASHBOARD, {"refresh": "1"}).content.decode()) > held
    data.notices_of_every_kind()
    time_machine.move_to(NOW + dt.timedelta(seconds=125), tick=False)
    assert _held_notices(client.get(DASHBOARD).content.decode()) > held + 1


def test_each_supervisor_has_their_own_figures(make_staff, client_for):
    from accounts.roles import Role

    first = make_staff(Role.SUPERVISOR, username="first")
    second = make_staff(Role.SUPERVISOR, username="second")
    client_for(first).get(DASHBOARD)
    data.notices_of_every_kind()
    assert _held_notices(client_for(second).get(DASHBOARD).content.decode()) > 0
    assert dashboard.snapshot(user=first).notices != dashboard.snapshot(user=second).notices


# --- Charts -------------------------------------------------------------------------------------


def _chart_from(page: str, key: str) -> ET.Element:
    match = re.search(rf'<svg [^>]*data-chart="{key}".*?</svg>', page, re.S)
    assert match, key
    return ET.fromstring(match.group(0))  # noqa: S314 - Hestia's own markup


def _bars(svg: ET.Element, series: str) -> dict[str, int]:
    return {
        rect.get("data-month"): int(rect.get("data-value"))
        for rect in svg.iter(f"{SVG}rect")
        if rect.get("data-series") == series
    }


def test_the_interview_chart_is_valid_svg_with_a_bar_per_month_and_series(client_for, supervisor):
    booked(starts_at=NOW - 2 * DAY, status=Interview.Status.HELD)
    booked(starts_at=NOW - 3 * DAY, status=Interview.Status.HELD)
    booked(starts_at=at(2026, 11, 1, 0, 30), status=Interview.Status.NO_SHOW)
    booked(starts_at=at(2026, 6, 1, 0, 30), status=Interview.Status.HELD)
    booked(starts_at=at(2025, 11, 30), status=Interview.Status.HELD)  # 13 months ago
    page = client_for(supervisor).get(DASHBOARD).content.decode()
    svg = _chart_from(page, "interviews-chart")
    held, missed = _bars(svg, "held"), _bars(svg, "missed")
    months = ["2025-12", *[f"2026-{month:02d}" for month in range(1, 12)]]
    assert list(held) == months
    assert list(missed) == months
    assert held["2026-11"] == 2 and held["2026-06"] == 1 and sum(held.values()) == 3
    # Half past midnight on 1 November, local time: November, though UTC still says October.
    assert missed == {month: (1 if month == "2026-11" else 0) for month in months}
    labels = [text.text for text in svg.find(f"{SVG}g[@data-part='months']").iter(f"{SVG}text")]
    assert labels[:3] == ["Dec", "2025", "Jan"]
    assert (
        svg.find(f"{SVG}title").text == "Interviews held and missed in each of the last 12 months"
    )


def test_the_concern_chart_counts_opened_and_closed_per_month(client_for, supervisor):
    concern("high", at(2026, 9, 3))
    concern("low", at(2026, 9, 20), status="closed", closed_at=at(2026, 11, 2))
    concern("urgent", at(2026, 11, 28))
    page = client_for(supervisor).get(DASHBOARD).content.decode()
    svg = _chart_from(page, "concerns-chart")
    opened, closed = _bars(svg, "opened"), _bars(svg, "closed")
    assert len(opened) == len(closed) == 12
    assert opened["2026-09"] == 2 and opened["2026-11"] == 1 and sum(opened.values()) == 3
    assert closed == {month: (1 if month == "2026-11" else 0) for month in closed}


def test_the_concern_chart_counts_by_the_month_in_local_time(client_for, supervisor):
    # Half past midnight on 1 November, local time: November, though UTC still says October.
    concern("high", at(2026, 11, 1, 0, 30), status="closed", closed_at=at(2026, 11, 1, 0, 45))
    # Half past eleven on 31 October, local time: October.
    concern("low", at(2026, 10, 31, 23, 30), status="closed", closed_at=at(2026, 10, 31, 23, 45))
    # Thirteen months ago: on no bar.
    concern("medium", at(2025, 11, 30, 12, 0))
    page = client_for(supervisor).get(DASHBOARD).content.decode()
    svg = _chart_from(page, "concerns-chart")
    opened, closed = _bars(svg, "opened"), _bars(svg, "closed")
    assert next(iter(opened)) == "2025-12"
    assert {month: value for month, value in opened.items() if value} == {
        "2026-10": 1,
        "2026-11": 1,
    }
    assert {month: value for month, value in closed.items() if value} == {
        "2026-10": 1,
        "2026-11": 1,
    }


def test_each_chart_has_a_table_with_the_same_figures(client_for, supervisor):
    booked(starts_at=NOW - 2 * DAY, status=Interview.Status.HELD)
    page = client_for(supervisor).get(DASHBOARD).content.decode()
    table = page.split('id="interviews-chart-table"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">([^<]+)</th>(.*?)</tr>", table, re.S)
    assert len(rows) == 12
    month, cells = rows[-1]
    assert month == "Nov 2026"
    assert re.findall(r">(\d+)</td>", cells) == ["1", "0"]
    assert "<details" in page.split('id="interviews-chart-block"')[1]


def test_a_bar_is_as_tall_as_its_value_on_a_shared_scale():
    chart = charts.bar_chart(
        key="test",
        title="Test",
        series=[charts.Series("a", "A", "#000"), charts.Series("b", "B", "#111")],
        months=charts.last_months(TODAY, 3),
        values={"a": [0, 5, 10], "b": [10, 0, 2]},
    )
    heights = {(bar.series.key, bar.value): bar.height for bar in chart.bars}
    assert heights[("a", 0)] == 0
    assert heights[("a", 10)] == heights[("b", 10)] == pytest.approx(2 * heights[("a", 5)], 0.01)
    assert [line.value for line in chart.grid] == [0, 5, 10]
    root = ET.fromstring(str(charts.chart_svg(chart)))  # noqa: S314 - Hestia's own markup
    assert len(list(root.iter(f"{SVG}rect"))) == 6
    assert "style" not in str(charts.chart_svg(chart))


def test_the_last_months_run_up_to_the_current_one_across_a_new_year():
    assert charts.last_months(TODAY, 3) == [
        dt.date(2026, 9, 1),
        dt.date(2026, 10, 1),
        dt.date(2026, 11, 1),
    ]
    assert charts.last_months(dt.date(2026, 2, 10), 3)[0] == dt.date(2025, 12, 1)


# --- Languages ----------------------------------------------------------------------------------


def test_the_dashboard_works_in_arabic_right_to_left_with_the_chart_mirrored(
    client_for, supervisor
):
    booked(starts_at=NOW - 2 * DAY, status=Interview.Status.HELD)
    client = client_for(supervisor)
    client.post(reverse("set_language"), {"language": "ar", "next": DASHBOARD})
    page = client.get(DASHBOARD).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    with translation.override("ar"):
        assert translation.gettext("Interviews") in page
    svg = _chart_from(page, "interviews-chart")
    ticks = list(svg.find(f"{SVG}g[@data-part='months']").iter(f"{SVG}text"))
    # The months run from right to left: the oldest on the right.
    assert float(ticks[0].get("x")) > float(ticks[-1].get("x"))
    held = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("data-series") == "held"]
    assert float(held[0].get("x")) > float(held[-1].get("x"))
    axis = [text for text in svg.find(f"{SVG}g[@data-part='grid']").iter(f"{SVG}text")]
    assert all(float(text.get("x")) > 600 for text in axis)


# --- Who sees it --------------------------------------------------------------------------------


def test_the_supervisors_home_is_the_dashboard(client_for, supervisor):
    response = client_for(supervisor).get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD


def test_the_supervisor_still_reaches_their_account_page(client_for, supervisor):
    dashboard_page = client_for(supervisor).get(DASHBOARD).content.decode()
    assert 'href="/?account=1"' in dashboard_page
    page = client_for(supervisor).get(reverse("accounts:home"), {"account": "1"})
    assert page.status_code == 200
    assert 'data-role="Supervisor"' in page.content.decode()


def test_officers_keep_their_home_page(client_for, officer):
    response = client_for(officer).get(reverse("accounts:home"))
    assert response.status_code == 200
    assert 'data-role="Protocol officer"' in response.content.decode()


def test_a_supervisor_who_also_registers_workers_keeps_the_home_page(make_staff, client_for):
    from django.contrib.auth.models import Group

    from accounts.roles import Role

    user = make_staff(Role.SUPERVISOR, username="supervising-officer")
    user.groups.add(Group.objects.get(name=str(Role.PROTOCOL_OFFICER)))
    assert client_for(user).get(reverse("accounts:home")).status_code == 200


@pytest.mark.parametrize("role", ["officer", "interviewer", "administrator", "auditor"])
def test_other_roles_are_refused_the_dashboard(role, request, client_for):
    user = request.getfixturevalue(role)
    assert client_for(user).get(DASHBOARD).status_code == 403

"""The worker's page within 15 queries however long the worker's history (issue 7), the policy
check it makes in the same queries, and the panels other apps add to it (registry.panels)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import Employment, Policy, Worker
from registry.panels import (
    only_worker_panels,
    register_worker_panel,
    unregister_worker_panel,
    worker_panels,
)
from tests.factories import EmployerFactory
from tests.interviews.factories import BookedInterviewFactory, InterviewFactory
from tests.registry.factories_workers import IndexedWorkerFactory, WorkerEmploymentFactory
from tests.registry.test_workers_views import _full_history

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
PANEL_TEMPLATE = """<p id="test-panel">{{ note }} for {{ worker.family_name }}\
{% if perms.registry.change_worker %}, who may change the worker{% endif %}.</p>"""


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def panel_template(settings, tmp_path):
    """A template directory holding panels/test.html, for the panels the tests register."""
    (tmp_path / "panels").mkdir()
    (tmp_path / "panels" / "test.html").write_text(PANEL_TEMPLATE, encoding="utf-8")
    engine = {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    settings.TEMPLATES = [engine, *settings.TEMPLATES[1:]]
    return "panels/test.html"


def _detail(worker: Worker) -> str:
    return reverse("registry:worker-detail", kwargs={"pk": worker.pk})


def _worker_with_everything(family_name: str, extra: int) -> Worker:
    """Every list of the page filled, a contract in breach of the policy and a possible
    duplicate (born the same day, a similar name)."""
    worker = IndexedWorkerFactory(family_name=family_name, given_names="Nimali")
    _full_history(worker, extra=extra)
    IndexedWorkerFactory(
        family_name=family_name, given_names="Nimalee", date_of_birth=worker.date_of_birth
    )
    return worker


def _queries(client, url: str) -> list[dict]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return captured.captured_queries


# --- Queries --------------------------------------------------------------------------------


def test_the_page_runs_at_most_15_queries_for_a_short_or_a_long_history(
    client_for, officer, django_assert_max_num_queries
):
    short = _worker_with_everything("Short", extra=0)
    long = _worker_with_everything("Long", extra=6)
    client = client_for(officer)
    with only_worker_panels():
        client.get(_detail(short))  # the session and the policy row are written once
        with django_assert_max_num_queries(15):
            few = _queries(client, _detail(short))
        with django_assert_max_num_queries(15):
            response = client.get(_detail(long))
        many = _queries(client, _detail(long))
    page = response.context["page"]
    assert len(page.past_employments) == 7
    assert len(page.bank_accounts) == 7
    assert sum(len(account.shortfalls) for account in page.bank_accounts) == 7
    assert page.duplicates
    assert page.breaches
    assert len(many) == len(few)


def _with_open_interviews(worker: Worker, interviewer) -> None:
    """One interview booked with this interviewer, one due and not booked yet."""
    current = worker.employments.exclude(status=Employment.Status.ENDED).get()
    BookedInterviewFactory(worker=worker, employment=current, slot__interviewer=interviewer)
    InterviewFactory(worker=worker, employment=current)


# What each role that may open the page sees in the panels: (open interviews it may see,
# id of each oversight link shown, id of each not shown).
PANELS_BY_ROLE = {
    "officer": (2, ["oversight-subject-access-link"], ["oversight-holds-link"]),
    "supervisor": (2, ["oversight-subject-access-link", "oversight-holds-link"], []),
    # An interviewer sees only the interviews assigned to them, and no data-protection links.
    "interviewer": (1, [], ["oversight-panel"]),
}


@pytest.mark.parametrize("role", list(PANELS_BY_ROLE))
def test_with_every_panel_and_open_interviews_the_page_runs_at_most_15_queries(
    request, client_for, role, django_assert_max_num_queries
):
    user = request.getfixturevalue(role)
    open_count, shown, hidden = PANELS_BY_ROLE[role]
    short = _worker_with_everything("Short", extra=0)
    long = _worker_with_everything("Long", extra=6)
    for worker in (short, long):
        _with_open_interviews(worker, interviewer=user)
    client = client_for(user)
    client.get(_detail(short))  # the session and the policy row are written once
    counts = []
    for worker in (short, long):
        with django_assert_max_num_queries(15):
            queries = _queries(client, _detail(worker))
        counts.append(len(queries))
        html = client.get(_detail(worker)).content.decode()
        assert 'id="interviews-next"' in html
        assert f"{open_count} open interview" in html
        for element_id in shown:
            assert f'id="{element_id}"' in html
        for element_id in hidden:
            assert f'id="{element_id}"' not in html
    assert counts[0] == counts[1]


# Transaction control around the session's save: savepoints inside a test's transaction, BEGIN
# and COMMIT on SQLite outside one, nothing on PostgreSQL (its driver opens the transaction).
_TRANSACTION_CONTROL = (
    "SAVEPOINT",
    "RELEASE SAVEPOINT",
    "ROLLBACK TO SAVEPOINT",
    "BEGIN",
    "COMMIT",
)


def test_the_request_that_refreshes_the_session_stays_within_15_queries_too(client_for, supervisor):
    worker = _worker_with_everything("Perera", extra=6)
    _with_open_interviews(worker, interviewer=supervisor)
    client = client_for(supervisor)
    client.get(_detail(worker))
    # Past the minute after which the last-seen time is written again, within the idle limit.
    with time_machine.travel(TODAY + dt.timedelta(minutes=5), tick=False):
        queries = [
            query["sql"]
            for query in _queries(client, _detail(worker))
            if not query["sql"].startswith(_TRANSACTION_CONTROL)
        ]
    assert [sql for sql in queries if sql.startswith('UPDATE "django_session"')]
    assert len(queries) <= 15


def test_the_user_their_device_and_their_permissions_are_read_in_one_query(client_for, officer):
    worker = _worker_with_everything("Perera", extra=0)
    client = client_for(officer)
    client.get(_detail(worker))
    queries = [query["sql"] for query in _queries(client, _detail(worker))]
    assert [sql for sql in queries if sql.startswith('SELECT "accounts_user"')] == [queries[1]]
    assert "otp_totp_totpdevice" in queries[1]
    assert "auth_permission" in queries[1]
    assert not [sql for sql in queries if sql.startswith('SELECT "otp_totp_totpdevice"')]
    assert not [sql for sql in queries if sql.startswith('SELECT "django_content_type"')]


def test_the_policy_and_the_rank_limit_need_no_query_of_their_own(client_for, officer):
    worker = _worker_with_everything("Perera", extra=0)
    client = client_for(officer)
    with only_worker_panels():
        client.get(_detail(worker))
        queries = [query["sql"] for query in _queries(client, _detail(worker))]
    reading_the_policy = [sql for sql in queries if "registry_policy" in sql]
    assert len(reading_the_policy) == 1
    assert reading_the_policy[0].startswith('SELECT "registry_employment"')
    assert not [sql for sql in queries if sql.startswith("SELECT COUNT(")]


def test_the_salary_shortfalls_are_listed_under_their_account_newest_month_first(
    client_for, officer
):
    worker = _worker_with_everything("Perera", extra=1)
    with only_worker_panels():
        page = client_for(officer).get(_detail(worker)).context["page"]
    for account in page.bank_accounts:
        months = [deposit.month for deposit in account.shortfalls]
        assert months == sorted(months, reverse=True)
        assert all(deposit.account_id == account.pk for deposit in account.shortfalls)
        assert all(deposit.shortfall == Decimal("500.00") for deposit in account.shortfalls)


# --- The policy check on the page -----------------------------------------------------------


def test_over_the_rank_limit_the_page_flags_the_newest_contract_only(client_for, officer):
    employer = EmployerFactory(is_head_of_mission=False)
    first = WorkerEmploymentFactory(employer=employer)
    second = WorkerEmploymentFactory(employer=employer)
    client = client_for(officer)
    breach = "This employer would have 2 domestic workers; the most allowed for this rank is 1."
    with only_worker_panels():
        assert breach not in client.get(_detail(first.worker)).content.decode()
        assert breach in client.get(_detail(second.worker)).content.decode()
        Employment.objects.filter(pk=first.pk).update(
            status=Employment.Status.ENDED, end_date=dt.date(2026, 5, 1)
        )
        assert breach not in client.get(_detail(second.worker)).content.decode()


def test_the_page_checks_the_contract_against_the_policy_as_it_is_now(client_for, officer):
    employment = WorkerEmploymentFactory(monthly_salary=Decimal("2000.00"))
    client = client_for(officer)
    with only_worker_panels():
        assert not client.get(_detail(employment.worker)).context["page"].breaches
        Policy.objects.update(minimum_monthly_wage=Decimal("2100.00"))
        html = client.get(_detail(employment.worker)).content.decode()
    assert "The monthly salary 2000.00 EUR is below the minimum wage of 2100.00 EUR." in html


def test_the_first_page_with_a_contract_creates_the_default_policy(client_for, officer):
    Policy.objects.all().delete()
    employment = WorkerEmploymentFactory(monthly_salary=Decimal("1500.00"))
    with only_worker_panels():
        html = client_for(officer).get(_detail(employment.worker)).content.decode()
    assert "is below the minimum wage of 1800.00 EUR." in html
    assert Policy.objects.count() == 1


# --- Panels from other apps -----------------------------------------------------------------


def test_a_registered_panel_is_shown_with_its_own_context_and_the_pages(
    client_for, officer, supervisor, panel_template
):
    worker = IndexedWorkerFactory(family_name="Perera")

    def panel(request, shown):
        return panel_template, {"note": "Two appointments"}

    with only_worker_panels(panel):
        for_officer = client_for(officer).get(_detail(worker)).content.decode()
        for_supervisor = client_for(supervisor).get(_detail(worker)).content.decode()
    assert "Other records" in for_officer
    assert "Two appointments for Perera, who may change the worker." in for_officer
    assert "Two appointments for Perera." in for_supervisor
    # The panels come after the person's details, before the languages.
    assert (
        for_officer.index("person-heading")
        < for_officer.index("test-panel")
        < for_officer.index("languages-heading")
    )


def test_a_panel_returning_none_shows_nothing_and_no_panel_no_area(client_for, officer):
    worker = IndexedWorkerFactory()
    client = client_for(officer)
    with only_worker_panels(lambda request, shown: None):
        assert "Other records" not in client.get(_detail(worker)).content.decode()
    with only_worker_panels():
        assert "Other records" not in client.get(_detail(worker)).content.decode()


def test_a_panel_costs_only_its_own_queries(client_for, officer, panel_template):
    worker = _worker_with_everything("Perera", extra=0)
    client = client_for(officer)

    def counting_panel(request, shown):
        count = Worker.objects.filter(date_of_birth=shown.date_of_birth).count()
        return panel_template, {"note": f"{count} born that day"}

    with only_worker_panels():
        client.get(_detail(worker))
        without = len(_queries(client, _detail(worker)))
    with only_worker_panels(counting_panel):
        response = client.get(_detail(worker))
        with_panel = len(_queries(client, _detail(worker)))
    assert "2 born that day for" in response.content.decode()
    assert with_panel == without + 1


def test_panels_are_registered_once_and_can_be_taken_away(rf, officer, panel_template):
    worker = IndexedWorkerFactory()
    request = rf.get("/")
    request.user = officer

    def panel(request, shown):
        return panel_template, {"note": "n"}

    with only_worker_panels():
        assert register_worker_panel(panel) is panel
        register_worker_panel(panel)
        assert worker_panels(request, worker) == [(panel_template, {"note": "n"})]
        unregister_worker_panel(panel)
        assert worker_panels(request, worker) == []


def test_only_worker_panels_gives_back_the_panels_registered_before():
    def panel(request, shown):
        return None

    with only_worker_panels(panel):
        with only_worker_panels():
            pass
        register_worker_panel(panel)
    with only_worker_panels():
        pass
    from registry import panels

    assert panel not in panels._worker_panels


# --- PostgreSQL -------------------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="JIT is a PostgreSQL setting; SQLite has none."
)
def test_hestias_connections_to_postgresql_run_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"

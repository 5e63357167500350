"""The supervisor's queue of contracts waiting for a decision.

A worker registered in person whose contract does not meet the policy waits until a supervisor
records an exception. The queue shows who has waited longest, what falls short, and any active
contract below the policy that has no exception (there should be none).
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.models import AuditEntry
from registry import services
from registry.models import Employment, Registration
from registry.selectors_oversight import (
    active_below_policy,
    contract_breaches,
    contracts_awaiting_exception,
)
from tests.factories import EmployerFactory, MissionFactory, WorkerFactory

pytestmark = pytest.mark.django_db
Status = Employment.Status
QUEUE = reverse("registry:contracts-awaiting-exception")
NOW = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
# The most a page costs, however many rows it shows: session, user, device, two for the
# permissions, policy, the audit entry, and a count and a page for each of the two lists.
MOST_QUERIES = 11


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def policy():
    return services.policy_current()  # 1800 EUR, 40 hours, 1 rest day, 20 days, 1 / 3 workers


def contract(*, employer=None, worker=None, status=Status.REGISTERED, **terms) -> Employment:
    """A contract that meets the default policy unless terms say otherwise."""
    fields = {
        "start_date": dt.date(2026, 1, 1),
        "monthly_salary": Decimal("2100.00"),
        "currency": "EUR",
        "weekly_hours": 38,
        "weekly_rest_days": 2,
        "annual_leave_days": 24,
        "accommodation": Employment.Accommodation.OWN,
        **terms,
    }
    return Employment.objects.create(
        worker=worker or WorkerFactory(),
        employer=employer or EmployerFactory(),
        status=status,
        **fields,
    )


def registered(employment: Employment, held_at: dt.datetime, officer) -> Registration:
    return Registration.objects.create(
        employment=employment,
        held_at=held_at,
        officer=officer,
        identity_checked=True,
        held_own_passport=True,
        employer_absent=True,
        language="tl",
        rights_explained=True,
        leaflet_language="tl",
    )


def days_ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def page(response) -> str:
    return response.content.decode()


def shows(response, text: str) -> bool:
    content = page(response)
    return escape(text) in content or text in content


def waiting_ids(response) -> list[int]:
    return [row.employment.pk for row in response.context["rows"]]


def below_ids(response) -> list[int]:
    return [row.employment.pk for row in response.context["active_rows"]]


# --- Who may open the queue ---------------------------------------------------------------


def test_a_supervisor_and_an_officer_open_the_queue(client_for, supervisor, officer):
    assert client_for(supervisor).get(QUEUE).status_code == 200
    assert client_for(officer).get(QUEUE).status_code == 200


@pytest.mark.parametrize("who", ["interviewer", "auditor", "administrator"])
def test_other_roles_are_refused_and_the_refusal_is_audited(request, client_for, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get(QUEUE).status_code == 403
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.PERMISSION_DENIED, actor=user
    ).exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_queue_cannot_be_posted_to(client_for, supervisor):
    assert client_for(supervisor).post(QUEUE).status_code == 405


def test_opening_the_queue_is_audited_as_a_read_of_contracts(client_for, supervisor):
    client_for(supervisor).get(QUEUE)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW, actor=supervisor)
    assert entry.object_type == "registry.employment"
    assert entry.detail == "contracts awaiting exception"


# --- What the queue shows -----------------------------------------------------------------


def test_a_waiting_contract_shows_its_worker_employer_mission_date_and_breaches(
    client_for, supervisor, officer, policy
):
    mission = MissionFactory(name="Embassy of Ruritania")
    employer = EmployerFactory(
        mission=mission, family_name="Orsini", given_names="Carla", title="Counsellor"
    )
    worker = WorkerFactory(family_name="Bautista", given_names="Ligaya")
    employment = contract(
        employer=employer, worker=worker, monthly_salary=Decimal("1500.00"), weekly_hours=48
    )
    registered(employment, days_ago(9), officer)

    response = client_for(supervisor).get(QUEUE)

    assert response.status_code == 200
    assert waiting_ids(response) == [employment.pk]
    for text in ("Bautista, Ligaya", "Orsini, Carla", "Counsellor", "Embassy of Ruritania"):
        assert shows(response, text)
    assert '<span dir="ltr">2026-04-25</span>' in page(response)
    assert shows(response, "Waiting for 9 days")
    assert shows(
        response, "The monthly salary 1500.00 EUR is below the minimum wage of 1800.00 EUR."
    )
    assert shows(response, "48 weekly hours is above the maximum of 40.")
    assert reverse("registry:worker-detail", kwargs={"pk": worker.pk}) in page(response)
    assert shows(response, "1 contract waits for a decision.")


def test_the_worker_who_has_waited_longest_comes_first(client_for, supervisor, officer):
    recent = contract(weekly_hours=45)
    registered(recent, days_ago(2), officer)
    oldest = contract(weekly_hours=45)
    registered(oldest, days_ago(30), officer)
    middle = contract(weekly_hours=45)
    registered(middle, days_ago(10), officer)

    response = client_for(supervisor).get(QUEUE)

    assert waiting_ids(response) == [oldest.pk, middle.pk, recent.pk]
    content = page(response)
    assert content.index("2026-04-04") < content.index("2026-04-24") < content.index("2026-05-02")


def test_a_contract_without_a_registration_on_record_waits_from_when_it_was_recorded(
    client_for, supervisor, officer
):
    with time_machine.travel(days_ago(20), tick=False):
        imported = contract(weekly_hours=45)
    later = contract(weekly_hours=45)
    registered(later, days_ago(5), officer)

    response = client_for(supervisor).get(QUEUE)

    assert waiting_ids(response) == [imported.pk, later.pk]
    assert shows(response, "No registration on record")
    assert shows(response, "Waiting for 20 days")


def test_only_contracts_registered_in_person_and_not_active_are_waiting(
    client_for, supervisor, officer
):
    waiting = contract(weekly_hours=45)
    registered(waiting, days_ago(3), officer)
    contract(status=Status.PRE_NOTIFIED, weekly_hours=45)
    contract(status=Status.SUSPENDED, weekly_hours=45)
    contract(status=Status.ENDED, weekly_hours=45, end_date=dt.date(2026, 3, 1))
    contract(status=Status.ACTIVE)

    response = client_for(supervisor).get(QUEUE)

    assert waiting_ids(response) == [waiting.pk]
    assert below_ids(response) == []


def test_a_supervisor_gets_the_link_to_record_the_exception(client_for, supervisor, officer):
    employment = contract(weekly_rest_days=0)
    registered(employment, days_ago(1), officer)
    activate = reverse("registry:employment-activate", kwargs={"pk": employment.pk})

    response = client_for(supervisor).get(QUEUE)

    assert activate in page(response)
    assert shows(response, "Decide on the exception")
    assert not shows(response, "Only a supervisor can record an exception to the policy.")


def test_an_officer_reads_the_queue_without_the_link_to_record_the_exception(client_for, officer):
    employment = contract(weekly_rest_days=0)
    registered(employment, days_ago(1), officer)
    activate = reverse("registry:employment-activate", kwargs={"pk": employment.pk})

    response = client_for(officer).get(QUEUE)

    assert waiting_ids(response) == [employment.pk]
    assert shows(response, "0 weekly rest days is below the minimum of 1.")
    assert activate not in page(response)
    assert shows(response, "Only a supervisor can record an exception to the policy.")
    assert reverse("registry:worker-detail", kwargs={"pk": employment.worker_id}) in page(response)


def test_a_waiting_contract_that_now_meets_the_policy_says_so(client_for, supervisor, officer):
    employment = contract()
    registered(employment, days_ago(4), officer)

    response = client_for(supervisor).get(QUEUE)

    assert waiting_ids(response) == [employment.pk]
    assert shows(response, "This contract meets the policy.")


def test_the_employers_other_workers_count_against_the_limit_for_the_rank(
    client_for, supervisor, officer
):
    staff_member = EmployerFactory(is_head_of_mission=False)
    contract(employer=staff_member, status=Status.ACTIVE)
    contract(employer=staff_member, status=Status.ENDED, end_date=dt.date(2026, 2, 1))
    second = contract(employer=staff_member)
    registered(second, days_ago(6), officer)

    response = client_for(supervisor).get(QUEUE)

    assert response.context["rows"][0].breaches == [
        "This employer would have 2 domestic workers; the most allowed for this rank is 1."
    ]


def test_an_empty_queue_says_so(client_for, supervisor):
    response = client_for(supervisor).get(QUEUE)

    assert shows(response, "No contract is waiting for a decision.")
    assert shows(response, "No active contract falls below the policy without an exception.")
    assert "below-table" not in page(response)


# --- Active contracts below the policy ----------------------------------------------------


def test_an_active_contract_below_the_policy_without_an_exception_is_shown_in_red(
    client_for, supervisor
):
    worker = WorkerFactory(family_name="Mengistu", given_names="Hana")
    below = contract(worker=worker, status=Status.ACTIVE, annual_leave_days=10)

    response = client_for(supervisor).get(QUEUE)

    assert below_ids(response) == [below.pk]
    assert waiting_ids(response) == []
    content = page(response)
    assert f'<tr class="table-danger" data-employment="{below.pk}">' in content
    assert shows(response, "Active below the policy")
    assert shows(response, "10 days of annual leave is below the minimum of 20.")
    assert shows(response, "Mengistu, Hana")
    assert 'role="alert" id="below-alert"' in content


def test_an_active_contract_with_a_recorded_exception_is_not_listed_as_below_the_policy(
    client_for, supervisor
):
    contract(
        status=Status.ACTIVE,
        weekly_hours=44,
        policy_override_reason="Live-out position, hours agreed with the labour inspectorate.",
        policy_override_by=supervisor,
        policy_override_at=NOW,
    )
    contract(status=Status.ACTIVE)

    response = client_for(supervisor).get(QUEUE)

    assert below_ids(response) == []
    assert shows(response, "No active contract falls below the policy without an exception.")


def test_a_salary_in_another_currency_is_listed_for_a_check_by_hand(client_for, supervisor):
    other = contract(status=Status.ACTIVE, currency="USD", monthly_salary=Decimal("5000.00"))

    response = client_for(supervisor).get(QUEUE)

    assert below_ids(response) == [other.pk]
    assert shows(
        response,
        "The salary is in USD; the minimum wage is set in EUR and must be checked by hand.",
    )


# --- The list's own breach computation agrees with the service ----------------------------

CASES = {
    "meets the policy": {},
    "low wage": {"monthly_salary": Decimal("1799.99")},
    "exactly the minimum": {"monthly_salary": Decimal("1800.00"), "weekly_hours": 40},
    "other currency": {"currency": "USD", "monthly_salary": Decimal("100.00")},
    "long hours": {"weekly_hours": 41},
    "no rest day": {"weekly_rest_days": 0},
    "short leave": {"annual_leave_days": 19},
    "everything at once": {
        "monthly_salary": Decimal("900.00"),
        "weekly_hours": 60,
        "weekly_rest_days": 0,
        "annual_leave_days": 5,
    },
}


def _household(head_of_mission: bool, open_besides: int, ended_besides: int = 0):
    employer = EmployerFactory(is_head_of_mission=head_of_mission)
    for _ in range(open_besides):
        contract(employer=employer, status=Status.ACTIVE)
    for _ in range(ended_besides):
        contract(employer=employer, status=Status.ENDED, end_date=dt.date(2026, 2, 1))
    return employer


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_lists_breaches_are_word_for_word_those_of_the_service(language, policy):
    policy.minimum_annual_leave_days = 21
    policy.workers_per_head_of_mission = 2
    policy.save()
    households = [
        {"head_of_mission": False, "open_besides": 0, "ended_besides": 2},
        {"head_of_mission": False, "open_besides": 1},
        {"head_of_mission": True, "open_besides": 1},
        {"head_of_mission": True, "open_besides": 2},
    ]
    employments = [
        contract(employer=_household(**household), **terms)
        for household in households
        for terms in CASES.values()
    ]
    by_pk = {e.pk: e for e in contracts_awaiting_exception()}

    with translation.override(language):
        for employment in employments:
            listed = by_pk[employment.pk]
            assert contract_breaches(
                listed, policy, listed.others
            ) == services.employment_policy_breaches(employment, policy)


def test_the_active_below_policy_filter_picks_exactly_the_breaching_contracts(policy):
    households = [
        _household(head_of_mission=False, open_besides=0),
        _household(head_of_mission=False, open_besides=0, ended_besides=1),
        _household(head_of_mission=True, open_besides=2),
        _household(head_of_mission=True, open_besides=3),
    ]
    for terms in CASES.values():
        contract(status=Status.ACTIVE, **terms)
    for employer in households:
        contract(employer=employer, status=Status.ACTIVE)

    active = Employment.objects.filter(status=Status.ACTIVE, policy_override_reason="")
    expected = {e.pk for e in active if services.employment_policy_breaches(e, policy)}

    listed = {e.pk for e in active_below_policy(policy)}
    assert listed == expected
    # The six sets of terms below the policy, and the newest contract of the head of mission who
    # already had three: the contracts recorded before it are not the ones over the limit.
    assert len(expected) == len(CASES) - 2 + 1


# --- Pages and queries --------------------------------------------------------------------


def _fill(count: int, officer) -> None:
    """`count` waiting contracts and as many active ones below the policy, in varied households."""
    head = EmployerFactory(is_head_of_mission=True)
    for number in range(count):
        employer = head if number % 3 == 0 else EmployerFactory()
        waiting = contract(employer=employer, weekly_hours=41 + number % 5)
        registered(waiting, days_ago(number + 1), officer)
        contract(status=Status.ACTIVE, annual_leave_days=10)


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(QUEUE)
    assert response.status_code == 200
    return len(captured)


def test_the_queue_costs_the_same_queries_for_3_rows_as_for_30(
    client_for, supervisor, officer, policy, django_assert_max_num_queries
):
    client = client_for(supervisor)
    client.get(QUEUE)  # the first request of a session also saves the session
    _fill(3, officer)
    few = _queries(client)
    _fill(27, officer)
    many = _queries(client)

    assert few == many
    with django_assert_max_num_queries(MOST_QUERIES):
        response = client.get(QUEUE)
    assert len(response.context["rows"]) == 25
    assert len(response.context["active_rows"]) == 25


def test_the_two_lists_page_independently(client_for, supervisor, officer):
    _fill(30, officer)
    client = client_for(supervisor)

    first = client.get(QUEUE)
    second = client.get(QUEUE, {"page": 2, "active_page": 2})
    mixed = client.get(QUEUE, {"active_page": 2})

    assert len(first.context["rows"]) == 25
    assert shows(first, "30 contracts wait for a decision.")
    assert len(second.context["rows"]) == 5
    assert len(second.context["active_rows"]) == 5
    assert waiting_ids(mixed) == waiting_ids(first)
    assert len(mixed.context["active_rows"]) == 5
    assert "?active_page=2" in page(first)
    assert "?page=2&amp;active_page=2" not in page(first)
    assert "?active_page=2&amp;page=2" in page(mixed)


def test_the_queue_reads_right_to_left_in_arabic_with_dates_left_to_right(
    client_for, supervisor, officer
):
    employment = contract(weekly_hours=45)
    registered(employment, days_ago(3), officer)
    client = client_for(supervisor)

    response = client.get(QUEUE, headers={"accept-language": "ar"})

    assert response.status_code == 200
    assert 'dir="rtl"' in page(response)
    assert '<span dir="ltr">2026-05-01</span>' in page(response)

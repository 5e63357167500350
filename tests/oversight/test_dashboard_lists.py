"""The two lists the dashboard needed and did not have: salary accounts needing attention
(registry) and the messages to workers (notifications); and the concerns list's age ranges."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEntry
from notifications.models import Message
from registry.models import BankAccount
from tests.interviews.factories import ConcernFactory, InterviewFactory
from tests.oversight import factories_dashboard as data
from tests.oversight.factories_dashboard import DAY, HOUR, NOW, TODAY, notice, verified
from tests.registry.factories_workers import AccountFactory, IndexedWorkerFactory

pytestmark = pytest.mark.django_db
ATTENTION = reverse("registry:bank-account-attention")
MESSAGES = reverse("notifications:message-list")
CONCERNS = reverse("interviews:concern-list")


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def rows(page: str, attribute: str) -> list[str]:
    return re.findall(rf'<tr {attribute}="(\d+)"', page)


# --- Salary accounts needing attention ----------------------------------------------------------


def test_the_list_shows_each_worker_whose_account_needs_attention(client_for, officer):
    expected = data.accounts_of_every_kind()
    response = client_for(officer).get(ATTENTION)
    page = response.content.decode()
    states = re.findall(r'<tr data-worker="\d+" data-state="(\w+)">', page)
    assert sorted(states) == sorted(
        state for state, count in expected.items() for _index in range(count)
    )
    assert "No account in use" in page and "Verification expired" in page
    assert response.context["page"].paginator.count == sum(expected.values())


@pytest.mark.parametrize("state", ["none", "unverified", "expired"])
def test_the_list_filters_one_state(state, client_for, supervisor):
    expected = data.accounts_of_every_kind()
    page = client_for(supervisor).get(ATTENTION, {"state": state}).content.decode()
    states = re.findall(r'<tr data-worker="\d+" data-state="(\w+)">', page)
    assert states == [state] * expected[state]


def test_an_unknown_state_is_refused_with_a_message_and_the_whole_list_is_shown(
    client_for, officer
):
    expected = data.accounts_of_every_kind()
    response = client_for(officer).get(ATTENTION, {"state": "closed"})
    assert "Select a valid choice" in response.content.decode()
    assert response.context["page"].paginator.count == sum(expected.values())


def test_each_row_leads_to_the_account_or_to_adding_one(client_for, officer):
    without = data.employed_worker()
    unverified = AccountFactory(worker=data.employed_worker())
    page = client_for(officer).get(ATTENTION).content.decode()
    assert reverse("registry:bank-account-create", args=[without.pk]) in page
    assert reverse("registry:bank-account-detail", args=[unverified.pk]) in page


def test_a_supervisor_who_cannot_add_accounts_gets_no_add_link(client_for, supervisor):
    without = data.employed_worker()
    page = client_for(supervisor).get(ATTENTION).content.decode()
    assert f'data-worker="{without.pk}"' in page
    assert reverse("registry:bank-account-create", args=[without.pk]) not in page


def test_the_expiry_date_shows_for_an_expired_verification(client_for, officer):
    verified(data.employed_worker(), expires_on=TODAY - 3 * DAY)
    page = client_for(officer).get(ATTENTION).content.decode()
    assert "2026-11-26" in page


def test_looking_at_the_list_is_audited(client_for, officer):
    client_for(officer).get(ATTENTION)
    assert AuditEntry.objects.filter(
        actor=officer, action=AuditEntry.Action.VIEW, detail="accounts needing attention"
    ).exists()


def test_the_list_costs_the_same_number_of_queries_at_any_size(client_for, officer):
    client = client_for(officer)
    client.get(ATTENTION)

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ATTENTION).status_code == 200
        return len(queries)

    data.workers_with_everything(4)
    small = measure()
    data.workers_with_everything(40)
    assert measure() == small


def test_the_list_works_in_arabic_right_to_left(client_for, officer):
    data.employed_worker()
    client = client_for(officer)
    client.post(reverse("set_language"), {"language": "ar", "next": ATTENTION})
    page = client.get(ATTENTION).content.decode()
    assert '<html lang="ar" dir="rtl">' in page


# --- Messages -----------------------------------------------------------------------------------


def test_the_messages_are_listed_newest_change_first_without_their_text(client_for, supervisor):
    worker = IndexedWorkerFactory(family_name="Reyes")
    old = notice(Message.Status.DELIVERED, worker=worker, created_at=NOW - 5 * DAY)
    failed = notice(
        Message.Status.FAILED,
        worker=worker,
        created_at=NOW - 9 * DAY,
        last_attempt_at=NOW - DAY,
        failure_code="unreachable",
        failure_detail="The number does not answer",
        body="Your appointment: the text nobody may read here",
        subject="Appointment subject line",
    )
    held = notice(
        Message.Status.HELD, worker=worker, created_at=NOW - 2 * DAY, hold_reason="No safe phone"
    )
    page = client_for(supervisor).get(MESSAGES).content.decode()
    assert rows(page, "data-message") == [str(failed.pk), str(held.pk), str(old.pk)]
    assert "unreachable" in page and "The number does not answer" in page
    assert "No safe phone" in page
    assert reverse("registry:worker-detail", args=[worker.pk]) in page
    assert "the text nobody may read here" not in page
    assert "Appointment subject line" not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "failed"}, ["sms-failed", "failed-never-tried", "failed-old"]),
        ({"status": "failed", "since": "7"}, ["sms-failed", "failed-never-tried"]),
        ({"channel": "sms"}, ["queued", "sms-failed"]),
        ({"kind": "reminder"}, ["sms-failed"]),
        ({"since": "1"}, ["queued"]),
    ],
)
def test_the_messages_are_filtered(query, expected, client_for, supervisor):
    made = {
        "sms-failed": notice(
            Message.Status.FAILED, channel="sms", kind="reminder", last_attempt_at=NOW - 2 * DAY
        ),
        "failed-old": notice(
            Message.Status.FAILED, last_attempt_at=NOW - 8 * DAY, created_at=NOW - 9 * DAY
        ),
        "failed-never-tried": notice(Message.Status.FAILED, created_at=NOW - 6 * DAY),
        "queued": notice(Message.Status.QUEUED, channel="sms", created_at=NOW - HOUR),
    }
    names = {str(message.pk): name for name, message in made.items()}
    page = client_for(supervisor).get(MESSAGES, query).content.decode()
    assert [names[pk] for pk in rows(page, "data-message")] == expected


def test_an_unknown_filter_value_is_refused_with_a_message(client_for, officer):
    notice(Message.Status.HELD)
    response = client_for(officer).get(MESSAGES, {"status": "lost"})
    assert "Select a valid choice" in response.content.decode()
    assert response.context["page"].paginator.count == 1


def test_a_failed_message_can_be_sent_again_from_the_list(client_for, officer):
    failed = notice(Message.Status.FAILED, last_attempt_at=NOW - DAY)
    delivered = notice(Message.Status.DELIVERED)
    page = client_for(officer).get(MESSAGES).content.decode()
    assert reverse("notifications:message-resend", args=[failed.pk]) in page
    assert reverse("notifications:message-resend", args=[delivered.pk]) not in page


def test_looking_at_the_messages_is_audited(client_for, officer):
    client_for(officer).get(MESSAGES)
    assert AuditEntry.objects.filter(
        actor=officer, action=AuditEntry.Action.VIEW, detail="message list"
    ).exists()


def test_the_messages_cost_the_same_number_of_queries_at_any_size(client_for, supervisor):
    client = client_for(supervisor)
    client.get(MESSAGES)

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(MESSAGES).status_code == 200
        return len(queries)

    data.notices_of_every_kind()
    small = measure()
    data.workers_with_everything(30)
    assert Message.objects.count() > 50  # more than a page
    assert measure() == small


# --- Concerns by age ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        ("under7", ["six days", "yesterday"]),
        ("7to30", ["29 days", "seven days"]),
        ("30", ["forty days", "thirty days"]),
    ],
)
def test_the_concerns_list_filters_an_age_range(age, expected, client_for, supervisor):
    for summary, opened_at in [
        ("yesterday", NOW - DAY),
        ("six days", NOW - 7 * DAY + HOUR),
        ("seven days", NOW - 7 * DAY),
        ("29 days", NOW - 29 * DAY),
        ("thirty days", NOW - 30 * DAY),
        ("forty days", NOW - 40 * DAY),
    ]:
        ConcernFactory(summary=summary, opened_at=opened_at)
    response = client_for(supervisor).get(CONCERNS, {"age": age})
    assert [concern.summary for concern in response.context["page"]] == expected


def test_an_unverified_account_is_not_one_in_use_once_closed(client_for, officer):
    worker = data.employed_worker()
    account = AccountFactory(worker=worker)
    BankAccount.objects.filter(pk=account.pk).update(status=BankAccount.Status.CLOSED)
    page = client_for(officer).get(ATTENTION, {"state": "none"}).content.decode()
    assert f'data-worker="{worker.pk}" data-state="none"' in page


# --- The filters added to the interview and clearance lists -------------------------------------

INTERVIEWS = reverse("interviews:interview-list")
CLEARANCES = reverse("interviews:clearance-list")


def _interview_rows(client, query) -> set[int]:
    return {interview.pk for interview in client.get(INTERVIEWS, query).context["page"]}


def test_the_interview_list_shows_the_overdue_ones(client_for, supervisor):
    late = data.due(due_on=TODAY - DAY)
    late_booked = data.booked(starts_at=NOW + DAY, due_on=TODAY - 2 * DAY)
    data.due(due_on=TODAY)
    InterviewFactory(status="cancelled", due_on=TODAY - 5 * DAY)
    client = client_for(supervisor)
    assert _interview_rows(client, {"overdue": "on"}) == {late.pk, late_booked.pk}


def test_the_interview_list_shows_the_appointments_of_the_last_days(client_for, supervisor):
    recent = data.booked(starts_at=NOW - 29 * DAY, status="no_show")
    data.booked(starts_at=NOW - 31 * DAY, status="no_show")
    data.booked(starts_at=NOW - 2 * DAY, status="held")
    client = client_for(supervisor)
    query = {"status": "no_show", "past_days": "30"}
    assert _interview_rows(client, query) == {recent.pk}
    response = client.get(INTERVIEWS, {"past_days": "12"})
    assert "Select a valid choice" in response.content.decode()


def _cards_shown(client, query) -> list[str]:
    return [str(c.card.expiry_date) for c in client.get(CLEARANCES, query).context["page"]]


def test_the_clearance_list_shows_a_range_of_days_not_cleared_of_employed_workers(
    client_for, supervisor
):
    data.cards_of_every_kind()
    client = client_for(supervisor)
    everything = _cards_shown(client, {"days": "90"})
    assert "2026-12-14" in everything  # the card of a worker no longer employed
    assert _cards_shown(client, {"days": "60", "after_days": "30", "employed": "on"}) == [
        "2026-12-30",
        "2027-01-13",
        "2027-01-18",
    ]
    assert _cards_shown(
        client, {"days": "60", "after_days": "30", "employed": "on", "status": "uncleared"}
    ) == ["2026-12-30", "2027-01-18"]
    assert "2026-12-14" not in _cards_shown(client, {"days": "90", "employed": "on"})

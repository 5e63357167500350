"""The concerns list: supervisors see all, interviewers theirs; open ones by default, urgent first,
then the oldest; filters; a fixed number of queries; phones and Arabic."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from accounts.roles import Role
from interviews.models import Concern
from tests.interviews.factories import ConcernFactory, at
from tests.registry.factories_workers import IndexedWorkerFactory

pytestmark = pytest.mark.django_db
LIST = reverse("interviews:concern-list")
NOW = at(2026, 3, 10, 10, 0)
TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def shown(response) -> list[str]:
    return [concern.summary for concern in response.context["page"]]


def test_open_concerns_are_listed_urgent_first_then_the_oldest(client_for, supervisor):
    ConcernFactory(summary="medium, 5 days", opened_at=at(2026, 3, 5))
    ConcernFactory(summary="low, 20 days", severity="low", opened_at=at(2026, 2, 18))
    ConcernFactory(summary="urgent, today", severity="urgent", opened_at=at(2026, 3, 10, 9))
    ConcernFactory(summary="urgent, 2 days", severity="urgent", opened_at=at(2026, 3, 8))
    ConcernFactory(summary="in progress", status="in_progress", opened_at=at(2026, 3, 1))
    ConcernFactory(summary="referred", status="referred", opened_at=at(2026, 3, 2))
    ConcernFactory(summary="closed", status="closed", opened_at=at(2026, 1, 1))
    response = client_for(supervisor).get(LIST)
    assert shown(response) == [
        "urgent, 2 days",
        "urgent, today",
        "low, 20 days",
        "in progress",
        "referred",
        "medium, 5 days",
    ]


def test_each_row_shows_worker_severity_status_owner_due_date_age_and_source(
    client_for, supervisor, interviewer
):
    worker = IndexedWorkerFactory(family_name="Villanueva", given_names="Rosario")
    concern = ConcernFactory(
        worker=worker,
        severity="high",
        status="in_progress",
        owner=interviewer,
        due_on=dt.date(2026, 3, 20),
        opened_at=at(2026, 3, 1),
        source=Concern.Source.NO_SHOW,
    )
    interviewer.first_name, interviewer.last_name = "Lena", "Marchetti"
    interviewer.save()
    page = client_for(supervisor).get(LIST).content.decode()
    row = page.split(f'data-concern="{concern.pk}"')[1].split("</tr>")[0]
    assert "Villanueva, Rosario" in row
    assert reverse("registry:worker-detail", args=[worker.pk]) in row
    assert 'data-severity="high">High</span>' in row
    assert 'data-status="in_progress">In progress</span>' in row
    assert "Lena Marchetti" in row
    assert "2026-03-20" in row
    assert '<span dir="ltr">9</span>' in row  # days since it was opened
    assert "Missed appointments" in row
    assert "Overdue" not in row
    assert reverse("interviews:concern-detail", args=[concern.pk]) in row


def test_an_overdue_concern_is_highlighted(client_for, supervisor):
    late = ConcernFactory(due_on=dt.date(2026, 3, 9))
    page = client_for(supervisor).get(LIST).content.decode()
    row = page.split(f'data-concern="{late.pk}"')[1].split("</tr>")[0]
    assert 'class="table-warning"' in row
    assert "Overdue" in row


def test_a_concern_without_owner_says_nobody_yet(client_for, supervisor):
    ConcernFactory(owner=None)
    assert "Nobody yet" in client_for(supervisor).get(LIST).content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "closed"}, ["closed"]),
        ({"status": "referred"}, ["referred"]),
        ({"status": "all"}, ["urgent", "old", "closed", "nobody's", "overdue", "referred"]),
        ({"severity": "urgent"}, ["urgent"]),
        ({"owner": "mine"}, ["urgent", "old", "overdue", "referred"]),
        ({"owner": "nobody"}, ["nobody's"]),
        ({"overdue": "on"}, ["overdue"]),
        ({"age": "30"}, ["old"]),
        ({"severity": "low", "owner": "mine"}, []),
    ],
)
def test_the_filters(client_for, supervisor, query, expected):
    ConcernFactory(summary="old", owner=supervisor, opened_at=at(2026, 1, 20))
    ConcernFactory(summary="closed", status="closed", owner=supervisor, opened_at=at(2026, 1, 25))
    ConcernFactory(summary="nobody's", owner=None, opened_at=at(2026, 2, 20))
    ConcernFactory(
        summary="overdue", owner=supervisor, due_on=dt.date(2026, 3, 1), opened_at=at(2026, 2, 21)
    )
    ConcernFactory(
        summary="referred", status="referred", owner=supervisor, opened_at=at(2026, 3, 1)
    )
    ConcernFactory(summary="urgent", severity="urgent", owner=supervisor, opened_at=at(2026, 3, 9))
    response = client_for(supervisor).get(LIST, query)
    assert shown(response) == expected


def test_a_closed_concern_past_its_due_date_is_not_overdue(client_for, supervisor):
    ConcernFactory(summary="closed late", status="closed", due_on=dt.date(2026, 3, 1))
    response = client_for(supervisor).get(LIST, {"status": "all", "overdue": "on"})
    assert shown(response) == []


def test_an_unknown_filter_value_is_ignored_with_a_message(client_for, supervisor):
    ConcernFactory(summary="open one")
    response = client_for(supervisor).get(LIST, {"severity": "apocalyptic"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert shown(response) == ["open one"]


def test_an_interviewer_filters_their_own_with_mine(client_for, interviewer, make_staff):
    colleague = make_staff(Role.INTERVIEWER, username="colleague")
    ConcernFactory(summary="theirs, opened by me", opened_by=interviewer, owner=colleague)
    ConcernFactory(summary="mine", opened_by=colleague, owner=interviewer)
    client = client_for(interviewer)
    assert shown(client.get(LIST)) == ["theirs, opened by me", "mine"]
    assert shown(client.get(LIST, {"owner": "mine"})) == ["mine"]


def test_the_list_shows_25_a_page_in_a_fixed_number_of_queries(
    client_for, supervisor, interviewer, django_assert_max_num_queries
):
    client = client_for(supervisor)
    for _ in range(3):
        ConcernFactory(owner=interviewer)
    with django_assert_max_num_queries(20) as few:
        assert len(client.get(LIST).context["page"]) == 3
    small = len(few.captured_queries)
    for number in range(27):
        ConcernFactory(owner=interviewer if number % 2 else supervisor, severity="urgent")
    with django_assert_max_num_queries(small):
        first = client.get(LIST)
    with django_assert_max_num_queries(small):
        second = client.get(LIST, {"page": "2"})
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 5
    assert "Page 2 of 2" in second.content.decode()


def test_reading_the_list_is_in_the_audit_log(client_for, supervisor):
    client_for(supervisor).get(LIST)
    entry = AuditEntry.objects.get(object_type="interviews.concern", action="view")
    assert entry.actor == supervisor
    assert entry.detail == "list"


def test_phones_get_one_card_per_concern_from_the_same_rows(client_for, supervisor):
    ConcernFactory(summary="Wage paid late twice")
    page = client_for(supervisor).get(LIST).content.decode()
    assert 'class="table-responsive d-none d-md-block"' in page
    cards = page.split('id="concern-cards"')[1].split("</ul>")[0]
    assert "d-md-none" in page.split('id="concern-cards"')[0].rsplit("<ul", 1)[1]
    assert cards.count('<li class="card') == 1
    assert "Wage paid late twice" in cards


def test_the_list_works_in_arabic_right_to_left(client_for, supervisor):
    ConcernFactory(summary="Wage paid late twice", severity="urgent")
    client = client_for(supervisor)
    client.post(reverse("set_language"), {"language": "ar", "next": LIST})
    response = client.get(LIST)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in page
    assert "bootstrap.rtl.min.css" in page
    assert "تصفية" in page  # "Filter"
    assert "الحالة" in page  # "Status"
    assert "Wage paid late twice" in page

"""One worker's interviews: the page, and the small panel on the registry's worker page."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEntry
from interviews.models import Interview, InterviewKind
from interviews.panels import worker_panel
from registry.panels import only_worker_panels
from tests.interviews.factories import BookedInterviewFactory, InterviewFactory, at
from tests.interviews.factories_booking import slot_at
from tests.registry.factories_workers import IndexedWorkerFactory

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 30, 9, 0)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _url(worker):
    return reverse("interviews:worker-interviews", args=[worker.pk])


def _history(worker):
    """An old cancelled interview, a held one, and an open one, created in that order."""
    old = InterviewFactory(worker=worker, status=Interview.Status.CANCELLED, cancel_reason="Left")
    held = BookedInterviewFactory(
        worker=worker,
        employment=old.employment,
        card=old.card,
        status=Interview.Status.HELD,
        created_at=at(2026, 6, 1),
    )
    old.created_at = at(2026, 1, 5)
    old.save()
    current = InterviewFactory(
        worker=worker, employment=old.employment, card=old.card, created_at=at(2026, 11, 1)
    )
    return old, held, current


def test_it_lists_all_the_workers_interviews_newest_first(officer, client_for):
    worker = IndexedWorkerFactory()
    old, held, current = _history(worker)
    InterviewFactory()  # someone else's

    response = client_for(officer).get(_url(worker))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index(f'data-interview="{current.pk}"') < page.index(f'data-interview="{held.pk}"')
    assert page.index(f'data-interview="{held.pk}"') < page.index(f'data-interview="{old.pk}"')
    assert page.count("data-interview=") == 3
    assert "Cancelled" in page
    assert "Held" in page
    assert reverse("interviews:interview-create", args=[worker.pk]) in page
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW, object_type="registry.worker", object_id=str(worker.pk)
    ).exists()


def test_an_interviewer_sees_only_their_own_and_no_new_interview_button(interviewer, client_for):
    worker = IndexedWorkerFactory()
    own = BookedInterviewFactory(
        worker=worker, slot=slot_at(at(2026, 12, 2), interviewer=interviewer)
    )
    InterviewFactory(worker=worker, employment=own.employment, kind=InterviewKind.EXIT)

    page = client_for(interviewer).get(_url(worker)).content.decode()

    assert page.count("data-interview=") == 1
    assert f'data-interview="{own.pk}"' in page
    assert reverse("interviews:interview-create", args=[worker.pk]) not in page


@pytest.mark.parametrize("role", ["administrator", "auditor"])
def test_administrators_and_auditors_are_refused(role, request, client_for):
    user = request.getfixturevalue(role)

    assert client_for(user).get(_url(IndexedWorkerFactory())).status_code == 403


# --- The panel on the worker's page ---------------------------------------------------------


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_panel_gives_the_next_interview_and_the_count_of_open_ones(
    officer, django_assert_max_num_queries
):
    worker = IndexedWorkerFactory()
    _old, _held, due = _history(worker)
    booked = BookedInterviewFactory(
        worker=worker,
        employment=due.employment,
        kind=InterviewKind.FOLLOW_UP,
        slot=slot_at(at(2026, 12, 3, 10, 0)),
    )
    request = _request(officer)
    officer.has_perm("interviews.view_interview")  # the worker page has loaded the permissions

    with django_assert_max_num_queries(2):
        template_name, context = worker_panel(request, worker)

    assert template_name == "interviews/worker_panel.html"
    assert context["interviews_next"] == booked
    assert context["interviews_open_count"] == 2


def test_the_panel_renders_the_next_appointment(officer):
    worker = IndexedWorkerFactory()
    booked = BookedInterviewFactory(worker=worker, slot=slot_at(at(2026, 12, 3, 10, 0)))
    template_name, context = worker_panel(_request(officer), worker)

    html = render_to_string(template_name, context)

    assert reverse("interviews:interview-detail", args=[booked.pk]) in html
    assert "2026-12-03 10:00" in html
    assert "1 open interview" in html
    assert reverse("interviews:worker-interviews", args=[worker.pk]) in html


def test_the_panel_says_when_nothing_is_open_in_one_query(officer, django_assert_num_queries):
    worker = IndexedWorkerFactory()
    BookedInterviewFactory(worker=worker, status=Interview.Status.HELD)
    officer.has_perm("interviews.view_interview")

    with django_assert_num_queries(1):
        _template, context = worker_panel(_request(officer), worker)

    assert context["interviews_next"] is None
    assert context["interviews_open_count"] == 0


@pytest.mark.parametrize("role", ["administrator", "auditor"])
def test_the_panel_is_left_out_for_users_who_may_not_see_interviews(role, request):
    user = request.getfixturevalue(role)

    assert worker_panel(_request(user), IndexedWorkerFactory()) is None


def test_an_interviewers_panel_shows_only_their_own_interviews(interviewer):
    worker = IndexedWorkerFactory()
    InterviewFactory(worker=worker)

    _template, context = worker_panel(_request(interviewer), worker)

    assert context["interviews_next"] is None


def _worker_page(client, worker):
    return client.get(reverse("registry:worker-detail", args=[worker.pk]))


def test_the_workers_page_shows_the_panel(officer, client_for):
    worker = IndexedWorkerFactory()
    booked = BookedInterviewFactory(worker=worker, slot=slot_at(at(2026, 12, 3, 10, 0)))

    page = _worker_page(client_for(officer), worker).content.decode()

    panel = page[page.index('id="interviews-panel"') :]
    assert reverse("interviews:interview-detail", args=[booked.pk]) in panel
    assert "2026-12-03 10:00" in panel


def test_the_panel_costs_the_workers_page_two_queries_at_most(officer, client_for):
    worker = IndexedWorkerFactory()
    BookedInterviewFactory(worker=worker, slot=slot_at(at(2026, 12, 3, 10, 0)))
    web = client_for(officer)
    _worker_page(web, worker)  # warm the session, as for any later page

    with only_worker_panels(), CaptureQueriesContext(connection) as without:
        assert 'id="interviews-panel"' not in _worker_page(web, worker).content.decode()
    with only_worker_panels(worker_panel), CaptureQueriesContext(connection) as with_panel:
        assert 'id="interviews-panel"' in _worker_page(web, worker).content.decode()

    assert len(with_panel) - len(without) <= 2

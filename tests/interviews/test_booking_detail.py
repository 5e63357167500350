"""An interview's page: what it shows, the buttons each user gets, who may open it, and the
audit entry every reading writes."""

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from interviews.models import Interview
from tests.interviews.factories import (
    BookedInterviewFactory,
    InterpreterFactory,
    InterviewFactory,
    RecordFactory,
    at,
)
from tests.interviews.factories_booking import slot_at, speaker

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 30, 9, 0)
TOMORROW_10 = at(2026, 12, 1, 10, 0)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _url(interview):
    return reverse("interviews:interview-detail", args=[interview.pk])


def _page(client, interview) -> str:
    response = client.get(_url(interview))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_worker_the_window_and_the_appointment(officer, client_for):
    interpreter = InterpreterFactory(name="Ligaya Reyes", languages=["tl"])
    interviewer = speaker("en", first_name="Hana", last_name="Novak")
    interview = BookedInterviewFactory(
        slot=slot_at(TOMORROW_10, interviewer=interviewer), interpreter=interpreter
    )

    page = _page(client_for(officer), interview)

    assert reverse("registry:worker-detail", args=[interview.worker.pk]) in page
    assert "Annual interview" in page
    assert interview.window_opens_on.isoformat() in page
    assert interview.due_on.isoformat() in page
    assert "2026-12-01 10:00" in page
    assert str(interview.room) in page
    assert "Hana Novak" in page
    assert "Tagalog (Filipino)" in page
    assert "Ligaya Reyes" in page


def test_every_reading_is_in_the_audit_log(officer, client_for):
    interview = InterviewFactory()
    web = client_for(officer)

    web.get(_url(interview))
    web.get(_url(interview))

    readings = AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW,
        object_type="interviews.interview",
        object_id=str(interview.pk),
        actor=officer,
    )
    assert readings.count() == 2


def test_the_status_history_shows_each_change_and_who_made_it(officer, client_for):
    interview = InterviewFactory()
    slot = slot_at(TOMORROW_10)
    web = client_for(officer)
    officer.first_name, officer.last_name = "Omar", "Haddad"
    officer.save()
    web.post(reverse("interviews:interview-book", args=[interview.pk]), {"slot": slot.pk})

    page = _page(web, interview)

    history = page[page.index('id="status-history"') :]
    assert history.index("Due, not yet booked") < history.index("Invited")
    assert "Omar Haddad" in history


def test_it_shows_the_workers_confirmation(officer, client_for):
    interview = BookedInterviewFactory(status=Interview.Status.CONFIRMED, confirmed_at=NOW)

    page = _page(client_for(officer), interview)

    assert "Confirmed on" in page
    assert "2026-11-30 09:00" in page


def test_it_shows_that_the_worker_asked_for_another_time_with_their_note(officer, client_for):
    interview = BookedInterviewFactory(
        move_requested_at=NOW, move_request_note="Only on Sundays after 2 pm"
    )

    page = _page(client_for(officer), interview)

    assert "Asked for another time on" in page
    assert "Only on Sundays after 2 pm" in page


def test_it_shows_the_chain_of_missed_appointments(officer, client_for):
    first = BookedInterviewFactory(status=Interview.Status.NO_SHOW)
    same = {"worker": first.worker, "employment": first.employment, "card": first.card}
    second = BookedInterviewFactory(**same, status=Interview.Status.NO_SHOW, follows=first)
    third = InterviewFactory(**same, follows=second)
    web = client_for(officer)

    page = _page(web, third)
    middle = _page(web, second)

    chain = page[page.index('id="interview-chain"') :]
    assert chain.index(_url(second)) < chain.index(_url(first))
    assert chain.count('data-chain="earlier"') == 2
    assert 'data-chain="later"' in middle
    assert _url(third) in middle


def test_a_held_interview_links_to_its_record(supervisor, client_for):
    record = RecordFactory()

    page = _page(client_for(supervisor), record.interview)

    assert reverse("interviews:record-detail", args=[record.interview.pk]) in page
    assert 'id="action-record"' not in page


def test_an_officer_may_book_and_cancel_a_due_interview(officer, client_for):
    page = _page(client_for(officer), InterviewFactory())

    assert 'id="action-book"' in page
    assert 'id="action-cancel"' in page
    assert 'id="action-move"' not in page
    assert 'id="action-record"' not in page


def test_an_officer_may_move_and_cancel_a_booked_interview(officer, client_for):
    page = _page(client_for(officer), BookedInterviewFactory(slot=slot_at(TOMORROW_10)))

    assert 'id="action-move"' in page
    assert 'id="action-cancel"' in page
    assert 'id="action-book"' not in page
    assert 'id="action-missed"' not in page  # the appointment has not started


def test_the_assigned_interviewer_may_record_once_the_time_has_come(
    interviewer, client_for, time_machine
):
    interview = BookedInterviewFactory(slot=slot_at(TOMORROW_10, interviewer=interviewer))

    before = _page(client_for(interviewer), interview)
    time_machine.move_to(at(2026, 12, 1, 10, 5), tick=False)
    after = _page(client_for(interviewer), interview)

    assert 'id="action-record"' not in before
    assert 'id="action-missed"' not in before
    assert reverse("interviews:record-create", args=[interview.pk]) in after
    assert reverse("interviews:interview-missed", args=[interview.pk]) in after
    assert 'id="action-move"' not in after
    assert 'id="action-cancel"' not in after


def test_once_the_time_has_come_an_officer_may_mark_it_missed_but_not_record_it(
    officer, client_for, time_machine
):
    interview = BookedInterviewFactory(slot=slot_at(TOMORROW_10))
    time_machine.move_to(at(2026, 12, 1, 10, 5), tick=False)

    page = _page(client_for(officer), interview)

    assert reverse("interviews:interview-missed", args=[interview.pk]) in page
    assert 'id="action-record"' not in page


def test_an_interviewer_may_not_open_another_interviewers_interview(interviewer, client_for):
    interview = BookedInterviewFactory()

    response = client_for(interviewer).get(_url(interview))

    assert response.status_code == 403
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.PERMISSION_DENIED,
        actor=interviewer,
        detail__contains=_url(interview),
    ).exists()
    assert not AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW, object_id=str(interview.pk)
    ).exists()


@pytest.mark.parametrize("role", ["administrator", "auditor"])
def test_administrators_and_auditors_are_refused(role, request, client_for):
    user = request.getfixturevalue(role)

    assert client_for(user).get(_url(InterviewFactory())).status_code == 403


def test_an_unknown_interview_is_not_found(officer, client_for):
    assert (
        client_for(officer).get(reverse("interviews:interview-detail", args=[99999])).status_code
        == 404
    )


def test_an_officer_sees_that_the_interview_was_held_but_no_link_to_the_record(client_for, officer):
    from django.urls import reverse

    from tests.interviews.factories import RecordFactory

    record = RecordFactory()
    page = (
        client_for(officer)
        .get(reverse("interviews:interview-detail", args=[record.interview.pk]))
        .content.decode()
    )
    assert 'id="record-link"' not in page
    assert "Held on" in page
    assert record.restricted_notes not in page

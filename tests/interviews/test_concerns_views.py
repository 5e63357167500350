"""A concern's page and the steps taken on it, as interviewers and supervisors use them; raising a
concern by hand."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEntry
from accounts.roles import Role
from interviews.models import Concern, ConcernAction, Indicator, Interview, Referral
from notifications.models import Message
from tests.interviews.factories import (
    BookedInterviewFactory,
    ConcernFactory,
    OrganisationFactory,
    RecordFactory,
    ReferralFactory,
    at,
)
from tests.interviews.factories_concerns import ConcernActionFactory
from tests.registry.factories_workers import IndexedWorkerFactory, PhoneFactory

pytestmark = pytest.mark.django_db
NOW = at(2026, 3, 10, 10, 0)
TODAY = dt.date(2026, 3, 10)
CLOSED = "This concern is closed. A supervisor must reopen it first."


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def concern(interviewer):
    return ConcernFactory(
        opened_by=interviewer,
        owner=interviewer,
        opened_at=at(2026, 3, 2),
        summary="Passport kept by the employer",
        details="She says madam keeps it in a drawer.",
        indicators=["retention_of_documents", "isolation"],
    )


def url(name, obj):
    return reverse(f"interviews:{name}", args=[obj.pk])


def text(response) -> str:
    return response.content.decode()


def audit_fields(obj, action=AuditEntry.Action.UPDATE):
    return [
        entry.changed_fields
        for entry in AuditEntry.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
        ).order_by("id")
    ]


# --- The concern's page -------------------------------------------------------------------------


def test_the_page_shows_summary_details_indicators_owner_due_date_and_source(
    client_for, interviewer, concern
):
    page = text(client_for(interviewer).get(url("concern-detail", concern)))
    assert "Passport kept by the employer" in page
    assert "She says madam keeps it in a drawer." in page
    assert "Retention of identity documents" in page
    assert "Isolation" in page
    assert concern.due_on.isoformat() in page
    assert "Raised by hand" in page
    assert str(concern.worker) in page
    assert "8 days ago" in page
    assert "Nothing on this page is ever sent to the worker, the employer or the mission." in page


def test_reading_the_details_is_logged_as_a_view_of_restricted_data(
    client_for, interviewer, concern
):
    client_for(interviewer).get(url("concern-detail", concern))
    entry = AuditEntry.objects.get(
        object_type="interviews.concern", object_id=str(concern.pk), action="view"
    )
    assert entry.actor == interviewer
    assert "restricted" in entry.detail
    assert "drawer" not in entry.detail


def test_the_timeline_shows_actions_and_referrals_with_answers_by_date(
    client_for, supervisor, concern
):
    ConcernActionFactory(concern=concern, text="Second: met her.", taken_on=dt.date(2026, 3, 6))
    ConcernActionFactory(concern=concern, text="First: called her.", taken_on=dt.date(2026, 3, 3))
    ReferralFactory(
        concern=concern,
        organisation=OrganisationFactory(name="Labour Inspectorate North"),
        referred_on=dt.date(2026, 3, 4),
        status=Referral.Status.ACCEPTED,
        response="2026-03-05: They will visit the household.",
        response_on=dt.date(2026, 3, 5),
    )
    page = text(client_for(supervisor).get(url("concern-detail", concern)))
    timeline = page.split('id="concern-timeline"')[1].split("</ol>")[0]
    first = timeline.index("First: called her.")
    referral = timeline.index("Referred to Labour Inspectorate North")
    second = timeline.index("Second: met her.")
    assert first < referral < second
    assert "They will visit the household." in timeline
    assert "Accepted" in timeline
    assert "answered on 2026-03-05" in timeline


def test_the_history_lists_each_change_of_status_with_its_reason(
    client_for, supervisor, interviewer, concern
):
    client = client_for(supervisor)
    client.post(
        url("concern-action", concern), {"action-text": "Met her.", "action-taken_on": TODAY}
    )
    client.post(url("concern-edit", concern), {"severity": "high", "due_on": "2026-03-30"})
    client.post(url("concern-close", concern), {"reason": "resolved", "note": "All well."})
    client.post(url("concern-reopen", concern), {"reason": "She called the hotline again."})
    page = text(client.get(url("concern-detail", concern)))
    history = page.split('id="status-history"')[1].split("</table>")[0]
    rows = history.split("<tr>")[2:]
    assert [row.split("<td>")[2].split("</td>")[0] for row in rows] == [
        "Open",
        "In progress",
        "Closed",
        "In progress",
    ]
    assert "Resolved" in rows[2]
    assert "She called the hotline again." in rows[3]


def test_links_to_the_interview_and_the_record_for_those_who_may_see_them(
    client_for, supervisor, interviewer, make_staff
):
    colleague = make_staff(Role.INTERVIEWER, username="colleague")
    record = RecordFactory(interview__slot__interviewer=colleague)
    concern = ConcernFactory(
        source=Concern.Source.RECORD, record=record, interview=record.interview, owner=interviewer
    )
    interview_url = reverse("interviews:interview-detail", args=[record.interview_id])
    record_url = reverse("interviews:record-detail", args=[record.interview_id])
    supervisors_page = text(client_for(supervisor).get(url("concern-detail", concern)))
    assert interview_url in supervisors_page
    assert record_url in supervisors_page
    # The owner may see the concern but not another interviewer's interview or record.
    owners_page = text(client_for(interviewer).get(url("concern-detail", concern)))
    assert "Interview record" in owners_page
    assert interview_url not in owners_page
    assert record_url not in owners_page


def test_the_interviewer_who_held_the_interview_gets_both_links(client_for, interviewer):
    record = RecordFactory(interview__slot__interviewer=interviewer)
    concern = ConcernFactory(source=Concern.Source.RECORD, record=record, interview=None)
    page = text(client_for(interviewer).get(url("concern-detail", concern)))
    assert reverse("interviews:interview-detail", args=[record.interview_id]) in page
    assert reverse("interviews:record-detail", args=[record.interview_id]) in page


def test_the_page_offers_what_the_user_may_do(client_for, supervisor, interviewer, concern):
    interviewers_page = text(client_for(interviewer).get(url("concern-detail", concern)))
    assert url("concern-edit", concern) in interviewers_page
    assert url("concern-close", concern) in interviewers_page
    assert 'name="action-text"' in interviewers_page
    assert 'name="referral-organisation"' in interviewers_page
    assert url("concern-reopen", concern) not in interviewers_page
    Concern.objects.filter(pk=concern.pk).update(status="closed", closure_reason="resolved")
    closed_for_interviewer = text(client_for(interviewer).get(url("concern-detail", concern)))
    assert 'name="action-text"' not in closed_for_interviewer
    assert url("concern-reopen", concern) not in closed_for_interviewer
    closed_for_supervisor = text(client_for(supervisor).get(url("concern-detail", concern)))
    assert url("concern-reopen", concern) in closed_for_supervisor
    assert url("concern-close", concern) not in closed_for_supervisor


# --- Edit ---------------------------------------------------------------------------------------


def test_an_interviewer_changes_severity_and_due_date_but_not_the_owner(
    client_for, interviewer, concern, make_staff
):
    colleague = make_staff(Role.INTERVIEWER, username="colleague")
    client = client_for(interviewer)
    assert 'name="owner"' not in text(client.get(url("concern-edit", concern)))
    response = client.post(
        url("concern-edit", concern),
        {"severity": "high", "due_on": "2026-03-20", "owner": colleague.pk},
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.severity, concern.due_on, concern.owner) == (
        "high",
        dt.date(2026, 3, 20),
        interviewer,
    )
    assert audit_fields(concern) == [["due_on", "severity"]]


def test_a_supervisor_gives_the_concern_to_someone_else(
    client_for, supervisor, concern, make_staff
):
    colleague = make_staff(Role.INTERVIEWER, username="colleague")
    client = client_for(supervisor)
    form = text(client.get(url("concern-edit", concern)))
    assert f'value="{colleague.pk}"' in form
    response = client.post(
        url("concern-edit", concern),
        {"severity": "medium", "due_on": concern.due_on.isoformat(), "owner": colleague.pk},
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.owner == colleague
    assert audit_fields(concern) == [["owner"]]


def test_a_bad_edit_shows_the_error_and_changes_nothing(client_for, interviewer, concern):
    response = client_for(interviewer).post(
        url("concern-edit", concern), {"severity": "urgent", "due_on": "2026-03-01"}
    )
    assert response.status_code == 200
    assert "The due date cannot be in the past." in text(response)
    concern.refresh_from_db()
    assert concern.severity == "medium"
    assert audit_fields(concern) == []
    assert mail.outbox == []


# --- Actions ------------------------------------------------------------------------------------


def test_recording_an_action_from_the_page(client_for, interviewer, concern):
    response = client_for(interviewer).post(
        url("concern-action", concern),
        {"action-text": "Called her on her own phone.", "action-taken_on": "2026-03-09"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("concern-detail", concern)
    action = ConcernAction.objects.get()
    assert (action.text, action.taken_on, action.written_by) == (
        "Called her on her own phone.",
        dt.date(2026, 3, 9),
        interviewer,
    )
    concern.refresh_from_db()
    assert concern.status == "in_progress"


def test_an_action_dated_tomorrow_shows_the_error_and_changes_nothing(
    client_for, interviewer, concern
):
    response = client_for(interviewer).post(
        url("concern-action", concern),
        {"action-text": "Will call her.", "action-taken_on": "2026-03-11"},
    )
    assert response.status_code == 200
    assert "This date is in the future." in text(response)
    assert "Will call her." in text(response)  # what was typed is kept
    assert not ConcernAction.objects.exists()
    concern.refresh_from_db()
    assert concern.status == "open"


def test_a_closed_concern_takes_no_action_until_reopened(client_for, interviewer, concern):
    Concern.objects.filter(pk=concern.pk).update(status="closed", closure_reason="resolved")
    client = client_for(interviewer)
    assert CLOSED in text(client.get(url("concern-action", concern)))
    response = client.post(
        url("concern-action", concern), {"action-text": "More.", "action-taken_on": "2026-03-09"}
    )
    assert response.status_code == 200
    assert CLOSED in text(response)
    assert not ConcernAction.objects.exists()


# --- Referrals ----------------------------------------------------------------------------------


def test_referring_the_concern_to_an_organisation(client_for, interviewer, concern):
    ngo = OrganisationFactory(name="Domestic Workers Support")
    response = client_for(interviewer).post(
        url("concern-referral", concern),
        {"referral-organisation": ngo.pk, "referral-referred_on": "2026-03-10"},
        follow=True,
    )
    assert "The concern is referred to Domestic Workers Support." in text(response)
    referral = Referral.objects.get()
    assert (referral.organisation, referral.referred_on, referral.status) == (ngo, TODAY, "sent")
    concern.refresh_from_db()
    assert concern.status == "referred"


def test_an_organisation_no_longer_in_use_is_not_offered(client_for, interviewer, concern):
    gone = OrganisationFactory(name="Closed Shelter", active=False)
    OrganisationFactory(name="Open Shelter")
    client = client_for(interviewer)
    form = text(client.get(url("concern-referral", concern)))
    assert "Open Shelter" in form
    assert "Closed Shelter" not in form
    response = client.post(
        url("concern-referral", concern),
        {"referral-organisation": gone.pk, "referral-referred_on": "2026-03-10"},
    )
    assert response.status_code == 200
    assert "Select a valid choice." in text(response)
    assert not Referral.objects.exists()


def test_recording_the_organisations_answer(client_for, supervisor, concern):
    referral = ReferralFactory(concern=concern, referred_on=dt.date(2026, 3, 4))
    Concern.objects.filter(pk=concern.pk).update(status="referred")
    client = client_for(supervisor)
    assert url("referral-response", referral) in text(client.get(url("concern-detail", concern)))
    response = client.post(
        url("referral-response", referral),
        {"status": "declined", "response": "Not our area.", "response_on": "2026-03-09"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.response, referral.response_on) == (
        "declined",
        "2026-03-09: Not our area.",
        dt.date(2026, 3, 9),
    )
    concern.refresh_from_db()
    assert concern.status == "in_progress"
    page = text(client.get(url("referral-response", referral)))
    assert "This referral already has its final answer." in page
    assert 'name="response"' not in page


def test_an_answer_before_the_referral_shows_the_error_and_changes_nothing(
    client_for, supervisor, concern
):
    referral = ReferralFactory(concern=concern, referred_on=dt.date(2026, 3, 4))
    response = client_for(supervisor).post(
        url("referral-response", referral),
        {"status": "accepted", "response": "Yes.", "response_on": "2026-03-03"},
    )
    assert response.status_code == 200
    assert "This date is before 2026-03-04" in text(response)
    referral.refresh_from_db()
    assert (referral.status, referral.response) == ("sent", "")


# --- Closing and reopening ----------------------------------------------------------------------


def test_closing_needs_a_reason_and_a_note(client_for, interviewer, concern):
    client = client_for(interviewer)
    response = client.post(url("concern-close", concern), {"reason": "", "note": ""})
    assert response.status_code == 200
    assert text(response).count("This field is required.") == 2
    concern.refresh_from_db()
    assert concern.status == "open"
    response = client.post(
        url("concern-close", concern), {"reason": "worker_departed", "note": "Left on 8 March."}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.closure_reason, concern.closure_note) == (
        "closed",
        "worker_departed",
        "Left on 8 March.",
    )


def test_an_interviewer_cannot_reopen_a_concern(client_for, interviewer, concern):
    Concern.objects.filter(pk=concern.pk).update(status="closed", closure_reason="resolved")
    response = client_for(interviewer).post(url("concern-reopen", concern), {"reason": "Again."})
    assert response.status_code == 403
    concern.refresh_from_db()
    assert concern.status == "closed"


def test_a_supervisor_reopens_a_concern_with_a_reason(client_for, supervisor, concern):
    Concern.objects.filter(pk=concern.pk).update(status="closed", closure_reason="resolved")
    client = client_for(supervisor)
    response = client.post(url("concern-reopen", concern), {"reason": ""})
    assert response.status_code == 200
    assert "This field is required." in text(response)
    concern.refresh_from_db()
    assert concern.status == "closed"
    response = client.post(url("concern-reopen", concern), {"reason": "New facts."})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == "open"


def test_reopening_an_open_concern_says_it_is_not_closed(client_for, supervisor, concern):
    page = text(client_for(supervisor).get(url("concern-reopen", concern)))
    assert "This concern is not closed." in page
    assert 'name="reason"' not in page


# --- Raising a concern by hand ------------------------------------------------------------------


@pytest.fixture
def worker(interviewer):
    """A worker whose interview the interviewer holds, with a phone and an e-mail that could
    receive notices."""
    interview = BookedInterviewFactory(
        slot__interviewer=interviewer,
        status=Interview.Status.HELD,
        worker=IndexedWorkerFactory(
            family_name="Villanueva", given_names="Rosario", email="rosario@example.org"
        ),
    )
    PhoneFactory(worker=interview.worker, is_sms_number=True)
    return interview.worker


def create_url(worker):
    return reverse("interviews:concern-create", args=[worker.pk])


def concern_data(**overrides):
    return {
        "severity": "high",
        "summary": "Not allowed to leave the house",
        "details": "Locked in on her rest day.",
        "indicators": ["restriction_of_movement", "isolation"],
        "due_on": "",
        **overrides,
    }


def test_the_form_offers_the_eleven_indicators(client_for, interviewer, worker):
    form = text(client_for(interviewer).get(create_url(worker)))
    assert form.count('name="indicators"') == 11
    for label in Indicator.labels:
        assert str(label) in form


def test_an_interviewer_raises_a_concern_about_a_worker_they_interviewed(
    client_for, interviewer, worker
):
    interview = worker.interviews.get()
    response = client_for(interviewer).post(
        create_url(worker), concern_data(owner=interviewer.pk, interview=interview.pk)
    )
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("concern-detail", concern)
    assert (concern.worker, concern.source, concern.severity) == (worker, "manual", "high")
    assert concern.indicators == ["isolation", "restriction_of_movement"]
    assert (concern.owner, concern.opened_by, concern.interview) == (
        interviewer,
        interviewer,
        interview,
    )
    assert concern.details == "Locked in on her rest day."
    assert concern.due_on == TODAY + dt.timedelta(days=7)  # from the severity


def test_an_interviewer_cannot_raise_a_concern_about_someone_elses_worker(client_for, interviewer):
    stranger = IndexedWorkerFactory()
    client = client_for(interviewer)
    assert client.get(create_url(stranger)).status_code == 403
    assert client.post(create_url(stranger), concern_data()).status_code == 403
    assert not Concern.objects.exists()


def test_an_interviewer_cannot_give_a_new_concern_to_a_colleague(
    client_for, interviewer, worker, make_staff
):
    colleague = make_staff(Role.INTERVIEWER, username="colleague")
    response = client_for(interviewer).post(create_url(worker), concern_data(owner=colleague.pk))
    assert response.status_code == 200
    assert "Select a valid choice." in text(response)
    assert not Concern.objects.exists()


def test_a_supervisor_raises_a_concern_about_anyone(client_for, supervisor, make_staff):
    colleague = make_staff(Role.INTERVIEWER, username="colleague")
    stranger = IndexedWorkerFactory()
    response = client_for(supervisor).post(
        create_url(stranger), concern_data(owner=colleague.pk, due_on="2026-03-31")
    )
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert (concern.owner, concern.due_on) == (colleague, dt.date(2026, 3, 31))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"summary": ""}, "This field is required."),
        ({"severity": "catastrophic"}, "Select a valid choice."),
        ({"indicators": ["homesickness"]}, "Select a valid choice."),
        ({"due_on": "2026-03-09"}, "The due date cannot be in the past."),
        ({"due_on": "09/03/2026"}, "Enter a valid date."),
    ],
)
def test_bad_input_shows_the_error_and_raises_nothing(
    client_for, interviewer, worker, overrides, message, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(interviewer).post(
            create_url(worker), concern_data(**{"severity": "urgent", **overrides})
        )
    assert response.status_code == 200
    assert message in text(response)
    assert not Concern.objects.exists()
    assert mail.outbox == []


def test_an_urgent_concern_e_mails_every_supervisor_at_once_without_a_name_or_detail(
    client_for, interviewer, worker, make_staff, django_capture_on_commit_callbacks
):
    supervisors = [make_staff(Role.SUPERVISOR, username=f"supervisor{n}") for n in (1, 2, 3)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(interviewer).post(
            create_url(worker), concern_data(severity="urgent"), follow=True
        )
    concern = Concern.objects.get()
    assert "Every supervisor is alerted." in text(response)
    assert concern.due_on == TODAY + dt.timedelta(days=1)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(s.email for s in supervisors)
    assert all(len(message.to) == 1 for message in mail.outbox)
    for message in mail.outbox:
        assert f"http://127.0.0.1:8000/interviews/concerns/{concern.pk}/" in message.body
        for secret in ("Villanueva", "Rosario", "leave the house", "Locked", "rest day"):
            assert secret not in message.subject + message.body
    assert not Message.objects.exists()


def test_raising_referring_and_closing_through_the_pages_sends_the_worker_nothing(
    client_for, supervisor, worker, django_capture_on_commit_callbacks
):
    client = client_for(supervisor)
    ngo = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(create_url(worker), concern_data(severity="low"))
        concern = Concern.objects.get()
        client.post(
            url("concern-referral", concern),
            {"referral-organisation": ngo.pk, "referral-referred_on": "2026-03-10"},
        )
        client.post(
            url("concern-close", concern), {"reason": "referred_elsewhere", "note": "NGO has it."}
        )
    concern.refresh_from_db()
    assert concern.status == "closed"
    assert not Message.objects.exists()
    assert mail.outbox == []

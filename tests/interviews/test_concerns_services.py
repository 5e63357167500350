"""The rules of a concern after it is raised: actions, referrals and answers, closing, reopening,
the supervisors' alert, the audit log, and nothing ever sent to the worker or the employer."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEntry
from accounts.roles import Role
from interviews import concerns as services
from interviews.models import Concern, ConcernAction, Organisation, Referral
from interviews.services import concern_open
from notifications.models import Message
from tests.interviews.factories import (
    ConcernFactory,
    OrganisationFactory,
    RecordFactory,
    ReferralFactory,
    at,
)
from tests.interviews.factories_concerns import ConcernActionFactory
from tests.registry.factories_workers import IndexedWorkerFactory, PhoneFactory

pytestmark = pytest.mark.django_db
Status = Concern.Status
Reason = Concern.ClosureReason
NOW = at(2026, 3, 10, 10, 0)
TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def concern(interviewer):
    return ConcernFactory(opened_by=interviewer, owner=interviewer, opened_at=at(2026, 3, 2))


def entries(concern_or_obj, action=AuditEntry.Action.UPDATE):
    return AuditEntry.objects.filter(
        object_type=concern_or_obj._meta.label_lower,
        object_id=str(concern_or_obj.pk),
        action=action,
    )


# --- Actions ------------------------------------------------------------------------------------


def test_the_first_action_puts_an_open_concern_in_progress(concern, interviewer):
    services.concern_action_add(concern=concern, text="Called her.", taken_on=TODAY, by=interviewer)
    concern.refresh_from_db()
    assert concern.status == Status.IN_PROGRESS
    services.concern_action_add(concern=concern, text="Met her.", taken_on=TODAY, by=interviewer)
    assert concern.actions.count() == 2
    assert [row.status for row in concern.history.order_by("history_id")] == [
        Status.OPEN,
        Status.IN_PROGRESS,
    ]


def test_an_action_on_a_referred_concern_leaves_it_referred(concern, interviewer):
    ReferralFactory(concern=concern)
    Concern.objects.filter(pk=concern.pk).update(status=Status.REFERRED)
    services.concern_action_add(
        concern=concern, text="Followed up.", taken_on=TODAY, by=interviewer
    )
    concern.refresh_from_db()
    assert concern.status == Status.REFERRED


@pytest.mark.parametrize(
    ("text", "taken_on", "field", "message"),
    [
        ("  ", TODAY, "text", "Write what was done."),
        ("Called her.", TODAY + dt.timedelta(days=1), "taken_on", "This date is in the future."),
        (
            "Called her.",
            dt.date(2026, 3, 1),
            "taken_on",
            "This date is before 2026-03-02, when the concern was raised.",
        ),
        ("Called her.", None, "taken_on", "Enter the date."),
    ],
)
def test_a_bad_action_is_refused_and_changes_nothing(
    concern, interviewer, text, taken_on, field, message
):
    with pytest.raises(ValidationError) as error:
        services.concern_action_add(concern=concern, text=text, taken_on=taken_on, by=interviewer)
    assert error.value.message_dict == {field: [message]}
    concern.refresh_from_db()
    assert concern.status == Status.OPEN
    assert not ConcernAction.objects.exists()
    assert not AuditEntry.objects.filter(object_type="interviews.concernaction").exists()


def test_an_action_is_audited_with_field_names_only(concern, interviewer):
    action = services.concern_action_add(
        concern=concern, text="Secret words.", taken_on=TODAY, by=interviewer
    )
    created = entries(action, AuditEntry.Action.CREATE).get()
    assert created.changed_fields == ["concern", "taken_on", "text"]
    assert created.actor == interviewer
    assert "Secret" not in created.detail
    assert entries(concern).get().changed_fields == ["status"]


# --- Referrals and their answers ----------------------------------------------------------------


def test_a_referral_makes_the_concern_referred(concern, interviewer):
    inspectorate = OrganisationFactory(kind=Organisation.Kind.LABOUR_INSPECTORATE)
    referral = services.concern_refer(
        concern=concern, organisation=inspectorate, referred_on=TODAY, by=interviewer
    )
    concern.refresh_from_db()
    assert concern.status == Status.REFERRED
    assert referral.status == Referral.Status.SENT
    assert referral.referred_by == interviewer
    assert entries(referral, AuditEntry.Action.CREATE).get().changed_fields == [
        "concern",
        "organisation",
        "referred_on",
        "status",
    ]


def test_an_organisation_no_longer_in_use_receives_no_referral(concern, interviewer):
    closed_down = OrganisationFactory(active=False)
    with pytest.raises(ValidationError) as error:
        services.concern_refer(
            concern=concern, organisation=closed_down, referred_on=TODAY, by=interviewer
        )
    assert error.value.message_dict == {
        "organisation": ["This organisation is no longer in use. Choose another."]
    }
    concern.refresh_from_db()
    assert concern.status == Status.OPEN
    assert not Referral.objects.exists()


def test_a_referral_dated_in_the_future_is_refused(concern, interviewer):
    with pytest.raises(ValidationError) as error:
        services.concern_refer(
            concern=concern,
            organisation=OrganisationFactory(),
            referred_on=TODAY + dt.timedelta(days=2),
            by=interviewer,
        )
    assert "referred_on" in error.value.message_dict
    assert not Referral.objects.exists()


def referred(concern, supervisor, **kwargs):
    return services.concern_refer(
        concern=concern,
        organisation=OrganisationFactory(**kwargs),
        referred_on=dt.date(2026, 3, 5),
        by=supervisor,
    )


def test_answers_are_kept_one_after_the_other(concern, supervisor):
    referral = referred(concern, supervisor)
    services.referral_respond(
        referral=referral,
        status=Referral.Status.ACCEPTED,
        response="We will see her this week.",
        response_on=dt.date(2026, 3, 6),
        by=supervisor,
    )
    services.referral_respond(
        referral=referral,
        status=Referral.Status.COMPLETED,
        response="She has a new employer.",
        response_on=TODAY,
        by=supervisor,
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.COMPLETED
    assert referral.response_on == TODAY
    assert referral.response == (
        "2026-03-06: We will see her this week.\n\n2026-03-10: She has a new employer."
    )
    concern.refresh_from_db()
    assert concern.status == Status.REFERRED


def test_a_final_answer_cannot_be_changed(concern, supervisor):
    referral = referred(concern, supervisor)
    services.referral_respond(
        referral=referral,
        status=Referral.Status.COMPLETED,
        response="Done.",
        response_on=TODAY,
        by=supervisor,
    )
    with pytest.raises(ValidationError) as error:
        services.referral_respond(
            referral=referral,
            status=Referral.Status.DECLINED,
            response="Changed our mind.",
            response_on=TODAY,
            by=supervisor,
        )
    assert error.value.message_dict == {"status": ["This referral is already marked “Completed”."]}
    referral.refresh_from_db()
    assert referral.response == "2026-03-10: Done."


@pytest.mark.parametrize(
    ("status", "response", "response_on", "field"),
    [
        ("sent", "Still waiting.", TODAY, "status"),
        ("accepted", "", TODAY, "response"),
        ("accepted", "Yes.", dt.date(2026, 3, 4), "response_on"),
        ("accepted", "Yes.", TODAY + dt.timedelta(days=1), "response_on"),
    ],
)
def test_a_bad_answer_is_refused_and_changes_nothing(
    concern, supervisor, status, response, response_on, field
):
    referral = referred(concern, supervisor)
    with pytest.raises(ValidationError) as error:
        services.referral_respond(
            referral=referral,
            status=status,
            response=response,
            response_on=response_on,
            by=supervisor,
        )
    assert list(error.value.message_dict) == [field]
    referral.refresh_from_db()
    assert (referral.status, referral.response, referral.response_on) == ("sent", "", None)


def test_when_the_only_organisation_declines_the_concern_is_back_in_progress(concern, supervisor):
    referral = referred(concern, supervisor)
    services.referral_respond(
        referral=referral,
        status=Referral.Status.DECLINED,
        response="Not our area.",
        response_on=TODAY,
        by=supervisor,
    )
    concern.refresh_from_db()
    assert concern.status == Status.IN_PROGRESS


def test_when_one_of_two_organisations_declines_the_concern_stays_referred(concern, supervisor):
    first = referred(concern, supervisor)
    referred(concern, supervisor)
    services.referral_respond(
        referral=first,
        status=Referral.Status.DECLINED,
        response="Not our area.",
        response_on=TODAY,
        by=supervisor,
    )
    concern.refresh_from_db()
    assert concern.status == Status.REFERRED


# --- Closing and reopening ----------------------------------------------------------------------


def test_closing_needs_a_reason_and_a_note(concern, interviewer):
    with pytest.raises(ValidationError) as error:
        services.concern_close(concern=concern, reason="", note="All well.", by=interviewer)
    assert error.value.message_dict == {"reason": ["Choose the reason for closing."]}
    with pytest.raises(ValidationError) as error:
        services.concern_close(concern=concern, reason=Reason.RESOLVED, note=" ", by=interviewer)
    assert error.value.message_dict == {"note": ["Write a closing note."]}
    concern.refresh_from_db()
    assert concern.status == Status.OPEN
    assert not entries(concern).exists()


def test_a_concern_closes_with_its_reason_note_time_and_person(concern, interviewer):
    services.concern_close(
        concern=concern, reason=Reason.RESOLVED, note="Wages paid in full.", by=interviewer
    )
    concern.refresh_from_db()
    assert concern.status == Status.CLOSED
    assert concern.closure_reason == Reason.RESOLVED
    assert concern.closure_note == "Wages paid in full."
    assert concern.closed_at == NOW
    assert concern.closed_by == interviewer
    audit = entries(concern).get()
    assert audit.changed_fields == [
        "closed_at",
        "closed_by",
        "closure_note",
        "closure_reason",
        "status",
    ]
    assert "Wages" not in audit.detail


def test_taken_over_by_an_organisation_needs_a_referral_they_did_not_decline(concern, supervisor):
    with pytest.raises(ValidationError) as error:
        services.concern_close(
            concern=concern, reason=Reason.REFERRED_ELSEWHERE, note="NGO has it.", by=supervisor
        )
    assert error.value.message_dict == {
        "reason": ["No organisation has taken this concern: refer it first."]
    }
    referred(concern, supervisor)
    services.concern_close(
        concern=concern, reason=Reason.REFERRED_ELSEWHERE, note="NGO has it.", by=supervisor
    )
    concern.refresh_from_db()
    assert concern.status == Status.CLOSED


def closed(concern, by):
    services.concern_close(concern=concern, reason=Reason.RESOLVED, note="Resolved.", by=by)
    concern.refresh_from_db()
    return concern


CLOSED = "This concern is closed. A supervisor must reopen it first."


def test_a_closed_concern_accepts_nothing_until_reopened(concern, supervisor):
    referral = ReferralFactory(concern=concern)
    closed(concern, supervisor)
    attempts = [
        lambda: services.concern_action_add(
            concern=concern, text="More.", taken_on=TODAY, by=supervisor
        ),
        lambda: services.concern_refer(
            concern=concern, organisation=OrganisationFactory(), referred_on=TODAY, by=supervisor
        ),
        lambda: services.referral_respond(
            referral=referral,
            status=Referral.Status.ACCEPTED,
            response="Yes.",
            response_on=TODAY,
            by=supervisor,
        ),
        lambda: services.concern_update(
            concern=concern, severity="high", due_on=TODAY, by=supervisor
        ),
        lambda: services.concern_close(
            concern=concern, reason=Reason.UNFOUNDED, note="Again.", by=supervisor
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as error:
            attempt()
        assert error.value.messages == [CLOSED]
    assert not concern.actions.exists()
    assert concern.referrals.count() == 1
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT
    concern.refresh_from_db()
    assert (concern.severity, concern.closure_reason) == ("medium", Reason.RESOLVED)


def test_only_a_supervisor_reopens_a_concern(concern, interviewer):
    closed(concern, interviewer)
    with pytest.raises(PermissionDenied):
        services.concern_reopen(concern=concern, reason="Worker called again.", by=interviewer)
    concern.refresh_from_db()
    assert concern.status == Status.CLOSED


def test_reopening_needs_a_reason_kept_in_the_history(concern, supervisor):
    closed(concern, supervisor)
    with pytest.raises(ValidationError) as error:
        services.concern_reopen(concern=concern, reason="", by=supervisor)
    assert error.value.message_dict == {"reason": ["Give the reason, in a few words."]}
    services.concern_reopen(concern=concern, reason="She called the hotline again.", by=supervisor)
    concern.refresh_from_db()
    assert concern.status == Status.OPEN
    assert (concern.closure_reason, concern.closure_note, concern.closed_at) == ("", "", None)
    latest = concern.history.order_by("-history_id").first()
    assert latest.history_change_reason == "She called the hotline again."
    assert latest.history_user == supervisor
    assert entries(concern).filter(detail="reopened").get().changed_fields == [
        "closed_at",
        "closed_by",
        "closure_note",
        "closure_reason",
        "status",
    ]


def test_a_reopened_concern_goes_back_to_where_the_work_was(concern, supervisor):
    ConcernActionFactory(concern=concern)
    closed(concern, supervisor)
    services.concern_reopen(concern=concern, reason="More to do.", by=supervisor)
    concern.refresh_from_db()
    assert concern.status == Status.IN_PROGRESS

    with_referral = ConcernFactory()
    ReferralFactory(concern=with_referral, status=Referral.Status.ACCEPTED)
    closed(with_referral, supervisor)
    services.concern_reopen(concern=with_referral, reason="NGO still on it.", by=supervisor)
    with_referral.refresh_from_db()
    assert with_referral.status == Status.REFERRED


def test_an_open_concern_cannot_be_reopened(concern, supervisor):
    with pytest.raises(ValidationError) as error:
        services.concern_reopen(concern=concern, reason="Why not.", by=supervisor)
    assert error.value.messages == ["This concern is not closed."]


# --- Severity, owner and due date ---------------------------------------------------------------


def test_only_a_supervisor_gives_a_concern_to_someone_else(concern, interviewer, make_staff):
    colleague = make_staff(Role.INTERVIEWER, username="colleague")
    with pytest.raises(PermissionDenied):
        services.concern_update(
            concern=concern,
            severity=concern.severity,
            due_on=concern.due_on,
            owner=colleague,
            by=interviewer,
        )
    concern.refresh_from_db()
    assert concern.owner == interviewer


def test_a_supervisor_reassigns_to_someone_who_handles_concerns(
    concern, supervisor, officer, make_staff
):
    colleague = make_staff(Role.INTERVIEWER, username="colleague")
    with pytest.raises(ValidationError) as error:
        services.concern_update(
            concern=concern,
            severity=concern.severity,
            due_on=concern.due_on,
            owner=officer,
            by=supervisor,
        )
    assert error.value.message_dict == {"owner": ["This person cannot handle concerns."]}
    services.concern_update(
        concern=concern,
        severity=concern.severity,
        due_on=concern.due_on,
        owner=colleague,
        by=supervisor,
    )
    concern.refresh_from_db()
    assert concern.owner == colleague
    assert entries(concern).get().changed_fields == ["owner"]


def test_a_new_due_date_cannot_be_in_the_past_but_an_old_one_may_stay(concern, interviewer):
    with pytest.raises(ValidationError) as error:
        services.concern_update(
            concern=concern, severity="high", due_on=dt.date(2026, 3, 9), by=interviewer
        )
    assert error.value.message_dict == {"due_on": ["The due date cannot be in the past."]}
    concern.refresh_from_db()
    assert concern.severity == "medium"
    Concern.objects.filter(pk=concern.pk).update(due_on=dt.date(2026, 3, 1))
    concern.refresh_from_db()
    services.concern_update(
        concern=concern, severity="high", due_on=dt.date(2026, 3, 1), by=interviewer
    )
    concern.refresh_from_db()
    assert concern.severity == "high"


def test_raising_a_concern_to_urgent_alerts_every_supervisor(
    concern, interviewer, make_staff, django_capture_on_commit_callbacks
):
    make_staff(Role.SUPERVISOR, username="supervisor1")
    make_staff(Role.SUPERVISOR, username="supervisor2")
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_update(
            concern=concern, severity="urgent", due_on=concern.due_on, by=interviewer
        )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "supervisor1@ministry.example",
        "supervisor2@ministry.example",
    ]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_update(concern=concern, severity="urgent", due_on=TODAY, by=interviewer)
    assert mail.outbox == []


# --- The supervisors' alert ---------------------------------------------------------------------


def test_an_urgent_concern_sends_one_e_mail_to_each_active_supervisor_and_no_detail(
    make_staff, interviewer, django_capture_on_commit_callbacks
):
    for name in ("supervisor1", "supervisor2", "supervisor3"):
        make_staff(Role.SUPERVISOR, username=name)
    make_staff(Role.SUPERVISOR, username="retired", is_active=False)
    make_staff(Role.SUPERVISOR, username="noaddress", email="")
    worker = IndexedWorkerFactory(family_name="Villanueva", given_names="Rosario")
    with django_capture_on_commit_callbacks(execute=True):
        concern = concern_open(
            worker=worker,
            source=Concern.Source.MANUAL,
            severity=Concern.Severity.URGENT,
            summary="Passport taken by the employer",
            details="She says madam locked her passport in a safe.",
            by=interviewer,
        )
    assert [message.to for message in mail.outbox] == [
        ["supervisor1@ministry.example"],
        ["supervisor2@ministry.example"],
        ["supervisor3@ministry.example"],
    ]
    for message in mail.outbox:
        assert f"/interviews/concerns/{concern.pk}/" in message.body
        for secret in ("Villanueva", "Rosario", "Passport", "passport", "madam", "safe"):
            assert secret not in message.body
            assert secret not in message.subject


# --- Nothing reaches the worker, the employer or the mission ------------------------------------


def test_raising_referring_and_closing_a_concern_sends_no_message_at_all(
    interviewer, supervisor, django_capture_on_commit_callbacks
):
    worker = IndexedWorkerFactory(email="rosario@example.org")
    PhoneFactory(worker=worker, is_sms_number=True)
    record = RecordFactory(interview__worker=worker)
    with django_capture_on_commit_callbacks(execute=True):
        concern = concern_open(
            worker=worker,
            source=Concern.Source.RECORD,
            record=record,
            interview=record.interview,
            severity=Concern.Severity.URGENT,
            summary="Threatened with dismissal",
            by=interviewer,
        )
        services.concern_action_add(
            concern=concern, text="Spoke to her.", taken_on=TODAY, by=interviewer
        )
        referral = services.concern_refer(
            concern=concern, organisation=OrganisationFactory(), referred_on=TODAY, by=supervisor
        )
        services.referral_respond(
            referral=referral,
            status=Referral.Status.COMPLETED,
            response="Helped.",
            response_on=TODAY,
            by=supervisor,
        )
        services.concern_close(
            concern=concern, reason=Reason.RESOLVED, note="Helped.", by=supervisor
        )
    assert not Message.objects.exists()
    # Only the supervisors' alert left Hestia, and only to the supervisor.
    assert [message.to for message in mail.outbox] == [[supervisor.email]]

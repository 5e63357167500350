"""Recording an interview (recommendation 36: in person and in private; 39: the bank account
re-checked): who may record it, when, once, and what its outcome sets off."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from accounts.models import AuditEntry
from accounts.roles import Role
from interviews import records
from interviews.models import (
    Concern,
    Indicator,
    IndicatorAnswer,
    Interview,
    InterviewKind,
    InterviewRecord,
)
from registry.models import BankAccount
from tests.interviews.factories import InterpreterFactory, at
from tests.interviews.factories_records import appointment, good_answers, good_fields
from tests.registry.factories_workers import AccountFactory

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action


@pytest.fixture(autouse=True)
def clock(time_machine):
    """Monday 10 March 2025, 11:00: the 10:00 appointment has started."""
    time_machine.move_to(at(2025, 3, 10, 11), tick=False)


@pytest.fixture
def interview(interviewer):
    held = appointment(interviewer, at(2025, 3, 10, 10))
    AccountFactory(worker=held.worker)
    return held


def create_url(interview):
    return reverse("interviews:record-create", args=[interview.pk])


def detail_url(interview):
    return reverse("interviews:record-detail", args=[interview.pk])


def page(response) -> str:
    return response.content.decode()


def shows(response, message) -> bool:
    content = page(response)
    return escape(message) in content or message in content


def nothing_saved(interview) -> bool:
    interview.refresh_from_db()
    return (
        not InterviewRecord.objects.exists()
        and not IndicatorAnswer.objects.exists()
        and not Concern.objects.exists()
        and not Interview.objects.filter(kind=InterviewKind.FOLLOW_UP).exists()
        and interview.status == Interview.Status.CONFIRMED
    )


# --- Who may record ---------------------------------------------------------------------------


def test_the_assigned_interviewer_records_the_interview(client_for, interviewer, interview):
    response = client_for(interviewer).post(create_url(interview), good_answers())
    assert response.status_code == 302
    assert response["Location"] == detail_url(interview)
    record = InterviewRecord.objects.get(interview=interview)
    assert record.recorded_by == interviewer
    assert record.counts is True
    assert record.indicators.count() == 11
    interview.refresh_from_db()
    assert interview.status == Interview.Status.HELD
    assert not Concern.objects.exists()


def test_another_interviewer_is_refused_and_the_refusal_is_audited(
    client_for, make_staff, interview
):
    colleague = make_staff(Role.INTERVIEWER, username="colleague")
    client = client_for(colleague)
    assert client.get(create_url(interview)).status_code == 403
    assert client.post(create_url(interview), good_answers()).status_code == 403
    assert nothing_saved(interview)
    assert AuditEntry.objects.filter(actor=colleague, action=Action.PERMISSION_DENIED).count() == 2


def test_an_officer_is_refused(client_for, officer, interview):
    assert client_for(officer).post(create_url(interview), good_answers()).status_code == 403
    assert nothing_saved(interview)


def test_a_supervisor_records_any_interview(client_for, supervisor, interview):
    response = client_for(supervisor).post(create_url(interview), good_answers())
    assert response.status_code == 302
    assert InterviewRecord.objects.get(interview=interview).recorded_by == supervisor


def test_the_service_refuses_another_interviewer_too(make_staff, interview):
    colleague = make_staff(Role.INTERVIEWER, username="colleague")
    with pytest.raises(PermissionDenied):
        records.record_create(interview=interview, by=colleague, **good_fields())
    assert nothing_saved(interview)


# --- When -------------------------------------------------------------------------------------


def test_before_the_appointment_time_the_form_is_not_offered_and_a_post_is_refused(
    client_for, interviewer
):
    later = appointment(interviewer, at(2025, 3, 10, 14))
    client = client_for(interviewer)
    response = client.get(create_url(later))
    assert response.status_code == 200
    assert shows(response, "The appointment is at 2025-03-10 14:00.")
    assert 'id="record-form"' not in page(response)
    response = client.post(create_url(later), good_answers())
    assert response.status_code == 200
    assert not InterviewRecord.objects.exists()
    later.refresh_from_db()
    assert later.status == Interview.Status.CONFIRMED
    with pytest.raises(ValidationError, match="once it has started"):
        records.record_create(interview=later, by=interviewer, **good_fields())


def test_an_interview_is_recorded_only_once(client_for, interviewer, interview):
    client = client_for(interviewer)
    client.post(create_url(interview), good_answers())
    response = client.post(create_url(interview), good_answers(outcome="urgent"), follow=True)
    assert response.redirect_chain[-1][0] == detail_url(interview)
    assert shows(response, "This interview is already recorded. To correct it, add an addendum.")
    assert InterviewRecord.objects.count() == 1
    assert InterviewRecord.objects.get().outcome == "no_concern"
    assert not Concern.objects.exists()
    with pytest.raises(ValidationError, match="already recorded"):
        records.record_create(interview=interview, by=interviewer, **good_fields())


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (Interview.Status.NO_SHOW, "This appointment was marked as missed."),
        (Interview.Status.CANCELLED, "This interview was cancelled."),
    ],
)
def test_a_missed_or_cancelled_appointment_cannot_be_recorded(
    client_for, interviewer, status, message
):
    closed = appointment(interviewer, at(2025, 3, 10, 9), status=status)
    response = client_for(interviewer).post(create_url(closed), good_answers())
    assert shows(response, message)
    assert not InterviewRecord.objects.exists()


# --- The form ---------------------------------------------------------------------------------


def test_the_form_is_prefilled_from_the_booking_and_lists_only_independent_interpreters(
    client_for, interviewer
):
    booked = InterpreterFactory(name="Independent Ines", languages=["am"])
    InterpreterFactory(name="Embassy Driver", independent=False)
    held = appointment(interviewer, at(2025, 3, 10, 10), language="am", interpreter=booked)
    content = page(client_for(interviewer).get(create_url(held)))
    assert 'name="language" value="am"' in content
    assert f'<option value="{booked.pk}" selected>Independent Ines' in content
    assert "Embassy Driver" not in content
    for legend in (
        "Presence and privacy",
        "Language and interpreter",
        "Identity documents",
        "Work and rest",
        "Wage and bank account",
        "Living conditions",
        "Freedom",
        "Indicators of forced labour (ILO)",
        "Outcome",
        "Restricted notes",
    ):
        assert legend in content
    assert content.count('type="radio" name="indicator_') == 33
    assert "js/record-form.js" in content


def test_the_form_shows_the_current_account_masked(client_for, interviewer, interview):
    account = BankAccount.objects.get(worker=interview.worker)
    content = page(client_for(interviewer).get(create_url(interview)))
    assert f"···{account.account_last4}" in content
    assert account.account_number not in content
    assert 'name="bank_account_confirmed"' in content


def test_a_missing_answer_is_shown_next_to_its_field_and_nothing_is_saved(
    client_for, interviewer, interview
):
    answers = good_answers()
    del answers["indicator_debt_bondage"]
    del answers["passport_holder"]
    response = client_for(interviewer).post(create_url(interview), answers)
    assert response.status_code == 200
    content = page(response)
    assert "The record was not saved. Correct the answers marked below." in content
    assert 'id="id_indicator_debt_bondage_error"' in content
    assert 'id="id_passport_holder_error"' in content
    assert nothing_saved(interview)


def test_the_service_requires_all_eleven_indicators(interviewer, interview):
    indicators = {code: "not_seen" for code in Indicator.values[:-1]}
    with pytest.raises(ValidationError) as refused:
        records.record_create(
            interview=interview, by=interviewer, **good_fields(indicators=indicators)
        )
    assert list(refused.value.message_dict) == [f"indicator_{Indicator.values[-1]}"]
    assert nothing_saved(interview)


def test_an_observed_indicator_with_no_concern_is_refused_and_nothing_is_saved(
    client_for, interviewer, interview
):
    response = client_for(interviewer).post(
        create_url(interview), good_answers(indicator_isolation="observed")
    )
    assert response.status_code == 200
    assert shows(
        response, "An observed indicator needs a follow-up, a referral or an urgent outcome."
    )
    assert 'id="id_outcome_error"' in page(response)
    assert nothing_saved(interview)


def test_documents_held_by_the_employer_cannot_have_retention_not_seen(
    client_for, interviewer, interview
):
    response = client_for(interviewer).post(
        create_url(interview), good_answers(passport_holder="employer", outcome="follow_up")
    )
    assert response.status_code == 200
    assert 'id="id_indicator_retention_of_documents_error"' in page(response)
    assert shows(
        response,
        "Someone else holds the passport or the ID card: this indicator cannot be “not seen”.",
    )
    assert nothing_saved(interview)


def test_a_linked_interpreter_is_refused_by_the_service(interviewer, interview):
    linked = InterpreterFactory(independent=False)
    with pytest.raises(ValidationError) as refused:
        records.record_create(
            interview=interview,
            by=interviewer,
            **good_fields(interpreter=linked, interpreter_independent=True),
        )
    assert "interpreter" in refused.value.message_dict
    assert nothing_saved(interview)


# --- Presence and privacy ---------------------------------------------------------------------


def test_without_privacy_the_form_warns_before_saving(client_for, interviewer, interview):
    response = client_for(interviewer).post(create_url(interview), good_answers(in_private="no"))
    assert response.status_code == 200
    assert 'id="id_confirm_not_counting_error"' in page(response)
    assert "the interview does not count for the renewal" in page(response)
    assert nothing_saved(interview)


def test_a_record_without_privacy_is_kept_but_does_not_count_and_a_follow_up_is_created(
    client_for, interviewer, interview
):
    response = client_for(interviewer).post(
        create_url(interview),
        good_answers(no_employer_present="no", confirm_not_counting="on"),
        follow=True,
    )
    assert shows(response, "This interview does not count for the renewal.")
    record = InterviewRecord.objects.get(interview=interview)
    assert record.counts is False
    interview.refresh_from_db()
    assert interview.status == Interview.Status.HELD
    follow_up = Interview.objects.get(kind=InterviewKind.FOLLOW_UP)
    assert follow_up.status == Interview.Status.DUE
    assert follow_up.follows == interview
    assert (follow_up.worker, follow_up.card, follow_up.employment) == (
        interview.worker,
        interview.card,
        interview.employment,
    )
    assert follow_up.due_on == dt.date(2025, 3, 24)
    assert follow_up.starts_at is None


# --- Outcomes ---------------------------------------------------------------------------------


def test_an_urgent_outcome_opens_a_concern_and_mails_each_supervisor_without_the_name(
    client_for, interviewer, supervisor, make_staff, interview, django_capture_on_commit_callbacks
):
    second = make_staff(Role.SUPERVISOR, username="second-supervisor")
    answers = good_answers(
        outcome="urgent",
        indicator_restriction_of_movement="observed",
        indicator_intimidation="suspected",
        free_to_go_out="no",
        restricted_notes="The employer locks her in at night.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(interviewer).post(create_url(interview), answers)
    assert response.status_code == 302
    concern = Concern.objects.get()
    record = InterviewRecord.objects.get()
    assert concern.severity == Concern.Severity.URGENT
    assert concern.source == Concern.Source.RECORD
    assert (concern.record, concern.interview, concern.worker) == (
        record,
        interview,
        interview.worker,
    )
    assert concern.owner is None
    assert concern.indicators == ["intimidation", "restriction_of_movement"]
    assert "Urgent outcome of the interview on 2025-03-10." in concern.summary
    assert "Restriction of movement (Observed)" in concern.summary
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [supervisor.email, second.email]
    )
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert interview.worker.family_name not in text
        assert interview.worker.given_names not in text
        assert "locks her in" not in text


def test_a_referral_opens_a_high_concern_without_mail(
    interviewer, supervisor, interview, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        records.record_create(
            interview=interview,
            by=interviewer,
            **good_fields(outcome="referral", wage_on_time="no"),
        )
    concern = Concern.objects.get()
    assert concern.severity == Concern.Severity.HIGH
    assert concern.indicators == []
    assert mail.outbox == []


def test_a_follow_up_outcome_opens_a_medium_concern_and_a_follow_up_in_30_days(
    interviewer, interview
):
    indicators = {code: "not_seen" for code in Indicator.values}
    indicators["excessive_overtime"] = {"level": "suspected", "note": "Works until midnight."}
    record = records.record_create(
        interview=interview,
        by=interviewer,
        **good_fields(outcome="follow_up", daily_hours=14, indicators=indicators),
    )
    concern = Concern.objects.get()
    assert concern.severity == Concern.Severity.MEDIUM
    assert concern.indicators == ["excessive_overtime"]
    follow_up = Interview.objects.get(kind=InterviewKind.FOLLOW_UP)
    assert follow_up.due_on == dt.date(2025, 4, 9)
    assert follow_up.follows == interview
    assert record.indicators.get(indicator="excessive_overtime").note == "Works until midnight."


def test_an_account_not_the_workers_alone_is_flagged_in_the_concern(interviewer, interview):
    record = records.record_create(
        interview=interview,
        by=interviewer,
        **good_fields(outcome="follow_up", bank_account_confirmed="no"),
    )
    assert record.bank_account == BankAccount.objects.get(worker=interview.worker)
    concern = Concern.objects.get()
    assert "The worker does not alone hold and use the bank account." in concern.summary


def test_an_account_not_the_workers_alone_needs_more_than_no_concern(interviewer, interview):
    with pytest.raises(ValidationError) as refused:
        records.record_create(
            interview=interview, by=interviewer, **good_fields(bank_account_confirmed="no")
        )
    assert "outcome" in refused.value.message_dict
    assert nothing_saved(interview)


def test_a_closed_account_is_not_the_current_one(interviewer, interview):
    BankAccount.objects.update(status=BankAccount.Status.CLOSED)
    record = records.record_create(interview=interview, by=interviewer, **good_fields())
    assert record.bank_account is None
    assert record.bank_account_confirmed == "not_answered"


# --- Audit and encryption ---------------------------------------------------------------------


def test_the_creation_is_audited_with_field_names_only(client_for, interviewer, interview):
    client_for(interviewer).post(
        create_url(interview),
        good_answers(restricted_notes="She wants to change employer.", language="tl"),
    )
    record = InterviewRecord.objects.get()
    entry = AuditEntry.objects.get(
        action=Action.CREATE, object_type="interviews.interviewrecord", object_id=str(record.pk)
    )
    assert entry.actor == interviewer
    assert "restricted_notes" in entry.changed_fields
    assert "outcome" in entry.changed_fields
    assert "indicators" in entry.changed_fields
    logged = f"{entry.changed_fields} {entry.detail}"
    assert "She wants" not in logged
    assert "no_concern" not in logged


def test_notes_are_encrypted_in_the_database_row(interviewer, interview):
    indicators = {code: "not_seen" for code in Indicator.values}
    indicators["deception"] = {"level": "suspected", "note": "Promised a different job."}
    record = records.record_create(
        interview=interview,
        by=interviewer,
        **good_fields(
            outcome="follow_up",
            indicators=indicators,
            restricted_notes="She sleeps in the kitchen.",
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT restricted_notes FROM interviews_interviewrecord WHERE id = %s", [record.pk]
        )
        (raw_notes,) = cursor.fetchone()
        cursor.execute(
            "SELECT note FROM interviews_indicatoranswer WHERE record_id = %s AND indicator = %s",
            [record.pk, "deception"],
        )
        (raw_note,) = cursor.fetchone()
    assert raw_notes and "kitchen" not in raw_notes
    assert raw_note and "different job" not in raw_note
    record.refresh_from_db()
    assert record.restricted_notes == "She sleeps in the kitchen."


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections racing need PostgreSQL"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_recorders_racing_for_one_interview_write_one_record(interviewer, supervisor):
    held = appointment(interviewer, at(2025, 3, 10, 10))
    start = threading.Barrier(2)
    outcomes = []

    def record_as(user, outcome):
        from django.db import connection as thread_connection

        try:
            start.wait()
            records.record_create(interview=held, by=user, **good_fields(outcome=outcome))
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=record_as, args=(interviewer, "no_concern")),
        threading.Thread(target=record_as, args=(supervisor, "referral")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert sorted(outcomes) == ["refused", "saved"]
    assert InterviewRecord.objects.filter(interview=held).count() == 1
    assert IndicatorAnswer.objects.count() == 11
    assert Concern.objects.count() == (InterviewRecord.objects.get().outcome == "referral")


def test_after_saving_the_interviewer_is_told_what_follows(client_for, interviewer, interview):
    response = client_for(interviewer).post(
        create_url(interview),
        good_answers(outcome="follow_up", indicator_excessive_overtime="suspected"),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == detail_url(interview)
    assert shows(response, "The interview record is saved.")
    assert shows(response, "A follow-up interview is due within a month; an officer will book it.")
    assert shows(response, "A concern was opened.")


def test_showing_the_account_on_the_form_is_audited(client_for, interviewer, interview):
    account = BankAccount.objects.get(worker=interview.worker)
    client_for(interviewer).get(create_url(interview))
    assert AuditEntry.objects.filter(
        actor=interviewer,
        action=Action.VIEW,
        object_type="registry.bankaccount",
        object_id=str(account.pk),
        detail="record form",
    ).exists()

"""The daily scheduling run: which cards get an interview, which slot it is booked into, and that
running it again, or twice at once, creates nothing new."""

import datetime as dt
import io
import threading

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django_celery_beat.models import PeriodicTask

from accounts.models import AuditEntry
from config.celery import app as celery_app
from interviews import scheduling, services
from interviews.links import interview_id_from
from interviews.models import Interview, InterviewKind, InterviewPolicy
from interviews.scheduling import SlotPlanner, renewal_target, schedule_run
from notifications.models import Kind, Message
from registry.models import Employment, IdentityCard
from tests.interviews.factories import InterpreterFactory, RoomFactory, at
from tests.interviews.factories_scheduling import (
    active_worker,
    free_slot,
    interviewer_speaking,
)
from tests.registry.factories_workers import EndedEmploymentFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 3, 1)
# The run at 06:00, host time; the card below expires on 1 May: its window opened on 31 January.
RUN_TIME = at(2027, 3, 1, 6, 0)
OPEN_EXPIRY = dt.date(2027, 5, 1)


@pytest.fixture
def run_day():
    with time_machine.travel(RUN_TIME, tick=False):
        yield


def _run(**kwargs):
    return schedule_run(today=TODAY, **kwargs)


def _policy(**changes) -> InterviewPolicy:
    policy = services.policy_current()
    for name, value in changes.items():
        setattr(policy, name, value)
    policy.save()
    return policy


# --- Which cards ---------------------------------------------------------------------------


def test_a_card_whose_window_has_not_opened_gets_nothing(run_day):
    # Expires on 1 July: the window opens 90 days before, on 2 April.
    active_worker(expiry=dt.date(2027, 7, 1))
    result = _run()
    assert (result.created, result.skipped) == (0, 0)
    assert not Interview.objects.exists()


def test_a_card_whose_window_opened_today_gets_its_interview(run_day):
    worker, employment, card = active_worker(expiry=TODAY + dt.timedelta(days=90))
    result = _run()
    assert result.created == 1
    interview = Interview.objects.get()
    assert (interview.worker, interview.employment, interview.card) == (worker, employment, card)
    assert interview.kind == InterviewKind.ANNUAL
    assert interview.window_opens_on == TODAY
    assert interview.due_on == card.expiry_date - dt.timedelta(days=30)
    assert interview.language == "tl"


def test_an_ended_employment_gets_nothing(run_day):
    _worker, employment, _card = active_worker(expiry=OPEN_EXPIRY)
    Employment.objects.filter(pk=employment.pk).update(
        status=Employment.Status.ENDED, end_date=TODAY, end_reason="contract_end"
    )
    assert _run().created == 0


def test_a_suspended_employment_gets_nothing(run_day):
    _worker, employment, _card = active_worker(expiry=OPEN_EXPIRY)
    Employment.objects.filter(pk=employment.pk).update(status=Employment.Status.SUSPENDED)
    assert _run().created == 0


@pytest.mark.parametrize(
    "status",
    [IdentityCard.Status.EXPIRED, IdentityCard.Status.CANCELLED, IdentityCard.Status.RETURNED],
)
def test_a_card_no_longer_issued_gets_nothing(run_day, status):
    active_worker(expiry=OPEN_EXPIRY, card_status=status)
    assert _run().created == 0


def test_a_card_past_its_expiry_date_gets_nothing(run_day):
    active_worker(expiry=TODAY - dt.timedelta(days=1))
    assert _run().created == 0


def test_only_the_workers_latest_card_counts(run_day):
    worker, employment, old_card = active_worker(expiry=OPEN_EXPIRY)
    from tests.registry.factories_workers import CardFactory

    CardFactory(
        worker=worker, employment=employment, issue_date=TODAY, expiry_date=dt.date(2028, 3, 1)
    )
    # The newer card's window opens in December: nothing yet, and nothing for the old one.
    assert _run().created == 0
    assert not old_card.interviews.exists()


# --- Booking -------------------------------------------------------------------------------


def test_it_books_the_earliest_slot_whose_interviewer_speaks_the_workers_language(run_day):
    active_worker(expiry=OPEN_EXPIRY, language="tl")
    french = interviewer_speaking("en", "fr", username="claire")
    tagalog = interviewer_speaking("tl", "en", username="joy")
    free_slot(french, at(2027, 3, 8, 9, 0))
    later = free_slot(tagalog, at(2027, 3, 9, 14, 0))
    free_slot(tagalog, at(2027, 3, 10, 9, 0))
    result = _run()
    assert (result.created, result.booked, result.left_unbooked) == (1, 1, 0)
    interview = Interview.objects.get()
    assert interview.status == Interview.Status.INVITED
    assert interview.slot == later
    assert (interview.interviewer, interview.room, interview.starts_at) == (
        tagalog,
        later.room,
        later.starts_at,
    )
    assert interview.language == "tl" and interview.interpreter is None
    assert interview.invited_at == RUN_TIME


def test_a_second_language_the_worker_speaks_well_is_used(run_day):
    active_worker(expiry=OPEN_EXPIRY, language="tl", also_speaks=(("en", "fluent"),))
    english = interviewer_speaking("en", username="claire")
    slot = free_slot(english, at(2027, 3, 8, 9, 0))
    _run()
    interview = Interview.objects.get()
    assert (interview.slot, interview.language, interview.interpreter) == (slot, "en", None)


def test_without_a_speaker_an_independent_interpreter_joins(run_day):
    active_worker(expiry=OPEN_EXPIRY, language="am")
    english = interviewer_speaking("en", username="claire")
    slot = free_slot(english, at(2027, 3, 8, 9, 0))
    InterpreterFactory(name="Linked to a mission", languages=["am"], independent=False)
    interpreter = InterpreterFactory(name="Selam", languages=["am"])
    _run()
    interview = Interview.objects.get()
    assert (interview.slot, interview.interpreter, interview.language) == (slot, interpreter, "am")


def test_a_busy_interpreter_is_not_booked_twice_at_the_same_time(run_day):
    active_worker(expiry=OPEN_EXPIRY, language="am", given_names="Almaz")
    active_worker(expiry=OPEN_EXPIRY, language="am", given_names="Hiwot")
    claire = interviewer_speaking("en", username="claire")
    marc = interviewer_speaking("fr", username="marc")
    same_time = at(2027, 3, 8, 9, 0)
    free_slot(claire, same_time)
    free_slot(marc, same_time)
    later = free_slot(claire, at(2027, 3, 8, 10, 0))
    InterpreterFactory(name="Selam", languages=["am"])
    result = _run()
    assert result.booked == 2
    times = sorted(Interview.objects.values_list("starts_at", flat=True))
    assert times == [same_time, later.starts_at]


def test_with_no_speaker_and_no_interpreter_the_interview_stays_due(run_day):
    active_worker(expiry=OPEN_EXPIRY, language="si")
    free_slot(interviewer_speaking("en", username="claire"), at(2027, 3, 8, 9, 0))
    result = _run()
    assert (result.created, result.booked, result.left_unbooked) == (1, 0, 1)
    interview = Interview.objects.get()
    assert interview.status == Interview.Status.DUE and interview.slot is None
    assert not Message.objects.exists()


def test_it_leaves_the_worker_three_days_notice(run_day):
    active_worker(expiry=OPEN_EXPIRY)
    joy = interviewer_speaking("tl", username="joy")
    free_slot(joy, at(2027, 3, 3, 9, 0))  # two days ahead: too soon
    in_three_days = free_slot(joy, at(2027, 3, 4, 9, 0))
    _run()
    assert Interview.objects.get().slot == in_three_days


def test_after_the_due_date_is_better_than_no_appointment(run_day):
    active_worker(expiry=dt.date(2027, 3, 20))  # due 18 February
    slot = free_slot(interviewer_speaking("tl", username="joy"), at(2027, 3, 8, 9, 0))
    _run()
    interview = Interview.objects.get()
    assert interview.due_on < TODAY
    assert interview.slot == slot


def test_two_workers_never_get_the_same_slot(run_day):
    for name in ("Maria", "Rosa", "Joy"):
        active_worker(expiry=OPEN_EXPIRY, given_names=name)
    joy = interviewer_speaking("tl", username="joy")
    slots = [free_slot(joy, at(2027, 3, 8, hour, 0)) for hour in (9, 10)]
    result = _run()
    assert (result.created, result.booked, result.left_unbooked) == (3, 2, 1)
    assert sorted(Interview.objects.exclude(slot=None).values_list("slot", flat=True)) == [
        slot.pk for slot in slots
    ]


def test_the_worker_is_invited_in_their_language_without_the_word_interview(run_day):
    worker, _employment, _card = active_worker(expiry=OPEN_EXPIRY, language="en")
    free_slot(interviewer_speaking("en", username="claire"), at(2027, 3, 8, 9, 0))
    _run()
    interview = Interview.objects.get()
    [message] = Message.objects.filter(worker=worker)
    assert (message.kind, message.channel, message.language) == (
        Kind.INTERVIEW_INVITATION,
        "sms",
        "en",
    )
    assert "March 8, 2027" in message.body and "09:00" in message.body
    assert interview.room.location in message.body
    assert "interview" not in message.body.lower()
    # Quiet hours until 08:00: the SMS waits in the outbox.
    assert message.status == Message.Status.QUEUED
    assert message.next_attempt_at == at(2027, 3, 1, 8, 0)
    link = message.context["link"]
    assert interview_id_from(link.rstrip("/").rsplit("/", 1)[1]) == interview.pk


def test_an_invitation_naming_a_past_employer_is_held_not_sent(run_day):
    """The run reads every employment of the worker at once for the SMS check: past ones too."""
    worker, _employment, _card = active_worker(expiry=OPEN_EXPIRY, language="en")
    EndedEmploymentFactory(worker=worker, employer__family_name="Okonkwo")
    claire = interviewer_speaking("en", username="claire")
    room = RoomFactory(name="Okonkwo room", location="Okonkwo wing, Rue de la Loi 15")
    free_slot(claire, at(2027, 3, 8, 9, 0), room=room)
    _run()
    [message] = Message.objects.filter(worker=worker)
    assert message.status == Message.Status.HELD
    assert "employer" in message.hold_reason


def test_the_invitation_follows_the_workers_language_chain(run_day):
    # No invitation text in Tigrinya: the worker's fluent Amharic comes next.
    worker, _employment, _card = active_worker(
        expiry=OPEN_EXPIRY, language="ti", also_speaks=(("am", "fluent"),)
    )
    free_slot(interviewer_speaking("am", username="amare"), at(2027, 3, 8, 9, 0))
    _run()
    [message] = Message.objects.filter(worker=worker)
    assert (message.kind, message.language) == (Kind.INTERVIEW_INVITATION, "am")
    assert Interview.objects.get().language == "am"


def test_a_slot_someone_books_while_the_run_plans_goes_to_the_next_one(run_day):
    _worker, _employment, _card = active_worker(expiry=OPEN_EXPIRY)
    joy = interviewer_speaking("tl", username="joy")
    first = free_slot(joy, at(2027, 3, 8, 9, 0))
    second = free_slot(joy, at(2027, 3, 8, 10, 0))
    planner = SlotPlanner(after=scheduling.earliest_proposal(TODAY))
    item = scheduling._Work(*_work_for_the_only_card(), languages=["tl"])
    scheduling._propose(item, planner)
    assert item.proposal[0] == first
    # An officer books the first slot by hand before the run writes its chunk.
    other, other_employment, other_card = active_worker(expiry=dt.date(2027, 9, 1))
    services.interview_book(
        interview=Interview.objects.create(
            worker=other, employment=other_employment, card=other_card, kind="annual"
        ),
        slot=first,
        by=None,
    )
    scheduling._claim([item], planner)
    assert item.proposal[0] == second


def _work_for_the_only_card():
    card = IdentityCard.objects.get()
    policy = services.policy_current()
    target = renewal_target(
        employment=card.employment, card=card, policy=policy, today=TODAY, renewal_held=False
    )
    return card.employment, card, target


# --- First renewal ---------------------------------------------------------------------------


def _target(*, start, expiry, held=False, today=TODAY, **policy):
    class Card:
        expiry_date = expiry

    class Employment_:
        start_date = start

    return renewal_target(
        employment=Employment_,
        card=Card,
        policy=InterviewPolicy(**policy),
        today=today,
        renewal_held=held,
    )


def test_a_long_standing_employment_has_an_annual_interview_in_the_cards_window():
    target = _target(start=dt.date(2020, 1, 1), expiry=dt.date(2027, 5, 1))
    assert target == scheduling.RenewalTarget(
        InterviewKind.ANNUAL, dt.date(2027, 1, 31), dt.date(2027, 4, 1)
    )


def test_a_young_employment_has_a_first_renewal_in_the_cards_window():
    # Started 9 months ago (probation 6 + 12 = 18 months): its first renewal.
    target = _target(start=dt.date(2026, 6, 1), expiry=dt.date(2027, 5, 1))
    assert target == scheduling.RenewalTarget(
        InterviewKind.FIRST_RENEWAL, dt.date(2027, 1, 31), dt.date(2027, 4, 1)
    )


def test_a_probation_ending_before_the_cards_window_brings_the_first_renewal_forward():
    # Probation ends 1 April; the card's window opens only on 3 July.
    target = _target(start=dt.date(2026, 10, 1), expiry=dt.date(2027, 10, 1))
    assert target == scheduling.RenewalTarget(
        InterviewKind.FIRST_RENEWAL, dt.date(2027, 1, 31), dt.date(2027, 4, 1)
    )


def test_the_probation_follows_the_policys_months():
    target = _target(start=dt.date(2026, 10, 1), expiry=dt.date(2027, 10, 1), probation_months=3)
    assert (target.window_opens_on, target.due_on) == (dt.date(2026, 11, 2), dt.date(2027, 1, 1))


def test_once_a_renewal_interview_was_held_the_next_is_annual():
    target = _target(start=dt.date(2026, 10, 1), expiry=dt.date(2027, 10, 1), held=True)
    assert target == scheduling.RenewalTarget(
        InterviewKind.ANNUAL, dt.date(2027, 7, 3), dt.date(2027, 9, 1)
    )


def test_once_the_cards_window_opens_a_missed_early_first_renewal_moves_to_it():
    target = _target(
        start=dt.date(2026, 10, 1), expiry=dt.date(2027, 10, 1), today=dt.date(2027, 7, 3)
    )
    assert target == scheduling.RenewalTarget(
        InterviewKind.FIRST_RENEWAL, dt.date(2027, 7, 3), dt.date(2027, 9, 1)
    )


def test_the_run_creates_the_first_renewal_at_the_end_of_the_probation(run_day):
    _worker, _employment, card = active_worker(
        start=dt.date(2026, 10, 1), expiry=dt.date(2027, 10, 1)
    )
    _run()
    interview = Interview.objects.get()
    assert interview.kind == InterviewKind.FIRST_RENEWAL
    assert (interview.window_opens_on, interview.due_on) == (
        dt.date(2027, 1, 31),
        dt.date(2027, 4, 1),
    )
    # Held in March; in July the card's own window opens and the annual interview follows.
    Interview.objects.filter(pk=interview.pk).update(
        status=Interview.Status.HELD, starts_at=at(2027, 3, 20, 9, 0)
    )
    assert _run().created == 0
    with time_machine.travel(at(2027, 7, 3, 6, 0), tick=False):
        result = schedule_run(today=dt.date(2027, 7, 3))
    assert result.created == 1
    annual = card.interviews.exclude(pk=interview.pk).get()
    assert (annual.kind, annual.due_on) == (InterviewKind.ANNUAL, dt.date(2027, 9, 1))


# --- Idempotent, and safe when runs overlap ---------------------------------------------------


def test_running_twice_creates_nothing_new(run_day):
    active_worker(expiry=OPEN_EXPIRY, given_names="Maria")
    active_worker(expiry=OPEN_EXPIRY, language="si", given_names="Nadeesha")
    free_slot(interviewer_speaking("tl", username="joy"), at(2027, 3, 8, 9, 0))
    first = _run()
    messages = Message.objects.count()
    second = _run()
    assert (first.created, first.booked, first.left_unbooked) == (2, 1, 1)
    assert (second.created, second.booked, second.skipped) == (0, 0, 2)
    assert Interview.objects.count() == 2
    assert Message.objects.count() == messages


@pytest.mark.parametrize(
    "status",
    [Interview.Status.HELD, Interview.Status.CANCELLED, Interview.Status.NO_SHOW],
)
def test_a_card_that_had_its_interview_in_any_state_gets_no_other(run_day, status):
    worker, employment, card = active_worker(expiry=OPEN_EXPIRY)
    Interview.objects.create(
        worker=worker,
        employment=employment,
        card=card,
        kind=InterviewKind.ANNUAL,
        status=status,
        starts_at=at(2027, 2, 20, 9, 0),
        due_on=dt.date(2027, 4, 1),
    )
    result = _run()
    assert (result.created, result.skipped) == (0, 1)


def test_an_interview_made_by_hand_for_the_card_counts(run_day):
    worker, employment, card = active_worker(expiry=OPEN_EXPIRY)
    Interview.objects.create(
        worker=worker, employment=employment, card=card, kind=InterviewKind.ANNUAL
    )
    assert _run().created == 0


def test_one_failing_worker_does_not_stop_the_run(run_day, monkeypatch):
    failing, _e, _c = active_worker(expiry=OPEN_EXPIRY, given_names="Failing")
    active_worker(expiry=OPEN_EXPIRY, given_names="Fine")
    joy = interviewer_speaking("tl", username="joy")
    free_slot(joy, at(2027, 3, 8, 9, 0))
    free_slot(joy, at(2027, 3, 8, 10, 0))
    real_notify, real_notify_many = scheduling.notify, scheduling.notify_many

    def notify_or_fail(worker, kind, context=None, **kwargs):
        if worker.pk == failing.pk:
            raise RuntimeError("the outbox refused this one")
        return real_notify(worker, kind, context, **kwargs)

    def notify_many_or_fail(notices, kind, **kwargs):
        notices = list(notices)
        if any(worker.pk == failing.pk for worker, _context in notices):
            raise RuntimeError("the outbox refused this one")
        return real_notify_many(notices, kind, **kwargs)

    # The chunk invites through notify_many(), the worker-by-worker redo through notify().
    monkeypatch.setattr(scheduling, "notify_many", notify_many_or_fail)
    monkeypatch.setattr(services, "notify", notify_or_fail)
    result = _run()
    assert (result.created, result.booked, result.failed) == (1, 1, 1)
    # The failing worker's half-made interview was rolled back with its savepoint.
    assert not Interview.objects.filter(worker=failing).exists()
    assert Interview.objects.get().status == Interview.Status.INVITED
    assert Message.objects.get().kind == Kind.INTERVIEW_INVITATION
    monkeypatch.undo()
    assert _run().booked == 1  # the next run picks them up


def test_the_run_and_each_interview_are_in_the_audit_log(run_day):
    _worker, _employment, card = active_worker(expiry=OPEN_EXPIRY)
    _run()
    entries = AuditEntry.objects.filter(actor_username="scheduler", actor=None)
    run = entries.get(object_id="")
    assert run.action == AuditEntry.Action.CREATE
    assert "created 1" in run.detail and "left unbooked 1" in run.detail
    interview = card.interviews.get()
    assert entries.filter(object_type="interviews.interview", object_id=str(interview.pk)).exists()
    assert interview.history.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two runs at once need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_the_same_time_create_each_interview_once():
    with time_machine.travel(RUN_TIME, tick=False):
        for number in range(12):
            active_worker(expiry=OPEN_EXPIRY, given_names=f"Worker {number}")
        joy = interviewer_speaking("tl", username="joy")
        for hour in range(8):
            free_slot(joy, at(2027, 3, 8, 9 + hour, 0))
        start = threading.Barrier(2)
        results, errors = [], []

        def run():
            from django.db import connection as thread_connection

            try:
                start.wait()
                results.append(schedule_run(today=TODAY))
            except Exception as error:  # pragma: no cover - shown in the assertion
                errors.append(error)
            finally:
                thread_connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert sum(r.created for r in results) == 12
    assert sum(r.booked for r in results) == 8
    assert sum(r.failed for r in results) == 0
    assert Interview.objects.count() == 12
    assert Interview.objects.exclude(slot=None).values("slot").distinct().count() == 8
    assert Message.objects.filter(kind=Kind.INTERVIEW_INVITATION).count() == 8


# --- The planner keeps slot_proposal's rule ---------------------------------------------------


def test_the_planner_proposes_what_slot_proposal_proposes(run_day):
    claire = interviewer_speaking("en", "fr", username="claire")
    joy = interviewer_speaking("tl", "en", username="joy")
    amare = interviewer_speaking("am", username="amare")
    for day in range(8, 12):
        free_slot(claire, at(2027, 3, day, 9, 0))
        free_slot(joy, at(2027, 3, day, 11, 0))
        free_slot(amare, at(2027, 3, day, 15, 0))
    InterpreterFactory(name="Nadeesha", languages=["si"])
    after = scheduling.earliest_proposal(TODAY)
    planner = SlotPlanner(after=after)
    for languages in (["tl"], ["fr", "tl"], ["si"], ["am", "en"], ["ne"], ["sw", "am"], []):
        expected = services.slot_proposal(languages, after=after)
        assert planner.propose(languages) == expected, languages


# --- The command and the beat tasks -----------------------------------------------------------


def test_the_command_runs_for_the_date_given_and_prints_the_counts(run_day):
    active_worker(expiry=OPEN_EXPIRY)
    out = io.StringIO()
    call_command("schedule_interviews", "--date", "2027-03-01", stdout=out)
    assert "Interviews created: 1" in out.getvalue()
    assert "Left to book by hand (no free slot): 1" in out.getvalue()
    out = io.StringIO()
    call_command("schedule_interviews", "--date", "2027-03-01", stdout=out)
    assert "Interviews created: 0" in out.getvalue()
    assert "Already scheduled: 1" in out.getvalue()


def test_the_command_acts_as_on_the_date_given(run_day):
    active_worker(expiry=dt.date(2027, 7, 1))  # window opens on 2 April
    out = io.StringIO()
    call_command("schedule_interviews", "--date", "2027-04-01", stdout=out)
    assert "Interviews created: 0" in out.getvalue()
    call_command("schedule_interviews", "--date", "2027-04-02", stdout=out)
    assert Interview.objects.get().window_opens_on == dt.date(2027, 4, 2)


def test_the_command_refuses_a_malformed_date():
    with pytest.raises(CommandError, match="2027-03-31"):
        call_command("schedule_interviews", "--date", "1 March")


def test_the_daily_task_runs_the_scheduling(run_day):
    from interviews.tasks import interviews_schedule_daily

    active_worker(expiry=OPEN_EXPIRY)
    result = interviews_schedule_daily.delay().get()
    assert result["created"] == 1
    assert Interview.objects.count() == 1


def test_the_beat_tasks_exist_after_migrate():
    daily = PeriodicTask.objects.get(task="interviews.tasks.interviews_schedule_daily")
    assert daily.enabled and daily.interval is None
    crontab = daily.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week) == ("0", "6", "*")
    assert str(crontab.timezone) == settings.TIME_ZONE
    reminders = PeriodicTask.objects.get(task="interviews.tasks.interviews_send_reminders")
    assert reminders.enabled and reminders.crontab is None
    assert (reminders.interval.every, reminders.interval.period) == (15, "minutes")
    assert daily.task in celery_app.tasks and reminders.task in celery_app.tasks


# --- What the worker receives -------------------------------------------------------------------


@pytest.mark.parametrize(
    "language", ["en", "fr", "es", "ar", "tl", "id", "sw", "vi", "am", "ne", "si", "bn"]
)
def test_no_notice_about_an_appointment_says_interview_or_is_held_in_any_language(
    run_day, language
):
    """The notices this module sends, in each of the twelve notice languages, by SMS and by
    e-mail: never the word "interview", and nothing the SMS check would hold back."""
    from notifications.services import notify
    from tests.interviews.factories_scheduling import booked_interview

    interview = booked_interview(starts_at=at(2027, 3, 10, 10, 0))
    worker = interview.worker
    worker.preferred_language = language
    worker.email = "worker@example.org"
    worker.save(update_fields=["preferred_language", "email"])
    context = scheduling.appointment_context(interview, services.policy_current())
    for kind in (Kind.INTERVIEW_INVITATION, Kind.REMINDER, Kind.MISSED_APPOINTMENT):
        messages = notify(worker, kind, context)
        assert {m.channel for m in messages} == {"sms", "email"}
        for message in messages:
            assert message.language == language, (kind, message.channel)
            assert message.status != Message.Status.HELD, (kind, message.hold_reason)
            text = f"{message.subject} {message.body}".lower()
            assert "interview" not in text, (kind, message.channel)
            assert context["link"] in message.body

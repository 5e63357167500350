"""The retention policy: who is anonymised, what is removed, what is kept, legal holds."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from interviews.models import Concern
from notifications.models import Message
from oversight import retention
from oversight.models import LegalHold, RetentionPolicy, RetentionRun
from oversight.tasks import retention_nightly
from registry import selectors, services
from registry.models import BankAccount, Employment, IdentityCard, Worker
from tests.interviews.factories import ConcernFactory, RecordFactory
from tests.registry.factories_bank import BankAccountFactory, BankEvidenceFactory
from tests.registry.factories_workers import (
    CardFactory,
    NoticeFactory,
    WorkerEmploymentFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 29)
PASSPORT = "P7734219"
PHONE = "+32470123456"


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(timezone.make_aware(dt.datetime(2026, 11, 29, 10, 0)), tick=False)


def past_worker(officer, *, ended: dt.date = dt.date(2020, 6, 30), family_name="Bautista"):
    """A worker entered through the services, with everything the policy must remove."""
    worker = services.worker_save(
        by=officer,
        family_name=family_name,
        given_names="Maria Luisa",
        other_spellings="Mariya Bautista",
        date_of_birth=dt.date(1984, 7, 21),
        sex=Worker.Sex.FEMALE,
        nationality="PH",
        passport_number=PASSPORT,
        preferred_language="tl",
        email="maria.bautista@example.org",
    )
    services.worker_save(by=officer, worker=worker, email="m.bautista@example.org")
    services.phone_add(by=officer, worker=worker, number=PHONE, is_safe=True, is_sms_number=True)
    employment = WorkerEmploymentFactory(
        worker=worker,
        start_date=dt.date(2018, 1, 1),
        end_date=ended,
        status=Employment.Status.ENDED,
        end_reason=Employment.EndReason.DEPARTED,
    )
    CardFactory(
        worker=worker, employment=employment, number="D-7001234", number_normalised="D7001234"
    )
    account = BankAccountFactory(worker=worker)
    evidence = BankEvidenceFactory(account=account)
    NoticeFactory(
        worker=worker,
        recipient=PHONE,
        body="Maria Luisa, your appointment",
        status=Message.Status.DELIVERED,
    )
    return worker, evidence


def test_who_is_due_follows_the_years_since_the_last_employment(officer):
    due, _ = past_worker(officer, ended=dt.date(2021, 11, 28))  # five years and a day
    recent, _ = past_worker(officer, ended=dt.date(2022, 1, 10), family_name="Reyes")
    current = WorkerEmploymentFactory(start_date=dt.date(2015, 1, 1)).worker
    WorkerEmploymentFactory(
        worker=current,
        start_date=dt.date(2010, 1, 1),
        end_date=dt.date(2014, 12, 31),
        status=Employment.Status.ENDED,
    )

    assert list(retention.due_for_anonymisation(TODAY)) == [due]
    RetentionPolicy.objects.update_or_create(
        pk=retention.policy_current().pk, defaults={"anonymise_after_years": 4}
    )
    assert set(retention.due_for_anonymisation(TODAY)) == {due, recent}
    assert current not in retention.due_for_anonymisation(TODAY)


def test_an_anonymised_worker_cannot_be_found_by_any_former_name_passport_or_phone(
    officer, django_capture_on_commit_callbacks
):
    worker, evidence = past_worker(officer)
    stored = evidence.file.name
    assert default_storage.exists(stored)
    for query in ("Bautista", "Maria Luisa", "Mariya", PASSPORT, PHONE, "D-7001234"):
        assert worker in selectors.worker_search(q=query), query

    with django_capture_on_commit_callbacks(execute=True):
        result = retention.retention_apply(dry_run=False, today=TODAY)

    assert result.run.workers_anonymised == 1
    assert result.run.evidence_files_deleted == 1
    for query in (
        "Bautista",
        "Maria Luisa",
        "Mariya",
        "Maria",
        PASSPORT,
        PHONE,
        "D-7001234",
        "0470 12 34 56",
    ):
        assert worker not in selectors.worker_search(q=query), query
    worker.refresh_from_db()
    assert worker.anonymised_at is not None
    assert (worker.given_names, worker.other_spellings, worker.email, worker.passport_number) == (
        f"#{worker.pk}",
        "",
        "",
        "",
    )
    assert worker.date_of_birth == dt.date(1984, 1, 1)
    assert (worker.sex, worker.nationality.code, worker.preferred_language) == ("F", "PH", "tl")
    assert not worker.phones.exists()
    assert IdentityCard.objects.get(worker=worker).number == ""
    account = BankAccount.objects.get(worker=worker)
    assert (account.iban, account.account_hash, account.holder_names) == ("", "", "")
    assert not default_storage.exists(stored)
    assert not account.evidence.exists()
    assert Message.objects.get(worker=worker).body == ""
    assert Message.objects.get(worker=worker).recipient == ""
    # Nothing of the old values is left in the history tables or anywhere in the worker's rows.
    assert not Worker.history.filter(id=worker.pk).exists()
    assert not BankAccount.history.filter(id=account.pk).exists()
    with connection.cursor() as cursor:
        for table in (
            "registry_worker",
            "registry_historicalworker",
            "registry_identitycard",
            "registry_historicalidentitycard",
            "notifications_message",
        ):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            dump = repr(cursor.fetchall())
            for former in ("Bautista", "Mariya", "bautista@example.org", "7001234", "470123456"):
                assert former not in dump, (table, former)
    # The employment's terms stay for statistics.
    assert Employment.objects.get(worker=worker).monthly_salary > 0
    entry = AuditEntry.objects.filter(
        object_type="registry.worker", object_id=str(worker.pk)
    ).first()
    assert entry.detail == "anonymised under the retention policy"
    assert "family_name" in entry.changed_fields


def test_a_worker_under_legal_hold_is_untouched_until_the_hold_is_lifted(officer, supervisor):
    worker, evidence = past_worker(officer)
    hold = retention.legal_hold_place(
        worker=worker, reason=LegalHold.Reason.COURT_CASE, owner=supervisor, by=supervisor
    )
    before = Worker.objects.filter(pk=worker.pk).values().get()

    result = retention.retention_apply(dry_run=False, today=TODAY)

    assert (result.run.workers_anonymised, result.run.workers_held) == (0, 1)
    assert Worker.objects.filter(pk=worker.pk).values().get() == before
    assert default_storage.exists(evidence.file.name)
    assert worker.phones.exists()

    retention.legal_hold_lift(hold=hold, reason="Judgment delivered", by=supervisor)
    assert retention.retention_apply(dry_run=False, today=TODAY).run.workers_anonymised == 1


def test_an_open_concern_keeps_the_worker_and_a_closed_one_does_not(officer):
    worker, _ = past_worker(officer)
    concern = ConcernFactory(worker=worker)
    assert retention.retention_apply(dry_run=False, today=TODAY).run.workers_anonymised == 0
    Concern.objects.filter(pk=concern.pk).update(
        status=Concern.Status.CLOSED, closure_reason="resolved"
    )
    assert retention.retention_apply(dry_run=False, today=TODAY).run.workers_anonymised == 1
    concern.refresh_from_db()
    assert concern.details == "" and concern.summary == "—"
    assert concern.severity == Concern.Severity.MEDIUM  # counted in statistics


def test_interview_notes_are_blanked_but_answers_kept(officer):
    worker, _ = past_worker(officer)
    record = RecordFactory(
        interview__worker=worker,
        interview__employment=worker.employments.get(),
        interview__card=worker.cards.get(),
    )
    retention.retention_apply(dry_run=False, today=TODAY)
    record.refresh_from_db()
    assert record.restricted_notes == ""
    assert (record.outcome, record.weekly_rest_day, record.counts) == ("no_concern", "yes", True)


def test_a_dry_run_changes_nothing_and_says_what_it_would_do(officer, supervisor):
    worker, _ = past_worker(officer)
    held_worker, _ = past_worker(officer, family_name="Held")
    retention.legal_hold_place(
        worker=held_worker, reason=LegalHold.Reason.INVESTIGATION, owner=supervisor, by=supervisor
    )
    before = list(Worker.objects.values())

    result = retention.retention_apply(dry_run=True, today=TODAY)

    assert [w.pk for w in result.to_anonymise] == [worker.pk]
    assert [w.pk for w in result.held] == [held_worker.pk]
    assert list(Worker.objects.values()) == before
    assert Message.objects.exclude(body="").count() == 2
    assert (result.run.dry_run, result.run.workers_anonymised, result.run.workers_held) == (
        True,
        1,
        1,
    )


def test_message_texts_are_removed_after_the_policy_days_once_final():
    old_delivered = NoticeFactory(status=Message.Status.DELIVERED, body="old text")
    old_queued = NoticeFactory(
        status=Message.Status.QUEUED, body="waiting", worker=old_delivered.worker
    )
    recent = NoticeFactory(
        status=Message.Status.DELIVERED, body="recent", worker=old_delivered.worker
    )
    Message.objects.filter(pk__in=[old_delivered.pk, old_queued.pk]).update(
        created_at=timezone.now() - dt.timedelta(days=91)
    )
    Message.objects.filter(pk=recent.pk).update(created_at=timezone.now() - dt.timedelta(days=89))

    result = retention.retention_apply(dry_run=False)

    assert result.run.message_bodies_removed == 1
    assert Message.objects.get(pk=old_delivered.pk).body == ""
    assert Message.objects.get(pk=old_queued.pk).body == "waiting"
    assert Message.objects.get(pk=recent.pk).body == "recent"


def test_the_nightly_task_only_lists_when_the_policy_is_off(officer):
    worker, _ = past_worker(officer)
    RetentionPolicy.objects.update_or_create(
        pk=retention.policy_current().pk, defaults={"enabled": False}
    )
    assert retention_nightly()["dry_run"] is True
    assert Worker.objects.get(pk=worker.pk).anonymised_at is None
    RetentionPolicy.objects.filter().update(enabled=True)
    assert retention_nightly()["workers_anonymised"] == 1


def test_the_command_has_a_dry_run(officer, capsys):
    worker, _ = past_worker(officer)
    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert f"Would anonymise: worker #{worker.pk}" in out
    assert Worker.objects.get(pk=worker.pk).anonymised_at is None
    call_command("apply_retention")
    assert Worker.objects.get(pk=worker.pk).anonymised_at is not None


def test_the_nightly_task_is_scheduled():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="oversight.tasks.retention_nightly")
    assert task.enabled and task.crontab.hour == "2"


# --- Pages ------------------------------------------------------------------------------------


def test_an_administrator_edits_the_policy_and_bad_input_changes_nothing(client_for, administrator):
    client = client_for(administrator)
    url = reverse("oversight:retention")
    response = client.post(
        url, {"anonymise_after_years": "0", "message_body_days": "90", "enabled": "on"}
    )
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert retention.policy_current().anonymise_after_years == 5
    response = client.post(
        url, {"anonymise_after_years": "7", "message_body_days": "60", "enabled": "on"}
    )
    assert response.status_code == 302
    assert (
        retention.policy_current().anonymise_after_years,
        retention.policy_current().message_body_days,
    ) == (7, 60)
    assert AuditEntry.objects.filter(
        object_type="oversight.retentionpolicy", action="update"
    ).exists()


def test_a_supervisor_reads_the_policy_and_the_dry_run_but_cannot_change_them(
    client_for, supervisor, officer
):
    worker, _ = past_worker(officer)
    client = client_for(supervisor)
    page = client.get(reverse("oversight:retention")).content.decode()
    assert (
        str(worker) in page
        and "retention-policy-form" not in page
        and "retention-apply-form" not in page
    )
    assert (
        client.post(
            reverse("oversight:retention"), {"anonymise_after_years": "1", "message_body_days": "7"}
        ).status_code
        == 403
    )
    assert client.post(reverse("oversight:retention-apply"), {"confirm": "on"}).status_code == 403
    assert Worker.objects.get(pk=worker.pk).anonymised_at is None


def test_applying_from_the_page_needs_the_confirmation(client_for, administrator, officer):
    worker, _ = past_worker(officer)
    client = client_for(administrator)
    client.post(reverse("oversight:retention-apply"), {})
    assert Worker.objects.get(pk=worker.pk).anonymised_at is None
    assert not RetentionRun.objects.exists()
    client.post(reverse("oversight:retention-apply"), {"confirm": "on"})
    assert Worker.objects.get(pk=worker.pk).anonymised_at is not None
    assert RetentionRun.objects.get().started_by == administrator


def test_a_supervisor_places_and_lifts_a_hold_with_reasons(client_for, supervisor, officer):
    worker, _ = past_worker(officer)
    client = client_for(supervisor)
    url = reverse("oversight:worker-holds", args=[worker.pk])
    response = client.post(url, {"reason": "other", "note": "", "owner": supervisor.pk})
    assert "Say what the hold is for." in response.content.decode()
    assert not LegalHold.objects.exists()
    client.post(
        url, {"reason": "court_case", "note": "Labour court, case 2026/114", "owner": supervisor.pk}
    )
    hold = LegalHold.objects.get()
    client.post(reverse("oversight:legal-hold-lift", args=[hold.pk]), {"lift_reason": ""})
    hold.refresh_from_db()
    assert hold.active
    client.post(
        reverse("oversight:legal-hold-lift", args=[hold.pk]), {"lift_reason": "Case closed"}
    )
    hold.refresh_from_db()
    assert not hold.active and hold.lift_reason == "Case closed" and hold.lifted_by == supervisor
    assert "Case closed" in client.get(url).content.decode()
    # A lifted hold leaves the list of holds in place.
    assert "Labour court" not in client.get(reverse("oversight:legal-hold-list")).content.decode()


def test_the_hold_list_shows_active_holds_with_a_fixed_number_of_queries(
    client_for, supervisor, officer, django_assert_max_num_queries
):
    client = client_for(supervisor)
    for n in range(3):
        worker, _ = past_worker(officer, family_name=f"Held{n}")
        retention.legal_hold_place(
            worker=worker, reason="court_case", owner=supervisor, by=supervisor, note=f"case {n}"
        )
    client.get(reverse("oversight:legal-hold-list"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("oversight:legal-hold-list")).content.decode()
    assert "case 2" in page
    for n in range(3, 15):
        worker, _ = past_worker(officer, family_name=f"Held{n}")
        retention.legal_hold_place(
            worker=worker, reason="court_case", owner=supervisor, by=supervisor
        )
    with django_assert_max_num_queries(10):
        client.get(reverse("oversight:legal-hold-list"))

"""Rules that keep a contract in force honest: terms, employer, notices, accounts, deposits."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from schwifty import IBAN

from notifications.models import Kind, Message, MessageTemplate
from registry import services
from registry.models import BankAccount, Employment, IdentityCard, WorkerPhone
from tests.factories import EmployerFactory, WorkerFactory
from tests.registry.factories_employments import EmploymentFactory, IdentityCardFactory

pytestmark = pytest.mark.django_db


def _iban(n=2200301):
    return str(IBAN.generate("BE", bank_code="096", account_code=f"{n:07d}"))


def test_new_terms_below_the_minimum_send_an_active_contract_back_to_wait_for_a_supervisor(officer):
    employment = EmploymentFactory(status=Employment.Status.ACTIVE)
    services.employment_update(
        by=officer, employment=employment, monthly_salary=Decimal("300.00"), weekly_hours=70
    )
    employment.refresh_from_db()
    assert employment.status == Employment.Status.REGISTERED
    assert employment.policy_override_reason == ""


def test_an_exception_granted_for_old_terms_does_not_cover_new_ones(officer, supervisor):
    employment = EmploymentFactory(
        status=Employment.Status.REGISTERED, monthly_salary=Decimal("1500.00")
    )
    services.employment_activate(
        by=supervisor, employment=employment, override_reason="Part-time household"
    )
    services.employment_update(by=officer, employment=employment, weekly_hours=70)
    employment.refresh_from_db()
    assert (employment.status, employment.policy_override_reason) == (
        Employment.Status.REGISTERED,
        "",
    )


def test_terms_within_the_policy_keep_the_contract_active(officer):
    employment = EmploymentFactory(status=Employment.Status.ACTIVE)
    services.employment_update(by=officer, employment=employment, monthly_salary=Decimal("2300.00"))
    employment.refresh_from_db()
    assert employment.status == Employment.Status.ACTIVE


def test_the_employer_of_a_contract_in_force_cannot_be_swapped(officer):
    employment = EmploymentFactory(status=Employment.Status.ACTIVE)
    other = EmployerFactory()
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.employment_update(by=officer, employment=employment, employer=other)
    employment.refresh_from_db()
    assert employment.employer != other


def test_the_rights_notice_is_written_in_the_leaflet_language(officer):
    MessageTemplate.objects.update_or_create(
        kind=Kind.RIGHTS_INFORMATION,
        channel="email",
        language="fr",
        defaults={"body": "Vos droits", "subject": "Droits"},
    )
    employment = EmploymentFactory(worker=WorkerFactory(preferred_language="tl"))
    services.registration_record(
        by=officer, employment=employment, held_at=timezone.now(), identity_checked=True, held_own_passport=True,
        employer_absent=True, language="fr", interpreter="", rights_explained=True, leaflet_language="fr",
    )  # fmt: skip
    assert (
        Message.objects.get(worker=employment.worker, kind=Kind.RIGHTS_INFORMATION).language == "fr"
    )


def test_returning_the_card_at_the_end_is_kept_in_the_cards_history(officer):
    employment = EmploymentFactory(status=Employment.Status.ACTIVE)
    card = IdentityCardFactory(
        worker=employment.worker, employment=employment, status=IdentityCard.Status.ISSUED
    )
    services.employment_end(
        by=officer,
        employment=employment,
        reason="contract_end",
        end_date=dt.date(2026, 6, 1),
        card_returned=True,
    )
    card.refresh_from_db()
    assert card.status == IdentityCard.Status.RETURNED
    assert card.history.first().status == IdentityCard.Status.RETURNED


def test_correcting_the_workers_name_recomputes_the_holder_name_check(officer):
    worker = WorkerFactory(family_name="Cruz", given_names="Rosario")
    account = services.bank_account_add(
        by=officer, worker=worker, iban=_iban(), holder_names="Rosario Dela Cruz", sole_holder=True
    )
    assert account.name_mismatch is True
    services.worker_save(by=officer, worker=worker, family_name="Dela Cruz")
    account.refresh_from_db()
    assert account.name_mismatch is False


def test_a_closed_account_cannot_be_verified_and_an_old_date_is_refused(officer):
    worker = WorkerFactory(family_name="Dela Cruz", given_names="Rosario")
    account = services.bank_account_add(
        by=officer, worker=worker, iban=_iban(), holder_names="Rosario Dela Cruz", sole_holder=True
    )
    with pytest.raises(ValidationError, match="already expired"):
        services.bank_account_verify(
            by=officer, account=account, method="in_person", verified_on=dt.date(2020, 1, 1)
        )
    BankAccount.objects.filter(pk=account.pk).update(status=BankAccount.Status.CLOSED)
    account.refresh_from_db()
    with pytest.raises(ValidationError, match="closed or rejected"):
        services.bank_account_verify(
            by=officer, account=account, method="in_person", verified_on=timezone.localdate()
        )
    account.refresh_from_db()
    assert account.status == BankAccount.Status.CLOSED


def test_an_iban_whose_national_check_digits_are_wrong_is_refused(officer):
    with pytest.raises(ValidationError, match="national check"):
        services.bank_account_add(
            by=officer,
            worker=WorkerFactory(),
            iban="BE26096220030100",
            holder_names="X",
            sole_holder=True,
        )
    assert not BankAccount.objects.exists()


def test_a_deposit_for_a_month_that_has_not_started_is_refused(officer):
    employment = EmploymentFactory(status=Employment.Status.ACTIVE)
    worker = employment.worker
    account = services.bank_account_add(
        by=officer,
        worker=worker,
        iban=_iban(),
        holder_names=f"{worker.given_names} {worker.family_name}",
        sole_holder=True,
    )
    next_month = (timezone.localdate().replace(day=1) + dt.timedelta(days=40)).replace(day=1)
    with pytest.raises(ValidationError, match="has not started"):
        services.salary_deposit_record(
            by=officer,
            account=account,
            employment=employment,
            month=next_month,
            amount=Decimal("2100"),
            currency="EUR",
        )


def test_choosing_a_new_sms_number_is_audited_for_the_old_one(officer):
    from accounts.models import AuditEntry

    worker = WorkerFactory()
    old = services.phone_add(
        by=officer, worker=worker, number="+32470123456", is_safe=True, is_sms_number=True
    )
    services.phone_add(
        by=officer, worker=worker, number="+32470654321", is_safe=True, is_sms_number=True
    )
    old.refresh_from_db()
    assert old.is_sms_number is False
    assert AuditEntry.objects.filter(
        object_type="registry.workerphone", object_id=str(old.pk), action="update"
    ).exists()
    assert WorkerPhone.objects.filter(worker=worker, is_sms_number=True).count() == 1


def test_opening_a_contract_form_is_audited_as_a_read(client_for, officer):
    from django.urls import reverse

    from accounts.models import AuditEntry

    employment = EmploymentFactory()
    client_for(officer).get(reverse("registry:employment-update", args=[employment.pk]))
    assert AuditEntry.objects.filter(
        action="view",
        object_type="registry.employment",
        object_id=str(employment.pk),
        actor=officer,
    ).exists()


def test_over_the_rank_limit_the_newest_contract_breaches_not_the_one_in_force():
    employer = EmployerFactory(is_head_of_mission=False)
    first = EmploymentFactory(employer=employer, status=Employment.Status.ACTIVE)
    second = EmploymentFactory(employer=employer, status=Employment.Status.REGISTERED)
    assert services.employment_policy_breaches(first) == []
    assert any(
        "domestic workers" in breach for breach in services.employment_policy_breaches(second)
    )

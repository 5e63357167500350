"""The registry's rules, as registry.services enforces them: every refusal changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction

from accounts.models import AuditEntry
from notifications.models import Kind, Message
from registry import services
from registry.models import (
    BankAccount,
    BankEvidence,
    Employment,
    IdentityCard,
    Registration,
    SalaryDeposit,
    WorkerPhone,
)
from registry.names import holder_matches_worker
from tests.factories import EmployerFactory, WorkerFactory
from tests.registry.factories_employments import EmploymentFactory, IdentityCardFactory

pytestmark = pytest.mark.django_db

Status = Employment.Status
TODAY = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
VALID_IBAN = "BE71 0961 2345 6769"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _messages(excinfo) -> list[str]:
    return excinfo.value.messages


def _audit(action, obj) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
        )
    )


def _contract(**terms) -> dict:
    values = {
        "employer": EmployerFactory(),
        "start_date": dt.date(2026, 2, 1),
        "end_date": None,
        "duties": "Cooking",
        "monthly_salary": Decimal("2100.00"),
        "currency": "EUR",
        "weekly_hours": 38,
        "weekly_rest_days": 2,
        "annual_leave_days": 24,
        "accommodation": Employment.Accommodation.OWN,
        "contract_languages": ["en", "tl"],
    }
    values.update(terms)
    return values


REGISTRATION = {
    "identity_checked": True,
    "held_own_passport": True,
    "employer_absent": True,
    "language": "tl",
    "interpreter": "",
    "rights_explained": True,
    "leaflet_language": "tl",
    "notes": "",
}


# --- Policy breaches ----------------------------------------------------------------------


def test_a_contract_that_meets_the_policy_has_no_breaches():
    assert services.employment_policy_breaches(EmploymentFactory()) == []


def test_the_default_policy_is_created_once_for_the_host_state(settings):
    policy = services.policy_current()
    assert services.policy_current().pk == policy.pk
    assert policy.host_country.code == settings.HESTIA_HOST_COUNTRY
    assert policy.minimum_monthly_wage == Decimal("1800.00")


def test_a_wage_below_the_minimum_is_a_breach_that_names_both_amounts():
    employment = EmploymentFactory(monthly_salary=Decimal("1650.00"))
    assert services.employment_policy_breaches(employment) == [
        "The monthly salary 1650.00 EUR is below the minimum wage of 1800.00 EUR."
    ]


def test_a_wage_in_another_currency_must_be_checked_by_hand():
    employment = EmploymentFactory(monthly_salary=Decimal("100.00"), currency="PHP")
    assert services.employment_policy_breaches(employment) == [
        "The salary is in PHP; the minimum wage is set in EUR and must be checked by hand."
    ]


def test_long_hours_short_rest_and_short_leave_are_each_a_breach():
    employment = EmploymentFactory(weekly_hours=60, weekly_rest_days=0, annual_leave_days=10)
    assert services.employment_policy_breaches(employment) == [
        "60 weekly hours is above the maximum of 40.",
        "0 weekly rest days is below the minimum of 1.",
        "10 days of annual leave is below the minimum of 20.",
    ]


def test_the_policy_as_edited_by_an_administrator_applies(administrator):
    policy = services.policy_current()
    services.policy_save(by=administrator, policy=policy, maximum_weekly_hours=36)
    employment = EmploymentFactory(weekly_hours=38)
    assert services.employment_policy_breaches(employment) == [
        "38 weekly hours is above the maximum of 36."
    ]


def test_a_staff_member_may_employ_one_worker_and_a_head_of_mission_three():
    staff_member = EmployerFactory(is_head_of_mission=False)
    EmploymentFactory(employer=staff_member, status=Status.ACTIVE)
    second = EmploymentFactory(employer=staff_member)
    assert services.employment_policy_breaches(second) == [
        "This employer would have 2 domestic workers; the most allowed for this rank is 1."
    ]
    head = EmployerFactory(is_head_of_mission=True)
    employments = [EmploymentFactory(employer=head) for _ in range(3)]
    assert services.employment_policy_breaches(employments[2]) == []
    fourth = EmploymentFactory(employer=head)
    assert services.employment_policy_breaches(fourth) == [
        "This employer would have 4 domestic workers; the most allowed for this rank is 3."
    ]


def test_ended_contracts_do_not_count_towards_the_employers_limit():
    employer = EmployerFactory()
    EmploymentFactory(employer=employer, status=Status.ENDED, end_reason="resigned")
    assert services.employment_policy_breaches(EmploymentFactory(employer=employer)) == []


# --- Creating and changing employments ----------------------------------------------------


def test_a_new_employment_starts_pre_notified_and_is_audited(officer):
    worker = WorkerFactory()
    employment = services.employment_create(by=officer, worker=worker, **_contract())
    assert employment.status == Status.PRE_NOTIFIED
    assert employment.contract_languages == ["en", "tl"]
    [entry] = _audit(AuditEntry.Action.CREATE, employment)
    assert entry.actor == officer
    assert "monthly_salary" in entry.changed_fields


def test_a_worker_cannot_have_two_employments_that_have_not_ended(officer):
    current = EmploymentFactory(status=Status.ACTIVE)
    with pytest.raises(ValidationError) as excinfo:
        services.employment_create(by=officer, worker=current.worker, **_contract())
    assert _messages(excinfo) == [
        "This worker already has an employment that has not ended. End it before recording a new one."
    ]
    assert list(current.worker.employments.all()) == [current]
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).exists()


@pytest.mark.parametrize("status", [Status.PRE_NOTIFIED, Status.REGISTERED, Status.SUSPENDED])
def test_any_open_status_blocks_a_new_employment(officer, status):
    current = EmploymentFactory(status=status)
    with pytest.raises(ValidationError):
        services.employment_create(by=officer, worker=current.worker, **_contract())
    assert current.worker.employments.count() == 1


def test_a_new_employment_may_follow_one_that_ended(officer):
    ended = EmploymentFactory(status=Status.ENDED, end_reason="contract_end")
    employment = services.employment_create(by=officer, worker=ended.worker, **_contract())
    assert ended.worker.employments.count() == 2
    assert employment.status == Status.PRE_NOTIFIED


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"end_date": dt.date(2026, 1, 1)}, "__all__"),
        ({"weekly_hours": 101}, "weekly_hours"),
        ({"weekly_rest_days": 8}, "weekly_rest_days"),
        ({"monthly_salary": Decimal("-1.00")}, "monthly_salary"),
        ({"accommodation": "tent"}, "accommodation"),
    ],
)
def test_an_impossible_contract_is_refused_and_nothing_is_created(officer, terms, field):
    worker = WorkerFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.employment_create(by=officer, worker=worker, **_contract(**terms))
    assert field in excinfo.value.message_dict
    assert not Employment.objects.exists()
    assert not AuditEntry.objects.exists()


def test_an_update_records_only_the_fields_that_changed(officer):
    employment = EmploymentFactory()
    data = {name: getattr(employment, name) for name in services.EMPLOYMENT_FIELDS}
    data["weekly_hours"] = 40
    services.employment_update(by=officer, employment=employment, **data)
    employment.refresh_from_db()
    assert employment.weekly_hours == 40
    [entry] = _audit(AuditEntry.Action.UPDATE, employment)
    assert entry.changed_fields == ["weekly_hours"]


def test_an_ended_employment_cannot_be_changed(officer):
    employment = EmploymentFactory(status=Status.ENDED, end_reason="resigned")
    with pytest.raises(ValidationError) as excinfo:
        services.employment_update(by=officer, employment=employment, weekly_hours=20)
    assert _messages(excinfo) == ["An ended employment cannot be changed."]
    employment.refresh_from_db()
    assert employment.weekly_hours == 38


def test_an_update_that_breaks_the_dates_changes_nothing(officer):
    employment = EmploymentFactory()
    with pytest.raises(ValidationError):
        services.employment_update(
            by=officer, employment=employment, end_date=dt.date(2025, 12, 31)
        )
    employment.refresh_from_db()
    assert employment.end_date is None
    assert not AuditEntry.objects.exists()


# --- Activation and the supervisor's exception --------------------------------------------


def test_a_registered_contract_that_meets_the_policy_becomes_active(officer):
    employment = EmploymentFactory(status=Status.REGISTERED)
    services.employment_activate(by=officer, employment=employment)
    employment.refresh_from_db()
    assert employment.status == Status.ACTIVE
    assert employment.policy_override_reason == ""
    assert _audit(AuditEntry.Action.UPDATE, employment)[0].changed_fields == ["status"]


@pytest.mark.parametrize("status", [Status.PRE_NOTIFIED, Status.ACTIVE, Status.ENDED])
def test_only_a_registered_or_suspended_contract_can_become_active(supervisor, status):
    employment = EmploymentFactory(status=status)
    with pytest.raises(ValidationError) as excinfo:
        services.employment_activate(by=supervisor, employment=employment)
    assert excinfo.value.code == "status"
    employment.refresh_from_db()
    assert employment.status == status


def test_a_breach_without_a_reason_is_refused_with_every_breach_listed(supervisor):
    employment = EmploymentFactory(status=Status.REGISTERED, monthly_salary=Decimal("1500.00"))
    with pytest.raises(ValidationError) as excinfo:
        services.employment_activate(by=supervisor, employment=employment, override_reason="  ")
    assert _messages(excinfo) == [
        "This contract does not meet the policy; a supervisor must record an exception and its reason.",
        "The monthly salary 1500.00 EUR is below the minimum wage of 1800.00 EUR.",
    ]
    employment.refresh_from_db()
    assert employment.status == Status.REGISTERED
    assert not AuditEntry.objects.exists()


def test_a_protocol_officer_cannot_record_an_exception(officer):
    employment = EmploymentFactory(status=Status.REGISTERED, weekly_hours=50)
    with pytest.raises(ValidationError) as excinfo:
        services.employment_activate(
            by=officer, employment=employment, override_reason="The mission insists."
        )
    assert _messages(excinfo) == ["Only a supervisor can record an exception to the policy."]
    employment.refresh_from_db()
    assert employment.status == Status.REGISTERED
    assert employment.policy_override_reason == ""
    assert employment.policy_override_by is None


def test_a_supervisor_records_the_exception_with_their_name_and_the_time(supervisor):
    employment = EmploymentFactory(status=Status.REGISTERED, weekly_hours=50)
    services.employment_activate(
        by=supervisor, employment=employment, override_reason="  Hours include on-call time.  "
    )
    employment.refresh_from_db()
    assert employment.status == Status.ACTIVE
    assert employment.policy_override_reason == "Hours include on-call time."
    assert employment.policy_override_by == supervisor
    assert employment.policy_override_at == TODAY
    [entry] = _audit(AuditEntry.Action.UPDATE, employment)
    assert entry.changed_fields == ["policy_override_by", "policy_override_reason", "status"]


def test_an_exception_once_recorded_lets_a_suspended_contract_become_active_again(
    supervisor, officer
):
    employment = EmploymentFactory(status=Status.REGISTERED, weekly_hours=50)
    services.employment_activate(by=supervisor, employment=employment, override_reason="Agreed.")
    services.employment_suspend(by=officer, employment=employment)
    services.employment_activate(by=officer, employment=employment)
    employment.refresh_from_db()
    assert employment.status == Status.ACTIVE
    assert employment.policy_override_by == supervisor


def test_only_an_active_employment_can_be_suspended(officer):
    employment = EmploymentFactory(status=Status.REGISTERED)
    with pytest.raises(ValidationError) as excinfo:
        services.employment_suspend(by=officer, employment=employment)
    assert _messages(excinfo) == ["Only an active employment can be suspended."]
    employment.refresh_from_db()
    assert employment.status == Status.REGISTERED


# --- Ending -------------------------------------------------------------------------------


def test_ending_with_the_card_returned_marks_its_issued_cards_returned(officer):
    card = IdentityCardFactory()
    employment = card.employment
    expired = IdentityCardFactory(
        employment=employment, worker=employment.worker, status=IdentityCard.Status.EXPIRED
    )
    other = IdentityCardFactory()
    services.employment_end(
        by=officer,
        employment=employment,
        reason=Employment.EndReason.RESIGNED,
        end_date=dt.date(2026, 4, 30),
        card_returned=True,
    )
    employment.refresh_from_db()
    assert (employment.status, employment.end_reason, employment.end_date) == (
        Status.ENDED,
        "resigned",
        dt.date(2026, 4, 30),
    )
    assert employment.card_returned is True
    statuses = {c.pk: c.status for c in IdentityCard.objects.all()}
    assert statuses == {card.pk: "returned", expired.pk: "expired", other.pk: "issued"}
    [entry] = _audit(AuditEntry.Action.UPDATE, employment)
    assert entry.changed_fields == ["card_returned", "end_date", "end_reason", "status"]


def test_ending_without_the_card_returned_leaves_the_card_issued(officer):
    card = IdentityCardFactory()
    services.employment_end(
        by=officer,
        employment=card.employment,
        reason=Employment.EndReason.LEFT_HOUSEHOLD,
        end_date=dt.date(2026, 4, 30),
        card_returned=False,
    )
    card.refresh_from_db()
    card.employment.refresh_from_db()
    assert card.status == IdentityCard.Status.ISSUED
    assert card.employment.card_returned is False


@pytest.mark.parametrize(
    ("reason", "end_date", "message"),
    [
        ("holiday", dt.date(2026, 4, 30), "Choose why the employment ended."),
        ("", dt.date(2026, 4, 30), "Choose why the employment ended."),
        ("resigned", dt.date(2025, 12, 31), "The end date cannot be before the start date."),
    ],
)
def test_a_bad_ending_changes_nothing(officer, reason, end_date, message):
    card = IdentityCardFactory()
    employment = card.employment
    with pytest.raises(ValidationError) as excinfo:
        services.employment_end(
            by=officer, employment=employment, reason=reason, end_date=end_date, card_returned=True
        )
    assert _messages(excinfo) == [message]
    employment.refresh_from_db()
    card.refresh_from_db()
    assert employment.status == Status.ACTIVE
    assert employment.end_reason == ""
    assert card.status == IdentityCard.Status.ISSUED


def test_an_employment_cannot_end_twice(officer):
    employment = EmploymentFactory(
        status=Status.ENDED, end_reason="resigned", end_date=dt.date(2026, 3, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.employment_end(
            by=officer,
            employment=employment,
            reason="dismissed",
            end_date=dt.date(2026, 4, 1),
            card_returned=True,
        )
    assert _messages(excinfo) == ["This employment has already ended."]
    employment.refresh_from_db()
    assert (employment.end_reason, employment.end_date) == ("resigned", dt.date(2026, 3, 1))


# --- Registration -------------------------------------------------------------------------


def test_a_registration_that_meets_the_policy_activates_and_requests_the_rights_notice(officer):
    employment = EmploymentFactory(worker__preferred_language="am")
    result = services.registration_record(
        by=officer, employment=employment, **{**REGISTRATION, "leaflet_language": "en"}
    )
    employment.refresh_from_db()
    assert result.activated is True
    assert result.breaches == []
    assert employment.status == Status.ACTIVE
    assert result.registration.officer == officer
    [notice] = Message.objects.all()
    assert notice.worker == employment.worker
    assert notice.kind == Kind.RIGHTS_INFORMATION
    # Rendered in the first language of the worker's chain that has a template (see
    # tests/notifications for the chain itself).
    assert notice.language in {"am", "en"}
    assert notice.context == {"language": "en", "employment_id": employment.pk}
    assert notice.created_by == officer
    assert _audit(AuditEntry.Action.CREATE, result.registration)


def test_a_registration_of_a_contract_that_breaches_the_policy_waits_for_a_supervisor(officer):
    employment = EmploymentFactory(annual_leave_days=10)
    result = services.registration_record(by=officer, employment=employment, **REGISTRATION)
    employment.refresh_from_db()
    assert result.activated is False
    assert result.breaches == ["10 days of annual leave is below the minimum of 20."]
    assert employment.status == Status.REGISTERED
    assert Message.objects.filter(worker=employment.worker).count() == 1


def test_a_registration_with_a_prior_exception_activates_despite_the_breach(officer, supervisor):
    employment = EmploymentFactory(
        annual_leave_days=10, policy_override_reason="Agreed", policy_override_by=supervisor
    )
    result = services.registration_record(by=officer, employment=employment, **REGISTRATION)
    assert result.activated is True
    employment.refresh_from_db()
    assert employment.status == Status.ACTIVE


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("identity_checked", "The worker's identity must be checked against the passport."),
        (
            "employer_absent",
            "The registration only counts if no employer or mission member was present.",
        ),
        ("rights_explained", "The worker's rights and obligations must be explained."),
    ],
)
def test_a_registration_missing_a_required_answer_records_nothing(officer, missing, message):
    employment = EmploymentFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.registration_record(
            by=officer, employment=employment, **{**REGISTRATION, missing: False}
        )
    assert _messages(excinfo) == [message]
    employment.refresh_from_db()
    assert employment.status == Status.PRE_NOTIFIED
    assert not Registration.objects.exists()
    assert not Message.objects.exists()
    assert not AuditEntry.objects.exists()


def test_every_missing_answer_is_listed_at_once(officer):
    employment = EmploymentFactory()
    data = {**REGISTRATION, "identity_checked": False, "rights_explained": False}
    with pytest.raises(ValidationError) as excinfo:
        services.registration_record(by=officer, employment=employment, **data)
    assert len(_messages(excinfo)) == 2


def test_the_worker_without_their_own_passport_is_still_registered(officer):
    employment = EmploymentFactory()
    result = services.registration_record(
        by=officer, employment=employment, **{**REGISTRATION, "held_own_passport": False}
    )
    assert result.registration.held_own_passport is False


def test_a_registration_without_a_language_records_nothing(officer):
    employment = EmploymentFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.registration_record(
            by=officer, employment=employment, **{**REGISTRATION, "language": ""}
        )
    assert "language" in excinfo.value.message_dict
    employment.refresh_from_db()
    assert employment.status == Status.PRE_NOTIFIED
    assert not Message.objects.exists()


def test_an_employment_is_registered_only_once(officer):
    employment = EmploymentFactory()
    services.registration_record(by=officer, employment=employment, **REGISTRATION)
    with pytest.raises(ValidationError) as excinfo:
        services.registration_record(by=officer, employment=employment, **REGISTRATION)
    assert _messages(excinfo) == ["This employment has already been registered."]
    assert Registration.objects.count() == 1
    assert Message.objects.count() == 1


def test_the_rights_notice_is_written_in_the_same_transaction_as_the_registration(officer):
    employment = EmploymentFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.registration_record(by=officer, employment=employment, **REGISTRATION)
        assert Message.objects.count() == 1
        raise RuntimeError("the request fails after the service returned")
    assert not Message.objects.exists()
    assert not Registration.objects.exists()


def test_if_the_rights_notice_cannot_be_recorded_the_registration_is_not_either(
    officer, monkeypatch
):
    employment = EmploymentFactory()

    def broken_save(self, *args, **kwargs):
        raise DatabaseError("the notice table is unavailable")

    monkeypatch.setattr(Message, "save", broken_save)
    with pytest.raises(DatabaseError):
        services.registration_record(by=officer, employment=employment, **REGISTRATION)
    employment.refresh_from_db()
    assert employment.status == Status.PRE_NOTIFIED
    assert not Registration.objects.exists()
    assert not AuditEntry.objects.exists()


# --- Cards --------------------------------------------------------------------------------


def _card_data(employment, **data) -> dict:
    values = {
        "employment": employment,
        "kind": IdentityCard.Kind.ID_CARD,
        "number": "D-700 100",
        "issue_date": dt.date(2026, 2, 1),
        "expiry_date": dt.date(2027, 2, 1),
        "status": IdentityCard.Status.ISSUED,
    }
    values.update(data)
    return values


def test_a_card_is_saved_with_a_normalised_number_and_audited(officer):
    employment = EmploymentFactory(status=Status.ACTIVE)
    card = services.card_save(by=officer, worker=employment.worker, **_card_data(employment))
    assert card.number == "D-700 100"
    assert card.number_normalised == "D700100"
    assert _audit(AuditEntry.Action.CREATE, card)


@pytest.mark.parametrize("expiry", [dt.date(2026, 2, 1), dt.date(2026, 1, 31)])
def test_a_card_must_expire_after_it_is_issued(officer, expiry):
    employment = EmploymentFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.card_save(
            by=officer, worker=employment.worker, **_card_data(employment, expiry_date=expiry)
        )
    assert excinfo.value.message_dict == {
        "expiry_date": ["The expiry date must be after the issue date."]
    }
    assert not IdentityCard.objects.exists()


def test_two_cards_of_one_kind_cannot_share_a_number_however_it_is_typed(officer):
    existing = IdentityCardFactory(number="D700100")
    employment = EmploymentFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.card_save(
            by=officer, worker=employment.worker, **_card_data(employment, number="d-700 100")
        )
    assert excinfo.value.message_dict == {
        "number": ["Another card or visa already has this number."]
    }
    assert list(IdentityCard.objects.all()) == [existing]


def test_a_visa_may_carry_the_number_of_an_id_card(officer):
    IdentityCardFactory(number="D700100")
    employment = EmploymentFactory()
    visa = services.card_save(
        by=officer,
        worker=employment.worker,
        **_card_data(employment, kind=IdentityCard.Kind.VISA, number="D700100"),
    )
    assert visa.kind == "visa"


def test_changing_a_card_keeps_its_own_number_and_audits_what_changed(officer):
    card = IdentityCardFactory(number="D700100")
    services.card_save(
        by=officer,
        worker=card.worker,
        card=card,
        **_card_data(card.employment, number="D700100", expiry_date=dt.date(2028, 1, 1)),
    )
    card.refresh_from_db()
    assert card.expiry_date == dt.date(2028, 1, 1)
    [entry] = _audit(AuditEntry.Action.UPDATE, card)
    assert "expiry_date" in entry.changed_fields
    assert "number" not in entry.changed_fields


def test_a_refused_card_change_leaves_the_card_as_it_was(officer):
    card = IdentityCardFactory(number="D700100")
    IdentityCardFactory(number="D700200")
    with pytest.raises(ValidationError):
        services.card_save(
            by=officer,
            worker=card.worker,
            card=card,
            **_card_data(card.employment, number="D700200"),
        )
    card.refresh_from_db()
    assert card.number == "D700100"


# --- Phones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("hello", "This is not a phone number."),
        ("+32 470 12", "This phone number is not valid."),
    ],
)
def test_a_bad_phone_number_is_refused(officer, number, message):
    worker = WorkerFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.phone_add(
            by=officer, worker=worker, number=number, is_safe=True, is_sms_number=False
        )
    assert _messages(excinfo) == [message]
    assert not WorkerPhone.objects.exists()


def test_a_number_in_the_host_states_format_is_stored_in_e164(officer):
    worker = WorkerFactory()
    phone = services.phone_add(
        by=officer, worker=worker, number="0470 12 34 56", is_safe=True, is_sms_number=True
    )
    assert str(phone.number) == "+32470123456"
    assert phone.is_mobile is True
    assert _audit(AuditEntry.Action.CREATE, phone)


def test_a_landline_cannot_receive_sms_notices(officer):
    worker = WorkerFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.phone_add(
            by=officer, worker=worker, number="+32 2 555 12 34", is_safe=True, is_sms_number=True
        )
    assert excinfo.value.code == "not_mobile"
    assert not WorkerPhone.objects.exists()
    landline = services.phone_add(
        by=officer, worker=worker, number="+32 2 555 12 34", is_safe=True, is_sms_number=False
    )
    assert landline.is_mobile is False


def test_a_phone_that_is_not_safe_cannot_receive_sms_notices(officer):
    worker = WorkerFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.phone_add(
            by=officer, worker=worker, number="+32470123456", is_safe=False, is_sms_number=True
        )
    assert excinfo.value.code == "unsafe"
    assert not WorkerPhone.objects.exists()


def test_the_same_number_twice_for_one_worker_is_refused(officer):
    worker = WorkerFactory()
    services.phone_add(
        by=officer, worker=worker, number="+32470123456", is_safe=True, is_sms_number=False
    )
    with pytest.raises(ValidationError) as excinfo:
        services.phone_add(
            by=officer, worker=worker, number="0470/12.34.56", is_safe=True, is_sms_number=False
        )
    assert _messages(excinfo) == ["This worker already has this phone number."]
    assert worker.phones.count() == 1


def test_a_new_sms_number_takes_over_from_the_old_one(officer):
    worker = WorkerFactory()
    first = services.phone_add(
        by=officer, worker=worker, number="+32470123456", is_safe=True, is_sms_number=True
    )
    second = services.phone_add(
        by=officer, worker=worker, number="+32470654321", is_safe=True, is_sms_number=True
    )
    first.refresh_from_db()
    assert (first.is_sms_number, second.is_sms_number) == (False, True)


def test_a_phone_marked_unsafe_stops_receiving_sms_at_once(officer):
    worker = WorkerFactory()
    phone = services.phone_add(
        by=officer, worker=worker, number="+32470123456", is_safe=True, is_sms_number=True
    )
    services.phone_mark_unsafe(by=officer, phone=phone, note="The employer holds this phone")
    phone.refresh_from_db()
    assert (phone.is_safe, phone.is_sms_number) == (False, False)
    assert phone.note == "The employer holds this phone"
    assert _audit(AuditEntry.Action.UPDATE, phone)[0].changed_fields == ["is_safe", "is_sms_number"]


# --- Bank accounts: IBAN, national numbers and holder names -------------------------------


def _account(officer, worker=None, **data) -> BankAccount:
    worker = worker or WorkerFactory(family_name="Dela Cruz", given_names="Rosario")
    values = {"iban": VALID_IBAN, "holder_names": "Rosario Dela Cruz", "sole_holder": True}
    values.update(data)
    return services.bank_account_add(by=officer, worker=worker, **values)


def test_a_valid_iban_is_stored_compact_with_its_bank_and_country(officer):
    account = _account(officer)
    assert account.iban == "BE71096123456769"
    assert account.account_last4 == "6769"
    assert account.bank_code == "096"
    assert account.country.code == "BE"
    assert account.name_mismatch is False
    assert str(account) == "···6769"


@pytest.mark.parametrize(
    ("iban", "message"),
    [
        (
            "BE72 0961 2345 6769",
            "This IBAN's check digits do not match: a character is probably mistyped.",
        ),
        ("BE71 0961 2345 676", "This IBAN has the wrong number of characters for its country."),
        ("XX71 0961 2345 6769", "This IBAN does not start with a known country code."),
    ],
)
def test_a_bad_iban_is_explained_and_nothing_is_stored(officer, iban, message):
    with pytest.raises(ValidationError) as excinfo:
        _account(officer, iban=iban)
    assert excinfo.value.message_dict == {"iban": [message]}
    assert not BankAccount.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "iban", "Enter an IBAN, or an account number with its bank code."),
        (
            {"account_number": "1234567890"},
            "bank_code",
            "An account number without an IBAN needs the bank code.",
        ),
        (
            {"account_number": "1234567890", "bank_code": "021000021"},
            "country",
            "Choose the country of the bank.",
        ),
        (
            {"account_number": "12-34", "bank_code": "021000021", "country": "US"},
            "account_number",
            "An account number has between 5 and 34 letters and digits.",
        ),
    ],
)
def test_a_national_account_number_needs_its_bank_code_and_country(officer, data, field, message):
    with pytest.raises(ValidationError) as excinfo:
        _account(officer, **{"iban": "", **data})
    assert excinfo.value.message_dict == {field: [message]}
    assert not BankAccount.objects.exists()


def test_a_national_account_number_with_its_bank_code_is_accepted(officer):
    account = _account(
        officer, iban="", account_number="0012-3456 789", bank_code="021000021", country="US"
    )
    assert account.iban == ""
    assert account.account_number == "00123456789"
    assert account.account_last4 == "6789"


def test_one_account_cannot_serve_two_workers_until_it_is_closed(officer):
    first = _account(officer)
    with pytest.raises(ValidationError) as excinfo:
        _account(officer, worker=WorkerFactory(), iban="be71096123456769")
    assert "One account cannot serve two workers." in excinfo.value.message_dict["iban"][0]
    assert BankAccount.objects.count() == 1
    BankAccount.objects.filter(pk=first.pk).update(status=BankAccount.Status.CLOSED)
    _account(officer, worker=WorkerFactory(family_name="Dela Cruz", given_names="Rosario"))
    assert BankAccount.objects.count() == 2


@pytest.mark.parametrize(
    "holder", ["CRUZ ROSARIO DELA", "rosario dela cruz", "Rosário Dela Crúz", "R. Dela Cruz"]
)
def test_the_holder_name_matches_whatever_the_order_case_or_accents(holder):
    assert holder_matches_worker(holder, "Dela Cruz", "Rosario", "")


def test_transliterations_and_other_spellings_match():
    assert holder_matches_worker("Mohammed Ali", "Ali", "Muhammad", "")
    assert holder_matches_worker("Nguyen Thi Lan", "Nguyễn", "Thị Lan", "")
    assert not holder_matches_worker("Nguyen Thi Lan", "Nguyen", "Lan", "")
    assert holder_matches_worker("Nguyen Thi Lan", "Nguyen", "Lan", "Nguyễn Thị Lan")


@pytest.mark.parametrize("holder", ["Nasser Al-Harbi", "Rosario", "Rosario Dela Cruz Al-Harbi", ""])
def test_a_holder_name_that_is_not_the_workers_does_not_match(holder):
    assert not holder_matches_worker(holder, "Dela Cruz", "Rosario", "")


def test_an_account_in_the_employers_name_is_flagged(officer):
    account = _account(officer, holder_names="Nasser Al-Harbi")
    assert account.name_mismatch is True


# --- Bank evidence ------------------------------------------------------------------------


def test_a_pdf_statement_is_kept_with_its_type_read_from_the_content(officer):
    account = _account(officer)
    evidence = services.bank_evidence_add(
        by=officer, account=account, upload=SimpleUploadedFile("statement.png", PDF)
    )
    assert evidence.content_type == "application/pdf"
    assert evidence.file.name.endswith(".pdf")
    assert evidence.original_name == "statement.png"
    assert evidence.size == len(PDF)
    assert _audit(AuditEntry.Action.CREATE, evidence)


def test_a_png_photo_of_a_letter_is_accepted(officer):
    account = _account(officer)
    evidence = services.bank_evidence_add(
        by=officer, account=account, upload=SimpleUploadedFile("letter.png", PNG)
    )
    assert evidence.content_type == "image/png"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 not a statement", "Only PDF, PNG and JPEG files are accepted."),
        (b"", "The file is empty."),
    ],
)
def test_a_file_that_is_not_a_statement_is_refused(officer, content, message):
    account = _account(officer)
    with pytest.raises(ValidationError) as excinfo:
        services.bank_evidence_add(
            by=officer, account=account, upload=SimpleUploadedFile("statement.pdf", content)
        )
    assert _messages(excinfo) == [message]
    assert not BankEvidence.objects.exists()


def test_a_file_over_the_size_limit_is_refused(officer, settings):
    settings.HESTIA_EVIDENCE_MAX_MB = 1
    account = _account(officer)
    upload = SimpleUploadedFile("statement.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as excinfo:
        services.bank_evidence_add(by=officer, account=account, upload=upload)
    assert _messages(excinfo) == ["The file is larger than 1 MB."]
    assert not BankEvidence.objects.exists()


# --- Bank verification --------------------------------------------------------------------


def test_verification_lasts_the_policys_months(officer, administrator):
    services.policy_save(
        by=administrator, policy=services.policy_current(), bank_verification_months=6
    )
    account = _account(officer)
    services.bank_account_verify(
        by=officer, account=account, method="in_person", verified_on=dt.date(2026, 5, 1)
    )
    account.refresh_from_db()
    assert account.status == BankAccount.Status.VERIFIED
    assert account.verified_by == officer
    assert account.verification_expires_on == dt.date(2026, 11, 1)
    assert account.is_verification_current
    with time_machine.travel(dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC), tick=False):
        assert account.is_verification_current
    with time_machine.travel(dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC), tick=False):
        assert not account.is_verification_current


def test_a_verification_at_the_end_of_a_month_expires_at_the_end_of_the_target_month(officer):
    account = _account(officer)
    services.policy_current()
    with time_machine.travel(dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        services.bank_account_verify(
            by=officer, account=account, method="in_person", verified_on=dt.date(2027, 1, 31)
        )
    account.refresh_from_db()
    assert account.verification_expires_on == dt.date(2028, 1, 31)


def test_verification_with_a_letter_needs_the_letter_uploaded_first(officer):
    account = _account(officer)
    with pytest.raises(ValidationError) as excinfo:
        services.bank_account_verify(
            by=officer, account=account, method="bank_letter", verified_on=dt.date(2026, 5, 1)
        )
    assert _messages(excinfo) == ["Upload the bank letter or statement before verifying."]
    services.bank_evidence_add(
        by=officer, account=account, upload=SimpleUploadedFile("letter.pdf", PDF)
    )
    services.bank_account_verify(
        by=officer, account=account, method="bank_letter", verified_on=dt.date(2026, 5, 1)
    )
    account.refresh_from_db()
    assert account.verification_method == "bank_letter"


def test_every_reason_to_refuse_a_verification_is_given_and_nothing_changes(officer):
    account = _account(officer, holder_names="Nasser Al-Harbi", sole_holder=False)
    with pytest.raises(ValidationError) as excinfo:
        services.bank_account_verify(
            by=officer, account=account, method="guess", verified_on=dt.date(2026, 5, 5)
        )
    assert _messages(excinfo) == [
        "The salary must be paid into an account in the worker's sole name (recommendation 39).",
        "The holder's name differs from the worker's. Confirm that you checked it is the same person.",
        "Choose how the account was verified.",
        "Upload the bank letter or statement before verifying.",
        "The verification date cannot be in the future.",
    ]
    account.refresh_from_db()
    assert account.status == BankAccount.Status.UNVERIFIED
    assert account.verified_by is None
    assert account.verification_expires_on is None


def test_a_name_difference_the_officer_checked_may_be_accepted(officer):
    account = _account(officer, holder_names="Rosa D. Cruz-Santos")
    assert account.name_mismatch
    with pytest.raises(ValidationError):
        services.bank_account_verify(
            by=officer, account=account, method="in_person", verified_on=dt.date(2026, 5, 4)
        )
    services.bank_account_verify(
        by=officer,
        account=account,
        method="in_person",
        verified_on=dt.date(2026, 5, 4),
        accept_name_difference=True,
    )
    account.refresh_from_db()
    assert account.status == BankAccount.Status.VERIFIED


# --- Salary deposits ----------------------------------------------------------------------


def _deposit(officer, account, employment, **data) -> SalaryDeposit:
    values = {"month": dt.date(2026, 3, 15), "amount": Decimal("2100.00"), "currency": "EUR"}
    values.update(data)
    return services.salary_deposit_record(
        by=officer, account=account, employment=employment, **values
    )


def test_a_deposit_below_the_contract_wage_records_the_shortfall(officer):
    employment = EmploymentFactory(status=Status.ACTIVE)
    account = _account(officer, worker=employment.worker, holder_names=str(employment.worker))
    deposit = _deposit(officer, account, employment, amount=Decimal("1800.00"))
    assert deposit.month == dt.date(2026, 3, 1)
    assert deposit.expected_amount == Decimal("2100.00")
    assert deposit.shortfall == Decimal("300.00")
    assert _audit(AuditEntry.Action.CREATE, deposit)


def test_a_full_or_larger_deposit_has_no_shortfall(officer):
    employment = EmploymentFactory(status=Status.ACTIVE)
    account = _account(officer, worker=employment.worker, holder_names=str(employment.worker))
    deposit = _deposit(officer, account, employment, amount=Decimal("2500.00"))
    assert deposit.shortfall == Decimal("0")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"month": dt.date(2025, 12, 1)}, "month", "This month is outside the employment's dates."),
        ({"month": dt.date(2026, 5, 1)}, "month", "This month is outside the employment's dates."),
        ({"currency": "USD"}, "currency", "The contract wage is paid in EUR."),
        ({"amount": Decimal("-1")}, "amount", "The amount cannot be negative."),
    ],
)
def test_a_bad_deposit_is_explained_and_nothing_is_recorded(officer, data, field, message):
    employment = EmploymentFactory(status=Status.ACTIVE, end_date=dt.date(2026, 4, 30))
    account = _account(officer, worker=employment.worker, holder_names=str(employment.worker))
    with pytest.raises(ValidationError) as excinfo:
        _deposit(officer, account, employment, **data)
    assert excinfo.value.message_dict == {field: [message]}
    assert not SalaryDeposit.objects.exists()


def test_one_deposit_per_month(officer):
    employment = EmploymentFactory(status=Status.ACTIVE)
    account = _account(officer, worker=employment.worker, holder_names=str(employment.worker))
    _deposit(officer, account, employment, month=dt.date(2026, 3, 1))
    with pytest.raises(ValidationError) as excinfo:
        _deposit(officer, account, employment, month=dt.date(2026, 3, 28))
    assert excinfo.value.message_dict == {
        "month": ["A deposit is already recorded for this month."]
    }
    assert SalaryDeposit.objects.count() == 1


def test_a_deposit_into_another_workers_account_is_refused(officer):
    employment = EmploymentFactory(status=Status.ACTIVE)
    account = _account(officer)
    with pytest.raises(ValidationError) as excinfo:
        _deposit(officer, account, employment)
    assert _messages(excinfo) == ["This account and this employment belong to different workers."]
    assert not SalaryDeposit.objects.exists()

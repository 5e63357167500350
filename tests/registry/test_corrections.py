"""Correcting mistakes in bank accounts and phone numbers.

An officer corrects the holder of an account not yet verified, closes an account the worker
no longer uses, and changes or removes a phone number; an officer or a supervisor rejects an
account that is not the worker's own. Every refusal says why and changes nothing; every change
is in the audit log.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from accounts.models import AuditEntry
from registry.encryption import search_hash
from registry.models import BankAccount, WorkerPhone
from tests.factories import WorkerFactory
from tests.registry.factories_bank import BankAccountFactory
from tests.registry.factories_workers import PhoneFactory

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action

IBAN = "BE71096123456769"
LANDLINE = "+3222345678"


def url(name, obj):
    return reverse(f"registry:{name}", args=[obj.pk])


def page(response) -> str:
    return response.content.decode()


def shows(response, message) -> bool:
    content = page(response)
    return escape(message) in content or message in content


def audit(action, obj):
    return AuditEntry.objects.filter(
        action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )


def snapshot(obj) -> dict:
    """Every stored column of the row, to prove a refused request changed nothing."""
    return type(obj).objects.filter(pk=obj.pk).values().get()


@pytest.fixture
def worker():
    return WorkerFactory(family_name="Dela Cruz", given_names="Rosario")


@pytest.fixture
def account(worker):
    return BankAccountFactory(worker=worker, iban=IBAN, holder_names="ROSARIO DELA CRUZ")


@pytest.fixture
def verified(worker):
    return BankAccountFactory(
        worker=worker, holder_names="ROSARIO DELA CRUZ", status=BankAccount.Status.VERIFIED
    )


@pytest.fixture
def sms_phone(worker):
    return PhoneFactory(worker=worker, is_sms_number=True, note="Her own phone")


@pytest.fixture
def other_phone(worker):
    return PhoneFactory(worker=worker)


@pytest.fixture
def landline(worker):
    return PhoneFactory(worker=worker, number=LANDLINE, is_mobile=False)


# --- Closing and rejecting an account --------------------------------------------------------


def test_officer_sees_the_close_form_asking_for_the_reason(client_for, officer, account):
    response = client_for(officer).get(url("bank-account-close", account))
    assert response.status_code == 200
    assert 'name="reason"' in page(response)
    assert "6769" in page(response)
    assert IBAN not in page(response)


def test_officer_closes_an_account_with_the_reason_in_the_log(client_for, officer, account):
    response = client_for(officer).post(
        url("bank-account-close", account), {"reason": "The worker changed bank."}
    )
    assert response.status_code == 302
    assert response["Location"] == url("bank-account-detail", account)
    account.refresh_from_db()
    assert account.status == BankAccount.Status.CLOSED
    entry = audit(Action.UPDATE, account).get()
    assert entry.actor == officer
    assert entry.changed_fields == ["status"]
    assert entry.detail == "closed: The worker changed bank."
    latest = account.history.latest()
    assert latest.status == BankAccount.Status.CLOSED
    assert latest.history_change_reason == "The worker changed bank."


def test_a_verified_account_can_be_closed(client_for, officer, verified):
    client_for(officer).post(url("bank-account-close", verified), {"reason": "Account closed."})
    verified.refresh_from_db()
    assert verified.status == BankAccount.Status.CLOSED


def test_closing_without_a_reason_is_refused(client_for, officer, account):
    before = snapshot(account)
    response = client_for(officer).post(url("bank-account-close", account), {"reason": "  "})
    assert response.status_code == 200
    assert shows(response, "Give the reason.")
    assert snapshot(account) == before
    assert not audit(Action.UPDATE, account).exists()


def test_a_reason_longer_than_200_characters_is_refused(client_for, officer, account):
    before = snapshot(account)
    response = client_for(officer).post(url("bank-account-close", account), {"reason": "x" * 201})
    assert response.status_code == 200
    assert "at most 200 characters" in page(response)
    assert snapshot(account) == before
    assert not audit(Action.UPDATE, account).exists()


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (BankAccount.Status.CLOSED, "This account is already closed."),
        (BankAccount.Status.REJECTED, "A rejected account cannot be closed."),
    ],
)
def test_only_an_account_in_use_can_be_closed(client_for, officer, worker, status, message):
    account = BankAccountFactory(worker=worker, status=status)
    before = snapshot(account)
    response = client_for(officer).post(url("bank-account-close", account), {"reason": "Closed."})
    assert response.status_code == 200
    assert shows(response, message)
    assert snapshot(account) == before
    assert not audit(Action.UPDATE, account).exists()


def test_a_supervisor_cannot_close_an_account(client_for, supervisor, account):
    response = client_for(supervisor).post(url("bank-account-close", account), {"reason": "No."})
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.status == BankAccount.Status.UNVERIFIED


def test_supervisor_rejects_an_account_with_the_reason_in_the_log(client_for, supervisor, verified):
    response = client_for(supervisor).post(
        url("bank-account-reject", verified), {"reason": "The employer also holds this account."}
    )
    assert response.status_code == 302
    verified.refresh_from_db()
    assert verified.status == BankAccount.Status.REJECTED
    entry = audit(Action.UPDATE, verified).get()
    assert entry.actor == supervisor
    assert entry.detail == "rejected: The employer also holds this account."


def test_officer_rejects_an_unverified_account(client_for, officer, account):
    client_for(officer).post(url("bank-account-reject", account), {"reason": "False letter."})
    account.refresh_from_db()
    assert account.status == BankAccount.Status.REJECTED


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (BankAccount.Status.REJECTED, "This account is already rejected."),
        (BankAccount.Status.CLOSED, "A closed account cannot be rejected."),
    ],
)
def test_only_an_account_in_use_can_be_rejected(client_for, supervisor, worker, status, message):
    account = BankAccountFactory(worker=worker, status=status)
    before = snapshot(account)
    response = client_for(supervisor).post(url("bank-account-reject", account), {"reason": "No."})
    assert response.status_code == 200
    assert shows(response, message)
    assert snapshot(account) == before


def test_rejecting_without_a_reason_is_refused(client_for, supervisor, account):
    before = snapshot(account)
    response = client_for(supervisor).post(url("bank-account-reject", account), {})
    assert response.status_code == 200
    assert shows(response, "Give the reason.")
    assert snapshot(account) == before


def test_an_interviewer_cannot_reject_an_account(client_for, interviewer, account):
    response = client_for(interviewer).post(url("bank-account-reject", account), {"reason": "x"})
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.status == BankAccount.Status.UNVERIFIED


def test_the_form_of_a_closed_account_offers_nothing_to_submit(client_for, officer, worker):
    account = BankAccountFactory(worker=worker, status=BankAccount.Status.CLOSED)
    response = client_for(officer).get(url("bank-account-close", account))
    assert response.status_code == 200
    assert 'name="reason"' not in page(response)
    assert "it cannot be closed or rejected any more" in page(response)


# --- Correcting the holder --------------------------------------------------------------------


def test_officer_sees_the_correction_form_filled_in_and_the_look_is_audited(
    client_for, officer, account
):
    response = client_for(officer).get(url("bank-account-update", account))
    assert response.status_code == 200
    assert 'value="ROSARIO DELA CRUZ"' in page(response)
    assert "Dela Cruz, Rosario" in page(response)
    assert audit(Action.VIEW, account).get().detail == "correction form"


def test_correcting_the_holder_recomputes_the_name_difference(client_for, officer, account):
    client = client_for(officer)
    response = client.post(
        url("bank-account-update", account), {"holder_names": "JOHN SMITH", "sole_holder": "on"}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.holder_names == "JOHN SMITH"
    assert account.name_mismatch is True
    assert audit(Action.UPDATE, account).get().changed_fields == ["holder_names", "name_mismatch"]
    followed = client.get(response["Location"])
    assert shows(followed, "The account holder's names differ from the worker's names.")


def test_a_misspelt_holder_corrected_no_longer_differs(client_for, officer, worker):
    account = BankAccountFactory(worker=worker, holder_names="JOHN SMITH", name_mismatch=True)
    client_for(officer).post(
        url("bank-account-update", account),
        {"holder_names": "Rosario Dela Cruz", "sole_holder": "on"},
    )
    account.refresh_from_db()
    assert account.name_mismatch is False


def test_correcting_the_sole_holder_answer(client_for, officer, account):
    response = client_for(officer).post(
        url("bank-account-update", account), {"holder_names": "ROSARIO DELA CRUZ"}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.sole_holder is False
    assert audit(Action.UPDATE, account).get().changed_fields == ["sole_holder"]


def test_a_verified_account_cannot_be_corrected(client_for, officer, verified):
    message = (
        "A verified account cannot be corrected. "
        "Close it and record the account again with the right details."
    )
    client = client_for(officer)
    response = client.get(url("bank-account-update", verified))
    assert shows(response, message)
    assert 'name="holder_names"' not in page(response)
    before = snapshot(verified)
    response = client.post(
        url("bank-account-update", verified), {"holder_names": "JOHN SMITH", "sole_holder": "on"}
    )
    assert response.status_code == 200
    assert shows(response, message)
    assert snapshot(verified) == before
    assert not audit(Action.UPDATE, verified).exists()


def test_a_closed_account_cannot_be_corrected(client_for, officer, worker):
    account = BankAccountFactory(worker=worker, status=BankAccount.Status.CLOSED)
    before = snapshot(account)
    response = client_for(officer).post(
        url("bank-account-update", account), {"holder_names": "JOHN SMITH", "sole_holder": "on"}
    )
    assert shows(response, "A closed or rejected account cannot be corrected.")
    assert snapshot(account) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"holder_names": "", "sole_holder": "on"}, "This field is required."),
        ({"holder_names": "   ", "sole_holder": "on"}, "This field is required."),
        ({"holder_names": "x" * 301, "sole_holder": "on"}, "at most 300 characters"),
        (
            {"holder_names": "ROSARIO DELA CRUZ", "sole_holder": "on"},
            "Nothing to correct: the names and the answer are the ones on record.",
        ),
    ],
)
def test_a_bad_correction_is_refused(client_for, officer, account, data, message):
    before = snapshot(account)
    response = client_for(officer).post(url("bank-account-update", account), data)
    assert response.status_code == 200
    assert message in page(response)
    assert snapshot(account) == before
    assert not audit(Action.UPDATE, account).exists()


def test_a_supervisor_cannot_correct_an_account(client_for, supervisor, account):
    response = client_for(supervisor).post(
        url("bank-account-update", account), {"holder_names": "JOHN SMITH"}
    )
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.holder_names == "ROSARIO DELA CRUZ"


# --- The same account twice -----------------------------------------------------------------


def test_an_account_already_recorded_for_the_same_worker_says_so(client_for, officer, account):
    response = client_for(officer).post(
        url("bank-account-create", account.worker),
        {"iban": "BE71 0961 2345 6769", "holder_names": "Rosario Dela Cruz", "sole_holder": "on"},
    )
    assert response.status_code == 200
    assert "This account is already recorded for this worker." in page(response)
    assert "cannot serve two workers" not in page(response)
    assert BankAccount.objects.count() == 1


def test_an_account_number_already_recorded_for_the_same_worker_says_so(
    client_for, officer, worker
):
    BankAccountFactory(
        worker=worker,
        iban="",
        account_number="123456789",
        bank_code="021000021",
        country="US",
        account_hash=search_hash("021000021123456789"),
        account_last4="6789",
    )
    response = client_for(officer).post(
        url("bank-account-create", worker),
        {
            "account_number": "123 456 789",
            "bank_code": "021000021",
            "country": "US",
            "holder_names": "Rosario Dela Cruz",
            "sole_holder": "on",
        },
    )
    assert response.status_code == 200
    assert "This account is already recorded for this worker." in page(response)
    assert BankAccount.objects.count() == 1


def test_an_account_closed_earlier_can_be_recorded_again(client_for, officer, worker):
    BankAccountFactory(worker=worker, iban=IBAN, status=BankAccount.Status.CLOSED)
    response = client_for(officer).post(
        url("bank-account-create", worker),
        {"iban": IBAN, "holder_names": "Rosario Dela Cruz", "sole_holder": "on"},
    )
    assert response.status_code == 302
    assert worker.bank_accounts.filter(status=BankAccount.Status.UNVERIFIED).count() == 1


def test_an_account_of_another_worker_still_cannot_serve_two(client_for, officer, worker):
    BankAccountFactory(iban=IBAN)
    response = client_for(officer).post(
        url("bank-account-create", worker),
        {"iban": IBAN, "holder_names": "Rosario Dela Cruz", "sole_holder": "on"},
    )
    assert "One account cannot serve two workers." in page(response)
    assert "already recorded for this worker" not in page(response)


# --- Changing a phone -------------------------------------------------------------------------


def test_officer_sees_the_phone_form_filled_in(client_for, officer, sms_phone):
    response = client_for(officer).get(url("phone-update", sms_phone))
    assert response.status_code == 200
    assert str(sms_phone.number) in page(response)
    assert 'value="Her own phone"' in page(response)
    assert 'name="is_sms_number"' in page(response)
    assert 'name="number"' not in page(response)


def test_making_a_phone_the_sms_number_replaces_the_previous_one(
    client_for, officer, sms_phone, other_phone
):
    response = client_for(officer).post(
        url("phone-update", other_phone), {"is_safe": "on", "is_sms_number": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("worker-detail", other_phone.worker)
    other_phone.refresh_from_db()
    sms_phone.refresh_from_db()
    assert other_phone.is_sms_number is True
    assert sms_phone.is_sms_number is False
    assert audit(Action.UPDATE, sms_phone).get().changed_fields == ["is_sms_number"]
    assert audit(Action.UPDATE, other_phone).get().changed_fields == ["is_sms_number"]


def test_a_landline_cannot_become_the_sms_number(client_for, officer, sms_phone, landline):
    before = [snapshot(sms_phone), snapshot(landline)]
    response = client_for(officer).post(
        url("phone-update", landline), {"is_safe": "on", "is_sms_number": "on"}
    )
    assert response.status_code == 200
    assert "SMS notices need a mobile number; this number is not a mobile number." in page(response)
    assert [snapshot(sms_phone), snapshot(landline)] == before
    assert not AuditEntry.objects.filter(action=Action.UPDATE).exists()


def test_a_phone_not_safe_cannot_become_the_sms_number(client_for, officer, sms_phone, worker):
    unsafe = PhoneFactory(worker=worker, is_safe=False)
    before = [snapshot(sms_phone), snapshot(unsafe)]
    response = client_for(officer).post(url("phone-update", unsafe), {"is_sms_number": "on"})
    assert response.status_code == 200
    assert shows(
        response,
        "A phone that is not safe to use (for example one the employer controls) cannot receive SMS notices.",
    )
    assert [snapshot(sms_phone), snapshot(unsafe)] == before
    assert not AuditEntry.objects.filter(action=Action.UPDATE).exists()


def test_marking_the_sms_number_not_safe_also_stops_its_sms(client_for, officer, sms_phone):
    client = client_for(officer)
    response = client.post(
        url("phone-update", sms_phone), {"is_sms_number": "on", "note": "The employer reads it"}
    )
    assert response.status_code == 302
    sms_phone.refresh_from_db()
    assert sms_phone.is_safe is False
    assert sms_phone.is_sms_number is False
    assert sms_phone.note == "The employer reads it"
    assert audit(Action.UPDATE, sms_phone).get().changed_fields == [
        "is_safe",
        "is_sms_number",
        "note",
    ]
    followed = client.get(response["Location"])
    assert "This number no longer receives SMS notices." in page(followed)


def test_changing_only_the_note(client_for, officer, other_phone):
    client_for(officer).post(url("phone-update", other_phone), {"is_safe": "on", "note": "Work"})
    other_phone.refresh_from_db()
    assert other_phone.note == "Work"
    assert other_phone.is_safe is True
    assert audit(Action.UPDATE, other_phone).get().changed_fields == ["note"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"is_safe": "on", "note": "x" * 201}, "at most 200 characters"),
        (
            {"is_safe": "on", "is_sms_number": "on", "note": "Her own phone"},
            "Nothing to change: these are the phone&#x27;s details on record.",
        ),
    ],
)
def test_a_bad_phone_change_is_refused(client_for, officer, sms_phone, data, message):
    before = snapshot(sms_phone)
    response = client_for(officer).post(url("phone-update", sms_phone), data)
    assert response.status_code == 200
    assert message in page(response)
    assert snapshot(sms_phone) == before
    assert not audit(Action.UPDATE, sms_phone).exists()


def test_an_interviewer_cannot_change_a_phone(client_for, interviewer, other_phone):
    before = snapshot(other_phone)
    response = client_for(interviewer).post(url("phone-update", other_phone), {"note": "x"})
    assert response.status_code == 403
    assert snapshot(other_phone) == before


# --- Removing a phone -------------------------------------------------------------------------


def test_the_removal_asks_for_confirmation_first(client_for, officer, other_phone):
    response = client_for(officer).get(url("phone-remove", other_phone))
    assert response.status_code == 200
    assert str(other_phone.number) in page(response)
    assert "Remove the phone number" in page(response)
    assert WorkerPhone.objects.filter(pk=other_phone.pk).exists()


def test_officer_removes_a_phone_and_the_log_keeps_it(client_for, officer, sms_phone):
    pk = sms_phone.pk
    client = client_for(officer)
    response = client.post(url("phone-remove", sms_phone))
    assert response.status_code == 302
    assert response["Location"] == url("worker-detail", sms_phone.worker)
    assert not WorkerPhone.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(
        action=Action.DELETE, object_type="registry.workerphone", object_id=str(pk)
    )
    assert entry.actor == officer
    assert entry.changed_fields == ["number"]
    assert entry.detail == "removed"
    followed = client.get(response["Location"])
    assert "The worker now has no number for SMS notices." in page(followed)


def test_a_supervisor_cannot_remove_a_phone(client_for, supervisor, other_phone):
    response = client_for(supervisor).post(url("phone-remove", other_phone))
    assert response.status_code == 403
    assert WorkerPhone.objects.filter(pk=other_phone.pk).exists()
    assert not AuditEntry.objects.filter(action=Action.DELETE).exists()


# --- Links shown by role ----------------------------------------------------------------------


def test_officer_sees_every_correction_link(client_for, officer, account, other_phone):
    client = client_for(officer)
    account_page = page(client.get(url("bank-account-detail", account)))
    for name in ("bank-account-update", "bank-account-close", "bank-account-reject"):
        assert url(name, account) in account_page
    worker_page = page(client.get(url("worker-detail", account.worker)))
    for name in ("bank-account-update", "bank-account-close", "bank-account-reject"):
        assert url(name, account) in worker_page
    assert url("phone-update", other_phone) in worker_page
    assert url("phone-remove", other_phone) in worker_page
    # The account's row keeps a single link, to the account page; the corrections are buttons.
    assert worker_page.count(f'href="/bank-accounts/{account.pk}/') == 1


def test_supervisor_sees_only_the_reject_link(client_for, supervisor, account, other_phone):
    client = client_for(supervisor)
    for response in (
        client.get(url("bank-account-detail", account)),
        client.get(url("worker-detail", account.worker)),
    ):
        assert url("bank-account-reject", account) in page(response)
        assert url("bank-account-close", account) not in page(response)
        assert url("bank-account-update", account) not in page(response)
        assert url("phone-update", other_phone) not in page(response)
        assert url("phone-remove", other_phone) not in page(response)


def test_interviewer_sees_no_correction_link(client_for, interviewer, account, other_phone):
    client = client_for(interviewer)
    for response in (
        client.get(url("bank-account-detail", account)),
        client.get(url("worker-detail", account.worker)),
    ):
        for name in ("bank-account-update", "bank-account-close", "bank-account-reject"):
            assert url(name, account) not in page(response)
        assert url("phone-remove", other_phone) not in page(response)


def test_a_verified_account_offers_close_and_reject_but_no_correction(
    client_for, officer, verified
):
    content = page(client_for(officer).get(url("bank-account-detail", verified)))
    assert url("bank-account-update", verified) not in content
    assert url("bank-account-close", verified) in content
    assert url("bank-account-reject", verified) in content


def test_a_closed_account_offers_no_correction_link(client_for, officer, worker):
    account = BankAccountFactory(worker=worker, status=BankAccount.Status.CLOSED)
    client = client_for(officer)
    for response in (
        client.get(url("bank-account-detail", account)),
        client.get(url("worker-detail", worker)),
    ):
        for name in ("bank-account-update", "bank-account-close", "bank-account-reject"):
            assert url(name, account) not in page(response)


def test_the_worker_page_query_count_does_not_grow_with_accounts_and_phones(
    client_for, officer, worker, django_assert_max_num_queries
):
    client = client_for(officer)
    BankAccountFactory(worker=worker)
    PhoneFactory(worker=worker)
    client.get(url("worker-detail", worker))  # warm the session and the permission cache
    with CaptureQueriesContext(connection) as one:
        client.get(url("worker-detail", worker))
    for _ in range(5):
        BankAccountFactory(worker=worker)
        PhoneFactory(worker=worker)
    print(f"worker page, officer: {len(one)} queries with one account and one phone")
    with django_assert_max_num_queries(len(one)):
        response = client.get(url("worker-detail", worker))
    assert page(response).count("data-phone-remove=") == 6

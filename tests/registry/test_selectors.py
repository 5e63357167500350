"""The shared reads: finding a worker, spotting duplicates, and what the worker's page holds."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from registry import selectors
from registry.models import BankAccount, Employment, IdentityCard, NotDuplicate
from tests.factories import EmployerFactory, MissionFactory
from tests.registry.factories_workers import (
    AccountFactory,
    CardFactory,
    ConsentFactory,
    DepositFactory,
    EndedEmploymentFactory,
    IndexedWorkerFactory,
    NoticeFactory,
    PhoneFactory,
    ReferralFactory,
    RegistrationFactory,
    WorkerEmploymentFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _found(**kwargs) -> list[str]:
    return [str(worker) for worker in selectors.worker_search(**kwargs)]


# --- Search ---------------------------------------------------------------------------------


def test_a_name_is_found_without_its_accents_or_case():
    IndexedWorkerFactory(family_name="Nguyễn", given_names="Thị Lan")
    IndexedWorkerFactory(family_name="Tran", given_names="Van Minh")
    assert _found(q="nguyen") == ["Nguyễn, Thị Lan"]
    assert _found(q="NGUYỄN thi") == ["Nguyễn, Thị Lan"]


def test_names_are_found_in_any_order():
    IndexedWorkerFactory(family_name="Dela Cruz", given_names="Rosario")
    IndexedWorkerFactory(family_name="Santos", given_names="Rosario")
    assert _found(q="ROSARIO dela cruz") == ["Dela Cruz, Rosario"]
    assert _found(q="cruz rosario") == ["Dela Cruz, Rosario"]


def test_another_spelling_finds_the_worker():
    IndexedWorkerFactory(
        family_name="Haile", given_names="Selam", other_spellings="ሰላም ኃይሌ\nSelam Hayle"
    )
    assert _found(q="hayle") == ["Haile, Selam"]


def test_a_word_must_start_a_name_so_short_words_do_not_match_inside_others():
    IndexedWorkerFactory(family_name="Adela", given_names="Maria")
    IndexedWorkerFactory(family_name="Dela Cruz", given_names="Rosario")
    assert _found(q="dela") == ["Dela Cruz, Rosario"]


def test_a_passport_number_is_found_through_its_hash_however_it_is_typed():
    IndexedWorkerFactory(family_name="Perera", given_names="Nimali", passport_number="N 1234567")
    IndexedWorkerFactory(family_name="Silva", given_names="Kumari", passport_number="N7654321")
    assert _found(q="n1234567") == ["Perera, Nimali"]
    assert _found(q="N-123 4567") == ["Perera, Nimali"]


def test_an_id_card_or_visa_number_finds_its_holder():
    card = CardFactory(number="D-0700 999")
    CardFactory()
    assert _found(q="d0700999") == [str(card.worker)]


def test_a_phone_number_in_the_host_states_format_finds_the_worker():
    phone = PhoneFactory(number="+32470123456")
    PhoneFactory(number="+32470999999")
    assert _found(q="0470 12 34 56") == [str(phone.worker)]
    assert _found(q="+32 470 12 34 56") == [str(phone.worker)]


def test_a_search_matching_nothing_finds_nobody():
    IndexedWorkerFactory()
    assert _found(q="zzz") == []
    assert _found(q="---") == []


def test_filters_by_mission_employer_status_and_nationality():
    mission = MissionFactory(name="Embassy of Kenya")
    employer = EmployerFactory(mission=mission, family_name="Otieno")
    active = WorkerEmploymentFactory(
        worker=IndexedWorkerFactory(family_name="Achieng", nationality="KE"), employer=employer
    )
    suspended = WorkerEmploymentFactory(
        worker=IndexedWorkerFactory(family_name="Wanjiru", nationality="KE"),
        status=Employment.Status.SUSPENDED,
    )
    EndedEmploymentFactory(
        worker=IndexedWorkerFactory(family_name="Former", given_names="Ana", nationality="PH"),
        employer=employer,
    )
    assert _found(mission=mission) == [str(active.worker)]
    assert _found(employer=employer) == [str(active.worker)]
    assert _found(status=Employment.Status.SUSPENDED) == [str(suspended.worker)]
    assert _found(status=selectors.NO_CURRENT_EMPLOYMENT) == ["Former, Ana"]
    assert _found(nationality="KE") == [str(active.worker), str(suspended.worker)]


def test_each_row_carries_its_current_employment_card_and_bank_state():
    employment = WorkerEmploymentFactory()
    worker = employment.worker
    EndedEmploymentFactory(worker=worker)
    CardFactory(worker=worker, expiry_date=dt.date(2026, 9, 1))
    CardFactory(worker=worker, expiry_date=dt.date(2027, 3, 1))
    CardFactory(worker=worker, expiry_date=dt.date(2028, 1, 1), status=IdentityCard.Status.RETURNED)
    AccountFactory(worker=worker, status=BankAccount.Status.UNVERIFIED)
    AccountFactory(
        worker=worker,
        status=BankAccount.Status.VERIFIED,
        verified_on=dt.date(2026, 1, 5),
        verification_expires_on=dt.date(2027, 1, 5),
    )
    [row] = selectors.worker_search()
    assert row.current_employments == [employment]
    assert row.card_expiry == dt.date(2027, 3, 1)
    assert row.bank_status == BankAccount.Status.VERIFIED
    assert row.bank_verification_expires_on == dt.date(2027, 1, 5)


# --- Duplicates -----------------------------------------------------------------------------


def test_the_same_passport_number_is_a_possible_duplicate_whatever_the_name():
    existing = IndexedWorkerFactory(passport_number="P1234567", date_of_birth=dt.date(1990, 1, 1))
    [duplicate] = selectors.possible_duplicates(
        family_name="Other",
        given_names="Person",
        date_of_birth=dt.date(1985, 5, 5),
        passport_number="p 123 4567",
    )
    assert duplicate.worker == existing
    assert duplicate.same_passport


def test_the_same_birthday_and_a_transliterated_name_is_a_possible_duplicate():
    existing = IndexedWorkerFactory(
        family_name="Ali", given_names="Mohammed", date_of_birth=dt.date(1990, 1, 1)
    )
    IndexedWorkerFactory(
        family_name="Ali", given_names="Mohammed", date_of_birth=dt.date(1991, 1, 1)
    )
    IndexedWorkerFactory(
        family_name="Begum", given_names="Nasrin", date_of_birth=dt.date(1990, 1, 1)
    )
    found = selectors.possible_duplicates(
        family_name="ALI", given_names="Muhammad", date_of_birth=dt.date(1990, 1, 1)
    )
    assert [d.worker for d in found] == [existing]
    assert not found[0].same_passport


def test_another_spelling_can_reveal_a_duplicate():
    existing = IndexedWorkerFactory(
        family_name="Tesfaye", given_names="Hirut", other_spellings="Hiruth Tesfaye"
    )
    found = selectors.possible_duplicates(
        family_name="Tesfay",
        given_names="Hiruth",
        date_of_birth=existing.date_of_birth,
    )
    assert [d.worker for d in found] == [existing]


def test_records_marked_as_different_people_are_no_longer_duplicates(officer):
    first = IndexedWorkerFactory(given_names="Rosario")
    second = IndexedWorkerFactory(given_names="Rosario")
    third = IndexedWorkerFactory(given_names="Rosario")
    assert {d.worker for d in selectors.worker_duplicates(second)} == {first, third}
    NotDuplicate.objects.create(worker=first, other=second, marked_by=officer)
    NotDuplicate.objects.create(worker=second, other=third, marked_by=officer)
    assert selectors.worker_duplicates(second) == []
    assert [d.worker for d in selectors.worker_duplicates(first)] == [third]


# --- The worker's page ----------------------------------------------------------------------


def test_a_passport_number_is_masked_to_its_last_four_characters():
    assert selectors.passport_masked("p 1234-5678") == "•••••5678"
    assert selectors.passport_masked("AB1") == "•••"
    assert selectors.passport_masked("") == ""


def test_a_known_language_code_gets_its_name():
    assert selectors.language_name("tl") == "Tagalog (Filipino)"
    assert selectors.language_name("xyz") == "xyz"


def test_the_page_separates_the_current_contract_from_past_ones_and_flags_breaches():
    current = WorkerEmploymentFactory(weekly_hours=60)
    past = EndedEmploymentFactory(worker=current.worker)
    page = selectors.worker_page(current.worker, passport_in_full=False)
    assert page.current_employment == current
    assert page.past_employments == [past]
    assert page.breaches == ["60 weekly hours is above the maximum of 40."]


def test_the_page_flags_cards_expiring_soon_and_shortfalls():
    worker = IndexedWorkerFactory()
    soon = CardFactory(worker=worker, expiry_date=dt.date(2026, 7, 15))
    later = CardFactory(worker=worker, expiry_date=dt.date(2027, 7, 15))
    expired = CardFactory(worker=worker, expiry_date=dt.date(2026, 1, 15))
    account = AccountFactory(worker=worker)
    DepositFactory(account=account, amount=Decimal("1500.00"), month=dt.date(2026, 2, 1))
    DepositFactory(
        account=account,
        employment=account.deposits.first().employment,
        month=dt.date(2026, 3, 1),
    )
    page = selectors.worker_page(worker, passport_in_full=False)
    flags = {card.pk: (card.expiring_soon, card.is_expired) for card in page.cards}
    assert flags == {soon.pk: (True, False), later.pk: (False, False), expired.pk: (False, True)}
    [listed] = page.bank_accounts
    assert [d.shortfall for d in listed.shortfalls] == [Decimal("500.00")]
    assert listed.masked.endswith(account.account_last4)


def test_the_timeline_merges_every_event_newest_first(officer):
    employment = WorkerEmploymentFactory(start_date=dt.date(2025, 1, 1))
    worker = employment.worker
    RegistrationFactory(
        employment=employment, held_at=dt.datetime(2025, 1, 20, 9, 0, tzinfo=dt.UTC)
    )
    CardFactory(
        worker=worker,
        number="D-0700100",
        issue_date=dt.date(2025, 2, 1),
        expiry_date=dt.date(2026, 2, 1),
    )
    ReferralFactory(worker=worker, referred_on=dt.date(2025, 3, 1))
    ConsentFactory(worker=worker, recorded_at=dt.datetime(2024, 12, 1, 9, 0, tzinfo=dt.UTC))
    NoticeFactory(worker=worker, created_at=dt.datetime(2025, 1, 20, 9, 5, tzinfo=dt.UTC))
    page = selectors.worker_page(worker, passport_in_full=True)
    assert [event.text for event in page.timeline] == [
        "Worker record created.",  # today, on the frozen clock
        "ID card D-0700100 expired.",
        "Referred to a French course at Maison des langues.",
        "ID card D-0700100 issued.",
        "Notice Rights information (Handed over by an officer): Waiting to be handed over.",
        "Registered in person by registering-officer.",
        f"Employment with {employment.employer} ({employment.employer.mission}) starts.",
        "Consent given: Processing of personal data.",
    ]

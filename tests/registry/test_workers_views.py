"""Worker pages: search, registration with its duplicate check, the worker's page, and the
phones, languages, consents and language-course referrals recorded from it."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEntry
from registry.models import (
    BankAccount,
    Consent,
    Employment,
    LanguageCourseReferral,
    NotDuplicate,
    Worker,
    WorkerLanguage,
    WorkerPhone,
)
from tests.factories import EmployerFactory, MissionFactory
from tests.registry.factories_workers import (
    AccountFactory,
    CardFactory,
    ConsentFactory,
    DepositFactory,
    EndedEmploymentFactory,
    IndexedWorkerFactory,
    LanguageFactory,
    NoticeFactory,
    PhoneFactory,
    ReferralFactory,
    RegistrationFactory,
    WorkerEmploymentFactory,
)

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action
TODAY = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
LIST = reverse("registry:worker-list")
CREATE = reverse("registry:worker-create")
MOBILE = "+32 470 12 34 56"
LANDLINE = "02 555 12 34"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _detail(worker) -> str:
    return reverse("registry:worker-detail", kwargs={"pk": worker.pk})


def _text(response) -> str:
    return response.content.decode()


def _snapshot() -> tuple:
    """Everything a worker form could write; a refused form leaves it as it was."""
    return (
        list(Worker.objects.values_list("pk", "family_name", "date_of_birth", "passport_expiry")),
        WorkerPhone.objects.count(),
        Consent.objects.count(),
        WorkerLanguage.objects.count(),
        list(LanguageCourseReferral.objects.values_list("pk", "provider", "outcome")),
        AuditEntry.objects.filter(action__in=[Action.CREATE, Action.UPDATE, Action.DELETE]).count(),
    )


# --- The list -------------------------------------------------------------------------------


def _worker_with_everything(n: int, employer=None) -> Worker:
    worker = IndexedWorkerFactory(family_name=f"Worker{n:03d}", passport_number=f"P{n:07d}")
    WorkerEmploymentFactory(worker=worker, **({"employer": employer} if employer else {}))
    CardFactory(worker=worker)
    AccountFactory(
        worker=worker,
        status=BankAccount.Status.VERIFIED,
        verified_on=dt.date(2026, 1, 1),
        verification_expires_on=dt.date(2027, 1, 1),
    )
    PhoneFactory(worker=worker)
    return worker


def test_the_list_shows_each_workers_employer_card_and_bank_state(client_for, interviewer):
    mission = MissionFactory(name="Embassy of Sri Lanka")
    employer = EmployerFactory(mission=mission, family_name="Fernando", given_names="Ruwan")
    worker = _worker_with_everything(1, employer=employer)
    IndexedWorkerFactory(family_name="Unemployed", given_names="Ana")
    response = client_for(interviewer).get(LIST)
    assert response.status_code == 200
    html = _text(response)
    assert "Worker001, Rosario" in html
    assert _detail(worker) in html
    assert "Fernando, Ruwan" in html
    assert "Embassy of Sri Lanka" in html
    assert "Active" in html
    assert "2027-01-10" in html  # card expiry
    assert "Verified until 2027-01-01" in html
    assert "No account" in html and "No card issued" in html
    assert "P0000001" not in html  # never a passport number in a list
    assert "2 workers" in html


def test_searching_finds_a_worker_by_name_passport_card_or_phone(client_for, officer):
    target = _worker_with_everything(7)
    _worker_with_everything(8)
    client = client_for(officer)
    card_number = target.cards.get().number
    phone = str(target.phones.get().number)
    for q in ["worker007", "WORKER007 rosario", "p0000007", card_number.lower(), phone]:
        page = client.get(LIST, {"q": q}).context["page"]
        assert [w.pk for w in page] == [target.pk], q


def test_filters_narrow_the_list(client_for, officer):
    mission = MissionFactory()
    employer = EmployerFactory(mission=mission)
    inside = _worker_with_everything(1, employer=employer)
    _worker_with_everything(2)
    client = client_for(officer)
    for filters in [
        {"mission": mission.pk},
        {"employer": employer.pk},
        {"mission": mission.pk, "status": "active", "nationality": "PH"},
    ]:
        assert [w.pk for w in client.get(LIST, filters).context["page"]] == [inside.pk]
    assert list(client.get(LIST, {"status": "none"}).context["page"]) == []


def test_a_bad_filter_is_explained_and_the_whole_list_shown(client_for, officer):
    _worker_with_everything(1)
    response = client_for(officer).get(LIST, {"mission": "999999", "status": "lost"})
    assert response.status_code == 200
    assert "Select a valid choice." in _text(response)
    assert len(response.context["page"]) == 1


def test_looking_at_the_list_is_audited_without_what_was_searched(client_for, officer):
    client_for(officer).get(LIST, {"q": "P1234567"})
    entry = AuditEntry.objects.get(action=Action.VIEW, object_type="registry.worker")
    assert entry.actor == officer
    assert entry.detail == "worker search"
    assert "P1234567" not in str(entry.__dict__)


def test_the_list_is_paginated_by_25(client_for, officer):
    for n in range(30):
        IndexedWorkerFactory(family_name=f"Worker{n:03d}")
    client = client_for(officer)
    first = client.get(LIST)
    assert len(first.context["page"]) == 25
    assert "Page 1 of 2" in _text(first)
    second = client.get(LIST, {"page": 2})
    assert [w.family_name for w in second.context["page"]] == [
        f"Worker{n:03d}" for n in range(25, 30)
    ]


def test_the_list_runs_a_fixed_number_of_queries_however_many_rows(
    client_for, officer, django_assert_max_num_queries
):
    client = client_for(officer)
    client.get(LIST)  # the first request of a session writes it once
    for n in range(5):
        _worker_with_everything(n)
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(LIST).context["page"]) == 5
    for n in range(5, 40):
        _worker_with_everything(n)
    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as forty:
        assert len(client.get(LIST).context["page"]) == 25
    assert len(forty.captured_queries) == len(five.captured_queries)
    with CaptureQueriesContext(connection) as searched:
        client.get(LIST, {"q": "worker", "status": "active", "nationality": "PH"})
    assert len(searched.captured_queries) == len(five.captured_queries)


# --- Registering a worker -------------------------------------------------------------------


def _person(**overrides) -> dict:
    return {
        "family_name": "Perera",
        "given_names": "Nimali",
        "other_spellings": "නිමාලි පෙරේරා",
        "date_of_birth": "1988-04-02",
        "sex": "F",
        "nationality": "LK",
        "passport_number": "n 1234567",
        "passport_expiry": "2030-01-01",
        "preferred_language": "si",
        "host_language_level": "basic",
        "email": "",
        **overrides,
    }


def _new_worker(**overrides) -> dict:
    return {
        **_person(),
        "phone_number": MOBILE,
        "phone_is_safe": "on",
        "phone_is_sms_number": "on",
        "data_processing_consent": "on",
        **overrides,
    }


def test_registering_a_worker_saves_the_person_phone_and_consent_together(client_for, officer):
    response = client_for(officer).post(CREATE, _new_worker())
    worker = Worker.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(worker)
    assert worker.passport_number == "N 1234567"
    assert worker.preferred_language == "si"
    assert "perera nimali" in worker.search_names
    phone = worker.phones.get()
    assert (str(phone.number), phone.is_safe, phone.is_sms_number) == ("+32470123456", True, True)
    consent = worker.consents.get()
    assert (consent.kind, consent.given, consent.recorded_by) == ("data_processing", True, officer)
    created = AuditEntry.objects.filter(action=Action.CREATE, actor=officer)
    assert sorted(created.values_list("object_type", flat=True)) == [
        "registry.consent",
        "registry.worker",
        "registry.workerphone",
    ]


def test_the_phone_is_optional(client_for, officer):
    data = _new_worker(phone_number="", phone_is_safe="", phone_is_sms_number="")
    assert client_for(officer).post(CREATE, data).status_code == 302
    assert Worker.objects.get().phones.count() == 0


def test_the_create_form_offers_common_language_codes_with_names(client_for, officer):
    html = _text(client_for(officer).get(CREATE))
    assert 'list="id_preferred_language-languages"' in html
    assert '<option value="am">Amharic</option>' in html
    assert "The worker agreed to the processing of their personal data" in html
    assert "None of these is the same person" not in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"data_processing_consent": ""},
            "A worker can only be registered once they have agreed to the processing of their personal data.",
        ),
        ({"date_of_birth": "1988-13-45"}, "Enter a valid date."),
        ({"date_of_birth": "2026-06-02"}, "The date of birth cannot be in the future."),
        (
            {"passport_expiry": "1980-01-01"},
            "The passport expiry date cannot be before the date of birth.",
        ),
        ({"family_name": ""}, "This field is required."),
        ({"preferred_language": "Sinhala!"}, "Enter an ISO 639 language code"),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"phone_number": "12"}, "This phone number is not valid."),
        ({"phone_number": "call me"}, "This is not a phone number."),
        (
            {"phone_number": LANDLINE},
            "SMS notices need a mobile number; this number is not a mobile number.",
        ),
        (
            {"phone_is_safe": ""},
            "A phone that is not safe to use (for example one the employer controls) cannot receive SMS notices.",
        ),
        ({"phone_number": ""}, "Enter the phone number to use for SMS notices."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client_for, officer, overrides, message):
    before = _snapshot()
    response = client_for(officer).post(CREATE, _new_worker(**overrides))
    assert response.status_code == 200
    assert message in _text(response)
    assert _snapshot() == before
    assert Worker.objects.count() == 0


def test_a_known_passport_number_stops_the_registration_until_confirmed(client_for, officer):
    existing = IndexedWorkerFactory(
        family_name="Silva", given_names="Kumari", passport_number="N1234567"
    )
    client = client_for(officer)
    before = _snapshot()
    response = client.post(CREATE, _new_worker())
    html = _text(response)
    assert response.status_code == 200
    assert "This worker may already be on record" in html
    assert _detail(existing) in html
    assert "with the same passport number." in html
    assert "None of these is the same person" in html
    assert _snapshot() == before
    response = client.post(CREATE, _new_worker(none_is_same_person="on"))
    assert response.status_code == 302
    assert Worker.objects.count() == 2
    # The officer's check is remembered: the new worker's page does not raise the same doubt.
    new = Worker.objects.exclude(pk=existing.pk).get()
    assert NotDuplicate.objects.filter(worker=existing, other=new).exists()
    page = client.get(response["Location"])
    assert page.context["page"].duplicates == []


def test_the_same_birthday_and_a_similar_name_is_flagged(client_for, officer):
    existing = IndexedWorkerFactory(
        family_name="PERERA", given_names="Nimaly", date_of_birth=dt.date(1988, 4, 2)
    )
    response = client_for(officer).post(CREATE, _new_worker())
    html = _text(response)
    assert _detail(existing) in html
    assert "the same day, with a similar name." in html
    assert "Check the records listed above first." in html
    assert Worker.objects.count() == 1


def test_a_namesake_born_another_day_is_not_flagged(client_for, officer):
    IndexedWorkerFactory(
        family_name="Perera", given_names="Nimali", date_of_birth=dt.date(1990, 1, 1)
    )
    assert client_for(officer).post(CREATE, _new_worker()).status_code == 302


# --- Changing the person --------------------------------------------------------------------


def test_changing_the_person_goes_through_the_service_and_is_audited(client_for, officer):
    worker = IndexedWorkerFactory(family_name="Perera", given_names="Nimali", nationality="LK")
    client = client_for(officer)
    url = reverse("registry:worker-update", kwargs={"pk": worker.pk})
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="Perera"' in _text(form)
    assert 'value="1985-03-14"' in _text(form)
    assert '<option value="LK" selected>' in _text(form)
    assert AuditEntry.objects.filter(
        action=Action.VIEW, object_id=str(worker.pk), detail__startswith="edit form"
    ).exists()
    response = client.post(url, _person(family_name="Perera-Silva"))
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.family_name == "Perera-Silva"
    assert "perera silva" in worker.search_names
    entry = AuditEntry.objects.get(action=Action.UPDATE, object_type="registry.worker")
    assert "family_name" in entry.changed_fields


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date_of_birth": "2027-01-01"}, "The date of birth cannot be in the future."),
        ({"date_of_birth": "yesterday"}, "Enter a valid date."),
        (
            {"passport_expiry": "1970-01-01"},
            "The passport expiry date cannot be before the date of birth.",
        ),
        ({"nationality": "XX"}, "Select a valid choice."),
    ],
)
def test_a_bad_change_is_explained_and_changes_nothing(client_for, officer, overrides, message):
    worker = IndexedWorkerFactory()
    before = _snapshot()
    url = reverse("registry:worker-update", kwargs={"pk": worker.pk})
    response = client_for(officer).post(url, _person(**overrides))
    assert response.status_code == 200
    assert message in _text(response)
    assert _snapshot() == before


# --- The worker's page ----------------------------------------------------------------------


def _full_history(worker: Worker, extra: int = 0) -> None:
    """A current contract with its registration, past contracts, cards, accounts and the rest."""
    current = WorkerEmploymentFactory(worker=worker, weekly_hours=45)
    RegistrationFactory(employment=current, interpreter="Mr Interpreter")
    for n in range(1 + extra):
        past = EndedEmploymentFactory(
            worker=worker,
            start_date=dt.date(2015 + n, 1, 1),
            end_date=dt.date(2015 + n, 12, 31),
            end_reason=Employment.EndReason.RESIGNED,
        )
        RegistrationFactory(employment=past, held_at=dt.datetime(2015 + n, 1, 5, tzinfo=dt.UTC))
        CardFactory(
            worker=worker, issue_date=dt.date(2015 + n, 1, 10), expiry_date=dt.date(2016 + n, 1, 10)
        )
        account = AccountFactory(worker=worker, sole_holder=False, name_mismatch=True)
        DepositFactory(account=account, employment=current, amount=Decimal("1500.00"))
        PhoneFactory(worker=worker)
        LanguageFactory(worker=worker, language=["tl", "en", "fr", "es", "ar", "ru", "zh"][n % 7])
        ConsentFactory(worker=worker)
        ReferralFactory(worker=worker)
        NoticeFactory(worker=worker)
    CardFactory(worker=worker, number="D-SOON-1", expiry_date=dt.date(2026, 7, 1))


def test_the_page_shows_everything_about_the_worker(client_for, interviewer):
    worker = IndexedWorkerFactory(
        family_name="Perera", given_names="Nimali", passport_number="N1234567"
    )
    _full_history(worker)
    response = client_for(interviewer).get(_detail(worker))
    assert response.status_code == 200
    html = _text(response)
    for expected in [
        "Perera, Nimali",
        "•••••4567",
        "Tagalog (Filipino)",
        "+32470",
        "Used for SMS" if worker.phones.filter(is_sms_number=True).exists() else "Safe",
        "Processing of personal data",
        "Current employment",
        "45 weekly hours is above the maximum of 40.",
        "Mr Interpreter",
        "Past employments",
        "Resigned",
        "D-SOON-1",
        "Expires within 90 days",
        "Expired",
        "The worker is not the sole holder.",
        "differs from the worker",
        "1500.00 EUR received, 500.00 EUR short.",
        "Maison des langues",
        "Rights information",
        "Timeline",
        "Worker record created.",
    ]:
        assert expected in html, expected
    assert "N1234567" not in html


def test_the_full_passport_number_is_shown_only_to_those_who_may_change_the_worker(
    client_for, officer, supervisor
):
    worker = IndexedWorkerFactory(passport_number="N1234567")
    assert "N1234567" in _text(client_for(officer).get(_detail(worker)))
    assert "N1234567" not in _text(client_for(supervisor).get(_detail(worker)))
    entries = AuditEntry.objects.filter(
        action=Action.VIEW, object_type="registry.worker", object_id=str(worker.pk)
    )
    assert {(e.actor_username, e.detail) for e in entries} == {
        ("officer", "worker page; passport number shown in full"),
        ("supervisor", "worker page"),
    }


def test_action_links_are_offered_only_to_those_allowed(
    client_for, officer, interviewer, supervisor
):
    employment = WorkerEmploymentFactory(status=Employment.Status.PRE_NOTIFIED)
    worker = employment.worker
    account = AccountFactory(worker=worker)
    referral = ReferralFactory(worker=worker)
    phone = PhoneFactory(worker=worker)
    card = CardFactory(worker=worker)
    links = {
        "card-update": reverse("registry:card-update", kwargs={"pk": card.pk}),
        "registration": reverse("registry:registration-create", kwargs={"pk": employment.pk}),
        "employment-update": reverse("registry:employment-update", kwargs={"pk": employment.pk}),
        "employment-end": reverse("registry:employment-end", kwargs={"pk": employment.pk}),
        "card-create": reverse("registry:card-create", kwargs={"worker_pk": worker.pk}),
        "bank-create": reverse("registry:bank-account-create", kwargs={"worker_pk": worker.pk}),
        "bank-detail": reverse("registry:bank-account-detail", kwargs={"pk": account.pk}),
        "phone-add": reverse("registry:worker-phone-add", kwargs={"pk": worker.pk}),
        "mark-unsafe": reverse("registry:phone-mark-unsafe", kwargs={"pk": phone.pk}),
        "language-add": reverse("registry:worker-language-add", kwargs={"pk": worker.pk}),
        "consent-add": reverse("registry:worker-consent-add", kwargs={"pk": worker.pk}),
        "referral-add": reverse("registry:worker-course-referral-add", kwargs={"pk": worker.pk}),
        "referral-update": reverse("registry:course-referral-update", kwargs={"pk": referral.pk}),
        "worker-update": reverse("registry:worker-update", kwargs={"pk": worker.pk}),
    }

    def shown(user) -> set[str]:
        html = _text(client_for(user).get(_detail(worker)))
        return {name for name, url in links.items() if f'"{url}"' in html}

    assert shown(officer) == set(links)
    assert shown(interviewer) == {"bank-detail"}
    assert shown(supervisor) == {"employment-update", "employment-end", "bank-detail"}


def test_employment_actions_follow_the_contracts_status(client_for, officer):
    employment = WorkerEmploymentFactory(status=Employment.Status.ACTIVE)
    worker = employment.worker
    client = client_for(officer)
    html = _text(client.get(_detail(worker)))
    assert reverse("registry:employment-suspend", kwargs={"pk": employment.pk}) in html
    assert reverse("registry:employment-activate", kwargs={"pk": employment.pk}) not in html
    assert reverse("registry:employment-create", kwargs={"worker_pk": worker.pk}) not in html
    Employment.objects.filter(pk=employment.pk).update(status=Employment.Status.SUSPENDED)
    html = _text(client.get(_detail(worker)))
    assert reverse("registry:employment-activate", kwargs={"pk": employment.pk}) in html
    assert reverse("registry:employment-suspend", kwargs={"pk": employment.pk}) not in html
    Employment.objects.filter(pk=employment.pk).update(
        status=Employment.Status.ENDED, end_date=dt.date(2026, 5, 1), end_reason="resigned"
    )
    html = _text(client.get(_detail(worker)))
    assert reverse("registry:employment-create", kwargs={"worker_pk": worker.pk}) in html
    assert "No current employment." in html


def test_the_page_runs_a_fixed_number_of_queries_however_long_the_history(
    client_for, officer, django_assert_max_num_queries
):
    short, long = IndexedWorkerFactory(), IndexedWorkerFactory(family_name="Long")
    _full_history(short)
    _full_history(long, extra=6)
    client = client_for(officer)
    client.get(_detail(short))  # the policy row and the session are written once
    with CaptureQueriesContext(connection) as few:
        client.get(_detail(short))
    with django_assert_max_num_queries(25), CaptureQueriesContext(connection) as many:
        response = client.get(_detail(long))
    assert len(response.context["page"].past_employments) == 7
    assert len(many.captured_queries) == len(few.captured_queries)


def test_an_unknown_worker_is_not_found(client_for, officer):
    assert (
        client_for(officer).get(reverse("registry:worker-detail", kwargs={"pk": 999})).status_code
        == 404
    )


def test_possible_duplicates_are_listed_until_marked_as_different(client_for, officer):
    worker = IndexedWorkerFactory(given_names="Rosario")
    twin = IndexedWorkerFactory(given_names="Rosario")
    client = client_for(officer)
    mark = reverse("registry:worker-not-duplicate", kwargs={"pk": worker.pk, "other_pk": twin.pk})
    html = _text(client.get(_detail(worker)))
    assert "Possible duplicates" in html and mark in html
    response = client.post(mark)
    assert response.status_code == 302
    assert response["Location"] == _detail(worker)
    assert NotDuplicate.objects.filter(worker=worker, other=twin, marked_by=officer).exists()
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, object_id=str(worker.pk), changed_fields=["not_duplicate_of"]
    ).exists()
    assert "Possible duplicates" not in _text(client.get(_detail(worker)))
    assert "Possible duplicates" not in _text(client.get(_detail(twin)))


def test_a_record_cannot_be_marked_as_different_from_itself(client_for, officer):
    worker = IndexedWorkerFactory()
    url = reverse("registry:worker-not-duplicate", kwargs={"pk": worker.pk, "other_pk": worker.pk})
    response = client_for(officer).post(url, follow=True)
    assert "A record cannot be marked as different from itself." in _text(response)
    assert not NotDuplicate.objects.exists()


def test_marking_not_duplicate_needs_a_post_and_an_existing_other(client_for, officer):
    worker = IndexedWorkerFactory()
    client = client_for(officer)
    url = reverse("registry:worker-not-duplicate", kwargs={"pk": worker.pk, "other_pk": 999})
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 404
    assert not NotDuplicate.objects.exists()


# --- Phones ---------------------------------------------------------------------------------


def _phone_add(worker) -> str:
    return reverse("registry:worker-phone-add", kwargs={"pk": worker.pk})


def test_adding_a_phone_number_stores_it_in_e164_and_is_audited(client_for, officer):
    worker = IndexedWorkerFactory()
    response = client_for(officer).post(
        _phone_add(worker),
        {"number": "0470 12 34 56", "is_safe": "on", "is_sms_number": "on", "note": "Own phone"},
    )
    assert response.status_code == 302
    phone = worker.phones.get()
    assert str(phone.number) == "+32470123456"
    assert (phone.is_mobile, phone.is_safe, phone.is_sms_number) == (True, True, True)
    assert AuditEntry.objects.filter(
        action=Action.CREATE, object_type="registry.workerphone"
    ).exists()


def test_a_new_sms_number_replaces_the_old_one(client_for, officer):
    old = PhoneFactory(is_sms_number=True)
    client_for(officer).post(
        _phone_add(old.worker), {"number": MOBILE, "is_safe": "on", "is_sms_number": "on"}
    )
    old.refresh_from_db()
    assert not old.is_sms_number
    assert old.worker.phones.get(is_sms_number=True).number == "+32470123456"


def test_a_landline_can_be_recorded_but_not_for_sms(client_for, officer):
    worker = IndexedWorkerFactory()
    client = client_for(officer)
    assert client.post(_phone_add(worker), {"number": LANDLINE, "is_safe": "on"}).status_code == 302
    assert not worker.phones.get().is_mobile


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"number": LANDLINE, "is_safe": "on", "is_sms_number": "on"},
            "SMS notices need a mobile number; this number is not a mobile number.",
        ),
        (
            {"number": MOBILE, "is_sms_number": "on"},
            "A phone that is not safe to use (for example one the employer controls) cannot receive SMS notices.",
        ),
        ({"number": "12345"}, "This phone number is not valid."),
        ({"number": "phone"}, "This is not a phone number."),
        ({"number": ""}, "This field is required."),
        ({"number": "+32 470 00 00 01"}, "This worker already has this phone number."),
    ],
)
def test_a_bad_phone_is_explained_and_nothing_is_saved(client_for, officer, data, message):
    existing = PhoneFactory(number="+32470000001")
    before = _snapshot()
    response = client_for(officer).post(_phone_add(existing.worker), data)
    assert response.status_code == 200
    assert message in _text(response)
    assert _snapshot() == before


def test_marking_a_phone_unsafe_stops_sms_at_once(client_for, officer):
    phone = PhoneFactory(is_sms_number=True)
    url = reverse("registry:phone-mark-unsafe", kwargs={"pk": phone.pk})
    client = client_for(officer)
    assert client.get(url).status_code == 405
    response = client.post(url, {"note": "The employer reads it"})
    assert response.status_code == 302
    assert response["Location"] == _detail(phone.worker)
    phone.refresh_from_db()
    assert (phone.is_safe, phone.is_sms_number, phone.note) == (
        False,
        False,
        "The employer reads it",
    )
    entry = AuditEntry.objects.get(action=Action.UPDATE, object_type="registry.workerphone")
    assert entry.changed_fields == ["is_safe", "is_sms_number"]


def test_a_note_too_long_is_refused_and_the_phone_is_left_as_it_was(client_for, officer):
    phone = PhoneFactory(is_sms_number=True)
    url = reverse("registry:phone-mark-unsafe", kwargs={"pk": phone.pk})
    response = client_for(officer).post(url, {"note": "x" * 201}, follow=True)
    assert "The note is too long: at most 200 characters." in _text(response)
    phone.refresh_from_db()
    assert (phone.is_safe, phone.is_sms_number, phone.note) == (True, True, "")
    assert not AuditEntry.objects.filter(object_type="registry.workerphone").exists()


# --- Languages, consents, course referrals --------------------------------------------------


def test_adding_a_language_records_its_level_and_a_second_time_changes_it(client_for, officer):
    worker = IndexedWorkerFactory()
    url = reverse("registry:worker-language-add", kwargs={"pk": worker.pk})
    client = client_for(officer)
    assert client.post(url, {"language": "AM", "level": "fluent"}).status_code == 302
    assert client.post(url, {"language": "am", "level": "native"}).status_code == 302
    assert list(worker.languages.values_list("language", "level")) == [("am", "native")]
    assert (
        AuditEntry.objects.filter(action=Action.UPDATE, changed_fields=["languages"]).count() == 2
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"language": "Amharic", "level": "fluent"}, "Enter an ISO 639 language code"),
        ({"language": "am", "level": "excellent"}, "Select a valid choice."),
        ({"language": "", "level": "fluent"}, "This field is required."),
    ],
)
def test_a_bad_language_is_explained_and_nothing_is_saved(client_for, officer, data, message):
    worker = IndexedWorkerFactory()
    before = _snapshot()
    url = reverse("registry:worker-language-add", kwargs={"pk": worker.pk})
    response = client_for(officer).post(url, data)
    assert response.status_code == 200
    assert message in _text(response)
    assert _snapshot() == before


def test_recording_a_withdrawn_consent(client_for, officer):
    worker = IndexedWorkerFactory()
    url = reverse("registry:worker-consent-add", kwargs={"pk": worker.pk})
    response = client_for(officer).post(url, {"kind": "sms", "given": "no", "note": "Phone shared"})
    assert response.status_code == 302
    consent = worker.consents.get()
    assert (consent.kind, consent.given, consent.note) == ("sms", False, "Phone shared")
    assert AuditEntry.objects.filter(action=Action.CREATE, object_type="registry.consent").exists()
    html = _text(client_for(officer).get(_detail(worker)))
    assert "Consent refused or withdrawn: Notices by SMS." in html


@pytest.mark.parametrize(
    "data",
    [{"kind": "sms"}, {"kind": "telepathy", "given": "yes"}, {"kind": "sms", "given": "maybe"}],
)
def test_a_consent_needs_a_kind_and_an_answer(client_for, officer, data):
    worker = IndexedWorkerFactory()
    before = _snapshot()
    url = reverse("registry:worker-consent-add", kwargs={"pk": worker.pk})
    response = client_for(officer).post(url, data)
    assert response.status_code == 200
    assert "is-invalid" in _text(response)
    assert _snapshot() == before


def test_referring_to_a_course_and_recording_its_outcome(client_for, officer):
    worker = IndexedWorkerFactory()
    client = client_for(officer)
    add = reverse("registry:worker-course-referral-add", kwargs={"pk": worker.pk})
    form = client.get(add)
    assert 'value="2026-06-01"' in _text(form)
    response = client.post(
        add,
        {
            "language": "fr",
            "provider": "Alliance",
            "referred_on": "2026-05-20",
            "outcome": "pending",
        },
    )
    assert response.status_code == 302
    referral = worker.course_referrals.get()
    update = reverse("registry:course-referral-update", kwargs={"pk": referral.pk})
    assert 'value="Alliance"' in _text(client.get(update))
    response = client.post(
        update,
        {
            "language": "fr",
            "provider": "Alliance",
            "referred_on": "2026-05-20",
            "outcome": "enrolled",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == "enrolled"
    entry = AuditEntry.objects.get(
        action=Action.UPDATE, object_type="registry.languagecoursereferral"
    )
    assert entry.changed_fields == ["outcome"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"referred_on": "2026-06-02"}, "The referral date cannot be in the future."),
        ({"referred_on": "20/05/2026x"}, "Enter a valid date."),
        ({"provider": ""}, "This field is required."),
        ({"outcome": "graduated"}, "Select a valid choice."),
        ({"language": "French"}, "Enter an ISO 639 language code"),
    ],
)
def test_a_bad_referral_is_explained_and_changes_nothing(client_for, officer, overrides, message):
    referral = ReferralFactory()
    before = _snapshot()
    data = {
        "language": "fr",
        "provider": "Alliance",
        "referred_on": "2026-05-20",
        "outcome": "enrolled",
        **overrides,
    }
    client = client_for(officer)
    for url in [
        reverse("registry:worker-course-referral-add", kwargs={"pk": referral.worker.pk}),
        reverse("registry:course-referral-update", kwargs={"pk": referral.pk}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200
        assert message in _text(response)
    assert _snapshot() == before


def test_the_pages_work_in_arabic(client_for, officer):
    worker = IndexedWorkerFactory()
    _full_history(worker)
    client = client_for(officer)
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    for url in [LIST, CREATE, _detail(worker), _phone_add(worker)]:
        response = client.get(url)
        assert response.status_code == 200
        assert 'dir="rtl"' in _text(response)

"""Contracts, the in-person registration and ID cards, as protocol officers and supervisors use them.

Officers record a contract, register the worker in person and record the card; a contract that
breaches the policy waits for a supervisor's exception. Every refusal re-shows the form with a
clear message and changes nothing.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from accounts.models import AuditEntry
from notifications.models import Kind, Message
from registry.models import (
    Employment,
    IdentityCard,
    LanguageLevel,
    Registration,
    WorkerLanguage,
)
from tests.factories import EmployerFactory, MissionFactory, WorkerFactory
from tests.registry.factories_employments import EmploymentFactory, IdentityCardFactory

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action
Status = Employment.Status
NOW = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def page(response) -> str:
    return response.content.decode()


def shows(response, text: str) -> bool:
    content = page(response)
    return escape(text) in content or text in content


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def worker_page(worker) -> str:
    return f"/workers/{worker.pk}/"


def audit(action, obj):
    return AuditEntry.objects.filter(
        action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )


def contract_post(employer, /, **data) -> dict:
    values = {
        "employer": employer.pk,
        "start_date": "2026-06-01",
        "end_date": "",
        "duties": "Cooking and cleaning",
        "monthly_salary": "2100.00",
        "currency": "eur",
        "weekly_hours": "38",
        "weekly_rest_days": "2",
        "annual_leave_days": "24",
        "accommodation": "in_household",
        "contract_languages": "EN, tl, en",
    }
    values.update(data)
    return values


# --- employment-create --------------------------------------------------------------------


def test_the_new_employment_page_shows_employers_with_their_mission_and_the_policy(
    client_for, officer
):
    worker = WorkerFactory()
    employer = EmployerFactory(
        family_name="Al-Harbi", given_names="Nasser", mission=MissionFactory(name="Embassy of Q")
    )
    response = client_for(officer).get(reverse("registry:employment-create", args=[worker.pk]))
    assert response.status_code == 200
    assert shows(response, f"New employment for {worker}")
    assert shows(
        response, f'<option value="{employer.pk}">Al-Harbi, Nasser — Embassy of Q</option>'
    )
    assert shows(response, "The host state's policy")
    assert '<span dir="ltr">1800.00 EUR</span>' in page(response)


def test_the_employer_list_costs_the_same_queries_for_many_employers(
    client_for, officer, django_assert_max_num_queries
):
    worker = WorkerFactory()
    url = reverse("registry:employment-create", args=[worker.pk])
    client = client_for(officer)
    EmployerFactory.create_batch(3)
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    EmployerFactory.create_batch(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert page(response).count(" — Embassy number ") == 43


def test_an_officer_records_an_employment_and_goes_back_to_the_worker(client_for, officer):
    worker = WorkerFactory()
    employer = EmployerFactory()
    response = client_for(officer).post(
        reverse("registry:employment-create", args=[worker.pk]), contract_post(employer)
    )
    assert response.status_code == 302
    assert response["Location"] == worker_page(worker)
    employment = worker.employments.get()
    assert employment.employer == employer
    assert employment.status == Status.PRE_NOTIFIED
    assert employment.currency == "EUR"
    assert employment.contract_languages == ["en", "tl"]
    assert employment.monthly_salary == Decimal("2100.00")
    assert flashed(response) == [
        f"The employment with {employer} was recorded. It becomes active after the worker's in-person registration."
    ]
    [entry] = audit(Action.CREATE, employment)
    assert entry.actor == officer


def test_a_contract_that_breaches_the_policy_is_saved_with_a_warning_listing_the_breaches(
    client_for, officer
):
    worker = WorkerFactory()
    response = client_for(officer).post(
        reverse("registry:employment-create", args=[worker.pk]),
        contract_post(EmployerFactory(), monthly_salary="1500", weekly_hours="50"),
    )
    assert response.status_code == 302
    assert worker.employments.count() == 1
    success, warning = flashed(response)
    assert success.startswith("The employment with ")
    assert warning.startswith(
        "This contract does not meet the policy, so it needs a supervisor's exception"
    )
    assert "The monthly salary 1500.00 EUR is below the minimum wage of 1800.00 EUR." in warning
    assert "50 weekly hours is above the maximum of 40." in warning


def test_a_worker_with_an_open_employment_gets_the_services_message_and_nothing_changes(
    client_for, officer
):
    current = EmploymentFactory(status=Status.ACTIVE)
    url = reverse("registry:employment-create", args=[current.worker.pk])
    client = client_for(officer)
    assert shows(client.get(url), "has not ended; its status is “Active”")
    response = client.post(url, contract_post(EmployerFactory()))
    assert response.status_code == 200
    assert shows(
        response,
        "This worker already has an employment that has not ended. End it before recording a new one.",
    )
    assert list(current.worker.employments.all()) == [current]
    assert not AuditEntry.objects.filter(action=Action.CREATE).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"employer": ""}, "This field is required."),
        ({"employer": "999999"}, "Select a valid choice."),
        ({"start_date": "2026-13-01"}, "Enter a valid date."),
        (
            {"start_date": "2026-06-01", "end_date": "2026-05-31"},
            "The end date cannot be before the start date.",
        ),
        ({"monthly_salary": "-5"}, "Ensure this value is greater than or equal to 0."),
        ({"monthly_salary": "a lot"}, "Enter a number."),
        ({"currency": "EURO"}, "Ensure this value has at most 3 characters (it has 4)."),
        ({"currency": "XYZ"}, "“XYZ” is not an ISO 4217 currency code"),
        ({"weekly_hours": "101"}, "Ensure this value is less than or equal to 100."),
        ({"weekly_rest_days": "8"}, "Ensure this value is less than or equal to 7."),
        ({"annual_leave_days": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"accommodation": "tent"}, "Select a valid choice."),
        ({"contract_languages": "en, english"}, "“english” is not an ISO 639 language code"),
        ({"contract_languages": "xq"}, "“xq” is not an ISO 639 language code"),
    ],
)
def test_bad_contract_input_is_explained_and_nothing_is_saved(client_for, officer, data, message):
    worker = WorkerFactory()
    response = client_for(officer).post(
        reverse("registry:employment-create", args=[worker.pk]),
        contract_post(EmployerFactory(), **data),
    )
    assert response.status_code == 200
    assert shows(response, message)
    assert not Employment.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.CREATE).exists()


def test_an_unknown_worker_is_not_found(client_for, officer):
    response = client_for(officer).get(reverse("registry:employment-create", args=[999999]))
    assert response.status_code == 404


def test_a_supervisor_cannot_record_an_employment(client_for, supervisor):
    worker = WorkerFactory()
    response = client_for(supervisor).post(
        reverse("registry:employment-create", args=[worker.pk]), contract_post(EmployerFactory())
    )
    assert response.status_code == 403
    assert not Employment.objects.exists()


# --- employment-update --------------------------------------------------------------------


def test_the_change_page_shows_the_current_terms(client_for, officer):
    employment = EmploymentFactory(contract_languages=["en", "tl"])
    response = client_for(officer).get(reverse("registry:employment-update", args=[employment.pk]))
    assert response.status_code == 200
    assert 'value="en, tl"' in page(response)
    assert 'value="2100.00"' in page(response)
    assert shows(response, "Record the in-person registration")


def test_an_officer_changes_the_terms_and_only_the_changes_are_audited(client_for, officer):
    employment = EmploymentFactory()
    data = contract_post(
        employment.employer, start_date="2026-01-01", weekly_hours="40", contract_languages="en, tl"
    )
    data.update(duties=employment.duties, accommodation=employment.accommodation)
    response = client_for(officer).post(
        reverse("registry:employment-update", args=[employment.pk]), data
    )
    assert response.status_code == 302
    assert response["Location"] == worker_page(employment.worker)
    employment.refresh_from_db()
    assert employment.weekly_hours == 40
    [entry] = audit(Action.UPDATE, employment)
    assert entry.changed_fields == ["weekly_hours"]
    assert flashed(response) == ["The employment was updated."]


def test_an_ended_employment_cannot_be_changed(client_for, supervisor):
    employment = EmploymentFactory(status=Status.ENDED, end_reason="resigned")
    response = client_for(supervisor).post(
        reverse("registry:employment-update", args=[employment.pk]),
        contract_post(employment.employer, weekly_hours="20"),
    )
    assert response.status_code == 200
    assert shows(response, "An ended employment cannot be changed.")
    employment.refresh_from_db()
    assert employment.weekly_hours == 38
    assert not audit(Action.UPDATE, employment).exists()


def test_a_bad_change_is_explained_and_nothing_changes(client_for, officer):
    employment = EmploymentFactory()
    response = client_for(officer).post(
        reverse("registry:employment-update", args=[employment.pk]),
        contract_post(employment.employer, start_date="2026-01-01", end_date="2025-12-01"),
    )
    assert response.status_code == 200
    assert shows(response, "The end date cannot be before the start date.")
    employment.refresh_from_db()
    assert employment.end_date is None


# --- employment-activate ------------------------------------------------------------------


def test_a_supervisor_reads_the_breaches_and_is_asked_for_a_reason(client_for, supervisor):
    employment = EmploymentFactory(status=Status.REGISTERED, weekly_hours=50)
    response = client_for(supervisor).get(
        reverse("registry:employment-activate", args=[employment.pk])
    )
    assert response.status_code == 200
    assert shows(response, "50 weekly hours is above the maximum of 40.")
    assert 'name="override_reason"' in page(response)
    assert shows(response, "You are approving the contract above")


def test_an_officer_sees_the_breaches_but_no_reason_field(client_for, officer):
    employment = EmploymentFactory(status=Status.REGISTERED, weekly_hours=50)
    response = client_for(officer).get(
        reverse("registry:employment-activate", args=[employment.pk])
    )
    assert shows(response, "50 weekly hours is above the maximum of 40.")
    assert 'name="override_reason"' not in page(response)
    assert shows(response, "Only a supervisor can record an exception to the policy.")


def test_an_officer_gets_a_clear_refusal_for_a_contract_that_breaches_the_policy(
    client_for, officer
):
    employment = EmploymentFactory(status=Status.REGISTERED, weekly_hours=50)
    response = client_for(officer).post(
        reverse("registry:employment-activate", args=[employment.pk]),
        {"override_reason": "The mission insists."},
    )
    assert response.status_code == 200
    assert shows(
        response,
        "This contract does not meet the policy; a supervisor must record an exception and its reason.",
    )
    employment.refresh_from_db()
    assert employment.status == Status.REGISTERED
    assert employment.policy_override_reason == ""
    assert not audit(Action.UPDATE, employment).exists()


def test_a_supervisor_without_a_reason_is_asked_for_one_and_nothing_changes(client_for, supervisor):
    employment = EmploymentFactory(status=Status.REGISTERED, weekly_hours=50)
    response = client_for(supervisor).post(
        reverse("registry:employment-activate", args=[employment.pk]), {"override_reason": " "}
    )
    assert response.status_code == 200
    assert shows(response, "a supervisor must record an exception and its reason.")
    employment.refresh_from_db()
    assert employment.status == Status.REGISTERED


def test_a_supervisor_records_the_exception_and_the_employment_becomes_active(
    client_for, supervisor
):
    employment = EmploymentFactory(status=Status.REGISTERED, weekly_hours=50)
    response = client_for(supervisor).post(
        reverse("registry:employment-activate", args=[employment.pk]),
        {"override_reason": "The hours include on-call time, checked with the worker."},
    )
    assert response.status_code == 302
    assert response["Location"] == worker_page(employment.worker)
    employment.refresh_from_db()
    assert employment.status == Status.ACTIVE
    assert employment.policy_override_by == supervisor
    assert employment.policy_override_reason.startswith("The hours include on-call time")
    assert flashed(response) == [
        "The employment is active. The exception to the policy was recorded with your name."
    ]
    [entry] = audit(Action.UPDATE, employment)
    assert "policy_override_reason" in entry.changed_fields


def test_the_recorded_exception_is_shown_when_the_contract_is_activated_again(
    client_for, supervisor, officer
):
    employment = EmploymentFactory(
        status=Status.SUSPENDED,
        weekly_hours=50,
        policy_override_reason="Agreed after the interview.",
        policy_override_by=supervisor,
        policy_override_at=NOW,
    )
    client = client_for(officer)
    url = reverse("registry:employment-activate", args=[employment.pk])
    assert shows(client.get(url), "An exception was recorded by supervisor on 2026-05-04.")
    response = client.post(url)
    assert response.status_code == 302
    employment.refresh_from_db()
    assert employment.status == Status.ACTIVE


def test_a_contract_that_meets_the_policy_is_activated_by_an_officer(client_for, officer):
    employment = EmploymentFactory(status=Status.REGISTERED)
    url = reverse("registry:employment-activate", args=[employment.pk])
    client = client_for(officer)
    assert shows(client.get(url), "This contract meets the policy.")
    response = client.post(url)
    assert response.status_code == 302
    employment.refresh_from_db()
    assert employment.status == Status.ACTIVE
    assert flashed(response) == ["The employment is active."]


def test_a_pre_notified_employment_cannot_be_activated_before_the_registration(client_for, officer):
    employment = EmploymentFactory()
    url = reverse("registry:employment-activate", args=[employment.pk])
    client = client_for(officer)
    assert shows(client.get(url), "Record the registration first.")
    response = client.post(url)
    assert response.status_code == 200
    assert shows(
        response,
        "Only a registered or suspended employment can become active. Record the registration first.",
    )
    employment.refresh_from_db()
    assert employment.status == Status.PRE_NOTIFIED


# --- employment-suspend -------------------------------------------------------------------


def test_an_active_employment_is_suspended(client_for, supervisor):
    employment = EmploymentFactory(status=Status.ACTIVE)
    response = client_for(supervisor).post(
        reverse("registry:employment-suspend", args=[employment.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == worker_page(employment.worker)
    employment.refresh_from_db()
    assert employment.status == Status.SUSPENDED
    assert flashed(response) == ["The employment is suspended."]
    assert audit(Action.UPDATE, employment).get().changed_fields == ["status"]


def test_suspending_an_employment_that_is_not_active_is_refused(client_for, officer):
    employment = EmploymentFactory(status=Status.REGISTERED)
    response = client_for(officer).post(
        reverse("registry:employment-suspend", args=[employment.pk])
    )
    assert response.status_code == 302
    assert flashed(response) == ["Only an active employment can be suspended."]
    employment.refresh_from_db()
    assert employment.status == Status.REGISTERED


def test_suspending_needs_a_post(client_for, officer):
    employment = EmploymentFactory(status=Status.ACTIVE)
    response = client_for(officer).get(reverse("registry:employment-suspend", args=[employment.pk]))
    assert response.status_code == 405
    employment.refresh_from_db()
    assert employment.status == Status.ACTIVE


# --- employment-end -----------------------------------------------------------------------


def test_the_end_page_lists_the_cards_still_issued(client_for, officer):
    card = IdentityCardFactory(number="D7001234")
    response = client_for(officer).get(
        reverse("registry:employment-end", args=[card.employment.pk])
    )
    assert response.status_code == 200
    assert '<span dir="ltr">D7001234</span>' in page(response)
    assert 'name="card_returned"' in page(response)
    assert 'value="2026-05-04"' in page(response)


def test_ending_with_the_card_returned_marks_the_card_returned(client_for, officer):
    card = IdentityCardFactory()
    employment = card.employment
    response = client_for(officer).post(
        reverse("registry:employment-end", args=[employment.pk]),
        {"reason": "resigned", "end_date": "2026-04-30", "card_returned": "yes"},
    )
    assert response.status_code == 302
    assert response["Location"] == worker_page(employment.worker)
    employment.refresh_from_db()
    card.refresh_from_db()
    assert (employment.status, employment.end_reason, employment.card_returned) == (
        Status.ENDED,
        "resigned",
        True,
    )
    assert card.status == IdentityCard.Status.RETURNED
    assert flashed(response) == [
        "The employment has ended. The cards issued for it are marked as returned."
    ]
    assert audit(Action.UPDATE, employment).exists()


def test_ending_without_the_card_returned_keeps_the_card_issued(client_for, supervisor):
    card = IdentityCardFactory()
    response = client_for(supervisor).post(
        reverse("registry:employment-end", args=[card.employment.pk]),
        {"reason": "left_household", "end_date": "2026-04-30", "card_returned": "no"},
    )
    assert response.status_code == 302
    card.refresh_from_db()
    card.employment.refresh_from_db()
    assert card.status == IdentityCard.Status.ISSUED
    assert card.employment.card_returned is False
    assert "The card was not returned" in flashed(response)[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "resigned", "end_date": "2026-04-30"}, "This field is required."),
        (
            {"reason": "resigned", "end_date": "2026-04-30", "card_returned": "maybe"},
            "Select a valid choice.",
        ),
        (
            {"reason": "", "end_date": "2026-04-30", "card_returned": "yes"},
            "This field is required.",
        ),
        (
            {"reason": "holiday", "end_date": "2026-04-30", "card_returned": "yes"},
            "Select a valid choice.",
        ),
        ({"reason": "resigned", "end_date": "", "card_returned": "yes"}, "This field is required."),
        (
            {"reason": "resigned", "end_date": "2025-12-31", "card_returned": "yes"},
            "The end date cannot be before the start date.",
        ),
    ],
)
def test_a_bad_ending_is_explained_and_nothing_changes(client_for, officer, data, message):
    card = IdentityCardFactory()
    employment = card.employment
    response = client_for(officer).post(
        reverse("registry:employment-end", args=[employment.pk]), data
    )
    assert response.status_code == 200
    assert shows(response, message)
    employment.refresh_from_db()
    card.refresh_from_db()
    assert employment.status == Status.ACTIVE
    assert employment.end_reason == ""
    assert card.status == IdentityCard.Status.ISSUED
    assert not audit(Action.UPDATE, employment).exists()


def test_an_ended_employment_cannot_end_again(client_for, officer):
    employment = EmploymentFactory(
        status=Status.ENDED, end_reason="resigned", end_date=dt.date(2026, 3, 1)
    )
    url = reverse("registry:employment-end", args=[employment.pk])
    client = client_for(officer)
    assert shows(client.get(url), "This employment has already ended.")
    response = client.post(
        url, {"reason": "dismissed", "end_date": "2026-04-30", "card_returned": "yes"}
    )
    assert response.status_code == 200
    assert shows(response, "This employment has already ended.")
    employment.refresh_from_db()
    assert employment.end_reason == "resigned"


# --- registration-create ------------------------------------------------------------------


def registration_post(**data) -> dict:
    values = {
        "held_at": "2026-05-04T09:30",
        "identity_checked": "on",
        "held_own_passport": "on",
        "employer_absent": "on",
        "language": "tl",
        "interpreter": "Ana Reyes, court interpreter",
        "rights_explained": "on",
        "leaflet_language": "TL",
        "notes": "",
    }
    values.update(data)
    return {key: value for key, value in values.items() if value is not None}


def test_the_registration_page_shows_the_workers_language_needs_first(client_for, officer):
    employment = EmploymentFactory(
        worker__preferred_language="tl", worker__host_language_level=LanguageLevel.NONE
    )
    WorkerLanguage.objects.create(worker=employment.worker, language="tl", level="native")
    WorkerLanguage.objects.create(worker=employment.worker, language="en", level="basic")
    response = client_for(officer).get(
        reverse("registry:registration-create", args=[employment.pk])
    )
    assert response.status_code == 200
    content = page(response)
    assert content.index('id="language-needs"') < content.index('name="identity_checked"')
    assert shows(response, "Preferred language for notices")
    assert "Tagalog" in content
    assert '<span dir="ltr">tl</span>' in content
    assert "Native" in content and "Basic" in content
    assert 'id="interpreter-needed"' in content
    assert 'value="tl"' in content


def test_viewing_the_registration_page_is_audited_as_a_read_of_the_worker(client_for, officer):
    employment = EmploymentFactory()
    client_for(officer).get(reverse("registry:registration-create", args=[employment.pk]))
    [entry] = audit(Action.VIEW, employment.worker)
    assert entry.actor == officer
    assert entry.detail == "registration form"


@pytest.mark.parametrize(
    ("host_level", "languages", "needed"),
    [
        (LanguageLevel.BASIC, [("am", "native")], True),
        (LanguageLevel.NONE, [("en", "basic")], True),
        (LanguageLevel.NONE, [("en", "fluent")], False),
        (LanguageLevel.BASIC, [("fr", "working")], False),
        (LanguageLevel.WORKING, [("am", "native")], False),
    ],
)
def test_an_interpreter_is_needed_only_without_the_host_language_or_a_staff_language(
    client_for, officer, host_level, languages, needed
):
    employment = EmploymentFactory(worker__host_language_level=host_level)
    for code, level in languages:
        WorkerLanguage.objects.create(worker=employment.worker, language=code, level=level)
    response = client_for(officer).get(
        reverse("registry:registration-create", args=[employment.pk])
    )
    assert ('id="interpreter-needed"' in page(response)) is needed


def test_a_complete_registration_activates_the_employment_and_requests_the_rights_notice(
    client_for, officer
):
    employment = EmploymentFactory()
    response = client_for(officer).post(
        reverse("registry:registration-create", args=[employment.pk]), registration_post()
    )
    assert response.status_code == 302
    assert response["Location"] == worker_page(employment.worker)
    employment.refresh_from_db()
    assert employment.status == Status.ACTIVE
    registration = Registration.objects.get(employment=employment)
    assert registration.officer == officer
    assert registration.leaflet_language == "tl"
    assert registration.interpreter == "Ana Reyes, court interpreter"
    notice = Message.objects.get(worker=employment.worker)
    assert notice.kind == Kind.RIGHTS_INFORMATION
    assert notice.context["language"] == "tl"
    assert flashed(response) == [
        "The registration is recorded and the employment is active. The rights information was requested in Tagalog."
    ]
    assert audit(Action.CREATE, registration).exists()


def test_a_registration_of_a_breaching_contract_waits_for_a_supervisors_exception(
    client_for, officer
):
    employment = EmploymentFactory(monthly_salary=Decimal("1500.00"))
    response = client_for(officer).post(
        reverse("registry:registration-create", args=[employment.pk]),
        registration_post(leaflet_language="am"),
    )
    assert response.status_code == 302
    employment.refresh_from_db()
    assert employment.status == Status.REGISTERED
    [message] = flashed(response)
    assert message.startswith(
        "The registration is recorded. The employment waits for a supervisor's exception"
    )
    assert "The monthly salary 1500.00 EUR is below the minimum wage of 1800.00 EUR." in message
    assert message.endswith("The rights information was requested in Amharic.")
    assert Message.objects.filter(worker=employment.worker).count() == 1


def test_a_registration_missing_the_required_answers_lists_them_all_and_records_nothing(
    client_for, officer
):
    employment = EmploymentFactory()
    response = client_for(officer).post(
        reverse("registry:registration-create", args=[employment.pk]),
        registration_post(identity_checked=None, employer_absent=None, rights_explained=None),
    )
    assert response.status_code == 200
    for message in [
        "The worker's identity must be checked against the passport.",
        "The registration only counts if no employer or mission member was present.",
        "The worker's rights and obligations must be explained.",
    ]:
        assert shows(response, message)
    employment.refresh_from_db()
    assert employment.status == Status.PRE_NOTIFIED
    assert not Registration.objects.exists()
    assert not Message.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.CREATE).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"language": "Tagalog"}, "“Tagalog” is not an ISO 639 language code"),
        ({"leaflet_language": ""}, "This field is required."),
        ({"held_at": "yesterday"}, "Enter a valid date/time."),
        ({"held_at": "2026-05-05T09:30"}, "The registration cannot be recorded in the future."),
    ],
)
def test_bad_registration_input_is_explained_and_nothing_is_recorded(
    client_for, officer, data, message
):
    employment = EmploymentFactory()
    response = client_for(officer).post(
        reverse("registry:registration-create", args=[employment.pk]), registration_post(**data)
    )
    assert response.status_code == 200
    assert shows(response, message)
    employment.refresh_from_db()
    assert employment.status == Status.PRE_NOTIFIED
    assert not Registration.objects.exists()
    assert not Message.objects.exists()


def test_an_employment_is_registered_only_once(client_for, officer):
    employment = EmploymentFactory(status=Status.ACTIVE)
    url = reverse("registry:registration-create", args=[employment.pk])
    client = client_for(officer)
    get = client.get(url)
    assert shows(get, "This employment has already been registered.")
    assert 'name="identity_checked"' not in page(get)
    response = client.post(url, registration_post())
    assert response.status_code == 200
    assert shows(response, "This employment has already been registered.")
    assert not Registration.objects.exists()
    assert not Message.objects.exists()


def test_the_registration_page_works_in_arabic_with_language_names_in_arabic(client_for, officer):
    employment = EmploymentFactory(worker__preferred_language="tl")
    client = client_for(officer)
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    response = client.get(reverse("registry:registration-create", args=[employment.pk]))
    assert response.status_code == 200
    assert 'dir="rtl"' in page(response)
    assert "التاغالوغية" in page(response)


def test_an_interviewer_cannot_record_a_registration(client_for, interviewer):
    employment = EmploymentFactory()
    response = client_for(interviewer).post(
        reverse("registry:registration-create", args=[employment.pk]), registration_post()
    )
    assert response.status_code == 403
    assert not Registration.objects.exists()


# --- card-create and card-update ----------------------------------------------------------


def card_post(**data) -> dict:
    values = {
        "kind": "id_card",
        "number": "D 700-555",
        "issue_date": "2026-02-01",
        "expiry_date": "2027-02-01",
        "status": "issued",
        "employment": "",
    }
    values.update(data)
    return values


def test_the_card_page_offers_only_this_workers_employments(client_for, officer):
    employment = EmploymentFactory(status=Status.ACTIVE)
    other = EmploymentFactory()
    response = client_for(officer).get(reverse("registry:card-create", args=[employment.worker.pk]))
    assert response.status_code == 200
    assert f'<option value="{employment.pk}" selected>' in page(response)
    assert f'value="{other.pk}"' not in page(response)


def test_an_officer_records_a_card_for_the_employment(client_for, officer):
    employment = EmploymentFactory(status=Status.ACTIVE)
    response = client_for(officer).post(
        reverse("registry:card-create", args=[employment.worker.pk]),
        card_post(employment=employment.pk),
    )
    assert response.status_code == 302
    assert response["Location"] == worker_page(employment.worker)
    card = IdentityCard.objects.get()
    assert (card.worker, card.employment, card.number) == (
        employment.worker,
        employment,
        "D 700-555",
    )
    assert card.number_normalised == "D700555"
    assert flashed(response) == ["ID card D 700-555 was recorded."]
    assert audit(Action.CREATE, card).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": ""}, "This field is required."),
        ({"number": "--"}, "A card or visa number needs letters or digits."),
        ({"kind": "passport"}, "Select a valid choice."),
        ({"status": "lost"}, "Select a valid choice."),
        ({"expiry_date": "2026-02-01"}, "The expiry date must be after the issue date."),
        ({"issue_date": "2026-02-30"}, "Enter a valid date."),
        ({"number": "d700-100"}, "Another card or visa already has this number."),
    ],
)
def test_bad_card_input_is_explained_and_nothing_is_saved(client_for, officer, data, message):
    existing = IdentityCardFactory(number="D700100")
    worker = WorkerFactory()
    response = client_for(officer).post(
        reverse("registry:card-create", args=[worker.pk]), card_post(**data)
    )
    assert response.status_code == 200
    assert shows(response, message)
    assert list(IdentityCard.objects.all()) == [existing]
    assert not AuditEntry.objects.filter(action=Action.CREATE).exists()


def test_another_workers_employment_cannot_be_chosen_for_a_card(client_for, officer):
    worker = WorkerFactory()
    other = EmploymentFactory()
    response = client_for(officer).post(
        reverse("registry:card-create", args=[worker.pk]), card_post(employment=other.pk)
    )
    assert response.status_code == 200
    assert shows(response, "Select a valid choice.")
    assert not IdentityCard.objects.exists()


def test_an_officer_renews_a_card_and_the_change_is_audited(client_for, officer):
    card = IdentityCardFactory(number="D700100")
    url = reverse("registry:card-update", args=[card.pk])
    client = client_for(officer)
    assert 'value="D700100"' in page(client.get(url))
    response = client.post(
        url,
        card_post(number="D700100", expiry_date="2028-01-10", employment=card.employment.pk),
    )
    assert response.status_code == 302
    assert response["Location"] == worker_page(card.worker)
    card.refresh_from_db()
    assert card.expiry_date == dt.date(2028, 1, 10)
    [entry] = audit(Action.UPDATE, card)
    assert "expiry_date" in entry.changed_fields
    assert flashed(response) == ["ID card D700100 was updated."]


def test_a_bad_card_change_is_explained_and_nothing_changes(client_for, officer):
    card = IdentityCardFactory(number="D700100")
    IdentityCardFactory(number="D700200")
    response = client_for(officer).post(
        reverse("registry:card-update", args=[card.pk]),
        card_post(number="D700200", employment=card.employment.pk),
    )
    assert response.status_code == 200
    assert shows(response, "Another card or visa already has this number.")
    card.refresh_from_db()
    assert card.number == "D700100"
    assert not audit(Action.UPDATE, card).exists()


def test_a_supervisor_cannot_change_a_card(client_for, supervisor):
    card = IdentityCardFactory(number="D700100")
    response = client_for(supervisor).post(
        reverse("registry:card-update", args=[card.pk]), card_post(number="X1")
    )
    assert response.status_code == 403
    card.refresh_from_db()
    assert card.number == "D700100"

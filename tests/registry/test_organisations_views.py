"""Missions, employers and the policy, as the protocol department's staff use them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEntry
from accounts.viewtools import form_errors_from
from registry.forms_organisations import MissionForm
from registry.models import Employer, Employment, Mission, Policy
from tests.factories import EmployerFactory, MissionFactory, WorkerFactory
from tests.registry.factories_organisations import (
    EndedEmploymentFactory,
    OrganisationEmploymentFactory,
)

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action

MISSION_LIST = reverse("registry:mission-list")
MISSION_CREATE = reverse("registry:mission-create")
EMPLOYER_LIST = reverse("registry:employer-list")
EMPLOYER_CREATE = reverse("registry:employer-create")
POLICY = reverse("registry:policy-update")


def mission_data(**overrides):
    return {
        "name": "Embassy of the Philippines",
        "kind": Mission.Kind.EMBASSY,
        "sending_state": "PH",
        "address": "Avenue Molière 297\n1050 Brussels",
        "protocol_contact_name": "Ana Reyes",
        "protocol_contact_email": "protocol@ph-embassy.example",
        "protocol_contact_phone": "+32 2 501 81 11",
        **overrides,
    }


def employer_data(at_mission, **overrides):
    return {
        "mission": at_mission.pk,
        "family_name": "Al-Harbi",
        "given_names": "Nasser",
        "title": "Counsellor",
        "is_head_of_mission": "",
        "accreditation_number": "DIP-2025-0042",
        "privileges_category": Employer.PrivilegesCategory.DIPLOMATIC_AGENT,
        **overrides,
    }


def policy_data(**overrides):
    return {
        "minimum_monthly_wage": "2100.00",
        "currency": "EUR",
        "maximum_weekly_hours": "38",
        "minimum_weekly_rest_days": "2",
        "minimum_annual_leave_days": "24",
        "workers_per_staff_member": "1",
        "workers_per_head_of_mission": "4",
        "bank_verification_months": "12",
        **overrides,
    }


def entries(action, object_type):
    return list(AuditEntry.objects.filter(action=action, object_type=object_type))


def query_count(client, url, params=None) -> int:
    """Queries of a repeat visit (the first one of a session also saves the session)."""
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


# --- Mission list ---------------------------------------------------------------------------


def test_the_mission_list_counts_employers_and_workers_still_employed(client_for, officer):
    mission = MissionFactory(name="Embassy of Nepal", sending_state="NP")
    ambassador = EmployerFactory(mission=mission, is_head_of_mission=True)
    counsellor = EmployerFactory(mission=mission)
    EmployerFactory(mission=mission)
    OrganisationEmploymentFactory(employer=ambassador)
    OrganisationEmploymentFactory(employer=ambassador, status=Employment.Status.PRE_NOTIFIED)
    OrganisationEmploymentFactory(employer=counsellor, status=Employment.Status.SUSPENDED)
    EndedEmploymentFactory(employer=counsellor)
    MissionFactory(name="Embassy of Kenya")

    response = client_for(officer).get(MISSION_LIST)

    rows = {m.name: (m.employer_count, m.worker_count) for m in response.context["page"]}
    assert rows == {"Embassy of Nepal": (3, 3), "Embassy of Kenya": (0, 0)}
    page = response.content.decode()
    assert "Nepal" in page
    assert '<span dir="ltr">(NP)</span>' in page
    assert reverse("registry:mission-detail", args=[mission.pk]) in page


def test_a_worker_moved_between_households_of_one_mission_is_counted_once(client_for, officer):
    mission = MissionFactory()
    worker = WorkerFactory()
    EndedEmploymentFactory(worker=worker, employer=EmployerFactory(mission=mission))
    OrganisationEmploymentFactory(worker=worker, employer=EmployerFactory(mission=mission))

    response = client_for(officer).get(MISSION_LIST)

    [row] = response.context["page"]
    assert (row.employer_count, row.worker_count) == (2, 1)


def test_the_mission_list_filters_by_kind_sending_state_and_name(client_for, interviewer):
    MissionFactory(name="Embassy of Sri Lanka", sending_state="LK")
    MissionFactory(name="Consulate of Sri Lanka", kind=Mission.Kind.CONSULATE, sending_state="LK")
    MissionFactory(name="Embassy of Ethiopia", sending_state="ET")
    client = client_for(interviewer)

    def names(**params):
        return [m.name for m in client.get(MISSION_LIST, params).context["page"]]

    assert names(kind="consulate") == ["Consulate of Sri Lanka"]
    assert names(sending_state="LK") == ["Consulate of Sri Lanka", "Embassy of Sri Lanka"]
    assert names(q="sri lanka", kind="embassy") == ["Embassy of Sri Lanka"]
    assert names(q="ETHIOP") == ["Embassy of Ethiopia"]
    assert names(q="Atlantis") == []
    assert "No missions match this filter." in client.get(MISSION_LIST, {"q": "x"}).content.decode()


def test_an_unknown_filter_value_is_explained_and_the_list_still_shows(client_for, officer):
    MissionFactory(name="Embassy of Ghana")
    response = client_for(officer).get(MISSION_LIST, {"kind": "palace", "sending_state": "ZZ"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert [m.name for m in response.context["page"]] == ["Embassy of Ghana"]


def test_only_users_who_may_add_missions_see_the_new_mission_link(client_for, officer, supervisor):
    assert MISSION_CREATE in client_for(officer).get(MISSION_LIST).content.decode()
    assert MISSION_CREATE not in client_for(supervisor).get(MISSION_LIST).content.decode()


def test_the_mission_list_shows_25_a_page_in_a_fixed_number_of_queries(
    client_for, officer, django_assert_max_num_queries
):
    client = client_for(officer)
    for _ in range(5):
        OrganisationEmploymentFactory(employer=EmployerFactory())
    small = query_count(client, MISSION_LIST)
    for _ in range(40):
        employer = EmployerFactory()
        OrganisationEmploymentFactory(employer=employer)
        EndedEmploymentFactory(employer=employer)
    with django_assert_max_num_queries(small):
        first = client.get(MISSION_LIST)
    with django_assert_max_num_queries(small):
        second = client.get(MISSION_LIST, {"page": "2"})
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 20
    assert "Page 2 of 2" in second.content.decode()
    assert small <= 7


def test_the_page_links_keep_the_filter(client_for, officer):
    for n in range(30):
        MissionFactory(name=f"Consulate {n:02d}", kind=Mission.Kind.CONSULATE)
    page = client_for(officer).get(MISSION_LIST, {"kind": "consulate"}).content.decode()
    assert "?kind=consulate&amp;page=2" in page


# --- Mission create and update -------------------------------------------------------------


def test_an_officer_registers_a_mission_and_the_creation_is_audited(client_for, officer):
    response = client_for(officer).post(MISSION_CREATE, mission_data(), follow=True)

    mission = Mission.objects.get()
    assert response.redirect_chain == [(reverse("registry:mission-detail", args=[mission.pk]), 302)]
    assert mission.name == "Embassy of the Philippines"
    assert mission.sending_state == "PH"
    assert mission.protocol_contact_phone.as_e164 == "+3225018111"
    page = response.content.decode()
    assert "The mission Embassy of the Philippines was registered." in page
    assert '<span dir="ltr">+32 2 501 81 11</span>' in page
    [entry] = entries(Action.CREATE, "registry.mission")
    assert entry.actor == officer
    assert entry.object_id == str(mission.pk)
    assert {"name", "sending_state", "protocol_contact_phone"} <= set(entry.changed_fields)


def test_a_mission_name_already_used_in_another_case_is_refused_on_the_name_field(
    client_for, officer
):
    MissionFactory(name="Embassy of the Philippines")

    response = client_for(officer).post(
        MISSION_CREATE, mission_data(name="EMBASSY OF THE PHILIPPINES")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Another mission is already registered under this name."
    ]
    assert "Another mission is already registered under this name." in response.content.decode()
    assert Mission.objects.count() == 1
    assert entries(Action.CREATE, "registry.mission") == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "x" * 201, "Ensure this value has at most 200 characters"),
        ("kind", "palace", "Select a valid choice."),
        ("sending_state", "ZZ", "Select a valid choice."),
        ("protocol_contact_email", "protocol-at-embassy", "Enter a valid email address."),
        ("protocol_contact_phone", "12", "Enter a valid phone number"),
    ],
)
def test_bad_mission_input_is_explained_and_nothing_is_created(
    client_for, officer, field, value, message
):
    response = client_for(officer).post(MISSION_CREATE, mission_data(**{field: value}))

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Mission.objects.exists()
    assert not AuditEntry.objects.filter(object_type="registry.mission").exists()


def test_an_officer_edits_a_mission_and_only_the_changed_fields_are_audited(client_for, officer):
    mission = MissionFactory(name="Embassy of Ethiopia", sending_state="ET")
    url = reverse("registry:mission-update", args=[mission.pk])
    client = client_for(officer)

    form_page = client.get(url)
    assert form_page.context["form"].initial["name"] == "Embassy of Ethiopia"
    assert 'value="Embassy of Ethiopia"' in form_page.content.decode()
    assert '<option value="ET" selected>' in form_page.content.decode()

    data = mission_data(
        name="Embassy of Ethiopia", sending_state="ET", address="Boulevard Saint-Michel 1"
    )
    data.update(protocol_contact_name="", protocol_contact_email="", protocol_contact_phone="")
    response = client.post(url, data, follow=True)

    assert "The mission Embassy of Ethiopia was saved." in response.content.decode()
    mission.refresh_from_db()
    assert mission.address == "Boulevard Saint-Michel 1"
    [entry] = entries(Action.UPDATE, "registry.mission")
    assert entry.changed_fields == ["address"]


def test_a_mission_may_keep_its_own_name_in_another_case(client_for, officer):
    mission = MissionFactory(name="Embassy of Ghana", sending_state="GH")
    url = reverse("registry:mission-update", args=[mission.pk])
    data = mission_data(name="EMBASSY OF GHANA", sending_state="GH")
    response = client_for(officer).post(url, data)
    assert response.status_code == 302
    mission.refresh_from_db()
    assert mission.name == "EMBASSY OF GHANA"


def test_renaming_a_mission_to_another_missions_name_changes_nothing(client_for, officer):
    MissionFactory(name="Embassy of Kenya")
    mission = MissionFactory(name="Embassy of Uganda", sending_state="UG")
    url = reverse("registry:mission-update", args=[mission.pk])

    response = client_for(officer).post(url, mission_data(name="embassy of kenya"))

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Another mission is already registered under this name."
    ]
    assert "Edit the mission Embassy of Uganda" in response.content.decode()
    mission.refresh_from_db()
    assert (mission.name, mission.sending_state) == ("Embassy of Uganda", "UG")
    assert entries(Action.UPDATE, "registry.mission") == []


def test_an_interviewer_cannot_create_or_edit_a_mission(client_for, interviewer):
    mission = MissionFactory(name="Embassy of Kenya")
    client = client_for(interviewer)
    assert client.post(MISSION_CREATE, mission_data()).status_code == 403
    url = reverse("registry:mission-update", args=[mission.pk])
    assert client.post(url, mission_data()).status_code == 403
    assert list(Mission.objects.values_list("name", flat=True)) == ["Embassy of Kenya"]


def test_editing_a_mission_that_does_not_exist_is_not_found(client_for, officer):
    assert (
        client_for(officer).get(reverse("registry:mission-update", args=[999])).status_code == 404
    )


# --- Mission detail --------------------------------------------------------------------------


def test_the_mission_page_lists_its_employers_with_their_households(client_for, supervisor):
    mission = MissionFactory(
        name="Embassy of Nepal",
        sending_state="NP",
        protocol_contact_email="protocol@np.example",
    )
    ambassador = EmployerFactory(
        mission=mission,
        family_name="Sharma",
        given_names="Ram",
        title="Ambassador",
        is_head_of_mission=True,
    )
    attache = EmployerFactory(
        mission=mission,
        family_name="Thapa",
        title="Attaché",
        privileges_category=Employer.PrivilegesCategory.ADMINISTRATIVE_TECHNICAL,
    )
    OrganisationEmploymentFactory.create_batch(2, employer=ambassador)
    EndedEmploymentFactory(employer=attache)
    EmployerFactory(family_name="Elsewhere")

    response = client_for(supervisor).get(reverse("registry:mission-detail", args=[mission.pk]))

    employers = {e.family_name: e.open_employments for e in response.context["page"]}
    assert employers == {"Sharma": 2, "Thapa": 0}
    page = response.content.decode()
    assert "<h1" in page and "Embassy of Nepal" in page
    assert "Ambassador" in page
    assert "Administrative and technical staff" in page
    assert reverse("registry:employer-detail", args=[ambassador.pk]) in page
    assert 'dir="ltr">protocol@np.example' in page
    # A supervisor reads; only officers get the links to change.
    assert reverse("registry:mission-update", args=[mission.pk]) not in page
    assert EMPLOYER_CREATE not in page


def test_an_officer_can_add_an_employer_from_the_mission_page(client_for, officer):
    mission = MissionFactory()
    page = client_for(officer).get(reverse("registry:mission-detail", args=[mission.pk]))
    assert f"{EMPLOYER_CREATE}?mission={mission.pk}" in page.content.decode()
    form = client_for(officer).get(EMPLOYER_CREATE, {"mission": mission.pk}).context["form"]
    assert form["mission"].value() == str(mission.pk)


def test_a_mission_that_does_not_exist_is_not_found(client_for, officer):
    assert (
        client_for(officer).get(reverse("registry:mission-detail", args=[999])).status_code == 404
    )


def test_the_mission_page_shows_its_employers_in_a_fixed_number_of_queries(
    client_for, officer, django_assert_max_num_queries
):
    mission = MissionFactory()
    client = client_for(officer)
    url = reverse("registry:mission-detail", args=[mission.pk])
    OrganisationEmploymentFactory(employer=EmployerFactory(mission=mission))
    small = query_count(client, url)
    for _ in range(30):
        OrganisationEmploymentFactory(employer=EmployerFactory(mission=mission))
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert len(response.context["page"]) == 25
    assert small <= 8


def test_the_employer_page_shows_every_employment_in_a_fixed_number_of_queries(
    client_for, officer, django_assert_max_num_queries
):
    employer = EmployerFactory()
    client = client_for(officer)
    url = reverse("registry:employer-detail", args=[employer.pk])
    OrganisationEmploymentFactory(employer=employer)
    small = query_count(client, url)
    EndedEmploymentFactory.create_batch(15, employer=employer)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert len(response.context["employments"]) == 16


# --- Employer list ---------------------------------------------------------------------------


def test_the_employer_list_shows_mission_and_open_employments(client_for, interviewer):
    mission = MissionFactory(name="Embassy of Kenya")
    employer = EmployerFactory(mission=mission, family_name="Otieno", accreditation_number="K-7")
    OrganisationEmploymentFactory(employer=employer)
    EndedEmploymentFactory(employer=employer)

    response = client_for(interviewer).get(EMPLOYER_LIST)

    [row] = response.context["page"]
    assert (row.family_name, row.mission.name, row.open_employments) == (
        "Otieno",
        "Embassy of Kenya",
        1,
    )
    page = response.content.decode()
    assert '<span dir="ltr">K-7</span>' in page
    assert reverse("registry:mission-detail", args=[mission.pk]) in page
    assert EMPLOYER_CREATE not in page


def test_the_employer_list_filters_and_searches(client_for, officer):
    kenya = MissionFactory(name="Embassy of Kenya")
    nepal = MissionFactory(name="Embassy of Nepal")
    EmployerFactory(
        mission=kenya,
        family_name="Otieno",
        given_names="Grace",
        is_head_of_mission=True,
        accreditation_number="KE-001",
    )
    EmployerFactory(
        mission=kenya,
        family_name="Mwangi",
        given_names="Peter",
        accreditation_number="KE-002",
        privileges_category=Employer.PrivilegesCategory.SERVICE_STAFF,
    )
    EmployerFactory(mission=nepal, family_name="Sharma", accreditation_number="NP-001")
    client = client_for(officer)

    def names(**params):
        return [e.family_name for e in client.get(EMPLOYER_LIST, params).context["page"]]

    assert names(mission=kenya.pk) == ["Mwangi", "Otieno"]
    assert names(head_of_mission="yes") == ["Otieno"]
    assert names(head_of_mission="no") == ["Mwangi", "Sharma"]
    assert names(privileges_category="service_staff") == ["Mwangi"]
    assert names(q="grace otieno") == ["Otieno"]
    assert names(q="np-001") == ["Sharma"]
    assert names(q="KE-", mission=kenya.pk, head_of_mission="no") == ["Mwangi"]
    assert names(q="nobody") == []


def test_an_unknown_mission_in_the_employer_filter_is_explained(client_for, officer):
    EmployerFactory(family_name="Otieno")
    response = client_for(officer).get(EMPLOYER_LIST, {"mission": "999"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert [e.family_name for e in response.context["page"]] == ["Otieno"]


def test_the_employer_list_shows_25_a_page_in_a_fixed_number_of_queries(
    client_for, officer, django_assert_max_num_queries
):
    client = client_for(officer)
    OrganisationEmploymentFactory()
    small = query_count(client, EMPLOYER_LIST)
    for _ in range(40):
        employer = EmployerFactory()
        OrganisationEmploymentFactory(employer=employer)
        EndedEmploymentFactory(employer=employer)
    with django_assert_max_num_queries(small):
        first = client.get(EMPLOYER_LIST)
    with django_assert_max_num_queries(small):
        second = client.get(EMPLOYER_LIST, {"page": "2"})
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 16
    assert small <= 8


# --- Employer create and update -----------------------------------------------------------


def test_an_officer_registers_an_employer_and_the_creation_is_audited(client_for, officer):
    mission = MissionFactory()

    response = client_for(officer).post(EMPLOYER_CREATE, employer_data(mission), follow=True)

    employer = Employer.objects.get()
    assert response.redirect_chain == [
        (reverse("registry:employer-detail", args=[employer.pk]), 302)
    ]
    assert (employer.mission, employer.accreditation_number) == (mission, "DIP-2025-0042")
    assert employer.is_head_of_mission is False
    assert "The employer Al-Harbi, Nasser was registered." in response.content.decode()
    [entry] = entries(Action.CREATE, "registry.employer")
    assert entry.actor == officer
    assert {"mission_id", "family_name", "accreditation_number"} <= set(entry.changed_fields)


def test_an_accreditation_number_already_on_record_is_refused_on_its_field(client_for, officer):
    existing = EmployerFactory(accreditation_number="DIP-2025-0042")

    response = client_for(officer).post(EMPLOYER_CREATE, employer_data(existing.mission))

    assert response.status_code == 200
    assert response.context["form"].errors["accreditation_number"] == [
        "Another employer already has this accreditation number."
    ]
    assert Employer.objects.count() == 1
    assert entries(Action.CREATE, "registry.employer") == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mission", "999", "Select a valid choice."),
        ("mission", "", "This field is required."),
        ("family_name", "", "This field is required."),
        ("accreditation_number", "", "This field is required."),
        ("accreditation_number", "A" * 65, "Ensure this value has at most 64 characters"),
        ("privileges_category", "king", "Select a valid choice."),
    ],
)
def test_bad_employer_input_is_explained_and_nothing_is_created(
    client_for, officer, field, value, message
):
    mission = MissionFactory()
    response = client_for(officer).post(EMPLOYER_CREATE, employer_data(mission, **{field: value}))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Employer.objects.exists()
    assert not AuditEntry.objects.filter(object_type="registry.employer").exists()


def test_an_officer_edits_an_employer_and_only_the_changed_fields_are_audited(client_for, officer):
    employer = EmployerFactory(accreditation_number="DIP-1", title="Counsellor")
    url = reverse("registry:employer-update", args=[employer.pk])
    client = client_for(officer)
    assert client.get(url).context["form"]["mission"].value() == employer.mission.pk

    data = employer_data(
        employer.mission,
        family_name=employer.family_name,
        given_names=employer.given_names,
        title="Minister Counsellor",
        accreditation_number="DIP-1",
        is_head_of_mission="on",
    )
    response = client.post(url, data)

    assert response.status_code == 302
    employer.refresh_from_db()
    assert (employer.title, employer.is_head_of_mission) == ("Minister Counsellor", True)
    [entry] = entries(Action.UPDATE, "registry.employer")
    assert entry.changed_fields == ["is_head_of_mission", "title"]


def test_an_employer_cannot_take_another_employers_accreditation_number(client_for, officer):
    EmployerFactory(accreditation_number="DIP-1")
    employer = EmployerFactory(accreditation_number="DIP-2", family_name="Sharma")
    url = reverse("registry:employer-update", args=[employer.pk])

    response = client_for(officer).post(
        url, employer_data(employer.mission, accreditation_number="DIP-1")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["accreditation_number"] == [
        "Another employer already has this accreditation number."
    ]
    employer.refresh_from_db()
    assert (employer.accreditation_number, employer.family_name) == ("DIP-2", "Sharma")
    assert entries(Action.UPDATE, "registry.employer") == []


def test_a_supervisor_cannot_create_or_edit_an_employer(client_for, supervisor):
    employer = EmployerFactory(title="Counsellor")
    client = client_for(supervisor)
    assert client.post(EMPLOYER_CREATE, employer_data(employer.mission)).status_code == 403
    url = reverse("registry:employer-update", args=[employer.pk])
    assert client.post(url, employer_data(employer.mission)).status_code == 403
    employer.refresh_from_db()
    assert employer.title == "Counsellor"
    assert Employer.objects.count() == 1


# --- Employer detail -------------------------------------------------------------------------


def test_the_employer_page_lists_every_employment_and_the_view_is_audited(client_for, interviewer):
    employer = EmployerFactory(family_name="Sharma", given_names="Ram")
    current = OrganisationEmploymentFactory(
        employer=employer, worker=WorkerFactory(family_name="Gurung", given_names="Maya")
    )
    past = EndedEmploymentFactory(
        employer=employer,
        worker=WorkerFactory(family_name="Tamang", given_names="Sita", passport_number="N1234567"),
        start_date=dt.date(2023, 3, 1),
        end_date=dt.date(2024, 12, 31),
        end_reason=Employment.EndReason.DEPARTED,
    )
    EmployerFactory(family_name="Unrelated")

    response = client_for(interviewer).get(reverse("registry:employer-detail", args=[employer.pk]))

    assert response.context["employments"] == [current, past]
    page = response.content.decode()
    assert "Gurung, Maya" in page
    assert reverse("registry:worker-detail", args=[current.worker_id]) in page
    assert reverse("registry:worker-detail", args=[past.worker_id]) in page
    assert "Departed the country" in page
    assert '<span dir="ltr">2024-12-31</span>' in page
    assert reverse("registry:mission-detail", args=[employer.mission_id]) in page
    assert "N1234567" not in page
    [entry] = entries(Action.VIEW, "registry.employer")
    assert (entry.actor, entry.object_id) == (interviewer, str(employer.pk))


def test_a_staff_member_above_the_policy_limit_is_flagged(client_for, officer):
    employer = EmployerFactory(is_head_of_mission=False)
    OrganisationEmploymentFactory.create_batch(2, employer=employer)
    EndedEmploymentFactory(employer=employer)

    response = client_for(officer).get(reverse("registry:employer-detail", args=[employer.pk]))

    assert (response.context["open_count"], response.context["limit"]) == (2, 1)
    assert response.context["above_limit"] is True
    assert (
        "This employer has 2 domestic workers whose employment has not ended; "
        "the policy allows at most 1 for this rank." in response.content.decode()
    )
    assert 'class="alert alert-warning"' in response.content.decode()


def test_a_head_of_mission_within_the_limit_is_not_flagged(client_for, officer):
    employer = EmployerFactory(is_head_of_mission=True)
    OrganisationEmploymentFactory.create_batch(2, employer=employer)

    response = client_for(officer).get(reverse("registry:employer-detail", args=[employer.pk]))

    assert (response.context["open_count"], response.context["limit"]) == (2, 3)
    assert response.context["above_limit"] is False
    page = response.content.decode()
    assert "the policy allows up to 3 for this rank." in page
    assert "alert-warning" not in page


def test_the_limit_follows_the_policy_an_administrator_set(client_for, officer):
    Policy.objects.create(
        host_country="BE", minimum_monthly_wage=Decimal("1900"), workers_per_staff_member=2
    )
    employer = EmployerFactory()
    OrganisationEmploymentFactory.create_batch(2, employer=employer)
    response = client_for(officer).get(reverse("registry:employer-detail", args=[employer.pk]))
    assert (response.context["limit"], response.context["above_limit"]) == (2, False)


def test_an_employer_that_does_not_exist_is_not_found_and_nothing_is_audited(client_for, officer):
    response = client_for(officer).get(reverse("registry:employer-detail", args=[999]))
    assert response.status_code == 404
    assert entries(Action.VIEW, "registry.employer") == []


# --- Policy ---------------------------------------------------------------------------------


def test_an_administrator_sees_the_current_policy_in_the_form(client_for, administrator):
    response = client_for(administrator).get(POLICY)
    policy = Policy.objects.get()
    assert policy.host_country == "BE"
    form = response.context["form"]
    assert form.initial["minimum_monthly_wage"] == Decimal("1800.00")
    assert "host_country" not in form.fields
    assert "Save the policy" in response.content.decode()


def test_an_administrator_changes_the_policy_and_the_change_is_audited(client_for, administrator):
    response = client_for(administrator).post(
        POLICY, policy_data(currency=" eur", host_country="FR"), follow=True
    )

    assert response.redirect_chain == [(POLICY, 302)]
    assert "The policy was saved." in response.content.decode()
    policy = Policy.objects.get()
    assert policy.host_country == "BE"
    assert policy.minimum_monthly_wage == Decimal("2100.00")
    assert policy.currency == "EUR"
    assert (policy.maximum_weekly_hours, policy.workers_per_head_of_mission) == (38, 4)
    [entry] = entries(Action.UPDATE, "registry.policy")
    assert entry.actor == administrator
    assert entry.changed_fields == [
        "maximum_weekly_hours",
        "minimum_annual_leave_days",
        "minimum_monthly_wage",
        "minimum_weekly_rest_days",
        "workers_per_head_of_mission",
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("minimum_monthly_wage", "-1", "Ensure this value is greater than or equal to 0."),
        ("minimum_monthly_wage", "lots", "Enter a number."),
        ("currency", "EURO", "Ensure this value has at most 3 characters"),
        ("currency", "E1R", "Enter the currency as a three-letter code, for example EUR."),
        ("maximum_weekly_hours", "0", "Ensure this value is greater than or equal to 1."),
        ("maximum_weekly_hours", "120", "Ensure this value is less than or equal to 100."),
        ("minimum_weekly_rest_days", "8", "Ensure this value is less than or equal to 7."),
        ("minimum_annual_leave_days", "-5", "Ensure this value is greater than or equal to 0."),
        ("workers_per_staff_member", "", "This field is required."),
        ("bank_verification_months", "0", "Ensure this value is greater than or equal to 1."),
    ],
)
def test_bad_policy_input_is_explained_and_changes_nothing(
    client_for, administrator, field, value, message
):
    client = client_for(administrator)
    response = client.post(POLICY, policy_data(**{field: value}))

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    policy = Policy.objects.get()
    assert (policy.minimum_monthly_wage, policy.currency) == (Decimal("1800.00"), "EUR")
    assert (policy.maximum_weekly_hours, policy.bank_verification_months) == (40, 12)
    assert entries(Action.UPDATE, "registry.policy") == []


def test_a_supervisor_reads_the_policy_without_a_form(client_for, supervisor):
    response = client_for(supervisor).get(POLICY)
    assert response.context["form"] is None
    page = response.content.decode()
    assert "Only an administrator can change the policy." in page
    assert "Most workers per head of mission" in page
    assert '<span dir="ltr">1800.00</span>' in page
    assert '<form method="post" novalidate>' not in page


def test_a_supervisor_cannot_change_the_policy(client_for, supervisor):
    response = client_for(supervisor).post(POLICY, policy_data())
    assert response.status_code == 403
    assert Policy.objects.filter(minimum_monthly_wage=Decimal("2100.00")).count() == 0
    assert entries(Action.UPDATE, "registry.policy") == []


def test_an_officer_may_not_see_or_change_the_policy(client_for, officer):
    assert client_for(officer).get(POLICY).status_code == 403
    assert client_for(officer).post(POLICY, policy_data()).status_code == 403
    assert not Policy.objects.filter(minimum_monthly_wage=Decimal("2100.00")).exists()


# --- Language and layout ----------------------------------------------------------------------


def test_the_lists_work_right_to_left_with_numbers_kept_left_to_right(client_for, officer):
    OrganisationEmploymentFactory(
        employer=EmployerFactory(accreditation_number="AR-77", mission=MissionFactory())
    )
    client = client_for(officer)
    client.post(reverse("set_language"), {"language": "ar", "next": MISSION_LIST})
    for url in (MISSION_LIST, EMPLOYER_LIST):
        page = client.get(url).content.decode()
        assert 'dir="rtl"' in page
        assert '<span dir="ltr">1</span>' in page
    assert '<span dir="ltr">AR-77</span>' in client.get(EMPLOYER_LIST).content.decode()


# --- Errors raised by the services -------------------------------------------------------------


def test_a_service_error_lands_on_the_field_it_names_or_on_the_form():
    form = MissionForm(data=mission_data())
    assert form.is_valid()
    form_errors_from(
        form,
        ValidationError(
            {"name": "Name taken meanwhile.", "__all__": "Constraint.", "unknown": "Other."}
        ),
    )
    assert form.errors["name"] == ["Name taken meanwhile."]
    assert form.non_field_errors() == ["Constraint.", "Other."]
    form_errors_from(form, ValidationError("Plain message."))
    assert "Plain message." in form.non_field_errors()

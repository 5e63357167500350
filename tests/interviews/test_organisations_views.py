"""The organisations concerns are referred to: supervisors and administrators keep the list."""

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from interviews.models import Organisation
from tests.interviews.factories import ConcernFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
LIST = reverse("interviews:organisation-list")
CREATE = reverse("interviews:organisation-create")


def edit_url(organisation):
    return reverse("interviews:organisation-edit", args=[organisation.pk])


def data(**overrides):
    return {
        "name": "Labour Inspectorate, Brussels office",
        "kind": Organisation.Kind.LABOUR_INSPECTORATE,
        "phone": "+32 2 233 41 11",
        "email": "inspection@labour.example",
        "active": "on",
        **overrides,
    }


def test_a_supervisor_adds_an_organisation(client_for, supervisor):
    response = client_for(supervisor).post(CREATE, data(), follow=True)
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.kind, organisation.phone, organisation.active) == (
        "Labour Inspectorate, Brussels office",
        "labour_inspectorate",
        "+32 2 233 41 11",
        True,
    )
    page = response.content.decode()
    assert "Labour Inspectorate, Brussels office is added." in page
    assert "inspection@labour.example" in page
    entry = AuditEntry.objects.get(object_type="interviews.organisation", action="create")
    assert entry.changed_fields == ["active", "email", "kind", "name", "phone"]


@pytest.mark.parametrize("kind", Organisation.Kind.values)
def test_every_kind_of_organisation_can_be_added(client_for, administrator, kind):
    response = client_for(administrator).post(CREATE, data(name=f"The {kind}", kind=kind))
    assert response.status_code == 302
    assert Organisation.objects.get().kind == kind


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"kind": "church"}, "Select a valid choice."),
        ({"phone": "call the desk"}, "Enter a phone number: digits and spaces"),
        ({"email": "inspection at labour"}, "Enter a valid email address."),
        ({"name": "domestic workers support"}, "Another organisation already has this name."),
    ],
)
def test_bad_input_shows_the_error_and_adds_nothing(client_for, supervisor, overrides, message):
    OrganisationFactory(name="Domestic Workers Support")
    response = client_for(supervisor).post(CREATE, data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organisation.objects.count() == 1
    assert not AuditEntry.objects.filter(object_type="interviews.organisation").exists()


def test_an_administrator_deactivates_an_organisation_and_it_gets_no_new_referral(
    client_for, administrator, supervisor
):
    shelter = OrganisationFactory(name="City Shelter", kind=Organisation.Kind.SHELTER)
    response = client_for(administrator).post(
        edit_url(shelter), data(name="City Shelter", kind="shelter", phone="", email="", active="")
    )
    assert response.status_code == 302
    shelter.refresh_from_db()
    assert shelter.active is False
    entry = AuditEntry.objects.get(object_type="interviews.organisation", action="update")
    assert entry.changed_fields == ["active", "phone"]
    concern = ConcernFactory()
    form = client_for(supervisor).get(reverse("interviews:concern-referral", args=[concern.pk]))
    assert "City Shelter" not in form.content.decode()
    listed = client_for(supervisor).get(LIST).content.decode()
    assert "No longer in use" in listed


def test_saving_without_a_change_writes_nothing_to_the_log(client_for, supervisor):
    ngo = OrganisationFactory(name="Helping Hands", phone="", email="")
    response = client_for(supervisor).post(
        edit_url(ngo), data(name="Helping Hands", kind="ngo", phone="", email="")
    )
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(object_type="interviews.organisation").exists()


def test_renaming_to_another_organisations_name_is_refused(client_for, supervisor):
    OrganisationFactory(name="Police, central station")
    ngo = OrganisationFactory(name="Helping Hands")
    response = client_for(supervisor).post(edit_url(ngo), data(name="POLICE, central station"))
    assert response.status_code == 200
    assert "Another organisation already has this name." in response.content.decode()
    ngo.refresh_from_db()
    assert ngo.name == "Helping Hands"


def test_the_list_filters_by_kind_and_use(client_for, supervisor):
    OrganisationFactory(name="Police, central station", kind="police")
    OrganisationFactory(name="Old NGO", kind="ngo", active=False)
    OrganisationFactory(name="New NGO", kind="ngo")
    client = client_for(supervisor)
    names = lambda query: [o.name for o in client.get(LIST, query).context["page"]]  # noqa: E731
    assert names({}) == ["New NGO", "Old NGO", "Police, central station"]
    assert names({"kind": "ngo"}) == ["New NGO", "Old NGO"]
    assert names({"active": "no"}) == ["Old NGO"]
    assert names({"kind": "ngo", "active": "yes"}) == ["New NGO"]


def test_the_list_shows_25_a_page_in_a_fixed_number_of_queries(
    client_for, supervisor, django_assert_max_num_queries
):
    client = client_for(supervisor)
    for _ in range(3):
        OrganisationFactory()
    with django_assert_max_num_queries(20) as few:
        client.get(LIST)
    for _ in range(27):
        OrganisationFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["page"]) == 25


def test_an_interviewer_cannot_change_the_list(client_for, interviewer):
    ngo = OrganisationFactory()
    client = client_for(interviewer)
    assert client.get(LIST).status_code == 403
    assert client.post(CREATE, data()).status_code == 403
    assert client.post(edit_url(ngo), data()).status_code == 403
    assert Organisation.objects.count() == 1


def test_the_list_works_in_arabic(client_for, administrator):
    OrganisationFactory(name="Domestic Workers Support")
    client = client_for(administrator)
    client.post(reverse("set_language"), {"language": "ar", "next": LIST})
    page = client.get(LIST).content.decode()
    assert 'dir="rtl"' in page
    assert "تصفية" in page

"""Random data POSTed to the main create and edit pages, by a user allowed to use them: the
answer is never a server error, and a refused form changes nothing in the database and says
why on the page. Random filters on the list pages never give a server error either."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from hypothesis import given
from hypothesis import strategies as st

from accounts.forms import AuditFilterForm
from accounts.roles import Role
from notifications.forms_templates import MessageTemplateForm, TemplateFilterForm
from registry.forms_bank import BankAccountForm
from registry.forms_employments import CardForm, EmploymentForm
from registry.forms_organisations import (
    EmployerFilterForm,
    EmployerForm,
    MissionFilterForm,
    MissionForm,
    PolicyForm,
)
from registry.forms_workers import PhoneForm, WorkerCreateForm, WorkerFilterForm, WorkerForm
from tests.properties import PROPERTY_VIEWS, TRICKY_STRINGS, form_data, row_counts, text_values

PO, AD, AU = Role.PROTOCOL_OFFICER, Role.ADMINISTRATOR, Role.AUDITOR

# What a page shows when it refuses a form: crispy's field errors or an alert.
ERROR_MARKS = ("is-invalid", "invalid-feedback", "alert-danger", "errorlist")


def _worker():
    from tests.factories import WorkerFactory

    return WorkerFactory()


def _employment():
    from registry.models import Employment
    from tests.factories import EmployerFactory

    return Employment.objects.create(
        worker=_worker(),
        employer=EmployerFactory(),
        start_date=dt.date(2026, 1, 1),
        monthly_salary=Decimal("2100.00"),
        currency="EUR",
        weekly_hours=38,
        weekly_rest_days=2,
        annual_leave_days=24,
        accommodation=Employment.Accommodation.OWN,
    )


def _template():
    from notifications.models import MessageTemplate

    template, _created = MessageTemplate.objects.get_or_create(
        kind="reminder", channel="sms", language="xx", defaults={"body": "{{ date }}"}
    )
    return template


def _mission():
    from tests.factories import MissionFactory

    return MissionFactory()


def _employer():
    from tests.factories import EmployerFactory

    return EmployerFactory()


# url name, who posts, the form the page shows (for its fields), what the URL needs.
PAGES = {
    "registry:mission-create": (PO, MissionForm, None),
    "registry:mission-update": (PO, MissionForm, lambda: {"pk": _mission().pk}),
    "registry:employer-create": (PO, EmployerForm, None),
    "registry:employer-update": (PO, EmployerForm, lambda: {"pk": _employer().pk}),
    "registry:worker-create": (PO, WorkerCreateForm, None),
    "registry:worker-update": (PO, WorkerForm, lambda: {"pk": _worker().pk}),
    "registry:worker-phone-add": (PO, PhoneForm, lambda: {"pk": _worker().pk}),
    "registry:bank-account-create": (PO, BankAccountForm, lambda: {"worker_pk": _worker().pk}),
    "registry:employment-create": (PO, EmploymentForm, lambda: {"worker_pk": _worker().pk}),
    "registry:employment-update": (PO, EmploymentForm, lambda: {"pk": _employment().pk}),
    "registry:card-create": (PO, CardForm, lambda: {"worker_pk": _worker().pk}),
    "registry:policy-update": (AD, PolicyForm, None),
    "notifications:template-create": (AD, MessageTemplateForm, None),
    "notifications:template-update": (AD, MessageTemplateForm, lambda: {"pk": _template().pk}),
}


@pytest.fixture
def page(db, name, make_staff, client_for):
    """The signed-in client, the page's address and an unbound form, once for all examples."""
    from interviews.services import policy_current as interview_policy
    from registry.services import policy_current

    # The policies are created on first use; create them now, so no example counts them.
    policy_current()
    interview_policy()
    role, form_class, kwargs = PAGES[name]
    url = reverse(name, kwargs=kwargs() if kwargs else None)
    needs_worker = form_class is CardForm
    form = form_class(worker=_worker()) if needs_worker else form_class()
    return client_for(make_staff(role)), url, form


@pytest.mark.parametrize("name", sorted(PAGES))
@PROPERTY_VIEWS
@given(draw=st.data())
def test_a_refused_form_changes_nothing_and_says_why(name, page, draw):
    client, url, form = page
    data = form_data(form, draw.draw)
    if name.startswith("notifications:template-"):
        data["save"] = [""]  # without it the page only shows a preview
    before = row_counts()
    response = client.post(url, MultiValueDict(data))
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        after = row_counts()
        written = {
            model: after[model] - before[model] for model in after if after[model] != before[model]
        }
        assert not written, f"a refused form wrote to the database: {written}"
        # An empty POST shows the empty form again, as a GET does; a hidden field nobody can
        # type into (a tampered request) need not be explained.
        hidden = [
            form.add_prefix(field_name)
            for field_name, field in form.fields.items()
            if field.widget.is_hidden
        ]
        if data and not any(field_name in data for field_name in hidden):
            html = response.content.decode()
            assert any(mark in html for mark in ERROR_MARKS), "refused without saying why"


# --- Filters of the list pages ------------------------------------------------------------

# url name, who reads it, the form of its filters.
LISTS = {
    "registry:worker-list": (PO, WorkerFilterForm),
    "registry:mission-list": (PO, MissionFilterForm),
    "registry:employer-list": (PO, EmployerFilterForm),
    "accounts:audit-list": (AU, AuditFilterForm),
    "notifications:template-list": (AD, TemplateFilterForm),
}


@pytest.fixture
def list_page(db, name, make_staff, client_for):
    role, filter_form = LISTS[name]
    return client_for(make_staff(role)), reverse(name), filter_form()


@pytest.mark.parametrize("name", sorted(LISTS))
@PROPERTY_VIEWS
@given(draw=st.data())
def test_any_filter_shows_the_list_page(name, list_page, draw):
    client, url, form = list_page
    query = {key: values[-1] for key, values in form_data(form, draw.draw).items()}
    query["page"] = draw.draw(text_values())
    response = client.get(url, query)
    assert response.status_code == 200, response.status_code


# The values that reach the database or the paginator in unusual ways (test_forms sweeps
# every form with all of TRICKY_STRINGS; a page adds the query and the page number).
QUERY_BREAKERS = [
    value
    for value in TRICKY_STRINGS
    if value in ("", "-1", "1e309", "NaN", "١٢٣", "²", "2026-02-30", "' OR 1=1 --", "\u202eevil")
    or "\x00" in value
    or len(value) > 100
]


@pytest.mark.parametrize("name", sorted(LISTS))
def test_each_tricky_value_in_every_filter_shows_the_list_page(name, list_page):
    client, url, form = list_page
    names = [*form.fields, "page"]
    problems = []
    for value in QUERY_BREAKERS:
        try:
            status = client.get(url, {field_name: value for field_name in names}).status_code
        except Exception as error:
            status = repr(error)[:200]
        if status != 200:
            problems.append(f"{value[:30]!r}: {status}")
    assert not problems, "\n".join(problems)

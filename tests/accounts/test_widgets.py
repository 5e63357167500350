"""LongSelect writes the same <select> as Django's template-rendered Select, only faster."""

import pytest
from django import forms
from django.test.html import parse_html

from accounts.widgets import LongSelect
from registry.forms_organisations import EmployerFilterForm, MissionFilterForm
from registry.forms_workers import WorkerFilterForm
from tests.factories import MissionFactory

CHOICES = [
    ("", "Any"),
    ("a", 'Tom & "Jerry" <b>'),
    ("Group <1>", [("b", "Bé"), ("c", "مرحبا")]),
    ("d", "Dee"),
]


@pytest.mark.parametrize("value", [None, "", "a", "c", "<script>"])
def test_the_markup_equals_djangos_select(value):
    attrs = {"id": "id_x", "class": "form-select", "aria-describedby": "x_help", "disabled": True}
    django_select = forms.Select(choices=CHOICES).render("x", value, attrs=attrs)
    long_select = LongSelect(choices=CHOICES).render("x", value, attrs=attrs)
    assert parse_html(long_select) == parse_html(django_select)
    assert "<script>" not in long_select
    assert "Tom &amp; &quot;Jerry&quot; &lt;b&gt;" in long_select


@pytest.mark.django_db
def test_the_filter_forms_selects_are_unchanged_for_the_user():
    chosen = MissionFactory(name="Embassy of <Narnia> & Co")
    MissionFactory(name="Embassy of Ruritania")
    for form, name in (
        (WorkerFilterForm({"mission": chosen.pk, "nationality": "PH"}), "mission"),
        (WorkerFilterForm({"nationality": "PH"}), "nationality"),
        (EmployerFilterForm({"mission": chosen.pk}), "mission"),
        (MissionFilterForm({"sending_state": "LK"}), "sending_state"),
    ):
        field = form[name]
        assert isinstance(field.field.widget, LongSelect)
        plain = forms.Select(choices=field.field.choices).render(
            field.html_name, field.value(), attrs={"id": field.auto_id}
        )
        assert parse_html(field.as_widget()) == parse_html(plain)
    page = WorkerFilterForm({"mission": chosen.pk})["mission"].as_widget()
    assert (
        f'<option value="{chosen.pk}" selected>Embassy of &lt;Narnia&gt; &amp; Co</option>' in page
    )

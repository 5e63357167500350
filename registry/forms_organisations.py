"""Forms for missions, employers and the host state's policy. They validate; services save."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.widgets import LongSelect
from registry.models import Employer, Mission, Policy

MISSION_FIELDS = [
    "name",
    "kind",
    "sending_state",
    "address",
    "protocol_contact_name",
    "protocol_contact_email",
    "protocol_contact_phone",
]
EMPLOYER_FIELDS = [
    "mission",
    "family_name",
    "given_names",
    "title",
    "is_head_of_mission",
    "accreditation_number",
    "privileges_category",
]
POLICY_FIELDS = [
    "minimum_monthly_wage",
    "currency",
    "maximum_weekly_hours",
    "minimum_weekly_rest_days",
    "minimum_annual_leave_days",
    "workers_per_staff_member",
    "workers_per_head_of_mission",
    "bank_verification_months",
]

LTR = {"dir": "ltr"}


def _field(model, name: str, **kwargs) -> forms.Field:
    """The model field's own form field: same label, help text, choices and validators."""
    return model._meta.get_field(name).formfield(**kwargs)


def initial_from(instance, names: list[str]) -> dict:
    return {name: getattr(instance, name) for name in names}


class MissionForm(forms.Form):
    name = _field(Mission, "name")
    kind = _field(Mission, "kind")
    sending_state = _field(Mission, "sending_state")
    address = _field(Mission, "address", widget=forms.Textarea(attrs={"rows": 3}))
    protocol_contact_name = _field(Mission, "protocol_contact_name")
    protocol_contact_email = _field(Mission, "protocol_contact_email")
    protocol_contact_phone = _field(Mission, "protocol_contact_phone")

    def __init__(self, *args, mission: Mission | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.mission = mission
        self.fields["protocol_contact_email"].widget.attrs.update(LTR)
        self.fields["protocol_contact_phone"].widget.attrs.update(LTR)
        self.fields["protocol_contact_phone"].help_text = _(
            "A number from abroad starts with + and the country code."
        )

    def clean_name(self):
        name = self.cleaned_data["name"]
        others = Mission.objects.filter(name__iexact=name)
        if self.mission is not None:
            others = others.exclude(pk=self.mission.pk)
        if others.exists():
            raise ValidationError(
                _("Another mission is already registered under this name."), code="duplicate"
            )
        return name


class EmployerForm(forms.Form):
    mission = forms.ModelChoiceField(label=_("Mission"), queryset=Mission.objects.order_by("name"))
    family_name = _field(Employer, "family_name")
    given_names = _field(Employer, "given_names")
    title = _field(Employer, "title")
    is_head_of_mission = _field(Employer, "is_head_of_mission")
    accreditation_number = _field(Employer, "accreditation_number")
    privileges_category = _field(Employer, "privileges_category")

    def __init__(self, *args, employer: Employer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.employer = employer
        self.fields["accreditation_number"].widget.attrs.update(LTR)

    def clean_accreditation_number(self):
        number = self.cleaned_data["accreditation_number"]
        others = Employer.objects.filter(accreditation_number=number)
        if self.employer is not None:
            others = others.exclude(pk=self.employer.pk)
        if others.exists():
            raise ValidationError(
                _("Another employer already has this accreditation number."), code="duplicate"
            )
        return number


class PolicyForm(forms.Form):
    """Every rule of the policy; the host state is fixed by the installation's settings."""

    minimum_monthly_wage = _field(
        Policy, "minimum_monthly_wage", min_value=0, widget=forms.NumberInput(attrs=LTR)
    )
    currency = _field(Policy, "currency", widget=forms.TextInput(attrs=LTR))
    maximum_weekly_hours = _field(Policy, "maximum_weekly_hours", min_value=1, max_value=100)
    minimum_weekly_rest_days = _field(Policy, "minimum_weekly_rest_days", max_value=7)
    minimum_annual_leave_days = _field(Policy, "minimum_annual_leave_days", max_value=365)
    workers_per_staff_member = _field(Policy, "workers_per_staff_member", max_value=20)
    workers_per_head_of_mission = _field(Policy, "workers_per_head_of_mission", max_value=20)
    bank_verification_months = _field(Policy, "bank_verification_months", max_value=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].help_text = _("Three-letter ISO 4217 code, for example EUR.")

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise ValidationError(
                _("Enter the currency as a three-letter code, for example EUR."), code="invalid"
            )
        return currency


# --- Filters -----------------------------------------------------------------------------


class MissionFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Mission.Kind.choices]
    )
    sending_state = forms.ChoiceField(label=_("Sending state"), required=False, widget=LongSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sending_state"].choices = [("", _("Any sending state")), *countries]


class EmployerFilterForm(forms.Form):
    HEAD_CHOICES = [
        ("", _("Heads of mission and other staff")),
        ("yes", _("Heads of mission only")),
        ("no", _("Other staff only")),
    ]

    q = forms.CharField(label=_("Name or accreditation number"), required=False, max_length=150)
    mission = forms.ModelChoiceField(
        label=_("Mission"),
        required=False,
        queryset=Mission.objects.only("pk", "name").order_by("name"),
        empty_label=_("Any mission"),
        widget=LongSelect,
    )
    privileges_category = forms.ChoiceField(
        label=_("Privileges and immunities category"),
        required=False,
        choices=[("", _("Any category")), *Employer.PrivilegesCategory.choices],
    )
    head_of_mission = forms.ChoiceField(
        label=_("Head of mission"), required=False, choices=HEAD_CHOICES
    )

"""Forms for workers and what belongs to them. They validate input only; the views save through
registry.services."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.widgets import LongSelect
from registry.models import (
    Consent,
    Employer,
    Employment,
    LanguageCourseReferral,
    LanguageLevel,
    Mission,
    Worker,
)
from registry.selectors import COMMON_LANGUAGES, NO_CURRENT_EMPLOYMENT
from registry.services import WORKER_FIELDS

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LanguageCodeInput(forms.TextInput):
    """A text box for an ISO 639 code that suggests the common ones, with their names."""

    template_name = "registry/includes/worker_language_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"]["datalist_id"] = f"{widget_id}-languages"
        context["widget"]["attrs"]["list"] = context["widget"]["datalist_id"]
        context["widget"]["languages"] = COMMON_LANGUAGES
        return context


class LanguageCodeField(forms.CharField):
    default_error_messages = {
        "invalid": _("Enter an ISO 639 language code, for example tl, am, si, ne or sw."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("widget", LanguageCodeInput(attrs={"autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value).strip().lower().replace("_", "-")
        if value and not LANGUAGE_CODE.match(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class WorkerForm(forms.ModelForm):
    """The person, as in the passport. Never saved itself: the view calls services.worker_save."""

    preferred_language = LanguageCodeField(
        label=_("Preferred language for notices"),
        help_text=_("ISO 639 code, for example tl, am, si, ne or sw."),
    )

    class Meta:
        model = Worker
        fields = WORKER_FIELDS
        widgets = {
            "other_spellings": forms.Textarea(attrs={"rows": 2}),
            "date_of_birth": _date_input(),
            "passport_number": forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
            "passport_expiry": _date_input(),
            "email": forms.EmailInput(attrs={"dir": "ltr"}),
        }

    def clean_passport_number(self):
        return (self.cleaned_data.get("passport_number") or "").strip().upper()

    def clean(self):
        data = super().clean()
        born = data.get("date_of_birth")
        if born and born > timezone.localdate():
            self.add_error("date_of_birth", _("The date of birth cannot be in the future."))
        expiry = data.get("passport_expiry")
        if born and expiry and expiry < born:
            self.add_error(
                "passport_expiry",
                _("The passport expiry date cannot be before the date of birth."),
            )
        return data

    def person_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in WORKER_FIELDS}


class WorkerCreateForm(WorkerForm):
    """A new worker, with an optional first phone number and the data-processing consent."""

    phone_number = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        help_text=_(
            "Optional. In international format (+63 917 123 4567) or as dialled in the host state."
        ),
        widget=forms.TextInput(attrs={"type": "tel", "dir": "ltr", "autocomplete": "off"}),
    )
    phone_is_safe = forms.BooleanField(
        label=_("Safe to use"),
        required=False,
        help_text=_(
            "Only if the worker alone holds this phone. A phone the employer controls is not safe."
        ),
    )
    phone_is_sms_number = forms.BooleanField(label=_("Use for SMS notices"), required=False)
    data_processing_consent = forms.BooleanField(
        label=_("The worker agreed to the processing of their personal data"),
        error_messages={
            "required": _(
                "A worker can only be registered once they have agreed to the processing of their personal data."
            )
        },
    )
    none_is_same_person = forms.BooleanField(
        label=_("None of these is the same person"), required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("phone_number") and data.get("phone_is_sms_number"):
            self.add_error("phone_number", _("Enter the phone number to use for SMS notices."))
        return data


class WorkerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_(
            "A name in any spelling, a passport, ID card or visa number, or a phone number."
        ),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    mission = forms.ModelChoiceField(
        label=_("Mission"),
        required=False,
        queryset=Mission.objects.only("pk", "name"),
        empty_label=_("Any mission"),
        widget=LongSelect,
    )
    employer = forms.ModelChoiceField(
        label=_("Employer"),
        required=False,
        queryset=Employer.objects.none(),
        empty_label=_("Any employer"),
        help_text=_("Choose a mission, then search, to list its employers."),
    )
    status = forms.ChoiceField(
        label=_("Current employment"),
        required=False,
        choices=[
            ("", _("Any status")),
            *[
                (value, label)
                for value, label in Employment.Status.choices
                if value != Employment.Status.ENDED
            ],
            (NO_CURRENT_EMPLOYMENT, _("No current employment")),
        ],
    )
    nationality = forms.ChoiceField(
        label=_("Nationality"),
        required=False,
        choices=lambda: [("", _("Any nationality")), *countries],
        widget=LongSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Thousands of employers would make every list page heavy (bench/RESULTS.md): offer only
        # the chosen mission's, and keep an employer already chosen (a link from its page).
        data = self.data or {}
        employers = Employer.objects.none()
        # An id, as the choice fields would accept it: ASCII digits of a size the database holds
        # ("²" is a digit to str.isdigit, and a 27-digit number overflows a bigint).
        mission, employer = (_id(data.get(name)) for name in ("mission", "employer"))
        if mission is not None:
            employers = Employer.objects.filter(mission_id=mission)
        if employer is not None:
            employers = employers | Employer.objects.filter(pk=employer)
        self.fields["employer"].queryset = employers.only(
            "pk", "family_name", "given_names"
        ).order_by("family_name", "given_names")


def _id(value) -> int | None:
    text = str(value or "")
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None


class PhoneForm(forms.Form):
    number = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        help_text=_("In international format (+63 917 123 4567) or as dialled in the host state."),
        widget=forms.TextInput(attrs={"type": "tel", "dir": "ltr", "autocomplete": "off"}),
    )
    is_safe = forms.BooleanField(
        label=_("Safe to use"),
        required=False,
        help_text=_(
            "Only if the worker alone holds this phone. A phone the employer controls is not safe."
        ),
    )
    is_sms_number = forms.BooleanField(
        label=_("Use for SMS notices"),
        required=False,
        help_text=_("Replaces the worker's current SMS number, if there is one."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class PhoneUnsafeForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class LanguageForm(forms.Form):
    language = LanguageCodeField(label=_("Language"))
    level = forms.ChoiceField(label=_("Level"), choices=LanguageLevel.choices)


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Consent to"), choices=Consent.Kind.choices)
    given = forms.TypedChoiceField(
        label=_("The worker's answer"),
        choices=[("yes", _("Given")), ("no", _("Refused or withdrawn"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class CourseReferralForm(forms.Form):
    language = LanguageCodeField(label=_("Language of the course"))
    provider = forms.CharField(label=_("Course provider"), max_length=200)
    referred_on = forms.DateField(label=_("Referred on"), widget=_date_input())
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=LanguageCourseReferral.Outcome.choices,
        initial=LanguageCourseReferral.Outcome.PENDING,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def clean_referred_on(self):
        referred_on = self.cleaned_data["referred_on"]
        if referred_on > timezone.localdate():
            raise ValidationError(_("The referral date cannot be in the future."))
        return referred_on


class PhoneUpdateForm(forms.Form):
    is_safe = forms.BooleanField(
        label=_("Safe to use"),
        required=False,
        help_text=_(
            "Only if the worker alone holds this phone. A phone the employer controls is not safe."
        ),
    )
    is_sms_number = forms.BooleanField(
        label=_("Use for SMS notices"),
        required=False,
        help_text=_("Replaces the worker's current SMS number, if there is one."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

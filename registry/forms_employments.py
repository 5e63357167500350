"""Forms for contracts, the in-person registration and ID cards. They validate; services write."""

import datetime as dt
import gettext as gettext_module
from decimal import Decimal
from functools import cache

import pycountry
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from registry.models import Employer, Employment, IdentityCard

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


# --- Language and currency codes ----------------------------------------------------------


def language_code_clean(value: str) -> str:
    """An ISO 639 code (two letters, or three where there is no two-letter code), lower case."""
    code = value.strip().lower()
    known = None
    if len(code) == 2 and code.isalpha():
        known = pycountry.languages.get(alpha_2=code)
    elif len(code) == 3 and code.isalpha():
        known = pycountry.languages.get(alpha_3=code)
    if known is None:
        raise ValidationError(
            _("“%(code)s” is not an ISO 639 language code (for example en, fr, tl, am or si).")
            % {"code": value.strip()},
            code="language",
        )
    return code


@cache
def _iso639_catalogue(ui_language: str) -> gettext_module.NullTranslations:
    return gettext_module.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[ui_language], fallback=True
    )


def language_name(code: str) -> str:
    """The language's name in the staff member's interface language, or the code if unknown."""
    code = (code or "").strip().lower()
    if len(code) == 2:
        known = pycountry.languages.get(alpha_2=code)
    elif len(code) == 3:
        known = pycountry.languages.get(alpha_3=code)
    else:
        known = None
    if known is None:
        return code
    return _iso639_catalogue(get_language() or "en").gettext(known.name)


class LanguageCodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return language_code_clean(value) if value else value


class LanguageListField(forms.CharField):
    """Comma-separated ISO 639 codes, cleaned to a list without repeats: 'EN, tl' -> ['en', 'tl']."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def clean(self, value):
        value = super().clean(value)
        codes = []
        errors = []
        for part in (value or "").replace(";", ",").split(","):
            if not part.strip():
                continue
            try:
                code = language_code_clean(part)
            except ValidationError as error:
                errors.append(error)
                continue
            if code not in codes:
                codes.append(code)
        if errors:
            raise ValidationError(errors)
        return codes


def currency_code_clean(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise ValidationError(
            _("“%(code)s” is not an ISO 4217 currency code (for example EUR, USD or PHP).")
            % {"code": value.strip()},
            code="currency",
        )
    return code


# --- Employments --------------------------------------------------------------------------


class EmployerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, employer: Employer) -> str:
        return f"{employer} — {employer.mission}"


class EmploymentForm(forms.Form):
    """The contract's terms, as services.employment_create and employment_update take them."""

    employer = EmployerChoiceField(
        label=gettext_lazy("Employer"),
        queryset=Employer.objects.select_related("mission").order_by(
            "mission__name", "family_name", "given_names", "pk"
        ),
        help_text=gettext_lazy("The employer's name, then their mission."),
    )
    start_date = forms.DateField(label=gettext_lazy("Start date"), widget=DATE)
    end_date = forms.DateField(
        label=gettext_lazy("End date"),
        required=False,
        widget=DATE,
        help_text=gettext_lazy("Leave empty for a contract without an end date."),
    )
    duties = forms.CharField(
        label=gettext_lazy("Duties"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    monthly_salary = forms.DecimalField(
        label=gettext_lazy("Monthly salary"), max_digits=10, decimal_places=2, min_value=0
    )
    currency = forms.CharField(
        label=gettext_lazy("Currency"),
        max_length=3,
        initial="EUR",
        help_text=gettext_lazy("ISO 4217 code, for example EUR."),
        widget=forms.TextInput(attrs={"dir": "ltr", "size": 4, "autocomplete": "off"}),
    )
    weekly_hours = forms.IntegerField(
        label=gettext_lazy("Weekly hours"), min_value=0, max_value=100
    )
    weekly_rest_days = forms.IntegerField(
        label=gettext_lazy("Weekly rest days"), min_value=0, max_value=7
    )
    annual_leave_days = forms.IntegerField(
        label=gettext_lazy("Annual leave (days)"), min_value=0, max_value=366
    )
    accommodation = forms.ChoiceField(
        label=gettext_lazy("Accommodation"),
        choices=[("", "---------"), *Employment.Accommodation.choices],
    )
    contract_languages = LanguageListField(
        label=gettext_lazy("Languages the contract was given in"),
        required=False,
        help_text=gettext_lazy("ISO 639 codes separated by commas, for example en, tl."),
    )

    def clean_monthly_salary(self):
        return self.cleaned_data["monthly_salary"].quantize(Decimal("0.01"))

    def clean_currency(self):
        return currency_code_clean(self.cleaned_data["currency"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return cleaned


class EmploymentActivateForm(forms.Form):
    """Only a supervisor, and only for a contract that breaches the policy, sees the reason."""

    override_reason = forms.CharField(
        label=gettext_lazy("Reason for the exception to the policy"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Why this contract may become active although it does not meet the policy. "
            "It is kept with your name."
        ),
    )

    def __init__(self, *args, with_reason: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_reason:
            del self.fields["override_reason"]


YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


class EmploymentEndForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Why the employment ended"),
        choices=[("", "---------"), *Employment.EndReason.choices],
    )
    end_date = forms.DateField(label=gettext_lazy("End date"), widget=DATE)
    card_returned = forms.TypedChoiceField(
        label=gettext_lazy("The card was returned"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "If yes, the worker's issued cards for this employment are marked returned."
        ),
    )


# --- Registration -------------------------------------------------------------------------


class RegistrationForm(forms.Form):
    """The in-person registration; services.registration_record says which answers are required."""

    held_at = forms.DateTimeField(label=gettext_lazy("Held at"), widget=DATETIME)
    identity_checked = forms.BooleanField(
        label=gettext_lazy("Identity checked against the passport"), required=False
    )
    held_own_passport = forms.BooleanField(
        label=gettext_lazy("The worker held their own passport"),
        required=False,
        help_text=gettext_lazy(
            "Leave unticked if the passport was brought or kept by someone else."
        ),
    )
    employer_absent = forms.BooleanField(
        label=gettext_lazy("No employer or mission member was present"), required=False
    )
    language = LanguageCodeField(
        label=gettext_lazy("Language used"), help_text=gettext_lazy("ISO 639 code, for example tl.")
    )
    interpreter = forms.CharField(
        label=gettext_lazy("Interpreter"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "Name and organisation. Never someone linked to the employer or the mission."
        ),
    )
    rights_explained = forms.BooleanField(
        label=gettext_lazy("Rights and obligations explained"), required=False
    )
    leaflet_language = LanguageCodeField(
        label=gettext_lazy("Language of the leaflet and contact card handed over"),
        help_text=gettext_lazy(
            "The rights information is also sent to the worker in this language."
        ),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_held_at(self):
        held_at = self.cleaned_data["held_at"]
        if held_at > timezone.now() + dt.timedelta(minutes=5):
            raise ValidationError(_("The registration cannot be recorded in the future."))
        return held_at


# --- Cards --------------------------------------------------------------------------------


class WorkerEmploymentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, employment: Employment) -> str:
        return _("%(employer)s — %(mission)s, from %(start)s (%(status)s)") % {
            "employer": employment.employer,
            "mission": employment.employer.mission,
            "start": employment.start_date.isoformat(),
            "status": employment.get_status_display(),
        }


class CardForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=IdentityCard.Kind.choices)
    number = forms.CharField(
        label=gettext_lazy("Number"),
        max_length=64,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    issue_date = forms.DateField(label=gettext_lazy("Issue date"), widget=DATE)
    expiry_date = forms.DateField(label=gettext_lazy("Expiry date"), widget=DATE)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=IdentityCard.Status.choices, initial="issued"
    )
    employment = WorkerEmploymentChoiceField(
        label=gettext_lazy("Employment"),
        queryset=Employment.objects.none(),
        required=False,
        help_text=gettext_lazy("The contract this card or visa was issued for."),
    )

    def __init__(self, *args, worker, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employment"].queryset = worker.employments.select_related(
            "employer__mission"
        ).order_by("-start_date", "-pk")

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if not any(character.isalnum() for character in number):
            raise ValidationError(_("A card or visa number needs letters or digits."))
        return number

    def clean(self):
        cleaned = super().clean()
        issued, expires = cleaned.get("issue_date"), cleaned.get("expiry_date")
        if issued and expires and expires <= issued:
            self.add_error("expiry_date", _("The expiry date must be after the issue date."))
        return cleaned

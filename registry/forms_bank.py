"""Forms for the worker's bank account and its verification (recommendation 39).

They only check the shape of the input; the rules (IBAN checksum, sole holder, evidence,
dates of the contract) are the services' and come back as form errors.
"""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from schwifty import registry as iban_registry
from schwifty.exceptions import SchwiftyException

from registry.models import BankAccount, Employment
from registry.selectors_bank import AccountState


def uses_iban(country_code: str) -> bool:
    """True for a state whose banks all give IBANs (not those where the format is only reserved)."""
    try:
        return not iban_registry.get_iban_spec(country_code).aspirational
    except SchwiftyException:
        return False


class BankAccountForm(forms.Form):
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=42,
        required=False,
        help_text=_("With or without spaces. Leave empty if the bank has no IBAN."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
    )
    account_number = forms.CharField(
        label=_("Account number"),
        max_length=60,
        required=False,
        help_text=_("Only for a bank in a state that does not use IBANs."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
    )
    bank_code = forms.CharField(
        label=_("Bank code"),
        max_length=32,
        required=False,
        help_text=_("The routing, sort or branch code that goes with the account number."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    country = forms.ChoiceField(
        label=_("Country of the bank"),
        required=False,
        help_text=_("Needed with an account number; for an IBAN it is read from the IBAN."),
    )
    bank_name = forms.CharField(
        label=_("Bank"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the bank's name known for the IBAN."),
    )
    holder_names = forms.CharField(
        label=_("Account holder names"),
        max_length=300,
        help_text=_("Exactly as the bank prints them on the card, letter or statement."),
    )
    sole_holder = forms.BooleanField(
        label=_("The worker is the sole holder of this account"),
        required=False,
        help_text=_("Nobody else, and certainly not the employer, may hold or use the account."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "---------"), *countries]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("iban", "").strip() and cleaned.get("account_number", "").strip():
            raise forms.ValidationError(
                _("Enter either an IBAN or an account number, not both."), code="both"
            )
        country = cleaned.get("country")
        if cleaned.get("account_number", "").strip() and country and uses_iban(country):
            # The same account typed once as an IBAN and once as a national number would
            # escape the check that one account serves one worker only.
            self.add_error(
                "account_number",
                forms.ValidationError(
                    _("Banks in %(country)s give IBANs: enter the account's IBAN instead."),
                    code="iban_country",
                    params={"country": countries.name(country)},
                ),
            )
        return cleaned


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bank letter or statement"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A PDF, PNG or JPEG file of at most %(limit)d MB.") % {
            "limit": settings.HESTIA_EVIDENCE_MAX_MB
        }


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class BankAccountVerifyForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How the account was verified"),
        choices=[("", "---------"), *BankAccount.Method.choices],
    )
    verified_on = forms.DateField(
        label=_("Verified on"), input_formats=["%Y-%m-%d"], widget=DateInput()
    )
    accept_name_difference = forms.BooleanField(
        label=_("I checked that the holder is the worker despite the name difference"),
        required=False,
    )

    def __init__(self, *args, account: BankAccount, **kwargs):
        kwargs.setdefault("initial", {"verified_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        if not account.name_mismatch:
            del self.fields["accept_name_difference"]


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class EmploymentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, employment):
        return _("%(employer)s, from %(start)s") % {
            "employer": employment.employer,
            "start": employment.start_date.isoformat(),
        }


class SalaryDepositForm(forms.Form):
    employment = EmploymentChoiceField(label=_("Employment"), queryset=Employment.objects.none())
    month = forms.DateField(
        label=_("Month the wage is for"),
        input_formats=["%Y-%m"],
        widget=MonthInput(),
        error_messages={"invalid": _("Enter a month as year and month, for example 2026-05.")},
    )
    amount = forms.DecimalField(label=_("Amount received"), max_digits=10, decimal_places=2)
    currency = forms.CharField(
        label=_("Currency"),
        min_length=3,
        max_length=3,
        help_text=_("The three-letter code, for example EUR."),
        widget=forms.TextInput(attrs={"dir": "ltr", "size": 3}),
    )

    def __init__(self, *args, account: BankAccount, **kwargs):
        super().__init__(*args, **kwargs)
        employments = account.worker.employments.select_related("employer")
        self.fields["employment"].queryset = employments
        if not self.is_bound:
            # The newest contract first: most deposits recorded are for the current one.
            latest = employments.first()
            if latest is not None:
                self.initial.setdefault("employment", latest.pk)
                self.initial.setdefault("currency", latest.currency)

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()


class BankAccountEndForm(forms.Form):
    """Why the account is closed or rejected; the reason is kept in the audit log."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason.")},
    )


class BankAccountCorrectForm(forms.Form):
    holder_names = forms.CharField(
        label=_("Account holder names"),
        max_length=300,
        help_text=_("Exactly as the bank prints them on the card, letter or statement."),
    )
    sole_holder = forms.BooleanField(
        label=_("The worker is the sole holder of this account"),
        required=False,
        help_text=_("Nobody else, and certainly not the employer, may hold or use the account."),
    )


class BankAttentionFilterForm(forms.Form):
    """The one filter of the list of accounts needing attention."""

    state = forms.ChoiceField(
        label=_("Account"),
        required=False,
        choices=[("", _("Any of these")), *AccountState.choices],
    )

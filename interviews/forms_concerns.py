"""Forms for concerns, referrals and organisations. They validate input; interviews.concerns and
interviews.services save."""

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from interviews.concerns import (
    REOPEN_REASON_LENGTH,
    RESPONSE_STATUSES,
    concern_handlers,
    is_concern_supervisor,
)
from interviews.models import Concern, Indicator, Organisation, Referral

LTR = {"dir": "ltr"}


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, input_formats=["%Y-%m-%d"], widget=_date_input(), **kwargs)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


# --- The list -----------------------------------------------------------------------------------


class ConcernFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("", _("Not closed")),
        *Concern.Status.choices,
        ("all", _("All, closed ones too")),
    ]
    OWNER_CHOICES = [("", _("Anyone")), ("mine", _("Mine")), ("nobody", _("Nobody yet"))]
    AGE_CHOICES = [
        ("", _("Any age")),
        ("under7", _("Opened in the last 7 days")),
        ("7to30", _("Opened 7 to 30 days ago")),
        ("7", _("Opened more than 7 days ago")),
        ("30", _("Opened more than 30 days ago")),
        ("90", _("Opened more than 90 days ago")),
    ]
    # The ages that are a range of days (opened at least this long ago, and less than that):
    # the dashboard's columns.
    AGE_RANGES = {"under7": (None, 7), "7to30": (7, 30)}

    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=[("", _("Any severity")), *Concern.Severity.choices],
        required=False,
    )
    owner = forms.ChoiceField(label=_("Owner"), choices=OWNER_CHOICES, required=False)
    age = forms.ChoiceField(label=_("Age"), choices=AGE_CHOICES, required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        age = data.get("age")
        if age in self.AGE_RANGES:
            older_than, newer_than = self.AGE_RANGES[age]
        else:
            older_than, newer_than = (int(age) if age else None), None
        return {
            "status": data.get("status", ""),
            "severity": data.get("severity", ""),
            "owner": data.get("owner", ""),
            "overdue": bool(data.get("overdue")),
            "older_than_days": older_than,
            "newer_than_days": newer_than,
        }


# --- Raising and changing a concern -------------------------------------------------------------


class ConcernCreateForm(forms.Form):
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=[("", "---------"), *Concern.Severity.choices],
        help_text=_("An urgent concern alerts every supervisor at once."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=200,
        help_text=_("A few words. The details go below."),
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Stored encrypted; every reading is logged."),
    )
    indicators = forms.MultipleChoiceField(
        label=_("Indicators of forced labour"),
        choices=Indicator.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interview = forms.ModelChoiceField(
        label=_("Interview"),
        queryset=None,
        required=False,
        empty_label=_("Not about one interview"),
    )
    owner = StaffChoiceField(
        label=_("Owner"), queryset=None, required=False, empty_label=_("Nobody yet")
    )
    due_on = _date_field(
        _("Due by"),
        required=False,
        help_text=_(
            "Left empty: the next day for an urgent concern, 7 days for high, "
            "14 for medium and 30 for low."
        ),
    )

    def __init__(self, *args, user, interviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interview"].queryset = interviews
        self.fields["interview"].label_from_instance = self._interview_label
        handlers = concern_handlers()
        if not is_concern_supervisor(user):
            # Only supervisors give a concern to someone else.
            handlers = handlers.filter(pk=user.pk)
        self.fields["owner"].queryset = handlers

    @staticmethod
    def _interview_label(interview) -> str:
        when = interview.starts_at or interview.due_on
        if when is None:
            return interview.get_kind_display()
        if hasattr(when, "hour"):
            when = timezone.localtime(when).date()
        return gettext("%(kind)s on %(date)s (%(status)s)") % {
            "kind": interview.get_kind_display(),
            "date": when.isoformat(),
            "status": interview.get_status_display(),
        }

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on is not None and due_on < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_on


class ConcernEditForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Concern.Severity.choices)
    due_on = _date_field(_("Due by"))
    owner = StaffChoiceField(
        label=_("Owner"), queryset=None, required=False, empty_label=_("Nobody yet")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if is_concern_supervisor(user):
            self.fields["owner"].queryset = concern_handlers()
        else:
            del self.fields["owner"]


class ActionForm(forms.Form):
    text = forms.CharField(
        label=_("Action taken"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Stored encrypted."),
    )
    taken_on = _date_field(_("Date"), initial=timezone.localdate)


class ReferralForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(active=True).order_by("name"),
        help_text=_("Only organisations in use are listed."),
    )
    referred_on = _date_field(_("Referred on"), initial=timezone.localdate)


class ReferralResponseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[(value, Referral.Status(value).label) for value in RESPONSE_STATUSES],
    )
    response = forms.CharField(label=_("What they said"), widget=forms.Textarea(attrs={"rows": 3}))
    response_on = _date_field(_("Answered on"), initial=timezone.localdate)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", "---------"), *Concern.ClosureReason.choices],
    )
    note = forms.CharField(
        label=_("Closing note"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reopen it"),
        max_length=REOPEN_REASON_LENGTH,
        help_text=_("In a few words; it stays in the concern's history."),
    )


# --- Organisations ------------------------------------------------------------------------------


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "---------"), *Organisation.Kind.choices]
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs=LTR),
        validators=[
            RegexValidator(
                r"^\+?[0-9][0-9 ()./-]*$",
                _("Enter a phone number: digits and spaces, with + first for a foreign one."),
            )
        ],
    )
    email = forms.EmailField(label=_("E-mail"), required=False, widget=forms.EmailInput(attrs=LTR))
    active = forms.BooleanField(
        label=_("In use"),
        required=False,
        initial=True,
        help_text=_("An organisation no longer in use receives no new referrals."),
    )


class OrganisationFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *Organisation.Kind.choices], required=False
    )
    active = forms.ChoiceField(
        label=_("In use"),
        choices=[("", _("In use or not")), ("yes", _("In use")), ("no", _("No longer in use"))],
        required=False,
    )

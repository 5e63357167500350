"""Forms for the renewal clearance pages and the interview policy. They validate; services save."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from interviews.clearance import POLICY_FIELDS, Status
from interviews.models import ClearanceDecision, InterviewPolicy

DAYS_CHOICES = [
    (30, _("30 days")),
    (60, _("60 days")),
    (90, _("90 days")),
    (120, _("120 days")),
    (180, _("180 days")),
    (365, _("one year")),
]
DEFAULT_DAYS = 120
# The status filter's value for every status but cleared and released.
UNCLEARED = "uncleared"
REMINDER_MOST_HOURS = 336  # two weeks


class ClearanceFilterForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Cards expiring within"),
        choices=DAYS_CHOICES,
        coerce=int,
        required=False,
        empty_value=DEFAULT_DAYS,
    )
    status = forms.ChoiceField(
        label=_("Clearance"),
        choices=[
            ("", _("Any")),
            (UNCLEARED, _("Not cleared yet, for any reason")),
            *Status.choices,
        ],
        required=False,
    )
    number = forms.CharField(label=_("Card or visa number"), max_length=64, required=False)
    # The dashboard's buckets (31 to 60 days...): expiring after this many days from today.
    after_days = forms.IntegerField(
        label=_("Expiring after this many days"),
        min_value=0,
        max_value=365,
        required=False,
    )
    employed = forms.BooleanField(label=_("Workers in active employment only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update({"dir": "ltr", "autocomplete": "off"})


class ClearanceDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=ClearanceDecision.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the renewal may go ahead.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_(
            "Kept in Hestia and shown to supervisors only. It never appears on the notice, in "
            "the card office's answer, or in anything sent to the worker, the employer or the "
            "mission."
        ),
        error_messages={"required": _("Give the reason for the decision, in a few words.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 3:
            raise ValidationError(_("Give the reason for the decision, in a few words."))
        return reason


def reminder_hours_parse(text: str) -> list[int]:
    """ "72, 24" -> [72, 24]: whole hours from 1 to 336, each once, the earliest reminder first."""
    hours: list[int] = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not (part.isascii() and part.isdigit()):
            raise ValidationError(
                _(
                    "“%(value)s” is not a whole number of hours. Write the hours separated by commas, for example 72, 24."
                )
                % {"value": part},
                code="invalid",
            )
        value = int(part)
        if not 1 <= value <= REMINDER_MOST_HOURS:
            raise ValidationError(
                _(
                    "A reminder must come between 1 and %(most)d hours before the appointment, not %(value)d."
                )
                % {"most": REMINDER_MOST_HOURS, "value": value},
                code="range",
            )
        if value in hours:
            raise ValidationError(
                _("%(value)d hours is listed twice. Give each reminder once.") % {"value": value},
                code="duplicate",
            )
        hours.append(value)
    return sorted(hours, reverse=True)


def _field(name: str, **kwargs) -> forms.Field:
    """The model field's own form field: same label, help text and validators."""
    return InterviewPolicy._meta.get_field(name).formfield(**kwargs)


class InterviewPolicyForm(forms.Form):
    probation_months = _field("probation_months")
    window_opens_days = _field("window_opens_days")
    due_days = _field("due_days")
    slot_minutes = _field("slot_minutes")
    reminder_hours = forms.CharField(
        label=_("reminders (hours before the appointment)"),
        required=False,
        max_length=200,
        help_text=_(
            "Whole hours separated by commas, each from 1 to 336; for example 72, 24 sends a "
            "reminder three days and one day before. Leave empty for no reminder."
        ),
    )
    missed_for_concern = _field("missed_for_concern")
    link_valid_days = _field("link_valid_days")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in POLICY_FIELDS:
            self.fields[name].required = name != "reminder_hours"
        self.fields["reminder_hours"].widget.attrs.update({"dir": "ltr", "inputmode": "numeric"})

    @staticmethod
    def initial_for(policy: InterviewPolicy) -> dict:
        initial = {name: getattr(policy, name) for name in POLICY_FIELDS}
        initial["reminder_hours"] = ", ".join(str(hour) for hour in policy.reminder_hours or [])
        return initial

    def clean_reminder_hours(self):
        return reminder_hours_parse(self.cleaned_data["reminder_hours"])

    def clean(self):
        cleaned = super().clean()
        opens, due = cleaned.get("window_opens_days"), cleaned.get("due_days")
        if opens is not None and due is not None and opens <= due:
            self.add_error(
                "window_opens_days",
                _(
                    "The window must open before the interview is due: give more days than "
                    "for the due date (%(due)d)."
                )
                % {"due": due},
            )
        return cleaned

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from notifications.models import Channel, Kind, Message
from registry.models import Employer, Employment, Mission


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class BatchForm(forms.Form):
    """Which workers receive the rights information."""

    mission = forms.ModelChoiceField(
        label=_("Mission"),
        queryset=Mission.objects.all(),
        required=False,
        empty_label=_("Any mission"),
    )
    employer = forms.ModelChoiceField(
        label=_("Employer"),
        queryset=Employer.objects.select_related("mission"),
        required=False,
        empty_label=_("Any employer"),
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    status = forms.ChoiceField(
        label=_("Employment status"),
        choices=[
            (s, label) for s, label in Employment.Status.choices if s != Employment.Status.ENDED
        ],
        initial=Employment.Status.ACTIVE,
    )
    confirm = forms.BooleanField(
        label=_(
            "I have checked the number of workers and want to send the rights information to each of them."
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = [("", _("Any nationality")), *countries]


class MessageFilterForm(forms.Form):
    """The filters of the messages list."""

    SINCE_CHOICES = [
        ("", _("Any time")),
        ("1", _("In the last 24 hours")),
        ("7", _("In the last 7 days")),
        ("30", _("In the last 30 days")),
        ("90", _("In the last 90 days")),
    ]

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Message.Status.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Kind.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any channel")), *Channel.choices]
    )
    since = forms.ChoiceField(
        label=_("Last attempt (or written)"),
        required=False,
        choices=SINCE_CHOICES,
        help_text=_("When the message was last tried, or written if it was never tried."),
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        since = data.get("since")
        return {
            "status": data.get("status", ""),
            "kind": data.get("kind", ""),
            "channel": data.get("channel", ""),
            "since_days": int(since) if since else None,
        }

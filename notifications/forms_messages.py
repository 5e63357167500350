from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

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

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from oversight.models import LegalHold, RetentionPolicy


class RetentionPolicyForm(forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = ["anonymise_after_years", "message_body_days", "enabled"]


class LegalHoldForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=LegalHold.Reason.choices)
    note = forms.CharField(label=_("Details"), max_length=300, required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    review_on = forms.DateField(
        label=_("Review by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            User.objects.filter(is_active=True, groups__name=str(Role.SUPERVISOR))
            .distinct()
            .order_by("last_name", "first_name", "username")
        )


class LiftHoldForm(forms.Form):
    lift_reason = forms.CharField(label=_("Reason for lifting"), max_length=300)


class ApplyRetentionForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read the list: remove these workers' personal data for good."),
    )


class SubjectAccessForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the PDF"), choices=())

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = list(languages)

"""Forms for the interview record, its addenda and the interviewer's day.

They check the shape of the input; the record's rules (who may record, when, the outcome an
observed indicator needs, retained documents) are interviews.records' and come back as errors
next to the fields they concern.
"""

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from interviews.models import (
    Answer,
    DocumentHolder,
    Indicator,
    IndicatorLevel,
    Interpreter,
    Interview,
    InterviewRecord,
    Outcome,
)
from interviews.records import indicator_field
from registry.forms_workers import LanguageCodeField

YES_NO = [("yes", _("Yes")), ("no", _("No"))]

# The fieldsets of the record form, in the order they are asked (the template follows it).
PRESENCE_FIELDS = ("in_person", "in_private", "no_employer_present")
LANGUAGE_FIELDS = ("language", "interpreter", "interpreter_independent")
IDENTITY_FIELDS = ("identity_checked", "passport_holder", "card_holder")
WORK_FIELDS = ("daily_hours", "weekly_hours", "weekly_rest_day", "annual_leave")
WAGE_FIELDS = ("wage_amount", "wage_into_own_account", "wage_on_time", "wage_in_full")
LIVING_FIELDS = ("own_room_locks",)
FREEDOM_FIELDS = (
    "free_to_go_out",
    "own_phone",
    "contact_family",
    "threats_or_abuse",
    "wish_to_continue",
)
ANSWER_FIELDS = (
    "weekly_rest_day",
    "annual_leave",
    "wage_into_own_account",
    "wage_on_time",
    "wage_in_full",
    "own_room_locks",
    "free_to_go_out",
    "own_phone",
    "contact_family",
    "threats_or_abuse",
    "wish_to_continue",
    "bank_account_confirmed",
)


def _label(name: str):
    return capfirst(InterviewRecord._meta.get_field(name).verbose_name)


def _radios() -> forms.RadioSelect:
    return forms.RadioSelect(attrs={"class": "form-check-input"})


def _yes_no(name: str, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_label(name),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=_radios(),
        **kwargs,
    )


def _choice(name: str, choices, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(label=_label(name), choices=choices, widget=_radios(), **kwargs)


class InterpreterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Interpreter) -> str:
        return f"{obj.name} ({obj.get_mode_display()})"


class RecordForm(forms.Form):
    """The record of one interview. Never saved itself: the view calls records.record_create."""

    # Presence and privacy (recommendation 36).
    in_person = _yes_no("in_person")
    in_private = _yes_no("in_private")
    no_employer_present = _yes_no("no_employer_present")
    confirm_not_counting = forms.BooleanField(
        label=_("I understand: this interview does not count, and a new one will be booked."),
        required=False,
    )
    # Language and interpreter (recommendation 38).
    language = LanguageCodeField(
        label=_label("language"),
        help_text=_("ISO 639 code, for example tl, am, si, ne or sw."),
    )
    interpreter = InterpreterChoiceField(
        label=_label("interpreter"),
        queryset=Interpreter.objects.none(),
        required=False,
        empty_label=_("No interpreter"),
        help_text=_("Only interpreters with no link to any employer or mission are listed."),
    )
    interpreter_independent = forms.TypedChoiceField(
        label=_label("interpreter_independent"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=_radios(),
        help_text=_("Ask the worker too. Only when an interpreter was used."),
    )
    # Identity documents.
    identity_checked = _yes_no("identity_checked")
    passport_holder = _choice("passport_holder", DocumentHolder.choices)
    card_holder = _choice("card_holder", DocumentHolder.choices)
    # Work and rest.
    daily_hours = forms.IntegerField(
        label=_label("daily_hours"), required=False, min_value=0, max_value=24
    )
    weekly_hours = forms.IntegerField(
        label=_label("weekly_hours"), required=False, min_value=0, max_value=168
    )
    weekly_rest_day = _choice("weekly_rest_day", Answer.choices)
    annual_leave = _choice("annual_leave", Answer.choices)
    # Wage and bank account (recommendation 39).
    wage_amount = forms.DecimalField(
        label=_label("wage_amount"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    wage_into_own_account = _choice("wage_into_own_account", Answer.choices)
    wage_on_time = _choice("wage_on_time", Answer.choices)
    wage_in_full = _choice("wage_in_full", Answer.choices)
    bank_account_confirmed = _choice("bank_account_confirmed", Answer.choices)
    # Living conditions and freedom.
    own_room_locks = _choice("own_room_locks", Answer.choices)
    free_to_go_out = _choice("free_to_go_out", Answer.choices)
    own_phone = _choice("own_phone", Answer.choices)
    contact_family = _choice("contact_family", Answer.choices)
    threats_or_abuse = _choice("threats_or_abuse", Answer.choices)
    wish_to_continue = _choice("wish_to_continue", Answer.choices)
    # Outcome and restricted notes.
    outcome = _choice("outcome", Outcome.choices)
    restricted_notes = forms.CharField(
        label=_label("restricted_notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Seen only by the interviewer and supervisors; every reading is logged. Never "
            "shown to officers, and never to the employer or the mission."
        ),
    )

    def __init__(self, *args, interview: Interview, account=None, **kwargs):
        kwargs.setdefault(
            "initial",
            {"language": interview.language, "interpreter": interview.interpreter_id},
        )
        super().__init__(*args, **kwargs)
        self.interview = interview
        self.account = account
        self.fields["interpreter"].queryset = Interpreter.objects.filter(
            Q(active=True) | Q(pk=interview.interpreter_id), independent=True
        ).order_by("name")
        if account is None:
            # No account recorded: nothing to re-check (the service records "not answered").
            del self.fields["bank_account_confirmed"]
        for code, label in Indicator.choices:
            name = indicator_field(code)
            self.fields[name] = forms.ChoiceField(
                label=label, choices=IndicatorLevel.choices, widget=_radios()
            )
            self.fields[f"{name}_note"] = forms.CharField(
                label=_("Note on “%(indicator)s”") % {"indicator": label},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    # The template walks the form by fieldset.
    def bound(self, names) -> list:
        return [self[name] for name in names if name in self.fields]

    def presence(self):
        return self.bound(PRESENCE_FIELDS)

    def language_fields(self):
        return self.bound(LANGUAGE_FIELDS)

    def identity(self):
        return self.bound(IDENTITY_FIELDS)

    def work(self):
        return self.bound(WORK_FIELDS)

    def wage(self):
        return self.bound(WAGE_FIELDS)

    def living(self):
        return self.bound(LIVING_FIELDS)

    def freedom(self):
        return self.bound(FREEDOM_FIELDS)

    def indicator_rows(self) -> list[tuple]:
        return [
            (self[indicator_field(code)], self[f"{indicator_field(code)}_note"])
            for code in Indicator.values
        ]

    def not_counting_answered(self) -> bool:
        """True when the submitted answers make the interview not count (for the warning)."""
        if not self.is_bound:
            return False
        return any(self.data.get(name) == "no" for name in PRESENCE_FIELDS)

    def clean(self):
        data = super().clean()
        presence = [data.get(name) for name in PRESENCE_FIELDS]
        if (
            all(answer is not None for answer in presence)
            and not all(presence)
            and not data.get("confirm_not_counting")
        ):
            self.add_error(
                "confirm_not_counting",
                _(
                    "Without the worker in person, in private and with no employer or mission "
                    "member present, the interview does not count for the renewal. Confirm to "
                    "save it anyway; a follow-up interview will be created."
                ),
            )
        return data

    def record_data(self) -> dict:
        """Keyword arguments for records.record_create."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in self.fields
            if name != "confirm_not_counting" and not name.startswith("indicator_")
        }
        fields["indicators"] = {
            code: {
                "level": data[indicator_field(code)],
                "note": data[f"{indicator_field(code)}_note"],
            }
            for code in Indicator.values
        }
        return fields


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What to correct or add. The record stays as it was written; the addendum is "
            "shown below it with your name and the time."
        ),
    )


class InterviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class DayForm(forms.Form):
    """Which day, and for officers and supervisors whose day."""

    date = forms.DateField(
        label=_("Day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    interviewer = InterviewerChoiceField(
        label=_("Interviewer"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All interviewers"),
    )

    def __init__(self, *args, interviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if interviewers is None:
            del self.fields["interviewer"]
        else:
            self.fields["interviewer"].queryset = interviewers

"""Forms for booking by hand. They validate input only; the views book, move, cancel and create
through interviews.services, whose BookingError messages come back as form errors."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interviews.models import Interpreter, Interview, InterviewKind, Slot
from interviews.selectors import ANY_STATUS, OPEN, interviewers
from interviews.services import HAND_MADE_KINDS, interviewer_languages, worker_languages
from registry.forms_workers import LanguageCodeField
from registry.models import Employment, IdentityCard

# The widest range of dates searched for free times at once.
RANGE_MAX_DAYS = 62


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class InterviewFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Worker"),
        required=False,
        max_length=200,
        help_text=_(
            "A name in any spelling, a passport, ID card or visa number, or a phone number."
        ),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (OPEN, _("Open: due, invited or confirmed")),
            (ANY_STATUS, _("Any status")),
            *Interview.Status.choices,
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any kind")), *InterviewKind.choices],
    )
    interviewer = StaffChoiceField(
        label=_("Interviewer"),
        required=False,
        queryset=interviewers(),
        empty_label=_("Any interviewer"),
    )
    due_before = forms.DateField(
        label=_("Due before"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=_date_input(),
    )
    unbooked = forms.BooleanField(label=_("Not yet booked"), required=False)
    move_requested = forms.BooleanField(
        label=_("The worker asked for another time"), required=False
    )
    overdue = forms.BooleanField(label=_("Overdue: open after the due date"), required=False)
    past_days = forms.TypedChoiceField(
        label=_("Appointment in the last"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Any time")),
            (7, _("7 days")),
            (30, _("30 days")),
            (90, _("90 days")),
            (365, _("365 days")),
        ],
    )

    def __init__(self, *args, show_interviewer: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_interviewer:
            # An interviewer sees only their own interviews: the filter would be noise.
            del self.fields["interviewer"]


class InterviewCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of interview"),
        choices=[(kind.value, kind.label) for kind in HAND_MADE_KINDS],
    )
    card = forms.ModelChoiceField(
        label=_("ID card or visa"),
        required=False,
        queryset=IdentityCard.objects.none(),
        empty_label=_("None"),
        help_text=_("Required for an annual interview: the card whose renewal it is for."),
    )
    employment = forms.ModelChoiceField(
        label=_("Contract"),
        required=False,
        queryset=Employment.objects.none(),
        empty_label=_("None"),
    )
    due_on = forms.DateField(
        label=_("Due by"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=_date_input(),
        help_text=_(
            "Leave empty: an annual interview is due as the policy says, any other in 30 days."
        ),
    )
    language = LanguageCodeField(
        label=_("Language of the interview"),
        required=False,
        help_text=_("Leave empty for the first language the worker speaks well."),
    )
    book_now = forms.BooleanField(label=_("Choose a time now"), required=False, initial=True)

    def __init__(self, *args, worker, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["card"].queryset = IdentityCard.objects.filter(worker=worker).exclude(
            status__in=[IdentityCard.Status.CANCELLED, IdentityCard.Status.RETURNED]
        )
        self.fields["employment"].queryset = Employment.objects.filter(
            worker=worker
        ).select_related("employer")
        current = self.fields["employment"].queryset.exclude(status=Employment.Status.ENDED)
        if not self.is_bound and len(current) == 1:
            self.initial.setdefault("employment", current[0].pk)

    def clean(self):
        data = super().clean()
        if data.get("kind") == InterviewKind.ANNUAL and not data.get("card"):
            self.add_error("card", _("Choose the card whose renewal this interview is for."))
        return data


class SlotChoiceForm(forms.Form):
    """One free time chosen on the booking page, with an interpreter when the interviewer does
    not speak the worker's languages. Sets cleaned_data["language"]."""

    slot = forms.ModelChoiceField(
        queryset=Slot.objects.select_related("room", "interviewer"),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This time is no longer offered. Choose another.")},
    )
    interpreter = forms.ModelChoiceField(
        label=_("Interpreter"),
        required=False,
        queryset=Interpreter.objects.all(),
        empty_label=_("No interpreter"),
    )

    def __init__(self, *args, interview: Interview, **kwargs):
        super().__init__(*args, **kwargs)
        self.interview = interview

    def clean(self):
        data = super().clean()
        slot, interpreter = data.get("slot"), data.get("interpreter")
        if slot is None:
            return data
        languages = worker_languages(self.interview.worker)
        spoken = interviewer_languages(slot.interviewer)
        common = [code for code in languages if code in spoken]
        if common:
            data["language"] = common[0]
        elif not languages:
            data["language"] = self.interview.language
        elif interpreter is None:
            raise ValidationError(
                _(
                    "The interviewer does not speak the worker's languages: "
                    "choose an interpreter, or another time."
                )
            )
        else:
            theirs = [code.lower() for code in interpreter.languages]
            usable = [code for code in languages if code in theirs]
            if not usable:
                self.add_error(
                    "interpreter", _("This interpreter does not speak the worker's languages.")
                )
            else:
                data["language"] = usable[0]
        return data


class SlotRangeForm(forms.Form):
    """Any free time between two dates, not only the first proposals."""

    after = forms.DateField(label=_("From"), input_formats=["%Y-%m-%d"], widget=_date_input())
    before = forms.DateField(label=_("Until"), input_formats=["%Y-%m-%d"], widget=_date_input())

    def clean(self):
        data = super().clean()
        after, before = data.get("after"), data.get("before")
        if after and before:
            if before < after:
                self.add_error("before", _("The end of the range is before its start."))
            elif (before - after).days > RANGE_MAX_DAYS:
                self.add_error(
                    "before",
                    _("Search at most %(days)s days at once.") % {"days": RANGE_MAX_DAYS},
                )
        return data

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """From the start of the first day to the end of the last, in local time, never before now."""
        start = timezone.make_aware(dt.datetime.combine(self.cleaned_data["after"], dt.time.min))
        end = timezone.make_aware(
            dt.datetime.combine(self.cleaned_data["before"] + dt.timedelta(days=1), dt.time.min)
        )
        return max(start, timezone.now()), end


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the interview; it is never sent to the worker."),
    )

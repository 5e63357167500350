"""Forms for rooms, interpreters, interviewers' profiles, weekly availability, days without
interviews and calendars. They validate input only; interviews.availability writes."""

import datetime as dt

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interviews.availability import DayOffKind
from interviews.models import AvailabilityPattern, Interpreter, Room
from registry.forms_employments import LanguageListField
from registry.services import phone_validate

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

ROOM_FIELDS = ["name", "location", "is_private", "active"]
INTERPRETER_FIELDS = ["name", "mode", "languages", "phone", "email", "independent", "active"]


def initial_from(instance, names) -> dict:
    return {name: getattr(instance, name) for name in names}


def _field(model, name: str, **kwargs) -> forms.Field:
    """The model field's own form field: same label, help text, choices and validators."""
    return model._meta.get_field(name).formfield(**kwargs)


class RoomForm(forms.Form):
    name = _field(Room, "name")
    location = _field(Room, "location")
    is_private = _field(Room, "is_private")
    active = _field(Room, "active")

    def __init__(self, *args, room: Room | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.room = room

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = Room.objects.filter(name__iexact=name)
        if self.room is not None:
            others = others.exclude(pk=self.room.pk)
        if others.exists():
            raise ValidationError(_("Another room already has this name."), code="duplicate")
        return name


class InterpreterForm(forms.Form):
    name = _field(Interpreter, "name")
    mode = _field(Interpreter, "mode")
    languages = LanguageListField(
        label=_("Languages"),
        help_text=_("ISO 639 codes separated by commas, for example tl, am, si."),
    )
    phone = _field(
        Interpreter, "phone", widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"})
    )
    email = _field(Interpreter, "email", widget=forms.EmailInput(attrs={"dir": "ltr"}))
    independent = _field(Interpreter, "independent")
    active = _field(Interpreter, "active")

    def clean_languages(self):
        languages = self.cleaned_data["languages"]
        if not languages:
            raise ValidationError(_("Give at least one language."))
        return languages

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        if phone:
            parsed = phone_validate(phone, for_sms=False)
            phone = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") == Interpreter.Mode.PHONE and not cleaned.get("phone"):
            self.add_error("phone", _("An interpreter by phone needs a phone number."))
        return cleaned


class ProfileForm(forms.Form):
    languages = LanguageListField(
        label=_("Languages you hold interviews in"),
        help_text=_("ISO 639 codes separated by commas, for example fr, en, tl."),
    )
    default_room = forms.ModelChoiceField(
        label=_("Usual room"),
        queryset=Room.objects.filter(active=True),
        required=False,
    )

    def clean_languages(self):
        languages = self.cleaned_data["languages"]
        if not languages:
            raise ValidationError(_("Give at least one language."))
        return languages


class PatternForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Day"), choices=AvailabilityPattern.Weekday.choices, coerce=int
    )
    start_time = forms.TimeField(label=_("From"), widget=TIME)
    end_time = forms.TimeField(label=_("Until"), widget=TIME)
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.filter(active=True))
    valid_from = forms.DateField(label=_("First day"), widget=DATE)
    valid_until = forms.DateField(
        label=_("Last day"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty if there is no end date."),
    )

    def __init__(self, *args, default_room=None, **kwargs):
        kwargs.setdefault("initial", {"valid_from": timezone.localdate(), "room": default_room})
        super().__init__(*args, prefix="pattern", **kwargs)

    def clean_valid_from(self):
        valid_from = self.cleaned_data["valid_from"]
        if valid_from < timezone.localdate():
            raise ValidationError(_("The first day cannot be in the past."))
        return valid_from


class PatternEndForm(forms.Form):
    pattern = forms.IntegerField(widget=forms.HiddenInput)
    first_day_without = forms.DateField(label=_("No longer available from"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="end", **kwargs)


class DayOffForm(forms.Form):
    KIND_LABELS = {
        DayOffKind.LEAVE: _("Leave: this interviewer holds no interviews"),
        DayOffKind.ROOM: _("This room is out of use"),
        DayOffKind.EVERYONE: _("Public holiday: no interviews at all"),
    }

    kind = forms.ChoiceField(label=_("What kind of day"))
    date = forms.DateField(label=_("Date"), widget=DATE)
    room = forms.ModelChoiceField(
        label=_("Room"),
        queryset=Room.objects.filter(active=True),
        required=False,
        help_text=_("Only for a room out of use."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, kinds=(DayOffKind.LEAVE,), **kwargs):
        super().__init__(*args, prefix="dayoff", **kwargs)
        self.fields["kind"].choices = [(kind, self.KIND_LABELS[kind]) for kind in kinds]
        if DayOffKind.ROOM not in kinds:
            del self.fields["room"]

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date < timezone.localdate():
            raise ValidationError(_("This day has already passed."))
        return date

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == DayOffKind.ROOM and not cleaned.get("room"):
            self.add_error("room", _("Choose the room that is out of use."))
        return cleaned


class PublishForm(forms.Form):
    weeks = forms.IntegerField(label=_("Weeks ahead"), min_value=1, max_value=26, initial=8)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="publish", **kwargs)


class CalendarForm(forms.Form):
    """?view=week|day&date=YYYY-MM-DD; anything wrong falls back to this week."""

    VIEWS = (("week", _("Week")), ("day", _("Day")))

    view = forms.ChoiceField(choices=VIEWS, required=False)
    date = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def period(self) -> tuple[str, dt.date, dt.date, dt.date]:
        """The view, the date asked for, and the first and last day shown."""
        cleaned = self.cleaned_data if self.is_valid() else {}
        view = cleaned.get("view") or "week"
        day = cleaned.get("date") or timezone.localdate()
        if view == "day":
            return view, day, day, day
        monday = day - dt.timedelta(days=day.weekday())
        return view, day, monday, monday + dt.timedelta(days=6)

"""Rooms, interpreters, interviewers' profiles and weekly availability: the pages supervisors
and interviewers use to offer interview times (recommendations 36 and 38)."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from accounts.permissions import object_for, staff_view
from accounts.viewtools import bound, form_errors_from
from interviews import availability
from interviews.availability import DayOffKind, acts_for_any_interviewer, can_manage_for
from interviews.forms_availability import (
    INTERPRETER_FIELDS,
    ROOM_FIELDS,
    DayOffForm,
    InterpreterForm,
    PatternEndForm,
    PatternForm,
    ProfileForm,
    PublishForm,
    RoomForm,
    initial_from,
)
from interviews.models import AvailabilityException, AvailabilityPattern, Interpreter, Room
from registry.forms_employments import language_name


def _interviewer_for(request, user_pk: int) -> User:
    """The interviewer whose availability the user manages: their own, or anyone's for a
    supervisor (403 otherwise; 404 if that person does not hold interviews)."""
    if request.user.pk != user_pk and not acts_for_any_interviewer(request.user):
        raise PermissionDenied
    interviewer = get_object_or_404(User, pk=user_pk, is_active=True)
    if not can_manage_for(request.user, interviewer):
        raise PermissionDenied
    if interviewer.pk != request.user.pk and not interviewer.has_perm(
        "interviews.manage_availability"
    ):
        raise PermissionDenied
    return interviewer


# --- Rooms ------------------------------------------------------------------------------------


@staff_view("interviews.view_room")
@require_GET
def room_list(request):
    rooms = Room.objects.order_by("-active", "name", "pk")
    return render(request, "interviews/room_list.html", {"rooms": rooms})


@staff_view("interviews.add_room")
@require_http_methods(["GET", "POST"])
def room_create(request):
    form = RoomForm(bound(request), initial={"is_private": True, "active": True})
    if request.method == "POST" and form.is_valid():
        try:
            room = availability.room_save(by=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The room %(name)s was saved.") % {"name": room.name})
            return redirect("interviews:room-list")
    return render(request, "interviews/room_form.html", {"form": form, "room": None})


@staff_view("interviews.change_room")
@require_http_methods(["GET", "POST"])
def room_edit(request, pk: int):
    room = object_for(request, Room, "interviews.change_room", pk=pk)
    stored_name = room.name
    form = RoomForm(bound(request), room=room, initial=initial_from(room, ROOM_FIELDS))
    if request.method == "POST" and form.is_valid():
        try:
            availability.room_save(by=request.user, room=room, request=request, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The room %(name)s was saved.") % {"name": room.name})
            return redirect("interviews:room-list")
    return render(
        request,
        "interviews/room_form.html",
        {"form": form, "room": room, "stored_name": stored_name},
    )


# --- Interpreters -----------------------------------------------------------------------------


@staff_view("interviews.view_interpreter")
@require_GET
def interpreter_list(request):
    interpreters = list(Interpreter.objects.order_by("-active", "name", "pk"))
    for interpreter in interpreters:
        interpreter.language_names = [(code, language_name(code)) for code in interpreter.languages]
    return render(request, "interviews/interpreter_list.html", {"interpreters": interpreters})


@staff_view("interviews.add_interpreter")
@require_http_methods(["GET", "POST"])
def interpreter_create(request):
    form = InterpreterForm(
        bound(request), initial={"independent": True, "active": True, "mode": "in_house"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            interpreter = availability.interpreter_save(
                by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("The interpreter %(name)s was saved.") % {"name": interpreter.name}
            )
            return redirect("interviews:interpreter-list")
    return render(request, "interviews/interpreter_form.html", {"form": form, "interpreter": None})


@staff_view("interviews.change_interpreter")
@require_http_methods(["GET", "POST"])
def interpreter_edit(request, pk: int):
    interpreter = object_for(request, Interpreter, "interviews.change_interpreter", pk=pk)
    stored_name = interpreter.name
    form = InterpreterForm(bound(request), initial=initial_from(interpreter, INTERPRETER_FIELDS))
    if request.method == "POST" and form.is_valid():
        try:
            availability.interpreter_save(
                by=request.user, interpreter=interpreter, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("The interpreter %(name)s was saved.") % {"name": interpreter.name}
            )
            return redirect("interviews:interpreter-list")
    return render(
        request,
        "interviews/interpreter_form.html",
        {"form": form, "interpreter": interpreter, "stored_name": stored_name},
    )


# --- The interviewer's profile ----------------------------------------------------------------


@staff_view("interviews.manage_availability")
@require_http_methods(["GET", "POST"])
def profile_edit(request, user_pk: int):
    interviewer = _interviewer_for(request, user_pk)
    profile = availability.profile_for(interviewer)
    if request.method == "POST" and "reset_token" in request.POST:
        availability.profile_token_reset(interviewer=interviewer, by=request.user, request=request)
        messages.success(
            request,
            _("The calendar feed has a new address; the old one no longer works."),
        )
        return redirect("interviews:profile-edit", user_pk=interviewer.pk)
    initial = (
        {"languages": profile.languages, "default_room": profile.default_room} if profile else {}
    )
    form = ProfileForm(bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        availability.profile_save(
            interviewer=interviewer, by=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, _("The interviewer's profile was saved."))
        return redirect("interviews:availability", user_pk=interviewer.pk)
    feed_url = None
    if profile is not None and interviewer.pk == request.user.pk:
        # The address is the credential: shown to its owner only.
        feed_url = settings.HESTIA_PUBLIC_URL + reverse(
            "interviews:calendar-feed", kwargs={"token": profile.calendar_token}
        )
    return render(
        request,
        "interviews/profile_form.html",
        {"form": form, "interviewer": interviewer, "profile": profile, "feed_url": feed_url},
    )


# --- Weekly availability, days off and publishing ---------------------------------------------


def _day_off_kinds(user) -> list[str]:
    if acts_for_any_interviewer(user):
        return [DayOffKind.LEAVE, DayOffKind.ROOM, DayOffKind.EVERYONE]
    return [DayOffKind.LEAVE]


def _withdrawal_messages(request, result: availability.Withdrawal) -> None:
    if result.withdrawn:
        messages.info(
            request,
            ngettext(
                "%(count)s free slot was withdrawn.",
                "%(count)s free slots were withdrawn.",
                result.withdrawn,
            )
            % {"count": result.withdrawn},
        )
    if result.to_move:
        messages.warning(
            request,
            ngettext(
                "%(count)s booked appointment must be moved to another time: see the list below.",
                "%(count)s booked appointments must be moved to another time: see the list below.",
                result.to_move,
            )
            % {"count": result.to_move},
        )


def _pattern_add(request, interviewer, forms) -> bool:
    form = forms["pattern"] = PatternForm(request.POST)
    if not form.is_valid():
        return False
    try:
        availability.pattern_add(
            interviewer=interviewer, by=request.user, request=request, **form.cleaned_data
        )
    except ValidationError as error:
        form_errors_from(form, error)
        return False
    messages.success(request, _("The weekly availability was added. Publish it to offer slots."))
    return True


def _pattern_end(request, interviewer, forms) -> bool:
    form = forms["end"] = PatternEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the first day without this availability."))
        return False
    pattern = get_object_or_404(
        AvailabilityPattern, pk=form.cleaned_data["pattern"], interviewer=interviewer
    )
    try:
        result = availability.pattern_end(
            pattern=pattern,
            first_day_without=form.cleaned_data["first_day_without"],
            by=request.user,
            request=request,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, _("The weekly availability was ended."))
    _withdrawal_messages(request, result)
    return True


def _day_off_add(request, interviewer, forms) -> bool:
    form = forms["dayoff"] = DayOffForm(request.POST, kinds=_day_off_kinds(request.user))
    if not form.is_valid():
        return False
    kind = form.cleaned_data["kind"]
    try:
        _day_off, result = availability.day_off_add(
            date=form.cleaned_data["date"],
            reason=form.cleaned_data["reason"],
            interviewer=interviewer if kind == DayOffKind.LEAVE else None,
            room=form.cleaned_data.get("room") if kind == DayOffKind.ROOM else None,
            by=request.user,
            request=request,
        )
    except ValidationError as error:
        form_errors_from(form, error)
        return False
    messages.success(request, _("The day without interviews was saved."))
    _withdrawal_messages(request, result)
    return True


def _day_off_remove(request, interviewer, forms) -> bool:
    day_off = get_object_or_404(AvailabilityException, pk=request.POST.get("day_off") or 0)
    own_leave = day_off.interviewer_id == interviewer.pk
    if not (own_leave or acts_for_any_interviewer(request.user)):
        raise PermissionDenied
    availability.day_off_remove(day_off=day_off, by=request.user, request=request)
    messages.success(
        request, _("The day without interviews was removed. Publish again to offer its times.")
    )
    return True


def _publish(request, interviewer, forms) -> bool:
    form = forms["publish"] = PublishForm(request.POST)
    if not form.is_valid():
        return False
    today = timezone.localdate()
    created = availability.slots_publish(
        interviewer=interviewer,
        start=today,
        end=today + dt.timedelta(weeks=form.cleaned_data["weeks"], days=-1),
        by=request.user,
        request=request,
    )
    messages.success(
        request,
        ngettext(
            "%(count)s new slot was published.", "%(count)s new slots were published.", created
        )
        % {"count": created},
    )
    return True


ACTIONS = {
    "pattern-add": _pattern_add,
    "pattern-end": _pattern_end,
    "dayoff-add": _day_off_add,
    "dayoff-remove": _day_off_remove,
    "publish": _publish,
}


@staff_view("interviews.manage_availability")
@require_http_methods(["GET", "POST"])
def availability_page(request, user_pk: int):
    """The interviewer's weekly availability, days off, published slots and what to move."""
    interviewer = _interviewer_for(request, user_pk)
    profile = availability.profile_for(interviewer)
    forms = {}
    if request.method == "POST":
        action = ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            messages.error(request, _("Choose what to do."))
        elif action(request, interviewer, forms):
            return redirect("interviews:availability", user_pk=interviewer.pk)
    forms.setdefault("pattern", PatternForm(default_room=profile.default_room if profile else None))
    forms.setdefault("dayoff", DayOffForm(kinds=_day_off_kinds(request.user)))
    forms.setdefault("publish", PublishForm())
    overview = availability.availability_overview(interviewer)
    return render(
        request,
        "interviews/availability.html",
        {
            "interviewer": interviewer,
            "profile": profile,
            "overview": overview,
            "pattern_form": forms["pattern"],
            "dayoff_form": forms["dayoff"],
            "publish_form": forms["publish"],
            "end_form": PatternEndForm(),
            "today": timezone.localdate(),
            "acts_for_any": acts_for_any_interviewer(request.user),
        },
    )


urlpatterns = [
    path("rooms/", room_list, name="room-list"),
    path("rooms/new/", room_create, name="room-create"),
    path("rooms/<int:pk>/edit/", room_edit, name="room-edit"),
    path("interpreters/", interpreter_list, name="interpreter-list"),
    path("interpreters/new/", interpreter_create, name="interpreter-create"),
    path("interpreters/<int:pk>/edit/", interpreter_edit, name="interpreter-edit"),
    path("interviewers/<int:user_pk>/profile/", profile_edit, name="profile-edit"),
    path("interviewers/<int:user_pk>/availability/", availability_page, name="availability"),
]

"""Calendars per interviewer and per room (week and day), and the interviewer's iCalendar feed.

Officers and supervisors see every calendar and every booked worker's name; an interviewer sees
their own calendar and the rooms' calendars, without the names of other interviewers' workers.
The feed needs no login: its unguessable address is the credential, and it holds nothing
personal about a worker."""

import datetime as dt
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import User
from accounts.permissions import object_for, staff_view
from interviews import availability
from interviews.forms_availability import CalendarForm
from interviews.models import Room
from registry.forms_employments import language_name

DAY_START_HOUR = 8
DAY_END_HOUR = 17  # the last hour row shown, at least


def _entry(slot, user) -> dict:
    """What one slot shows: its time, and for a booked one what this user may see of it."""
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    entry = {"slot": slot, "start": start, "end": end, "booking": None}
    interview = slot.booking
    if interview is not None:
        visible = availability.sees_worker_of(user, interview)
        entry["booking"] = {
            "interview": interview,
            "worker": interview.worker if visible else None,
            "language": language_name(interview.language) if interview.language else "",
            "language_code": interview.language,
            "interpreter": interview.interpreter,
            "url": reverse("interviews:interview-detail", args=[interview.pk]) if visible else "",
        }
    return entry


def _calendar(request, *, title_kind: str, owner, slots, days_off, view, day, first, last):
    today = timezone.localdate()
    entries = [_entry(slot, request.user) for slot in slots]
    days = []
    current = first
    while current <= last:
        days.append(
            {
                "date": current,
                "is_today": current == today,
                "days_off": days_off.get(current, []),
                "entries": [e for e in entries if e["start"].date() == current],
            }
        )
        current += dt.timedelta(days=1)
    hours = [e["start"].hour for e in entries]
    first_hour = min([DAY_START_HOUR, *hours])
    last_hour = max([DAY_END_HOUR, *hours])
    rows = [
        {
            "hour": dt.time(hour),
            "cells": [[e for e in d["entries"] if e["start"].hour == hour] for d in days],
        }
        for hour in range(first_hour, last_hour + 1)
    ]
    step = dt.timedelta(days=1 if view == "day" else 7)

    def link(**params) -> str:
        query = {"view": view, "date": day.isoformat()}
        query.update(
            {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in params.items()}
        )
        return f"{request.path}?{urlencode(query)}"

    return render(
        request,
        "interviews/calendar_view.html",
        {
            "title_kind": title_kind,
            "owner": owner,
            "view": view,
            "day": day,
            "first": first,
            "last": last,
            "days": days,
            "rows": rows,
            "entries": entries,
            "free_count": sum(1 for e in entries if e["booking"] is None),
            "booked_count": sum(1 for e in entries if e["booking"] is not None),
            "previous_url": link(date=day - step),
            "next_url": link(date=day + step),
            "today_url": link(date=today),
            "week_url": link(view="week"),
            "day_url": link(view="day"),
        },
    )


@staff_view("interviews.view_slot")
@require_GET
def calendar_interviewer(request, user_pk: int):
    if request.user.pk != user_pk and not availability.sees_every_calendar(request.user):
        raise PermissionDenied
    interviewer = get_object_or_404(User, pk=user_pk)
    view, day, first, last = CalendarForm(request.GET).period()
    return _calendar(
        request,
        title_kind="interviewer",
        owner=interviewer,
        slots=availability.calendar_slots(start=first, end=last, interviewer=interviewer),
        days_off=availability.calendar_days_off(start=first, end=last, interviewer=interviewer),
        view=view,
        day=day,
        first=first,
        last=last,
    )


@staff_view("interviews.view_slot", "interviews.view_room")
@require_GET
def calendar_room(request, pk: int):
    room = object_for(request, Room, "interviews.view_room", pk=pk)
    view, day, first, last = CalendarForm(request.GET).period()
    return _calendar(
        request,
        title_kind="room",
        owner=room,
        slots=availability.calendar_slots(start=first, end=last, room=room),
        days_off=availability.calendar_days_off(start=first, end=last, room=room),
        view=view,
        day=day,
        first=first,
        last=last,
    )


@require_GET
def calendar_feed(request, token: str):
    """The interviewer's appointments for a calendar application. No login: the token is."""
    profile = availability.profile_by_token(token)
    if profile is None:
        raise Http404
    response = HttpResponse(
        availability.interviewer_feed(profile), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="hestia.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


urlpatterns = [
    path("calendar/interviewers/<int:user_pk>/", calendar_interviewer, name="calendar-interviewer"),
    path("calendar/rooms/<int:pk>/", calendar_room, name="calendar-room"),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
]

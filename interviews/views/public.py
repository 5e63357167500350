"""Public views: the worker's appointment page, reached from the signed link in a notice.

No login and no staff menu; the page shows the appointment (date, time, place, whether an
interpreter will be there), the worker's first given name and the ministry's number, and
nothing else, in the worker's own language (recommendation 38). The worker confirms or asks
for another time. Search engines are told not to index it, nothing is cached, and the address
(which holds the token) is not sent on to other sites.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from interviews import appointment_text, scheduling
from interviews.links import LinkExpired, LinkInvalid, interview_id_from
from interviews.models import Interview
from notifications.services import language_chain, localised_moments

ANSWERS = ("confirm", "move")


def _browser_languages(request) -> list[str]:
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    return [code for code, _quality in parse_accept_lang_header(header) if code != "*"]


def _interview(pk: int) -> Interview | None:
    return (
        Interview.objects.select_related("worker", "room")
        .prefetch_related("worker__languages")
        .filter(pk=pk)
        .first()
    )


def _page(request, template: str, *, language: str, status: int = 200, **context):
    phone = settings.HESTIA_MINISTRY_PHONE
    response = render(
        request,
        template,
        {
            "text": appointment_text.texts_for(language),
            "language": appointment_text.LANGUAGE_INFO[language],
            "languages": [appointment_text.LANGUAGE_INFO[c] for c in appointment_text.LANGUAGES],
            "is_draft": language not in appointment_text.REVIEWED,
            "ministry_phone": phone,
            "ministry_tel": "tel:" + re.sub(r"[^\d+]", "", phone),
            **context,
        },
        status=status,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The address holds the worker's token: never hand it to another site. Not "no-referrer":
    # with it a browser sends "Origin: null" with the page's own form, which CSRF refuses.
    response["Referrer-Policy"] = "same-origin"
    return response


def _problem(request, problem: str, *, chain: list[str], status: int) -> HttpResponse:
    language = appointment_text.language_for(chain, request.GET.get("lang", ""))
    return _page(
        request,
        "interviews/appointment_link_problem.html",
        language=language,
        status=status,
        problem=problem,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def appointment(request, token: str):
    """The worker's appointment: see it, confirm it, or ask for another time."""
    try:
        interview_id = interview_id_from(token)
    except LinkExpired as expired:
        interview = _interview(expired.interview_id)
        chain = language_chain(interview.worker) if interview else _browser_languages(request)
        return _problem(request, "expired", chain=chain, status=410)
    except LinkInvalid:
        return _problem(request, "invalid", chain=_browser_languages(request), status=404)
    interview = _interview(interview_id)
    if interview is None:
        return _problem(request, "invalid", chain=_browser_languages(request), status=404)
    language = appointment_text.language_for(
        language_chain(interview.worker), request.GET.get("lang", "")
    )
    texts = appointment_text.texts_for(language)
    note, error = "", ""
    if request.method == "POST":
        answer = request.POST.get("answer", "")
        note = request.POST.get("note", "")
        try:
            if answer == "confirm":
                scheduling.appointment_confirm(interview=interview, request=request)
            elif answer == "move":
                scheduling.appointment_move_request(interview=interview, note=note, request=request)
        except scheduling.AnswerRefused:
            pass  # closed meanwhile: the page says so
        except ValidationError:
            error = texts["note_too_long"]
        else:
            return HttpResponseRedirect(f"{request.path}?lang={language}")
        interview = _interview(interview.pk)
    is_open = scheduling.appointment_is_open(interview)
    moments = localised_moments({"date": interview.starts_at}, language) if is_open else {}
    given_names = (interview.worker.given_names or "").split()
    return _page(
        request,
        "interviews/appointment.html",
        language=language,
        interview=interview,
        state=(
            "open"
            if is_open
            else ("not_booked" if interview.status == Interview.Status.DUE else "closed")
        ),
        hello=texts["hello"].format(name=given_names[0]) if given_names else "",
        date=moments.get("date", ""),
        time=moments.get("time", ""),
        place=interview.room.location if is_open and interview.room_id else "",
        note=note,
        error=error,
        note_max_length=scheduling.NOTE_MAX_LENGTH,
    )


urlpatterns = [
    path("a/<str:token>/", appointment, name="appointment"),
]

"""The worker's appointment page (/a/<token>/): no login, only the appointment and the ministry's
number, in the worker's own language; the worker confirms or asks for another time."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEntry
from interviews import appointment_text
from interviews.links import token_for
from interviews.models import Interview
from registry.models import WorkerLanguage
from tests.interviews.factories import InterpreterFactory, at
from tests.interviews.factories_scheduling import booked_interview

pytestmark = pytest.mark.django_db

NOW = at(2027, 3, 1, 9, 0)
STARTS = at(2027, 3, 10, 10, 30)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _interview(language="tl", **kwargs) -> Interview:
    interview = booked_interview(starts_at=STARTS, **kwargs)
    interview.worker.preferred_language = language
    interview.worker.save(update_fields=["preferred_language"])
    return interview


def _url(interview, *, expires=None, lang=None) -> str:
    token = token_for(interview.pk, expires or NOW + dt.timedelta(days=45))
    url = reverse("appointment", args=[token])
    return f"{url}?lang={lang}" if lang else url


def _text(code: str, key: str) -> str:
    return appointment_text.TEXTS[code][key]


# --- What the page shows -----------------------------------------------------------------------


def test_a_tagalog_worker_reads_the_page_in_tagalog(client):
    interview = _interview("tl")
    response = client.get(_url(interview))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="tl" dir="ltr">' in body
    assert _text("tl", "title") in body
    assert _text("tl", "confirm") in body and _text("tl", "move") in body
    assert "Magandang araw, Maria," in body  # the first given name only
    assert interview.room.location in body
    assert "10:30" in body
    assert settings.HESTIA_MINISTRY_PHONE in body
    assert "Machine translation draft" in body


def test_an_arabic_worker_reads_it_right_to_left(client):
    interview = _interview("ar")
    body = client.get(_url(interview)).content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    assert "bootstrap.rtl.min.css" in body
    assert _text("ar", "confirm") in body and _text("ar", "call") in body
    assert 'class="container appointment-page py-4 script-arabic"' in body


def test_the_worker_can_switch_to_any_of_the_twelve_languages(client):
    interview = _interview("ar")
    body = client.get(_url(interview)).content.decode()
    for code in appointment_text.LANGUAGES:
        assert f'href="?lang={code}"' in body
    english = client.get(_url(interview, lang="en")).content.decode()
    assert '<html lang="en" dir="ltr">' in english
    assert "I will come" in english
    assert "Machine translation draft" not in english


def test_a_language_the_page_is_not_written_in_falls_back_along_the_workers_chain(client):
    interview = _interview("ti")  # Tigrinya: no text; the worker also reads Amharic
    WorkerLanguage.objects.create(worker=interview.worker, language="am", level="fluent")
    body = client.get(_url(interview)).content.decode()
    assert '<html lang="am"' in body and _text("am", "confirm") in body


def test_every_language_has_every_string():
    for code in appointment_text.LANGUAGES:
        assert set(appointment_text.TEXTS[code]) == set(appointment_text.KEYS), code
        assert "{name}" in appointment_text.TEXTS[code]["hello"], code


def test_the_page_shows_the_appointment_and_nothing_else(client):
    interview = _interview("en")
    interview.worker.family_name = "Villanueva"
    interview.worker.save(update_fields=["family_name"])
    employer = interview.employment.employer
    body = client.get(_url(interview)).content.decode()
    assert "Hello Maria," in body
    for secret in (
        "Villanueva",
        "Rosario",
        employer.family_name,
        employer.mission.name,
        interview.card.number,
        interview.interviewer.username,
    ):
        assert secret not in body
    assert "interview" not in body.lower()
    assert 'id="main-nav"' not in body and "navbar" not in body
    assert reverse("accounts:login") not in body


def test_the_page_says_whether_an_interpreter_will_be_there(client):
    without = _interview("en")
    assert (
        "If you need an interpreter, please call us." in client.get(_url(without)).content.decode()
    )
    interpreter = InterpreterFactory(languages=["am"])
    with_one = booked_interview(starts_at=at(2027, 3, 11, 10, 0), interpreter=interpreter)
    body = client.get(_url(with_one, lang="en")).content.decode()
    assert "An interpreter will be there." in body


def test_the_page_is_never_cached_indexed_or_sent_on(client):
    response = client.get(_url(_interview()))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    # Never sent to another site; same-origin, so the page's own form keeps its Origin (CSRF).
    assert response["Referrer-Policy"] == "same-origin"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_the_page_has_no_inline_script_or_style(client):
    body = client.get(_url(_interview())).content.decode()
    assert "<script" not in body and "<style" not in body and "style=" not in body


# --- The worker's answer ---------------------------------------------------------------------


def test_i_will_come_confirms_the_appointment(client):
    interview = _interview("tl")
    url = _url(interview)
    response = client.post(url, {"answer": "confirm"})
    assert response.status_code == 302 and response["Location"].endswith("?lang=tl")
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CONFIRMED
    assert interview.confirmed_at == NOW
    entry = AuditEntry.objects.get(object_id=str(interview.pk), actor_username="worker link")
    assert entry.actor is None
    assert entry.action == AuditEntry.Action.UPDATE
    assert "status" in entry.changed_fields
    body = client.get(url).content.decode()
    assert _text("tl", "confirmed") in body
    assert 'value="confirm"' not in body  # already confirmed


def test_confirming_twice_changes_nothing_more(client):
    interview = _interview("en")
    client.post(_url(interview), {"answer": "confirm"})
    client.post(_url(interview), {"answer": "confirm"})
    assert AuditEntry.objects.filter(actor_username="worker link").count() == 1


def test_i_need_another_time_records_the_request_and_the_note(client):
    interview = _interview("en")
    url = _url(interview)
    response = client.post(url, {"answer": "move", "note": "  Sundays   after 14:00 "})
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == Interview.Status.INVITED
    assert interview.move_requested_at == NOW
    assert interview.move_request_note == "Sundays after 14:00"
    assert AuditEntry.objects.filter(
        object_id=str(interview.pk), actor_username="worker link", detail__contains="another time"
    ).exists()
    body = client.get(url).content.decode()
    assert "You asked for another time." in body
    assert 'value="move"' not in body
    # Confirming afterwards withdraws the request.
    client.post(url, {"answer": "confirm"})
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CONFIRMED
    assert interview.move_requested_at is None and interview.move_request_note == ""


def test_a_confirmed_worker_may_still_ask_for_another_time(client):
    interview = _interview("en")
    client.post(_url(interview), {"answer": "confirm"})
    client.post(_url(interview), {"answer": "move", "note": ""})
    interview.refresh_from_db()
    assert interview.status == Interview.Status.INVITED
    assert interview.confirmed_at is None and interview.move_requested_at == NOW


def test_a_note_too_long_is_refused_in_the_workers_language_and_changes_nothing(client):
    interview = _interview("fr")
    response = client.post(_url(interview), {"answer": "move", "note": "x" * 301})
    assert response.status_code == 200
    assert _text("fr", "note_too_long") in response.content.decode()
    interview.refresh_from_db()
    assert interview.move_requested_at is None and interview.move_request_note == ""
    assert not AuditEntry.objects.filter(actor_username="worker link").exists()


def test_the_answer_needs_the_forms_csrf_token():
    interview = _interview("en")
    client = Client(enforce_csrf_checks=True)
    assert client.post(_url(interview), {"answer": "confirm"}).status_code == 403
    interview.refresh_from_db()
    assert interview.status == Interview.Status.INVITED
    page = client.get(_url(interview))
    token = page.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(_url(interview), {"answer": "confirm", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CONFIRMED


# --- Links that no longer lead to an open appointment -----------------------------------------


def test_an_expired_link_says_so_in_the_workers_language_with_the_number(client):
    interview = _interview("tl")
    response = client.get(_url(interview, expires=NOW - dt.timedelta(minutes=5)))
    assert response.status_code == 410
    body = response.content.decode()
    assert _text("tl", "expired") in body
    assert settings.HESTIA_MINISTRY_PHONE in body
    assert interview.room.location not in body
    assert (
        client.post(
            _url(interview, expires=NOW - dt.timedelta(minutes=5)), {"answer": "confirm"}
        ).status_code
        == 410
    )
    interview.refresh_from_db()
    assert interview.status == Interview.Status.INVITED


def test_a_tampered_link_is_not_found_in_plain_words(client):
    interview = _interview("tl")
    token = token_for(interview.pk, NOW + dt.timedelta(days=45))
    id_part, expiry, signature = token.split("-")
    other = token_for(interview.pk + 1, NOW + dt.timedelta(days=45))
    for bad in (
        f"{id_part}-{expiry}-{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        f"{other.split('-')[0]}-{expiry}-{signature}",
        "nonsense",
    ):
        response = client.get(reverse("appointment", args=[bad]))
        assert response.status_code == 404
        body = response.content.decode()
        assert "This link is not valid." in body
        assert interview.room.location not in body and "Maria" not in body
        assert settings.HESTIA_MINISTRY_PHONE in body


def test_a_tampered_link_answers_in_the_browsers_language(client):
    response = client.get(
        reverse("appointment", args=["nonsense"]), HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9"
    )
    assert response.status_code == 404
    assert _text("es", "invalid") in response.content.decode()


def test_a_link_to_an_interview_that_no_longer_exists_is_not_found(client):
    token = token_for(999_999, NOW + dt.timedelta(days=45))
    assert client.get(reverse("appointment", args=[token])).status_code == 404


@pytest.mark.parametrize(
    "status", [Interview.Status.CANCELLED, Interview.Status.HELD, Interview.Status.NO_SHOW]
)
def test_a_closed_appointment_is_no_longer_open(client, status):
    interview = _interview("tl")
    Interview.objects.filter(pk=interview.pk).update(status=status)
    body = client.get(_url(interview)).content.decode()
    assert _text("tl", "closed") in body
    assert interview.room.location not in body and 'value="confirm"' not in body
    assert settings.HESTIA_MINISTRY_PHONE in body
    client.post(_url(interview), {"answer": "confirm"})
    interview.refresh_from_db()
    assert interview.status == status
    assert not AuditEntry.objects.filter(actor_username="worker link").exists()


def test_an_appointment_whose_time_has_passed_cannot_be_answered(client):
    interview = _interview("en")
    with time_machine.travel(STARTS + dt.timedelta(minutes=1), tick=False):
        body = client.get(_url(interview)).content.decode()
        client.post(_url(interview), {"answer": "confirm"})
    assert "This appointment is no longer open." in body
    interview.refresh_from_db()
    assert interview.status == Interview.Status.INVITED


def test_an_appointment_not_booked_yet_says_a_time_will_come(client):
    interview = _interview("en")
    Interview.objects.filter(pk=interview.pk).update(
        status=Interview.Status.DUE, slot=None, starts_at=None, ends_at=None, room=None
    )
    body = client.get(_url(interview)).content.decode()
    assert "We will send you the date and time soon." in body
    assert 'value="confirm"' not in body


def test_a_link_whose_signature_holds_a_dash_still_opens(client):
    interview = _interview("en")
    # URL-safe base64 uses "-": about one signature in five holds one.
    for minutes in range(1, 500):
        token = token_for(interview.pk, NOW + dt.timedelta(days=45, minutes=minutes))
        if token.count("-") > 2:
            break
    assert token.count("-") > 2
    response = client.get(reverse("appointment", args=[token]))
    assert response.status_code == 200
    assert "I will come" in response.content.decode()

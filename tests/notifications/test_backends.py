"""SMS backends chosen by setting, the HTTP gateway contract, and e-mail in HTML and text."""

import json
import socket
import socketserver
import threading

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from notifications.backends import PermanentFailure, TemporaryFailure, get_sms_backend
from notifications.backends import http as http_backend
from notifications.backends import locmem as locmem_module
from notifications.backends.console import ConsoleBackend
from notifications.backends.file import FileBackend
from notifications.backends.http import HttpBackend
from notifications.dispatch import language_direction, message_send
from notifications.models import Message
from tests.notifications import queued_message
from tests.notifications.gateway import Gateway, error, malformed, reject, slow, throttle

KEY = "5b0a3c52-3d4e-4f60-8a1b-2c3d4e5f6a7b"
SMS = {"to": "+32470123456", "body": "Lunes 10:00", "sender": "Ministry", "idempotency_key": KEY}


@pytest.fixture
def gateway(settings):
    with Gateway() as gateway:
        yield gateway.configure(settings, timeout=0.5)


# --- Choosing a backend ------------------------------------------------------------------


def test_the_backend_named_in_the_settings_is_the_one_used(settings):
    settings.HESTIA_SMS_BACKEND = "notifications.backends.locmem.LocmemBackend"
    assert type(get_sms_backend()).__name__ == "LocmemBackend"
    settings.HESTIA_SMS_BACKEND = "notifications.backends.console.ConsoleBackend"
    assert isinstance(get_sms_backend(), ConsoleBackend)


def test_the_console_backend_prints_the_sms(capsys):
    reference = ConsoleBackend().send(**SMS)
    printed = capsys.readouterr().out
    assert "to +32470123456" in printed
    assert "Lunes 10:00" in printed
    assert reference == f"console-{KEY}"


def test_the_file_backend_writes_one_file_per_message_even_when_sent_twice(tmp_path):
    backend = FileBackend(tmp_path / "sms")
    backend.send(**SMS)
    backend.send(**SMS)
    backend.send(**{**SMS, "idempotency_key": "another-message"})
    files = sorted(path.name for path in (tmp_path / "sms").iterdir())
    assert files == [f"{KEY}.json", "another-message.json"]
    written = json.loads((tmp_path / "sms" / f"{KEY}.json").read_text(encoding="utf-8"))
    assert (written["to"], written["text"], written["from"]) == (
        "+32470123456",
        "Lunes 10:00",
        "Ministry",
    )


def test_a_file_backend_that_cannot_write_fails_temporarily(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(TemporaryFailure) as failure:
        FileBackend(blocker).send(**SMS)
    assert failure.value.code == "file_error"


def test_the_in_memory_backend_keeps_what_it_sent():
    locmem_module.outbox.clear()
    reference = locmem_module.LocmemBackend().send(**SMS)
    assert locmem_module.outbox == [{**SMS, "reference": reference}]
    locmem_module.outbox.clear()


# --- The HTTP gateway --------------------------------------------------------------------


def test_the_gateway_receives_the_documented_request_and_its_id_is_returned(gateway, settings):
    reference = HttpBackend().send(**SMS)
    assert reference == "gw-1"
    [request] = gateway.received
    assert request.headers["Authorization"] == "Bearer gateway-test-token"
    assert request.headers["Idempotency-Key"] == KEY
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.json == {
        "to": "+32470123456",
        "from": "Ministry",
        "text": "Lunes 10:00",
        "reference": KEY,
        "callback_url": f"{settings.HESTIA_PUBLIC_URL}/notifications/receipts/",
    }


def test_text_in_any_script_reaches_the_gateway_intact(gateway):
    HttpBackend().send(**{**SMS, "body": "موعدك يوم الاثنين ١٠:٠٠ · ቀጠሮ ሰኞ"})
    assert gateway.received[0].json["text"] == "موعدك يوم الاثنين ١٠:٠٠ · ቀጠሮ ሰኞ"


@pytest.mark.parametrize(
    ("answer", "failure_class", "code"),
    [
        (error(500), TemporaryFailure, "http_500"),
        (error(503), TemporaryFailure, "http_503"),
        (throttle(30), TemporaryFailure, "throttled"),
        (malformed(), TemporaryFailure, "malformed_response"),
        (slow(1.0), TemporaryFailure, "timeout"),
        (reject(400, "invalid_number"), PermanentFailure, "invalid_number"),
        (reject(422, "Rejected by carrier!"), PermanentFailure, "rejected_by_carrier"),
        (error(404), PermanentFailure, "http_404"),
    ],
)
def test_each_gateway_answer_is_a_temporary_or_a_permanent_failure(
    gateway, answer, failure_class, code
):
    gateway.script(answer)
    with pytest.raises(failure_class) as failure:
        HttpBackend().send(**SMS)
    assert type(failure.value) is failure_class
    assert failure.value.code == code


def test_throttling_carries_how_long_the_gateway_asked_us_to_wait(gateway):
    gateway.script(throttle(retry_after=120))
    with pytest.raises(TemporaryFailure) as failure:
        HttpBackend().send(**SMS)
    assert failure.value.retry_after == 120


def test_a_wrong_token_is_refused_for_good(gateway):
    with pytest.raises(PermanentFailure) as failure:
        HttpBackend(token="stolen").send(**SMS)
    assert failure.value.code == "unauthorized"
    assert gateway.delivered == {}


def test_a_gateway_that_is_not_listening_fails_temporarily():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    backend = HttpBackend(url=f"http://127.0.0.1:{port}/v1/messages", timeout=1)
    with pytest.raises(TemporaryFailure) as failure:
        backend.send(**SMS)
    assert failure.value.code == "connection_error"


def _send(key: str) -> str:
    return HttpBackend().send(**{**SMS, "idempotency_key": key})


def test_messages_sent_one_after_another_share_one_connection(gateway):
    assert [_send(f"key-{n}") for n in range(3)] == ["gw-1", "gw-2", "gw-3"]
    assert [request.key for request in gateway.received] == ["key-0", "key-1", "key-2"]
    assert gateway.connections == 1


def test_a_connection_the_gateway_closed_is_replaced_and_nothing_is_sent_twice(gateway):
    assert _send("first") == "gw-1"
    gateway.close_connections()  # as a gateway does with idle connections, or restarting
    assert _send("second") == "gw-2"
    assert [request.key for request in gateway.received] == ["first", "second"]
    assert gateway.delivered == {"first": "gw-1", "second": "gw-2"}
    assert gateway.connections == 2


def test_an_answer_that_comes_too_late_is_never_taken_for_the_next_message(gateway):
    gateway.script(slow(1.0))
    with pytest.raises(TemporaryFailure) as failure:
        _send("late")
    assert failure.value.code == "timeout"
    reference = _send("next")
    assert gateway.idle()  # the late answer has gone out too
    assert reference == gateway.delivered["next"]
    assert gateway.delivered["late"] != reference


@pytest.fixture
def proxy_environment(monkeypatch):
    """No proxy in the environment but the one a test names (urllib reads these variables)."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    http_backend._proxied.cache_clear()
    yield monkeypatch
    http_backend._proxied.cache_clear()


def test_a_proxy_named_in_the_environment_is_used(gateway, proxy_environment):
    # The test gateway stands in for the proxy: it answers whatever address is asked for.
    proxy_environment.setenv("http_proxy", gateway.url.removesuffix("/v1/messages"))
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        behind = f"http://localhost:{closed.getsockname()[1]}/v1/messages"
    assert HttpBackend(url=behind).send(**SMS) == "gw-1"
    [request] = gateway.received
    assert request.path == behind
    assert request.key == KEY


@pytest.mark.parametrize("url", ["", "sms.example.org/v1", "http://sms.example.org/v1/messages"])
def test_a_gateway_address_without_https_is_refused_before_any_token_is_sent(url):
    with pytest.raises(ImproperlyConfigured):
        HttpBackend(url=url, token="secret")


# --- E-mail ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_email_goes_out_in_plain_text_and_html_in_the_workers_language():
    message = queued_message("email", language="tl", subject="Paalala")
    assert message_send(message_id=message.pk) == Message.Status.SENT
    [email] = mail.outbox
    assert email.to == ["rosario@example.org"]
    assert email.subject == "Paalala"
    assert email.body == message.body
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert '<html lang="tl" dir="ltr">' in html
    assert "Lunes 10:00, Rue des Petits Carmes 15." in html
    assert email.extra_headers["Message-ID"] == f"<{message.idempotency_key}@localhost>"
    message.refresh_from_db()
    assert message.provider_reference == f"{message.idempotency_key}@localhost"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "fa", "ur", "he"])
def test_an_email_in_a_right_to_left_language_is_laid_out_right_to_left(language):
    message = queued_message("email", language=language, body="موعدك يوم الاثنين <10:00>")
    message_send(message_id=message.pk)
    html = mail.outbox[0].alternatives[0][0]
    assert f'<html lang="{language}" dir="rtl">' in html
    assert '<body dir="rtl"' in html
    assert "text-align:right" in html
    assert "موعدك يوم الاثنين &lt;10:00&gt;" in html  # the text is escaped, never run as HTML


@pytest.mark.parametrize(
    ("code", "direction"),
    [("ar", "rtl"), ("ur", "rtl"), ("fa-IR", "rtl"), ("he", "rtl"), ("am", "ltr"), ("en", "ltr")],
)
def test_the_direction_of_a_language(code, direction):
    assert language_direction(code) == direction


class _RefusingSmtpHandler(socketserver.StreamRequestHandler):
    """Enough SMTP to refuse every recipient with 550, as a server does for an unknown user."""

    def handle(self):
        self.wfile.write(b"220 test ESMTP\r\n")
        for line in self.rfile:
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 test\r\n")
            elif verb == b"MAIL":
                self.wfile.write(b"250 OK\r\n")
            elif verb == b"RCPT":
                self.wfile.write(b"550 5.1.1 No such user\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 Bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


@pytest.fixture
def smtp_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 2
    return settings


@pytest.mark.django_db
def test_an_address_the_mail_server_refuses_fails_for_good(smtp_settings):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _RefusingSmtpHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    smtp_settings.EMAIL_PORT = server.server_address[1]
    try:
        message = queued_message("email")
        assert message_send(message_id=message.pk) == Message.Status.FAILED
    finally:
        server.shutdown()
        server.server_close()
    message.refresh_from_db()
    assert (message.status, message.failure_code) == (Message.Status.FAILED, "address_rejected")


@pytest.mark.django_db
def test_a_mail_server_that_is_down_is_tried_again_later(smtp_settings):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        smtp_settings.EMAIL_PORT = closed.getsockname()[1]
    message = queued_message("email")
    assert message_send(message_id=message.pk) == Message.Status.QUEUED
    message.refresh_from_db()
    assert (message.status, message.failure_code, message.attempts) == (
        Message.Status.QUEUED,
        "smtp_error",
        1,
    )

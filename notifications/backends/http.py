"""Sends SMS through an HTTP gateway: JSON over HTTPS with a bearer token.

The contract (request, answers, delivery receipts and their signature) is in
docs/sms-gateway.md, so a ministry can point Hestia at its provider or at a thin adapter.
"""

import email.utils
import functools
import http.client
import json
import logging
import os
import re
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from notifications.backends.base import PermanentFailure, SmsBackend, TemporaryFailure

logger = logging.getLogger(__name__)

LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}
# A gateway's answer is a few hundred bytes; anything much larger is not an answer.
MAX_ANSWER_BYTES = 64 * 1024


class HttpBackend(SmsBackend):
    def __init__(
        self,
        *,
        url: str | None = None,
        token: str | None = None,
        timeout: float | None = None,
        callback_url: str | None = None,
    ):
        self.url = url if url is not None else settings.HESTIA_SMS_GATEWAY_URL
        self.token = token if token is not None else settings.HESTIA_SMS_GATEWAY_TOKEN
        self.timeout = timeout if timeout is not None else settings.HESTIA_SMS_GATEWAY_TIMEOUT
        self.callback_url = (
            callback_url
            if callback_url is not None
            else settings.HESTIA_PUBLIC_URL + reverse("notifications:receipt")
        )
        parts = urllib.parse.urlsplit(self.url)
        if not parts.scheme or not parts.hostname:
            raise ImproperlyConfigured(
                "HESTIA_SMS_GATEWAY_URL must be the gateway's full address, such as "
                "https://sms.example.org/v1/messages."
            )
        # The bearer token must never cross a network in clear text.
        if parts.scheme != "https" and parts.hostname not in LOOPBACK_HOSTS:
            raise ImproperlyConfigured(
                f"HESTIA_SMS_GATEWAY_URL must use https, not {parts.scheme} ({self.url})."
            )

    def send(self, *, to: str, body: str, sender: str, idempotency_key: str) -> str:
        payload = {
            "to": to,
            "from": sender,
            "text": body,
            "reference": idempotency_key,
            "callback_url": self.callback_url,
        }
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "Authorization": f"Bearer {self.token}",
            "Idempotency-Key": idempotency_key,
            "User-Agent": "Hestia-SMS/1",
        }
        try:
            if _proxied(self.url):
                status, answer_headers, answer = self._post_through_proxy(data, headers)
            else:
                status, answer_headers, answer = self._post(data, headers)
        except TimeoutError as error:
            raise TemporaryFailure("timeout", f"No answer within {self.timeout} s.") from error
        except (OSError, http.client.HTTPException) as error:
            raise TemporaryFailure(
                "connection_error", f"{type(error).__name__}: {error}"[:300]
            ) from error
        if status >= 400:
            raise _failure_for(status, answer_headers, answer)
        if not 200 <= status < 300:
            raise TemporaryFailure(f"http_{status}", "The gateway answered without accepting.")
        try:
            reference = json.loads(answer)["id"]
        except (ValueError, TypeError, KeyError):
            reference = None
        if not isinstance(reference, str | int) or isinstance(reference, bool) or not reference:
            raise TemporaryFailure("malformed_response", "The gateway's answer had no message id.")
        return str(reference)[:100]

    def _post(self, data: bytes, headers: dict) -> tuple[int, http.client.HTTPMessage, bytes]:
        """POST on this process' open connection to the gateway (a new one if there is none),
        and keep the connection open for the next message when the gateway allows it."""
        parts = urllib.parse.urlsplit(self.url)
        path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        connection, reused = _connection(parts, self.timeout)
        try:
            try:
                response = _request(connection, path, data, headers)
            except STALE_CONNECTION_ERRORS:
                if not reused:
                    raise
                # The gateway closed the kept connection before reading this request: once more
                # on a new connection (were it read after all, the idempotency key makes the
                # repeat harmless).
                connection.close()
                connection = _connection_new(parts, self.timeout)
                response = _request(connection, path, data, headers)
            answer = response.read(MAX_ANSWER_BYTES)
        except BaseException:
            connection.close()
            raise
        if response.will_close or not response.isclosed():
            connection.close()  # the gateway closes it, or an answer too long was cut short
        else:
            _keep(connection, parts, self.timeout)
        return response.status, response.headers, answer

    def _post_through_proxy(
        self, data: bytes, headers: dict
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        """POST through the HTTP(S) proxy the environment names (HTTPS_PROXY...), as urllib
        does, on a connection of its own."""
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            self.url, data=data, method="POST", headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  # nosec B310
                return response.status, response.headers, response.read(MAX_ANSWER_BYTES)
        except urllib.error.HTTPError as error:
            try:
                return error.code, error.headers, _read(error)
            finally:
                error.close()
        except urllib.error.URLError as error:
            if isinstance(error.reason, OSError):
                raise error.reason from error
            raise OSError(str(error.reason)) from error


# --- One kept connection per process and thread -------------------------------------------

# A new connection for each notice cost more than the request itself, even on 127.0.0.1 and
# before any TLS handshake; HTTP/1.1 gateways keep a connection open between requests.
_kept = threading.local()
# A connection idle for longer is not reused: servers close idle ones after a few seconds, and
# a request sent just as the server closes it fails.
KEEP_IDLE_SECONDS = 4.0
# What a kept connection the server has already closed fails with, before any answer.
STALE_CONNECTION_ERRORS = (
    http.client.RemoteDisconnected,
    http.client.CannotSendRequest,
    ConnectionResetError,
    ConnectionAbortedError,
    BrokenPipeError,
)


def _connection(
    parts: urllib.parse.SplitResult, timeout: float
) -> tuple[http.client.HTTPConnection, bool]:
    """The kept connection to this gateway if it is still fresh, or a new one (opened when the
    request is sent); and whether it is a kept one."""
    kept, _kept.connection = getattr(_kept, "connection", None), None
    if kept is not None:
        connection, key, idle_since = kept
        if key == _key(parts, timeout) and time.monotonic() - idle_since < KEEP_IDLE_SECONDS:
            return connection, True
        connection.close()
    return _connection_new(parts, timeout), False


def _connection_new(parts: urllib.parse.SplitResult, timeout: float) -> http.client.HTTPConnection:
    if parts.scheme == "https":
        return http.client.HTTPSConnection(
            parts.hostname, parts.port or 443, timeout=timeout, context=ssl.create_default_context()
        )
    return http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)


def _key(parts: urllib.parse.SplitResult, timeout: float) -> tuple:
    # A process started by fork must not share its parent's connection.
    return (parts.scheme, parts.hostname, parts.port, timeout, os.getpid())


def _keep(
    connection: http.client.HTTPConnection, parts: urllib.parse.SplitResult, timeout: float
) -> None:
    _kept.connection = (connection, _key(parts, timeout), time.monotonic())


def _request(
    connection: http.client.HTTPConnection, path: str, data: bytes, headers: dict
) -> http.client.HTTPResponse:
    connection.request("POST", path, body=data, headers=headers)
    return connection.getresponse()


@functools.lru_cache(maxsize=16)
def _proxied(url: str) -> bool:
    """Whether the environment sends requests to `url` through a proxy, as urllib decides (once
    per process, as urllib's own opener does)."""
    proxies = urllib.request.getproxies()
    if not proxies:
        return False
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in proxies and not urllib.request.proxy_bypass(parts.hostname or "")


def _read(error: urllib.error.HTTPError) -> bytes:
    try:
        return error.read(MAX_ANSWER_BYTES)
    except (OSError, http.client.HTTPException):
        return b""


def _failure_for(status: int, headers, answer: bytes):
    """The failure an HTTP error status stands for: throttling, timeouts and 5xx are temporary,
    any other 4xx is permanent (the gateway's own code kept when it gives one)."""
    detail = _error_detail(answer)
    if status == 429:
        retry_after = _retry_after(headers.get("Retry-After"))
        return TemporaryFailure(
            "throttled", detail or "Too many requests.", retry_after=retry_after
        )
    if status == 408 or status >= 500:
        return TemporaryFailure(f"http_{status}", detail)
    return PermanentFailure(_error_code(answer) or f"http_{status}", detail)


def _json(answer: bytes) -> dict:
    try:
        data = json.loads(answer)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _error_code(answer: bytes) -> str:
    code = _json(answer).get("error")
    if not isinstance(code, str):
        return ""
    return re.sub(r"[^a-z0-9_]+", "_", code.strip().lower()).strip("_")[:40]


def _error_detail(answer: bytes) -> str:
    data = _json(answer)
    detail = data.get("detail") or data.get("message") or ""
    return detail[:300] if isinstance(detail, str) else ""


def _retry_after(value: str | None) -> int | None:
    """Seconds to wait, from a Retry-After header in seconds or as an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0, int((moment - timezone.now()).total_seconds()))

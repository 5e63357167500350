"""Sends SMS through an HTTP gateway: JSON over HTTPS with a bearer token.

The contract (request, answers, delivery receipts and their signature) is in
docs/sms-gateway.md, so a ministry can point Hestia at its provider or at a thin adapter.
"""

import email.utils
import http.client
import json
import logging
import re
import socket
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
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            self.url,
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": idempotency_key,
                "User-Agent": "Hestia-SMS/1",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  # nosec B310
                status = response.status
                answer = response.read(MAX_ANSWER_BYTES)
        except urllib.error.HTTPError as error:
            try:
                failure = _failure_for(error.code, error.headers, _read(error))
            finally:
                error.close()
            raise failure from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError | socket.timeout):
                raise TemporaryFailure("timeout", f"No answer within {self.timeout} s.") from error
            raise TemporaryFailure("connection_error", str(error.reason)[:300]) from error
        except TimeoutError as error:
            raise TemporaryFailure("timeout", f"No answer within {self.timeout} s.") from error
        except (OSError, http.client.HTTPException) as error:
            raise TemporaryFailure(
                "connection_error", f"{type(error).__name__}: {error}"
            ) from error
        if not 200 <= status < 300:
            raise TemporaryFailure(f"http_{status}", "The gateway answered without accepting.")
        try:
            reference = json.loads(answer)["id"]
        except (ValueError, TypeError, KeyError):
            reference = None
        if not isinstance(reference, str | int) or isinstance(reference, bool) or not reference:
            raise TemporaryFailure("malformed_response", "The gateway's answer had no message id.")
        return str(reference)[:100]


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

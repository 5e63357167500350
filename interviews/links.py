"""The worker's signed, expiring link to their appointment (no login).

The token is short because it travels in an SMS: the interview's id, the minute it expires (both
in base 36) and 96 bits of an HMAC over them keyed by SECRET_KEY. Anyone changing a character
gets "this link is not valid"; after the expiry, "this link has expired".
"""

import base64
import datetime as dt
import hmac

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

SALT = "hestia.interviews.worker-link"


class LinkInvalid(Exception):
    pass


class LinkExpired(Exception):
    def __init__(self, interview_id: int):
        super().__init__(interview_id)
        self.interview_id = interview_id


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def _signature(payload: str) -> str:
    digest = salted_hmac(SALT, payload, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:12]).decode().rstrip("=")


def token_for(interview_id: int, expires_at: dt.datetime) -> str:
    payload = f"{_b36(interview_id)}-{_b36(int(expires_at.timestamp()) // 60)}"
    return f"{payload}-{_signature(payload)}"


def interview_id_from(token: str, *, now: dt.datetime | None = None) -> int:
    """The interview the token was issued for; LinkInvalid or LinkExpired otherwise."""
    try:
        # The signature is URL-safe base64, which may itself hold "-": split twice only.
        id_part, expiry_part, signature = token.split("-", 2)
        interview_id, expiry_minute = int(id_part, 36), int(expiry_part, 36)
    except ValueError:
        raise LinkInvalid from None
    # Bytes: compare_digest refuses str holding anything but ASCII, and a link can hold anything.
    if not hmac.compare_digest(signature.encode(), _signature(f"{id_part}-{expiry_part}").encode()):
        raise LinkInvalid
    now = now or timezone.now()
    if now.timestamp() > expiry_minute * 60:
        raise LinkExpired(interview_id)
    return interview_id


def link_for(interview, *, valid_days: int) -> str:
    """The full address to put in a notice."""
    base = interview.starts_at or timezone.now()
    # Valid until the policy's days have passed and at least a day after the appointment.
    expires_at = max(timezone.now() + dt.timedelta(days=valid_days), base + dt.timedelta(days=1))
    path = reverse("appointment", args=[token_for(interview.pk, expires_at)])
    return settings.HESTIA_PUBLIC_URL + path

"""What every SMS backend does, and the two ways a send can fail."""

from abc import ABC, abstractmethod

from django.conf import settings
from django.utils.module_loading import import_string


class DeliveryFailure(Exception):
    """A send that did not succeed. `code` is short and stable (it is stored on the message and
    shown to officers); `detail` says what happened, never the text of the message."""

    def __init__(self, code: str, detail: str = "", *, retry_after: int | None = None):
        super().__init__(code, detail)
        self.code = code[:40]
        self.detail = detail[:300]
        # Seconds the provider asked us to wait before trying again (HTTP 429 Retry-After).
        self.retry_after = retry_after

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}" if self.detail else self.code


class TemporaryFailure(DeliveryFailure):
    """Worth trying again later: a timeout, a lost connection, a 5xx answer, throttling."""


class PermanentFailure(DeliveryFailure):
    """Trying again cannot help: an invalid number, a rejected message, a 4xx answer."""


class SmsBackend(ABC):
    """Send one SMS and return the provider's reference for it.

    `idempotency_key` is the same on every attempt for one message: a backend that talks to a
    provider passes it on, so a resend after a timeout never delivers twice.
    """

    @abstractmethod
    def send(self, *, to: str, body: str, sender: str, idempotency_key: str) -> str:
        """Deliver `body` to `to`; raise TemporaryFailure or PermanentFailure when it cannot."""


def get_sms_backend(path: str | None = None) -> SmsBackend:
    """The backend named by `path` or settings.HESTIA_SMS_BACKEND, ready to send."""
    return import_string(path or settings.HESTIA_SMS_BACKEND)()

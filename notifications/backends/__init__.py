"""SMS backends, chosen by settings.HESTIA_SMS_BACKEND like Django's e-mail backends."""

from notifications.backends.base import (
    PermanentFailure,
    SmsBackend,
    TemporaryFailure,
    get_sms_backend,
)

__all__ = ["PermanentFailure", "SmsBackend", "TemporaryFailure", "get_sms_backend"]

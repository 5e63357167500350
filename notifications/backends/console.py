"""Prints every SMS (the default: one machine, no set-up)."""

import logging
import sys
import threading

from notifications.backends.base import SmsBackend

logger = logging.getLogger(__name__)


class ConsoleBackend(SmsBackend):
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self._lock = threading.Lock()

    def send(self, *, to: str, body: str, sender: str, idempotency_key: str) -> str:
        reference = f"console-{idempotency_key}"
        logger.info("SMS %s to %s printed to the console", reference, to)
        with self._lock:
            self.stream.write(
                f"SMS from {sender} to {to} (reference {reference})\n{body}\n{'-' * 79}\n"
            )
            self.stream.flush()
        return reference

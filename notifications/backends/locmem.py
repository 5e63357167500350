"""Keeps every SMS in memory, for tests: `notifications.backends.locmem.outbox`."""

import threading

from notifications.backends.base import SmsBackend

# Every SMS sent in this process, oldest first; tests empty it with outbox.clear().
outbox: list[dict] = []
_lock = threading.Lock()


class LocmemBackend(SmsBackend):
    def send(self, *, to: str, body: str, sender: str, idempotency_key: str) -> str:
        reference = f"locmem-{idempotency_key}"
        with _lock:
            outbox.append(
                {
                    "to": to,
                    "body": body,
                    "sender": sender,
                    "idempotency_key": idempotency_key,
                    "reference": reference,
                }
            )
        return reference

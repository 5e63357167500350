"""Writes every SMS to its own file in settings.HESTIA_SMS_FILE_PATH."""

import json
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from notifications.backends.base import SmsBackend, TemporaryFailure


class FileBackend(SmsBackend):
    """One JSON file per message, named by its idempotency key, so a resend rewrites the same
    file instead of adding a second one."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path or settings.HESTIA_SMS_FILE_PATH)

    def send(self, *, to: str, body: str, sender: str, idempotency_key: str) -> str:
        reference = f"file-{idempotency_key}"
        record = {
            "reference": reference,
            "to": to,
            "from": sender,
            "text": body,
            "written_at": timezone.now().isoformat(),
        }
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            target = self.path / f"{idempotency_key}.json"
            partial = target.with_suffix(".part")
            partial.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
            partial.replace(target)
        except OSError as error:
            raise TemporaryFailure("file_error", f"{type(error).__name__}: {error}") from error
        return reference

"""Encryption at rest for sensitive fields, and keyed hashes to search them.

Passport numbers, account numbers and interview notes are stored as Fernet tokens (AES-128-CBC
with HMAC-SHA256); the keys come from HESTIA_FIELD_ENCRYPTION_KEYS, newest first, so keys can be
rotated. Equality search uses an HMAC of the normalised value, never the plaintext.
"""

import hashlib
import hmac
import re
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(plaintext: str) -> str:
    return (
        _fernet(tuple(settings.HESTIA_FIELD_ENCRYPTION_KEYS)).encrypt(plaintext.encode()).decode()
    )


def decrypt(token: str) -> str:
    try:
        return (
            _fernet(tuple(settings.HESTIA_FIELD_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()
        )
    except InvalidToken:
        raise ValueError(
            "A sensitive field could not be decrypted with the configured keys."
        ) from None


def normalise_identifier(value: str) -> str:
    """Passport, card and account numbers compare without case, spaces or punctuation."""
    return re.sub(r"[^0-9A-Z]", "", value.upper())


def search_hash(value: str) -> str:
    """Keyed hash of a normalised identifier: lets staff find a record without the plaintext."""
    normalised = normalise_identifier(value)
    if not normalised:
        return ""
    key = settings.HESTIA_SEARCH_HASH_KEY.encode()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field stored encrypted; it can be read and written, but not filtered on."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)

"""Encryption of personal data at rest: AES-256-GCM (the `cryptography` package) under the
keys of settings.RENDA_DATA_KEYS.

A stored value reads `enc1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>`. The key id
(8 hex digits of an HMAC of the key) names the key that encrypted it, so that any of the
configured keys decrypts and `renda data rekey` finds what the current (first) key did not
write. The associated data is the column ("core.Person.mobile"): a ciphertext copied into
another column does not decrypt. A value without the prefix is clear text written before
encryption (read as is; the migration and `rekey` encrypt it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1:"
NONCE_BYTES = 12


class DecryptionError(ValueError):
    pass


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode() + b"=" * (-len(text) % 4))


def new_key() -> str:
    """A fresh key for RENDA_DATA_KEYS."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def key_id(key: bytes) -> str:
    return hmac.new(key, b"renda-data-key-id", hashlib.sha256).hexdigest()[:8]


@lru_cache(maxsize=4)
def _keys_of(configured: tuple[str, ...]) -> tuple[tuple[str, bytes], ...]:
    if not configured:  # settings give one (or refuse to start)
        raise ImproperlyConfigured("RENDA_DATA_KEYS is not set.")
    keys = [_b64decode(k) for k in configured]
    return tuple((key_id(k), k) for k in keys)


def keys() -> tuple[tuple[str, bytes], ...]:
    """(key id, key) of each configured key, the current one first."""
    return _keys_of(tuple(settings.RENDA_DATA_KEYS))


def current_key_id() -> str:
    return keys()[0][0]


def is_encrypted(stored: str | None) -> bool:
    return bool(stored) and stored.startswith(PREFIX)


def stored_key_id(stored: str) -> str | None:
    """The id of the key a stored value was encrypted with (None: clear text)."""
    return stored.split(":", 2)[1] if is_encrypted(stored) else None


def encrypt(value: str, column: str) -> str:
    kid, key = keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, value.encode(), column.encode())
    return f"{PREFIX}{kid}:{base64.urlsafe_b64encode(nonce + sealed).decode().rstrip('=')}"


def decrypt(stored: str, column: str) -> str:
    if not is_encrypted(stored):
        return stored
    try:
        _, kid, body = stored.split(":", 2)
        raw = _b64decode(body)
    except ValueError as exc:
        raise DecryptionError(f"{column}: malformed ciphertext") from exc
    key = dict(keys()).get(kid)
    if key is None:
        raise DecryptionError(f"{column}: encrypted with key {kid}, which RENDA_DATA_KEYS no longer holds")
    try:
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], column.encode()).decode()
    except InvalidTag as exc:
        raise DecryptionError(f"{column}: the ciphertext does not authenticate (altered or moved)") from exc

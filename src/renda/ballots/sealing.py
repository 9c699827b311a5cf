"""Sealing a secret ballot's papers while the ballot is open.

A paper is encrypted with AES-GCM under a key of its own ballot, derived with HKDF from
RENDA_BALLOT_KEY (or, without it, SECRET_KEY and SECRET_KEY_FALLBACKS): the key is never
stored in the database, so whoever reads the database while the ballot is open sees that
a paper exists, not what it says. The plaintext has a fixed length per ballot (max_choices
slots of 8 bytes, 0 = empty) so that a blank paper looks like a full one, and a random
nonce makes two equal papers look different. The ballot's id is also the associated data:
a paper copied into another ballot does not open.
"""

from __future__ import annotations

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

NONCE = 12
SLOT = struct.Struct(">Q")
SALT = b"renda.ballots.sealing.v1"


class Unreadable(Exception):
    """A sealed paper that none of the configured keys opens."""


def master_secrets() -> list[str]:
    """The current secret first (it seals), then the older ones (they still open)."""
    own = getattr(settings, "RENDA_BALLOT_KEY", "")
    if own:
        return [own, *getattr(settings, "RENDA_BALLOT_KEY_FALLBACKS", [])]
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def ballot_key(ballot_id: int, secret: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=SALT, info=b"ballot:%d" % ballot_id)
    return hkdf.derive(secret.encode())


def _aad(ballot_id: int) -> bytes:
    return b"renda-ballot:%d" % ballot_id


def seal(ballot_id: int, slots: int, option_ids: list[int], secret: str | None = None) -> bytes:
    """nonce ‖ AES-GCM(the option ids in `slots` fixed slots)."""
    if len(option_ids) > slots or any(i <= 0 for i in option_ids):
        raise ValueError("a paper has at most `slots` positive option ids")
    plain = b"".join(SLOT.pack(i) for i in [*option_ids, *[0] * (slots - len(option_ids))])
    nonce = os.urandom(NONCE)
    key = ballot_key(ballot_id, secret or master_secrets()[0])
    return nonce + AESGCM(key).encrypt(nonce, plain, _aad(ballot_id))


class Opener:
    """Opens the papers of one ballot (the keys derived once, not per paper)."""

    def __init__(self, ballot_id: int, secrets: list[str] | None = None):
        self.ballot_id = ballot_id
        self.ciphers = [AESGCM(ballot_key(ballot_id, s)) for s in (secrets or master_secrets())]

    def open(self, sealed: bytes) -> list[int]:
        sealed = bytes(sealed)
        nonce, body = sealed[:NONCE], sealed[NONCE:]
        for cipher in self.ciphers:
            try:
                plain = cipher.decrypt(nonce, body, _aad(self.ballot_id))
            except InvalidTag:
                continue
            return [i for (i,) in SLOT.iter_unpack(plain) if i]
        raise Unreadable(self.ballot_id)

"""AES-256-GCM envelopes: magic + version + nonce + ciphertext, bound to where they live.

The associated data names the place a ciphertext belongs to (table, row, case, blob id,
file name), so a value copied elsewhere fails to decrypt instead of being silently accepted.
The envelope header is authenticated too, so a changed version byte is detected.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dossier.errors import CorruptData
from dossier.i18n import _

MAGIC = b"DSE"
VERSION = 1
HEADER = MAGIC + bytes([VERSION])
NONCE_LEN = 12
TAG_LEN = 16
KEY_LEN = 32
OVERHEAD = len(HEADER) + NONCE_LEN + TAG_LEN


def new_key() -> bytes:
    return os.urandom(KEY_LEN)


def seal(key: bytes, plaintext: bytes, ad: bytes) -> bytes:
    nonce = os.urandom(NONCE_LEN)
    return HEADER + nonce + AESGCM(key).encrypt(nonce, plaintext, HEADER + ad)


def open_sealed(key: bytes, envelope: bytes, ad: bytes, what: str = "value") -> bytes:
    """Decrypt an envelope made by `seal`; raise CorruptData naming `what` if it fails."""
    if len(envelope) < OVERHEAD or envelope[: len(MAGIC)] != MAGIC:
        raise CorruptData(_("{what} is damaged (not an encrypted Dossier value)").format(what=what))
    if envelope[len(MAGIC)] != VERSION:
        raise CorruptData(
            _("{what} uses unknown format version {envelope}").format(
                what=what, envelope=envelope[len(MAGIC)]
            )
        )
    nonce = envelope[len(HEADER) : len(HEADER) + NONCE_LEN]
    try:
        return AESGCM(key).decrypt(nonce, envelope[len(HEADER) + NONCE_LEN :], HEADER + ad)
    except InvalidTag:
        raise CorruptData(
            _("{what} failed authentication (tampered, damaged or misplaced)").format(what=what)
        ) from None

"""AES-256-GCM envelopes: magic + version + nonce + ciphertext, bound to where they live.

The associated data names the place a ciphertext belongs to (table, row, case, blob id,
file name), so a value copied elsewhere fails to decrypt instead of being silently accepted.
The envelope header is authenticated too, so a changed version byte is detected.

Version 2 (`seal_padded`: the catalog's values) seals the value's length, the value, then zeros
up to a padded size: an envelope's size no longer tells the size of what it holds to the byte.
"""

from __future__ import annotations

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dossier.crypto.padding import padme
from dossier.errors import CorruptData
from dossier.i18n import _

MAGIC = b"DSE"
VERSION = 1
HEADER = MAGIC + bytes([VERSION])
NONCE_LEN = 12
TAG_LEN = 16
KEY_LEN = 32
OVERHEAD = len(HEADER) + NONCE_LEN + TAG_LEN
PADDED_VERSION = 2
PADDED_HEADER = MAGIC + bytes([PADDED_VERSION])
_LENGTH = struct.Struct(">I")


def new_key() -> bytes:
    return os.urandom(KEY_LEN)


def seal(key: bytes, plaintext: bytes, ad: bytes) -> bytes:
    nonce = os.urandom(NONCE_LEN)
    return HEADER + nonce + AESGCM(key).encrypt(nonce, plaintext, HEADER + ad)


def padded_size(length: int) -> int:
    """What `seal_padded` seals for a value of `length` bytes by default (its length, the
    value and zeros): at most 12% more."""
    return padme(length + _LENGTH.size)


def seal_padded(key: bytes, plaintext: bytes, ad: bytes, size: int | None = None) -> bytes:
    """An envelope sealing `plaintext` padded to `size` bytes (`padded_size` if None, or if
    `plaintext` does not fit in `size`): values sealed with one `size` have one envelope size."""
    needed = len(plaintext) + _LENGTH.size
    if size is None or size < needed:
        size = padme(needed)
    body = b"".join((_LENGTH.pack(len(plaintext)), plaintext, bytes(size - needed)))
    nonce = os.urandom(NONCE_LEN)
    return PADDED_HEADER + nonce + AESGCM(key).encrypt(nonce, body, PADDED_HEADER + ad)


def sealed_size(envelope: bytes) -> int | None:
    """The padded size an envelope of `seal_padded` holds (None for an unpadded one): to seal
    the same value again, under another key, at the same size."""
    if envelope[: len(MAGIC)] == MAGIC and envelope[len(MAGIC) : len(HEADER)] == bytes(
        [PADDED_VERSION]
    ):
        return len(envelope) - OVERHEAD
    return None


def open_sealed(key: bytes, envelope: bytes, ad: bytes, what: str = "value") -> bytes:
    """Decrypt an envelope made by `seal` or `seal_padded`; raise CorruptData naming `what`
    if it fails."""
    if len(envelope) < OVERHEAD or envelope[: len(MAGIC)] != MAGIC:
        raise CorruptData(_("{what} is damaged (not an encrypted Dossier value)").format(what=what))
    version = envelope[len(MAGIC)]
    if version not in (VERSION, PADDED_VERSION):
        raise CorruptData(
            _("{what} uses unknown format version {envelope}").format(what=what, envelope=version)
        )
    header = envelope[: len(HEADER)]
    nonce = envelope[len(HEADER) : len(HEADER) + NONCE_LEN]
    try:
        plain = AESGCM(key).decrypt(nonce, envelope[len(HEADER) + NONCE_LEN :], header + ad)
    except InvalidTag:
        raise CorruptData(
            _("{what} failed authentication (tampered, damaged or misplaced)").format(what=what)
        ) from None
    if version == VERSION:
        return plain
    # Authenticated, so only a bug could write a length that does not fit: still, no slice of
    # the padding is ever returned as the value.
    if len(plain) < _LENGTH.size:
        raise CorruptData(_("{what} is damaged (its length is missing)").format(what=what))
    (length,) = _LENGTH.unpack_from(plain)
    if length > len(plain) - _LENGTH.size:
        raise CorruptData(_("{what} is damaged (its length is wrong)").format(what=what))
    return plain[_LENGTH.size : _LENGTH.size + length]

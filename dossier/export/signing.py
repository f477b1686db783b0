"""Ed25519 signatures of bundle manifests, and the fingerprints people compare.

The vault holds one signing key (sealed in the catalog under `KEY_NAME`, made on first
export). `manifest.sig` carries the signature and the public key; the public key alone proves
nothing (anyone can sign with their own key), so a recipient compares its fingerprint with the
one the sender gave them by another channel: `dossier verify --pubkey FINGERPRINT` does it.

Fingerprint: the first 16 bytes of SHA-256 of the raw 32-byte public key, in hex, in groups of
four ("3f2a 91c0 ..."), short enough to read over the phone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from dossier.errors import CorruptData, UsageError
from dossier.i18n import _
from dossier.text import outside_json

KEY_NAME = "bundle-signing-key"
SIGNATURE_FORMAT = "dossier-signature-1"
ALGORITHM = "Ed25519"
MAX_SIGNATURE_FILE = 4096


def fingerprint(public_raw: bytes) -> str:
    digest = hashlib.sha256(public_raw).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def normalize_fingerprint(text: str) -> str:
    """A fingerprint as typed ("3F2A:91C0 ...", with or without separators) in canonical form."""
    compact = "".join(c for c in text.lower() if c not in " :-\t")
    if len(compact) != 32 or any(c not in "0123456789abcdef" for c in compact):
        raise UsageError(_("a key fingerprint is 32 hexadecimal digits (e.g. '3f2a 91c0 ...')"))
    return " ".join(compact[i : i + 4] for i in range(0, 32, 4))


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey

    @property
    def public_raw(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_raw)

    def stored(self) -> str:
        """The private key as the vault keeps it (inside a sealed row, never in clear)."""
        raw = self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return base64.b64encode(raw).decode("ascii")

    def sign_manifest(self, manifest: bytes) -> bytes:
        """The content of `manifest.sig` for these exact manifest bytes."""
        return _signature_file(self.public_raw, self.private.sign(manifest))


def _signature_file(public_raw: bytes, signature: bytes) -> bytes:
    """`manifest.sig`, in the one exact form a verifier accepts (every byte is checked)."""
    document = {
        "format": SIGNATURE_FORMAT,
        "algorithm": ALGORITHM,
        "public_key": base64.b64encode(public_raw).decode("ascii"),
        "fingerprint": fingerprint(public_raw),
        "signature": base64.b64encode(signature).decode("ascii"),
    }
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def new_key() -> SigningKey:
    return SigningKey(Ed25519PrivateKey.generate())


def load_key(stored: str) -> SigningKey:
    try:
        raw = base64.b64decode(stored, validate=True)
        return SigningKey(Ed25519PrivateKey.from_private_bytes(raw))
    except (binascii.Error, ValueError):
        raise CorruptData(_("the vault's bundle-signing key is damaged")) from None


@dataclass(frozen=True)
class SignatureCheck:
    valid: bool
    fingerprint: str
    problem: str = ""


def check_signature(manifest: bytes, signature_file: bytes) -> SignatureCheck:
    """Whether `signature_file` (manifest.sig) is a valid signature of `manifest`."""
    try:
        document = outside_json.loads(signature_file.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != SIGNATURE_FORMAT:
            return SignatureCheck(False, "", "manifest.sig has an unknown format")
        if document.get("algorithm") != ALGORITHM:
            return SignatureCheck(False, "", "manifest.sig names an unknown algorithm")
        public_raw = base64.b64decode(str(document["public_key"]), validate=True)
        signature = base64.b64decode(str(document["signature"]), validate=True)
        public = Ed25519PublicKey.from_public_bytes(public_raw)
    except (UnicodeDecodeError, ValueError, KeyError, binascii.Error):
        return SignatureCheck(False, "", "manifest.sig is malformed")
    found = fingerprint(public_raw)
    if signature_file != _signature_file(public_raw, signature):
        # Spaces, key order or the stated fingerprint changed: not the file that was signed.
        return SignatureCheck(False, found, "manifest.sig was altered")
    try:
        public.verify(signature, manifest)
    except InvalidSignature:
        return SignatureCheck(False, found, "the signature does not match manifest.json")
    return SignatureCheck(True, found)

"""The key hierarchy below the master key.

master key --wraps--> one random key per case --HKDF--> a sub-key per purpose.
Deleting a case's wrapped key makes everything sealed under it unreadable (crypto-shredding).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dossier.crypto import aead


def subkey(key: bytes, purpose: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"dossier/" + purpose.encode()
    ).derive(key)


@dataclass(frozen=True)
class CaseKeys:
    """Per-purpose keys of one case, derived once when the case is first used."""

    case_id: str
    fields: bytes
    blobs: bytes
    blob_ids: bytes
    index: bytes
    rows: bytes
    """MACs over whole catalog rows and the case's inventory of rows."""

    @classmethod
    def derive(cls, case_id: str, case_key: bytes) -> CaseKeys:
        return cls(
            case_id=case_id,
            fields=subkey(case_key, "fields"),
            blobs=subkey(case_key, "blobs"),
            blob_ids=subkey(case_key, "blob-ids"),
            index=subkey(case_key, "index"),
            rows=subkey(case_key, "rows"),
        )

    def blob_id(self, content_sha256: bytes) -> str:
        # Keyed, so holding a leaked document does not let anyone confirm it is in the vault.
        return hmac.new(self.blob_ids, content_sha256, hashlib.sha256).hexdigest()


def case_key_ad(case_id: str) -> bytes:
    return b"case-key|" + case_id.encode()


@dataclass
class KeyRing:
    """Keys of an unlocked vault. `wipe()` drops them (lock, close)."""

    master: bytes
    _cases: dict[str, CaseKeys] = field(default_factory=dict)
    _derived: dict[str, bytes] = field(default_factory=dict, repr=False)
    """The master's sub-keys, derived once: each file of a batch import sealed its audit entry
    and MACed its row with two sub-keys derived anew (an HKDF each)."""

    def _sub(self, purpose: str) -> bytes:
        key = self._derived.get(purpose)
        if key is None:
            key = self._derived[purpose] = subkey(self.master, purpose)
        return key

    @property
    def vault_fields(self) -> bytes:
        return self._sub("vault-fields")

    @property
    def audit(self) -> bytes:
        return self._sub("audit-chain")

    @property
    def vault_rows(self) -> bytes:
        return self._sub("vault-rows")

    def wrap_case_key(self, case_id: str, case_key: bytes) -> bytes:
        return aead.seal(self._sub("case-wrap"), case_key, case_key_ad(case_id))

    def new_case(self, case_id: str) -> bytes:
        """Make a random key for a new case, keep its sub-keys, return it wrapped."""
        case_key = aead.new_key()
        self._cases[case_id] = CaseKeys.derive(case_id, case_key)
        return self.wrap_case_key(case_id, case_key)

    def cached_case(self, case_id: str) -> CaseKeys | None:
        return self._cases.get(case_id)

    def unwrap_case(self, case_id: str, wrapped: bytes) -> CaseKeys:
        cached = self._cases.get(case_id)
        if cached is not None:
            return cached
        keys = self._cases[case_id] = self.open_case_key(case_id, wrapped)
        return keys

    def rewrap_case(self, case_id: str, wrapped: bytes, target: KeyRing) -> bytes:
        """The case key, unwrapped with this ring's master and wrapped with `target`'s."""
        case_key = aead.open_sealed(
            self._sub("case-wrap"),
            wrapped,
            case_key_ad(case_id),
            f"key of case {case_id}",
        )
        return target.wrap_case_key(case_id, case_key)

    def open_case_key(self, case_id: str, wrapped: bytes) -> CaseKeys:
        """The sub-keys of a wrapped case key, without caching them (a key not yet in use)."""
        case_key = aead.open_sealed(
            self._sub("case-wrap"),
            wrapped,
            case_key_ad(case_id),
            f"key of case {case_id}",
        )
        return CaseKeys.derive(case_id, case_key)

    def replace_case(self, case_id: str, keys: CaseKeys) -> None:
        """Use `keys` for the case from now on (its rows were re-encrypted under them)."""
        self._cases[case_id] = keys

    def adopt_cases(self, other: KeyRing) -> None:
        self._cases.update(other._cases)

    def forget_case(self, case_id: str) -> None:
        self._cases.pop(case_id, None)

    def wipe(self) -> None:
        # Python cannot zero immutable bytes; dropping every reference is what is possible.
        self._cases.clear()
        self._derived.clear()
        self.master = b""

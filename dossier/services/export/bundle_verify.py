"""Checking a received bundle, for front ends: the service-level door to `dossier.export.verify`.

A front end may import only `dossier.services`; verifying needs no vault (a recipient may have
none), so this is a pair of plain functions rather than a workspace service.
"""

from __future__ import annotations

from pathlib import Path

from dossier.export.transport import is_sealed
from dossier.export.verify import VerifyReport, verify_bundle

__all__ = ["VerifyReport", "is_sealed_bundle", "verify"]


def is_sealed_bundle(path: Path) -> bool:
    """Whether `path` is a bundle sealed under a passphrase (ask for it before verifying)."""
    return is_sealed(path)


def verify(path: Path, *, pubkey: str | None = None, passphrase: str | None = None) -> VerifyReport:
    """Signature, expected signer (`pubkey` fingerprint) and every file's hash of a bundle."""
    return verify_bundle(path, pubkey=pubkey, passphrase=passphrase)

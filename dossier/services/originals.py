"""The blob store's small originals, read from and removed in the vault's catalog."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete
from sqlalchemy.orm import Session

from dossier.crypto.keys import CaseKeys
from dossier.db import originals
from dossier.db.models import Original
from dossier.vault.vault import Vault


class CatalogOriginals:
    """`dossier.blobstore.Catalog` over the vault's catalog; each call its own session."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    def ids(self, case_id: str) -> frozenset[str]:
        with self.vault.session() as session:
            return originals.ids(session.connection(), case_id)

    def read(self, keys: CaseKeys, blob_id: str) -> bytes | None:
        with self.vault.session() as session:
            return originals.read(session.connection(), keys, blob_id)

    def delete(self, case_id: str, blob_id: str) -> None:
        with self.vault.session() as session:
            session.execute(
                delete(Original).where(Original.id == blob_id, Original.case_id == case_id)
            )
            session.commit()

    def case_ids(self) -> set[str]:
        with self.vault.session() as session:
            return originals.case_ids(session.connection())


def new_rows(session: Session, found: list[tuple[str, str, bytes]]) -> list[Original]:
    """Rows for the originals `BlobBatch.small` kept, but for those the catalog holds
    already (stored by another job of the case since this one looked)."""
    if not found:
        return []
    held = originals.held(session.connection(), [f[1] for f in found])
    rows = []
    for case_id, blob_id, data in found:
        if blob_id not in held:
            row = Original(id=blob_id, case_id=case_id)
            row.content = data
            rows.append(row)
    return rows


def drop_rows(session: Session, case_id: str, blob_ids: Collection[str]) -> None:
    """Remove the case's originals in the catalog among `blob_ids` in the caller's
    transaction (a deletion's, a replacement's): removed after its commit, the removal could
    fail on a full disk once the document was gone, reporting as failed what was done."""
    if blob_ids:
        session.execute(
            delete(Original).where(Original.case_id == case_id, Original.id.in_(list(blob_ids)))
        )

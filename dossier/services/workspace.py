"""`Workspace`: an unlocked vault with its use cases. The one object a front end holds."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from dossier.blobstore import BlobStore
from dossier.crypto.kdf import DEFAULT, KdfParams
from dossier.services.audit import AuditTrail
from dossier.services.cases import CaseService
from dossier.services.documents import DocumentService
from dossier.vault.vault import Vault


class IndexHook(Protocol):
    """What the search service must do when the catalog changes (no-op until it is attached)."""

    def document_changed(self, case_id: str, doc_id: str) -> None: ...
    def document_removed(self, case_id: str, doc_id: str) -> None: ...
    def case_removed(self, case_id: str) -> None: ...


class _NoIndex:
    def document_changed(self, case_id: str, doc_id: str) -> None:
        return None

    def document_removed(self, case_id: str, doc_id: str) -> None:
        return None

    def case_removed(self, case_id: str) -> None:
        return None


class Workspace:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.blobs = BlobStore(vault.blobs_dir)
        self.audit = AuditTrail(vault)
        self.index: IndexHook = _NoIndex()
        self.cases = CaseService(self)
        self.documents = DocumentService(self)
        self._attach_optional_services()

    def _attach_optional_services(self) -> None:
        """Services built in later issues register themselves here when present."""

    @classmethod
    def create(cls, folder: Path, passphrase: str, kdf: KdfParams = DEFAULT) -> Workspace:
        return cls(Vault.create(folder, passphrase, kdf))

    @classmethod
    def open(cls, folder: Path, passphrase: str) -> Workspace:
        return cls(Vault.open(folder, passphrase))

    @property
    def folder(self) -> Path:
        return self.vault.folder

    def close(self) -> None:
        self.vault.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

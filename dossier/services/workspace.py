"""`Workspace`: an unlocked vault with its use cases. The one object a front end holds."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.orm import Session

from dossier.blobstore import BlobStore
from dossier.crypto.kdf import DEFAULT, KdfParams
from dossier.jobs import CancelToken, ChunkMap
from dossier.services.audit import AuditTrail
from dossier.services.cases import CaseService
from dossier.services.documents.service import DocumentService
from dossier.services.export.preview import PreviewService
from dossier.services.export.redactions import RedactionService
from dossier.services.export.service import ExportService
from dossier.services.fsck import FsckService
from dossier.services.history import HistoryService
from dossier.services.keyrotation import KeyService
from dossier.services.letters.service import LetterService
from dossier.services.notes import NoteService
from dossier.services.originals import CatalogOriginals
from dossier.services.people.screen import ScreenService
from dossier.services.people.service import PeopleService
from dossier.services.quotes.service import QuoteService
from dossier.services.recent_searches import RecentSearches
from dossier.services.rekey import RekeyService
from dossier.services.search import SearchService
from dossier.services.timeline import TimelineService
from dossier.vault.vault import Vault

if TYPE_CHECKING:
    from dossier.db.models import Document


class IndexHook(Protocol):
    """What the search index must hear when documents or cases change."""

    def document_changed(self, case_id: str, doc_id: str) -> None: ...
    def documents_changed(self, case_id: str, doc_ids: Sequence[str]) -> None: ...
    def documents_storing(
        self, session: Session, case_id: str, docs: Sequence[Document]
    ) -> object | None: ...
    def abandon_storing(self, early: object | None) -> None: ...
    def documents_imported(
        self, session: Session, case_id: str, docs: Sequence[Document], early: object | None
    ) -> None: ...
    def prepare_batch(self, text: int | None = None) -> bool: ...
    def prepare_case(self, case_id: str) -> None: ...
    def shared_work(self, cancel: CancelToken | None) -> ChunkMap: ...
    def importing(self, case_id: str) -> AbstractContextManager[None]: ...
    def document_removed(self, case_id: str, doc_id: str) -> None: ...
    def case_removed(self, case_id: str) -> None: ...
    def pending(self, case_id: str) -> bool: ...


class Workspace:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.blobs = BlobStore(vault.blobs_dir, CatalogOriginals(vault))
        self.audit = AuditTrail(vault)
        self.cases = CaseService(self)
        self.documents = DocumentService(self)
        self.people = PeopleService(self)
        self.screen = ScreenService(self)
        self.quotes = QuoteService(self)
        self.letters = LetterService(self)
        self.timeline = TimelineService(self)
        self.redactions = RedactionService(self)
        self.exports = ExportService(self)
        self.previews = PreviewService(self)
        self.search = SearchService(self)
        self.fsck = FsckService(self)
        self.rekey = RekeyService(self)
        self.keys = KeyService(self)
        self.history = HistoryService(self)
        self.recent_searches = RecentSearches(self)
        self.notes = NoteService(self)
        # Documents, cases and imports tell the index what changed through this hook.
        self.index: IndexHook = self.search

    @classmethod
    def create(cls, folder: Path, passphrase: str, kdf: KdfParams = DEFAULT) -> Workspace:
        return cls(Vault.create(folder, passphrase, kdf))

    @classmethod
    def open(cls, folder: Path, passphrase: str, *, strict: bool = True) -> Workspace:
        """Unlock; `strict=False` (fsck only) opens a vault whose rows fail authentication.

        A re-encryption a crash stopped after a case's switch is finished here (`rekey`).
        """
        ws = cls(Vault.open(folder, passphrase, strict=strict))
        try:
            ws.rekey.settle()
        except BaseException:
            ws.close()
            raise
        return ws

    @property
    def warnings(self) -> list[str]:
        """What the person opening the vault must be told (a rolled-back catalog, an
        unfinished re-encryption), one sentence each."""
        return list(self.vault.warnings)

    @property
    def folder(self) -> Path:
        return self.vault.folder

    def close(self) -> None:
        """Lock: drop every decrypted cache, then the keys, then the vault lock."""
        self.quotes.clear_cache()
        self.documents.clear_cache()
        self.screen.forget_masks()
        self.search.close()
        self.vault.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

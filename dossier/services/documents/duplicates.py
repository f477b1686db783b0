"""Files already in the case, recognised at import by their keyed hash.

The blob id of an original is HMAC(case key, SHA-256 of the file): the same file in the same
case has the same id, so a second import is recognised without reading any document, and
nothing on disk lets anyone without the key compare files. Across cases the ids differ (each
case has its own key): `other_cases_holding` recomputes them in memory, with the keys, to
notice the same file elsewhere, and stores that nowhere.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from dossier.db.models import Document
from dossier.errors import AlreadyInCase, UsageError
from dossier.i18n import _
from dossier.services.documents.rows import document_info, get_document
from dossier.services.dto import DocumentInfo

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

SKIP, LINK = "skip", "link"
DUPLICATE_CHOICES = (SKIP, LINK)
"""What to do with a file already in the case: skip it (the default), or link it (the
document records that it was received again, under this name)."""


def check_duplicates(choice: str) -> str:
    if choice not in DUPLICATE_CHOICES:
        raise UsageError(
            _("--duplicates must be one of {DUPLICATE_CHOICES}").format(
                DUPLICATE_CHOICES=", ".join(DUPLICATE_CHOICES)
            )
        )
    return choice


class Originals:
    """Which document of a case has each original (by blob id), read once for many files: the
    twin of each file already in the case was looked for by reading (and decrypting) every
    document of the case, so importing a folder again cost, for each file, in proportion to
    the case (800 files: 17 ms a file, 4 ms at 200). What it remembers is checked at each
    use (a document deleted or replaced since): a wrong or missing entry reads the case again.
    """

    def __init__(self) -> None:
        self._by_case: dict[str, dict[str, str]] = {}

    def twin(self, session: Session, case_id: str, blob_id: str) -> Document | None:
        doc_id = self._by_case.get(case_id, {}).get(blob_id)
        if doc_id is not None:
            doc = session.get(Document, doc_id)
            if doc is not None and doc.case_id == case_id and doc.original_blob == blob_id:
                return doc
        docs = session.scalars(select(Document).where(Document.case_id == case_id)).all()
        known: dict[str, str] = {}
        for doc in docs:
            if doc.original_blob:
                known.setdefault(doc.original_blob, doc.id)
        self._by_case[case_id] = known
        return next((d for d in docs if d.original_blob == blob_id), None)

    def clear(self) -> None:
        self._by_case.clear()


def already_in_case(
    ws: Workspace,
    originals: Originals,
    case_id: str,
    blob_id: str,
    name: str,
    duplicates: str,
    stored: bool | None = None,
) -> DocumentInfo | None:
    """None for a new file (whose original would have `blob_id`); the document it links to;
    or AlreadyInCase (skip). `stored`: whether the store holds that original, if the caller
    has just looked."""
    if not (ws.blobs.exists(case_id, blob_id) if stored is None else stored):
        return None  # no document can have an original that is not stored
    with ws.vault.session() as session:
        twin = originals.twin(session, case_id, blob_id)
        if twin is None:
            return None
        if duplicates == SKIP:
            # The notice is printed and logged: the title is shown as every view shows it.
            title = ws.screen.mask_in(session, case_id).text(twin.title)
            raise AlreadyInCase(
                _(
                    "{name} is already in this case as “{title}” ({id}); it was not imported again."
                ).format(name=name, title=title, id=twin.id),
                twin.id,
            )
        seen_as = [line for line in twin.metadata_.get("also_received_as", "").split("\n")]
        twin.metadata_ = {
            **twin.metadata_,
            "also_received_as": "\n".join([*filter(None, seen_as), name]),
        }
        ws.audit.append(session, "document.link", case_id, doc_id=twin.id)
        session.commit()
        return document_info(twin)


def other_cases_holding(ws: Workspace, doc_id: str) -> list[str]:
    """Names of the other cases of the vault that hold the same file. Each case has its
    own blob-id key, so this is computed here, with the keys, and stored nowhere."""
    with ws.vault.session() as session:
        doc = get_document(session, doc_id)
        case_id = doc.case_id
    digest = hashlib.sha256(ws.documents.original(doc_id)).digest()
    found = []
    for case in ws.cases.all():
        if case.id == case_id:
            continue
        keys = ws.vault.case_keys(case.id)
        if ws.blobs.exists(case.id, keys.blob_id(digest)):
            found.append(case.name)
    return found

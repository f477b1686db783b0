"""An import hands the index its pages from memory, not read back and decrypted from the
catalog: what the index gets must be exactly what the catalog holds, version included, for
every way a document is made (a file alone, one given a title and a date, a mailbox's messages
and their attachments, an archive's members, an attachment already in the case)."""

from __future__ import annotations

import email.message
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from dossier.db.models import Document
from dossier.search.facade import SearchIndex
from dossier.search.model import IndexItem
from dossier.services.indexversions import catalog_versions, stale
from dossier.services.workspace import Workspace
from tests.pdfgen import text_page, write_pdf


def _mbox(path: Path, messages: int) -> Path:
    with path.open("wb") as out:
        for number in range(messages):
            message = email.message.EmailMessage()
            message["From"] = f"Source {number} <s{number}@example.org>"
            message["Subject"] = f"Réunion {number}"
            if number % 2:
                message["Date"] = "Tue, 02 Jan 2024 10:00:00 +0000"
            message.set_content(f"Corps du message {number}, mot{number}m.")
            # The same attachment in every other message: stored once, named by the others.
            shared = number % 2 == 0
            attached = (
                "Pièce jointe commune." if shared else f"Pièce jointe {number}, mot{number}p."
            )
            message.add_attachment(attached, filename="pj.txt")
            out.write(b"From s@example.org Mon Jan  1 10:00:00 2024\n" + message.as_bytes())
    return path


def _files(folder: Path) -> list[Path]:
    folder.mkdir()
    (folder / "note.txt").write_text("Une note, mot1n.\n\fSa deuxième page, mot2n.\n")
    with zipfile.ZipFile(folder / "lot.zip", "w") as archive:
        archive.writestr("a/membre.txt", "Un membre de l'archive, mot1z.")
        archive.writestr("b.md", "# Titre\n\nUn autre, mot2z.")
    pages = [text_page(f"Page {n} du rapport, mot{n}r.") for n in range(3)]
    write_pdf(folder / "rapport.pdf", pages)
    _mbox(folder / "boite.mbox", 7)
    return sorted(folder.iterdir())


def _catalog(ws: Workspace, case_id: str) -> list[IndexItem]:
    with ws.vault.session() as session:
        ids = list(session.scalars(select(Document.id).where(Document.case_id == case_id)))
    return sorted(ws.search._iter_page_items(case_id, ids), key=lambda item: item.item_id)


@pytest.fixture
def handed(monkeypatch: pytest.MonkeyPatch) -> list[IndexItem]:
    """Every item an import hands to an index."""
    seen: list[IndexItem] = []
    replace_soon = SearchIndex.replace_documents_soon

    def record(index: SearchIndex, doc_ids: Any, items: Any, **kwargs: Any) -> None:
        items = list(items)
        seen.extend(items)
        replace_soon(index, doc_ids, items, **kwargs)

    monkeypatch.setattr(SearchIndex, "replace_documents_soon", record)
    return seen


def test_the_index_gets_the_pages_the_catalog_holds(
    workspace: Workspace, tmp_path: Path, handed: list[IndexItem]
) -> None:
    ws = workspace
    case = ws.cases.create("Remise").id
    outcomes = ws.documents.import_many(case, _files(tmp_path / "in"))
    assert not [o.error for o in outcomes if o.error]
    ws.documents.import_file(
        case, write_pdf(tmp_path / "seul.pdf", [text_page("Seul, mot1s.")]), title="Titre donné"
    )
    ws.documents.import_file(case, _mbox(tmp_path / "autre.mbox", 4), date="2023-05-06")
    expected = _catalog(ws, case)
    assert len(expected) > 25  # messages, attachments, members, pages
    assert all(item.version for item in expected)
    assert sorted(handed, key=lambda item: item.item_id) == expected
    for word in ("mot2n", "mot1z", "mot6m", "mot5p", "mot1s", "mot2r"):
        assert ws.search.query(word, case=case), word


def test_the_index_holds_the_versions_the_catalog_holds(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Else the first search after the next unlock would index them all again."""
    ws = workspace
    case = ws.cases.create("Remise").id
    ws.documents.import_many(case, _files(tmp_path / "in"))
    assert ws.search.query("mot3m", case=case)
    catalog = catalog_versions(ws.vault, case)
    indexed = ws.search._indexes[case].doc_versions()
    assert catalog.keys() <= indexed.keys()
    assert stale(indexed, catalog) == set()


def test_an_import_does_not_read_its_pages_back(workspace: Workspace, tmp_path: Path) -> None:
    """Reading back and decrypting every page just written was a fifth of the app's work in
    the import of a mailbox of small messages."""
    ws = workspace
    case = ws.cases.create("Remise").id
    # Not opened before: the import's first hand-off must not find its own documents
    # missing from the index and read them back (the whole of a mailbox imported alone).
    read: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "FROM page" in statement and "page.sealed" in statement:
            read.append(statement)

    event.listen(ws.vault.engine, "before_cursor_execute", record)
    try:
        ws.documents.import_many(case, _files(tmp_path / "in"))
    finally:
        event.remove(ws.vault.engine, "before_cursor_execute", record)
    assert ws.search.query("mot2r", case=case)
    assert read == []


def test_an_import_hands_its_pages_over_without_reading_the_catalog_again(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The row MACs of its documents and pages (their versions) are those its commit just
    signed: read back, they cost a query per group and more CPU than hashing them again."""
    ws = workspace
    case = ws.cases.create("Remise").id
    handing: list[bool] = []
    read: list[str] = []
    imported = ws.search.documents_imported

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if handing:
            read.append(statement)

    def hand_over(*args: Any, **kwargs: Any) -> None:
        handing.append(True)
        try:
            imported(*args, **kwargs)
        finally:
            handing.clear()

    monkeypatch.setattr(ws.search, "documents_imported", hand_over)
    event.listen(ws.vault.engine, "before_cursor_execute", record)
    try:
        ws.documents.import_many(case, _files(tmp_path / "in"))
    finally:
        event.remove(ws.vault.engine, "before_cursor_execute", record)
    assert read == []
    catalog = catalog_versions(ws.vault, case)
    assert stale(ws.search._indexes[case].doc_versions(), catalog) == set()


@pytest.mark.parametrize("workers", [False, True])
def test_an_import_makes_each_page_item_once(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: bool
) -> None:
    """Each group made every page's item twice, before its commit (for the workers, or
    thrown away when too small for them) and after it: the items made before are the ones
    indexed, once the versions read back after the commit are theirs."""
    from concurrent.futures import wait

    from dossier.search import analysed as analysed_module
    from dossier.search import built as built_module
    from dossier.services import search as search_module

    if workers:
        monkeypatch.setattr(analysed_module, "PARALLEL_MIN_BYTES", 100)
        wait(built_module.start_workers())
    made: list[str] = []
    page_item = search_module.page_item

    def making(*args: Any, **kwargs: Any) -> IndexItem:
        item = page_item(*args, **kwargs)
        made.append(item.item_id)
        return item

    ws = workspace
    case = ws.cases.create("Remise").id
    monkeypatch.setattr(search_module, "page_item", making)
    outcomes = ws.documents.import_many(case, _files(tmp_path / "in"))
    assert not [o.error for o in outcomes if o.error]
    monkeypatch.setattr(search_module, "page_item", page_item)
    catalog = _catalog(ws, case)
    assert sorted(made) == [item.item_id for item in catalog]
    for word in ("mot2n", "mot1z", "mot6m", "mot5p", "mot2r", "mot3m"):
        assert ws.search.query(word, case=case), word
    indexed = ws.search._indexes[case].doc_versions()
    assert stale(indexed, catalog_versions(ws.vault, case)) == set()


def test_a_large_batch_reaches_the_workers_before_its_catalog_commit(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers waited idle through each group's commit (its rows signed, its originals
    and the catalog synced: the most of a mailbox's import, serial) for the versions its rows'
    MACs give: the versions are read from the rows as the transaction stored them, and the
    pages handed before the commit. What was handed is what the catalog holds once committed
    (none dropped for a version that differs), for every way a document is made."""
    from concurrent.futures import wait

    from dossier.db import inventory
    from dossier.search import analysed as analysed_module
    from dossier.search import built as built_module
    from dossier.search import facade as facade_module
    from dossier.services.search import SearchService

    monkeypatch.setattr(analysed_module, "PARALLEL_MIN_BYTES", 100)
    wait(built_module.start_workers())
    lent: list[Any] = []
    real_lent = facade_module.Lent

    def record(*args: Any, **kwargs: Any) -> Any:
        lent.append(real_lent(*args, **kwargs))
        return lent[-1]

    at_commit: list[int] = []
    seal = inventory.seal_changes

    def committing(conn: Any, *args: Any) -> bool:
        at_commit.append(len(lent))
        return seal(conn, *args)

    dropped: list[object] = []
    abandon = SearchService.abandon_storing

    def dropping(early: object | None) -> None:
        if early is not None:
            dropped.append(early)
        abandon(early)

    ws = workspace
    case = ws.cases.create("Remise").id
    monkeypatch.setattr(facade_module, "Lent", record)
    monkeypatch.setattr(inventory, "seal_changes", committing)
    monkeypatch.setattr(SearchService, "abandon_storing", staticmethod(dropping))
    outcomes = ws.documents.import_many(case, _files(tmp_path / "in"))
    assert not [o.error for o in outcomes if o.error]
    ws.documents.import_file(case, _mbox(tmp_path / "autre.mbox", 4), date="2023-05-06")
    assert lent and at_commit and at_commit[0] >= 1, (lent, at_commit)
    assert dropped == []
    for word in ("mot2n", "mot1z", "mot6m", "mot5p", "mot2r", "mot3m"):
        assert ws.search.query(word, case=case), word
    indexed = ws.search._indexes[case].doc_versions()
    assert stale(indexed, catalog_versions(ws.vault, case)) == set()
    assert {item.doc_id for item in _catalog(ws, case)} <= indexed.keys()


def test_committing_a_case_leaves_nothing_of_an_import_pending(
    workspace: Workspace, tmp_path: Path
) -> None:
    """What `dossier import` and the bench wait for: the import's pages committed to the
    index, without a search."""
    ws = workspace
    case = ws.cases.create("Remise").id
    ws.documents.import_many(case, _files(tmp_path / "in"))
    index = ws.search._indexes[case]
    assert index._pending.open  # left to the index's timer, or to the next search
    ws.search.commit(case)
    assert not index._pending.open
    catalog = catalog_versions(ws.vault, case)
    indexed = index.doc_versions()
    assert catalog.keys() == indexed.keys()
    assert stale(indexed, catalog) == set()

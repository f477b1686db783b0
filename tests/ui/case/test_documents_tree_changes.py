"""The documents tree changes only the rows that changed, and always ends as the tree built
anew from the same documents: additions (attachments under their parent, a parent coming
after its attachment), edits that move a row or not, deletions with or without attachments,
in a seeded walk of a few hundred steps."""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime
from types import FrameType
from typing import Any

from PySide6.QtCore import QModelIndex

from dossier.services.constants import DOCUMENT_KINDS
from dossier.services.dto import DocumentChanges, DocumentInfo
from ui.case import contents_panel
from ui.case.contents_panel import ROWS_PER_PART, DocumentsTab, _parts
from ui.case.documents_model import DocumentsModel
from ui.state import AppState

WHEN = datetime(2026, 12, 4, tzinfo=UTC)


def _doc(number: int, rng: random.Random, parent: str | None = None) -> DocumentInfo:
    return DocumentInfo(
        id=f"doc{number:04d}",
        case_id="case",
        kind=rng.choice(DOCUMENT_KINDS),
        title=f"{rng.choice(['Note', 'memo', 'Élysée', '<b>Re</b>'])} {number}",
        date=rng.choice([None, "2024-03-01", "2023-12-31", f"2024-01-{1 + number % 28:02d}"]),
        outlet="",
        author="",
        filename=f"f{number}.txt",
        mime="text/plain",
        size=10,
        page_count=1 + number % 3,
        language=None,
        ocr_pages=0,
        extractor_version="1",
        created_at=WHEN,
        parent_id=parent,
        origin=f"attachment {number % 5}" if parent else "",
    )


def _tree(model: DocumentsModel, parent: QModelIndex | None = None) -> list[Any]:
    parent = parent or QModelIndex()
    rows = []
    for row in range(model.rowCount(parent)):
        cells = [model.index(row, column, parent).data() for column in range(3)]
        first = model.index(row, 0, parent)
        rows.append((cells, model.document_at(first), _tree(model, first)))
    return rows


def _descendants(docs: dict[str, DocumentInfo], doc_id: str) -> set[str]:
    found = {doc_id}
    grew = True
    while grew:
        more = {d.id for d in docs.values() if d.parent_id in found} - found
        grew = bool(more)
        found |= more
    return found


def test_the_kept_tree_is_the_tree_built_anew(qapp) -> None:
    rng = random.Random(16)
    kept, fresh = DocumentsModel(), DocumentsModel()
    docs: dict[str, DocumentInfo] = {}
    made = 0
    for step in range(150):
        changed: list[DocumentInfo] = []
        for _ in range(rng.randint(1, 4)):
            action = rng.choice(["add", "add", "attach", "edit", "move", "delete", "late"])
            if action in ("add", "attach", "late") or not docs:
                made += 1
                parent = rng.choice(list(docs)) if action == "attach" and docs else None
                if action == "late":  # inside the next document made, which comes after it
                    parent = f"doc{made + 1:04d}"
                doc = _doc(made, rng, parent)
            elif action == "edit":
                old = docs[rng.choice(list(docs))]
                doc = DocumentInfo(**{**old.__dict__, "page_count": old.page_count + 1})
            elif action == "move":
                old = docs[rng.choice(list(docs))]
                doc = DocumentInfo(
                    **{**old.__dict__, "title": f"Revu {step}", "kind": rng.choice(DOCUMENT_KINDS)}
                )
            else:
                for gone in _descendants(docs, rng.choice(list(docs))):
                    del docs[gone]
                continue
            docs[doc.id] = doc
            changed.append(doc)
        # The service may send unchanged documents again (its edit margin): harmless.
        changed += rng.sample(list(docs.values()), min(3, len(docs)))
        ids = frozenset(docs)
        kept.apply(DocumentChanges([d for d in changed if d.id in ids], ids, WHEN))
        fresh.load(list(docs.values()))
        assert _tree(kept, None) == _tree(fresh, None), step
        assert kept.documents == fresh.documents


def test_titles_from_outside_are_shown_escaped(qapp) -> None:
    rng = random.Random(1)
    model = DocumentsModel()
    doc = DocumentInfo(**{**_doc(1, rng).__dict__, "title": "Facture\u202egnp.exe"})
    model.apply(DocumentChanges([doc], frozenset({doc.id}), WHEN))
    index = model.index_of(doc.id)
    assert index is not None
    assert "\u202e" not in index.data()
    edited = DocumentInfo(**{**doc.__dict__, "title": "Bilan\u202etxt.exe"})
    model.apply(DocumentChanges([edited], frozenset({doc.id}), WHEN))
    index = model.index_of(doc.id)
    assert index is not None
    assert "\u202e" not in index.data() and "Bilan" in index.data()
    assert "\u202e" not in model.itemFromIndex(index).toolTip()


def test_a_large_read_is_put_in_parts_each_after_its_parents(qapp) -> None:
    # A notice during a large import brings hundreds of documents: the tree takes them in
    # parts, a turn of the event loop each, and ends as the tree built from all of them, with
    # no part bringing an attachment before its parent (which would rebuild the whole tree).
    rng = random.Random(16)
    docs: dict[str, DocumentInfo] = {}
    for number in range(400):
        parents = [d.id for d in docs.values()]
        parent = rng.choice(parents) if parents and rng.random() < 0.4 else None
        docs[f"doc{number:04d}"] = _doc(number, rng, parent)
    shuffled = list(docs.values())
    rng.shuffle(shuffled)
    changes = DocumentChanges(shuffled, frozenset(docs), WHEN)
    parts = _parts(changes)
    assert len(parts) > 1 and all(len(p.changed) <= ROWS_PER_PART for p in parts)
    model = DocumentsModel()
    rebuilt: list[DocumentsModel] = []
    original_load = model.load
    model.load = lambda documents: (rebuilt.append(model), original_load(documents))[1]  # type: ignore[method-assign]
    for part in parts:
        model.apply(part)
    assert not rebuilt
    fresh = DocumentsModel()
    fresh.load(list(docs.values()))
    assert _tree(model) == _tree(fresh)


def _python_calls_to_apply(held: int) -> int:
    """Python calls (a generator's steps included) made in the model's module to put in a
    part of `ROWS_PER_PART` new documents beside `held` others."""
    rng = random.Random(7)
    model = DocumentsModel()
    docs = [_doc(number, rng) for number in range(held + ROWS_PER_PART)]
    model.load(docs[:held])
    ids = frozenset(d.id for d in docs)
    calls = 0

    def profile(frame: FrameType, event: str, _arg: object) -> None:
        nonlocal calls
        if event == "call" and frame.f_code.co_filename.endswith("documents_model.py"):
            calls += 1

    sys.setprofile(profile)
    try:
        for part in _parts(DocumentChanges(docs[held:], ids, WHEN)):
            model.apply(part)
            model.apply(part)  # the same part again (a second read's): nothing to change
    finally:
        sys.setprofile(None)
    assert len(model.documents) == held + ROWS_PER_PART
    return calls


def test_a_part_costs_the_same_whatever_the_tree_holds(qapp) -> None:
    """Each part went over every document held (the late parent check, the deleted ones):
    with 10,000 in the tree a part of 25 rows cost as much as 400 parts of a small tree."""
    assert _python_calls_to_apply(5000) <= _python_calls_to_apply(50) * 1.5


def _cells_read_to_show_a_part(qapp: Any, held: int) -> int:
    """Cells the documents tab's view reads (`data`) to show a part of `ROWS_PER_PART` new
    documents beside `held` others, shown."""
    reads = 0

    class Counted(DocumentsModel):
        def data(self, index: Any, role: int = 0) -> Any:
            nonlocal reads
            reads += 1
            return super().data(index, role)

    contents_panel.DocumentsModel = Counted  # type: ignore[misc]
    try:
        tab = DocumentsTab(AppState())
    finally:
        contents_panel.DocumentsModel = DocumentsModel  # type: ignore[misc]
    rng = random.Random(5)
    docs = [_doc(number, rng) for number in range(held + ROWS_PER_PART)]
    tab.resize(600, 400)
    tab.show()
    tab.model.load(docs[:held])
    tab.tree.expandAll()
    qapp.processEvents()
    reads = 0
    for item in tab.model.apply(DocumentChanges(docs[held:], frozenset(d.id for d in docs), WHEN)):
        tab.tree.expand(item.index())
    qapp.processEvents()
    tab.close()
    return reads


def test_a_part_is_shown_reading_the_rows_on_screen_not_the_tree(qapp) -> None:
    """The date and page count columns were sized to their contents: each part put in made
    the view measure those cells again over the rows on screen and a thousand more (6 ms a
    part at 10,000 documents, on the GUI thread, through an import)."""
    assert _cells_read_to_show_a_part(qapp, 3000) <= _cells_read_to_show_a_part(qapp, 30) * 1.5


def test_attachments_with_one_title_are_told_apart_by_their_type(qapp) -> None:
    """A message's .docx, .pdf and .odt all headed "Hello from SwiftMailer !": each row says
    which file it is; the message's own row and a lone document keep their plain title."""
    rng = random.Random(2)
    base = _doc(1, rng).__dict__
    message = DocumentInfo(**{**base, "kind": "source", "title": "test-localhost"})
    files = ["Hello from SwiftMailer.docx", "Hello from SwiftMailer.pdf", "hello.odt", "readme"]
    parts = [
        DocumentInfo(
            **{
                **base,
                "id": f"part{n}",
                "kind": "source",
                "title": "Hello from SwiftMailer !",
                "filename": name,
                "parent_id": message.id,
                "origin": f"attachment {n}",
            }
        )
        for n, name in enumerate(files)
    ]
    for docs in ([message, *parts], [*parts, message]):  # the parent first, or late
        model = DocumentsModel()
        model.apply(DocumentChanges(docs, frozenset(d.id for d in docs), WHEN))
        shown_as = {d.filename: model.index_of(d.id).data() for d in parts}  # type: ignore[union-attr]
        assert shown_as == {
            "Hello from SwiftMailer.docx": "Hello from SwiftMailer ! (docx)",
            "Hello from SwiftMailer.pdf": "Hello from SwiftMailer ! (pdf)",
            "hello.odt": "Hello from SwiftMailer ! (odt)",
            "readme": "Hello from SwiftMailer !",
        }
        assert model.index_of(message.id).data() == "test-localhost"  # type: ignore[union-attr]
        edited = DocumentInfo(**{**parts[0].__dict__, "title": "Bonjour"})
        model.apply(DocumentChanges([edited], frozenset(d.id for d in docs), WHEN))
        assert model.index_of(edited.id).data() == "Bonjour (docx)"  # type: ignore[union-attr]

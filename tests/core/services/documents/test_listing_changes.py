"""A view that keeps a case's documents and asks only for what changed ends up showing what
`of_case` shows, through imports, edits and deletions in any order (one seeded walk), and it
decrypts only the documents it does not hold yet or that were edited."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

import pytest

from dossier.services.documents import listing
from dossier.services.documents.dto import DocumentEdit
from dossier.services.dto import DocumentInfo
from dossier.services.workspace import Workspace


class View:
    """What the documents tree keeps: documents by id, and the marker of its last answer."""

    def __init__(self, ws: Workspace, case_id: str) -> None:
        self.ws, self.case_id = ws, case_id
        self.docs: dict[str, DocumentInfo] = {}
        self.marker = None
        self.seen: Mapping[str, str] = {}
        self.last_changed: list[DocumentInfo] = []

    def refresh(self) -> None:
        answer = self.ws.documents.changes(
            self.case_id, known=self.docs, since=self.marker, seen=self.seen
        )
        self.last_changed = answer.changed
        self.docs = {i: d for i, d in self.docs.items() if i in answer.ids}
        self.docs.update((d.id, d) for d in answer.changed)
        self.marker, self.seen = answer.marker, answer.recent


def _note(folder: Path, number: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"note-{number:03d}.txt"
    path.write_text(f"Note {number} sur la vidéosurveillance du stade.\n", encoding="utf-8")
    return path


def test_a_view_following_changes_shows_what_of_case_shows(
    workspace: Workspace, tmp_path: Path
) -> None:
    case_id = workspace.cases.create("Stade").id
    view = View(workspace, case_id)
    rng = random.Random(16)
    made = 0
    for step in range(25):
        docs = workspace.documents.of_case(case_id)
        action = rng.choice(["import", "import", "edit", "delete"]) if docs else "import"
        if action == "import":
            paths = [_note(tmp_path / "in", made + k) for k in range(rng.randint(1, 4))]
            made += len(paths)
            workspace.documents.import_many(case_id, paths, ocr=False)
        elif action == "edit":
            doc = rng.choice(docs)
            workspace.documents.update(doc.id, DocumentEdit(title=f"Titre revu {step}"))
        else:
            workspace.documents.delete(rng.choice(docs).id)
        if rng.random() < 0.7:  # sometimes two changes come before the view asks
            view.refresh()
            assert view.docs == {d.id: d for d in workspace.documents.of_case(case_id)}, step


def test_only_new_and_edited_documents_are_read_again(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "EDIT_MARGIN", timedelta(0))
    case_id = workspace.cases.create("Stade").id
    first = [_note(tmp_path / "a", n) for n in range(5)]
    workspace.documents.import_many(case_id, first, ocr=False)
    view = View(workspace, case_id)
    view.refresh()
    assert len(view.last_changed) == 5
    view.refresh()
    assert view.last_changed == []
    outcomes = workspace.documents.import_many(case_id, [_note(tmp_path / "b", 9)], ocr=False)
    added = outcomes[0].document
    assert added is not None
    edited = sorted(view.docs)[0]
    workspace.documents.update(edited, DocumentEdit(title="Compte rendu du conseil"))
    view.refresh()
    assert {d.id for d in view.last_changed} == {added.id, edited}
    assert view.docs[edited].title == "Compte rendu du conseil"


def test_documents_edited_lately_are_read_again_only_once_edited_again(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Within the margin kept for late commits, a document the view already holds as it is
    now is not read again: a view asking once a second through an import decrypted each new
    document five times over."""
    case_id = workspace.cases.create("Stade").id
    workspace.documents.import_many(
        case_id, [_note(tmp_path / "a", n) for n in range(4)], ocr=False
    )
    view = View(workspace, case_id)
    view.refresh()
    assert len(view.last_changed) == 4
    outcomes = workspace.documents.import_many(case_id, [_note(tmp_path / "b", 9)], ocr=False)
    added = outcomes[0].document
    assert added is not None
    view.refresh()
    assert [d.id for d in view.last_changed] == [added.id]
    for _ in range(3):
        view.refresh()
        assert view.last_changed == []
    workspace.documents.update(added.id, DocumentEdit(title="Compte rendu du conseil"))
    view.refresh()
    assert [d.title for d in view.last_changed] == ["Compte rendu du conseil"]
    view.refresh()
    assert view.last_changed == []
    assert view.docs == {d.id: d for d in workspace.documents.of_case(case_id)}


def test_an_edit_committed_after_the_answer_read_its_time_is_not_missed(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit written and committed between the answer's reading of the edit times and its
    reading of the documents is sent again at the next answer (the view may hold it already,
    never a copy older than the times it was handed)."""
    case_id = workspace.cases.create("Stade").id
    workspace.documents.import_many(
        case_id, [_note(tmp_path / "a", n) for n in range(3)], ocr=False
    )
    view = View(workspace, case_id)
    view.refresh()
    target = sorted(view.docs)[0]
    real_info = listing.document_info
    edited = []

    def edit_meanwhile(doc):  # the first document read: the times were read before it
        if not edited:
            edited.append(True)
            workspace.documents.update(target, DocumentEdit(title="Titre revu entre deux lectures"))
        return real_info(doc)

    workspace.documents.update(sorted(view.docs)[1], DocumentEdit(title="Autre titre"))
    monkeypatch.setattr(listing, "document_info", edit_meanwhile)
    view.refresh()
    monkeypatch.setattr(listing, "document_info", real_info)
    view.refresh()
    assert view.docs[target].title == "Titre revu entre deux lectures"
    assert view.docs == {d.id: d for d in workspace.documents.of_case(case_id)}

"""What the user deletes or edits while an import runs is not found by the app's search.

The app's search (which must not wait) leaves a running import's index writes to the index's
timer when they are large; a deletion or an edit made meanwhile waited with them, so the
deleted document, the deleted quote, the old title were still found until the timer's commit
(seconds, more in a large case), after the user was told they were gone."""

from __future__ import annotations

import threading

import pytest

from dossier.search import pending as pending_module
from dossier.services.documents.dto import DocumentEdit
from dossier.services.workspace import Workspace
from tests.alongside import alongside

SECRET = "Quartermaine"
GONE = ["document deleted", "quote deleted", "title edited"]


def _gone_while_importing(ws: Workspace, case_id: str, what: str) -> None:
    """The user makes `SECRET` unfindable (a document or a quote deleted, a title edited),
    then the import writes more than a search commits itself."""
    if what == "quote deleted":
        ws.documents.import_bytes(case_id, b"Le dossier est clos.", "a.txt")
        quote = ws.quotes.add(case_id, f"Le dossier {SECRET} est clos", notes=SECRET)
        assert ws.search.query(SECRET, case=case_id, fresh=False)
        ws.quotes.delete(quote.id)
    else:
        text = f"Le dossier {SECRET} est clos." if what == "document deleted" else "Clos."
        doc = ws.documents.import_bytes(case_id, text.encode(), f"{SECRET}.txt")
        assert ws.search.query(SECRET, case=case_id, fresh=False)
        if what == "document deleted":
            ws.documents.delete(doc.id)
        else:
            ws.documents.update(doc.id, DocumentEdit(title="Sans titre"))
    filler = " ".join(f"mot{n}" for n in range(32_000))  # 277 KB: just more than a search commits
    assert len(filler) > pending_module.SMALL_BYTES
    ws.documents.import_bytes(case_id, filler.encode(), "grand.txt")
    # The next file's write takes in what the index's workers built of the last one, once
    # they have (a loaded machine's workers may not have by then: waited for here).
    for _doomed, batch, *_new in ws.search._indexes[case_id]._queued:
        assert batch.ready(120), "the index's workers built nothing in two minutes"
    ws.documents.import_bytes(case_id, b"Une note.", "petit.txt")


@pytest.mark.parametrize("what", GONE)
def test_what_the_user_removed_during_an_import_is_not_found_by_a_search(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, what: str
) -> None:
    # Only the searches' own commits count: the timer's would hide the bug.
    monkeypatch.setattr(pending_module, "COMMIT_SECONDS", 3600.0)
    case_id = workspace.cases.create("Stade").id
    with workspace.index.importing(case_id):
        _gone_while_importing(workspace, case_id, what)
        hits = workspace.search.query(SECRET, case=case_id, fresh=False)
        assert [(hit.item_type, hit.title) for hit in hits] == []


def test_a_quote_deleted_is_not_found_while_the_index_is_busy(workspace: Workspace) -> None:
    # While an import hands its pages to the index (each group's commit, a wait for the
    # index's workers: seconds on a loaded machine), the app's search, which must not wait,
    # answered from the index as it stood: a quote deleted between two hand-offs was still
    # found, its text in the snippet. A hit is shown only if the catalog still holds it.
    case_id = workspace.cases.create("Stade").id
    workspace.documents.import_bytes(case_id, b"Le dossier est clos.", "a.txt")
    quote = workspace.quotes.add(case_id, f"Le dossier {SECRET} est clos", notes=SECRET)
    assert workspace.search.query(SECRET, case=case_id, fresh=False)
    workspace.quotes.delete(quote.id)
    busy, release = threading.Event(), threading.Event()

    def hand_off() -> None:  # what an import's next hand-off holds
        with workspace.search._lock:
            busy.set()
            release.wait(120)

    with alongside(hand_off):
        try:
            assert busy.wait(120)
            hits = workspace.search.query(SECRET, case=case_id, fresh=False)
        finally:
            release.set()
    assert [(hit.item_type, hit.title) for hit in hits] == []
    assert workspace.search.query(SECRET, case=case_id, fresh=False) == []

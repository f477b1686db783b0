"""Protected means masked on screen: every view the core hands out shows the pseudonym.

The attack: search `dépôt` or the surname, list documents, read the timeline, the letters, the
quotes, the people, open the scanned page: any part of "Wilhelmina Quartermaine" or her alias
"Quartz" shown without a reveal is a leak. A reveal shows them and is audited with who and
where.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.services.documents.dto import DocumentEdit
from dossier.services.quotes.dto import QuoteEdit
from dossier.services.workspace import Workspace
from tests import screencase as sc
from tests.clirun import PASSPHRASE


@pytest.fixture
def case(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> sc.ScreenCase:
    return sc.vault_copy(tmp_path_factory, tmp_path / "Screen.dossier", monkeypatch)


@pytest.fixture
def workspace(case: sc.ScreenCase, tmp_path: Path) -> Iterator[Workspace]:
    """The vault holding the case (a copy of one built once: its scanned page is read by OCR)."""
    with Workspace.open(tmp_path / "Screen.dossier", PASSPHRASE) as ws:
        yield ws


def _reveals(ws: Workspace, case_id: str) -> list[dict[str, object]]:
    return [r.details for r in ws.audit.records(case_id) if r.action == "person.reveal"]


def test_search_titles_snippets_and_terms_show_only_the_pseudonym(
    workspace: Workspace, case: sc.ScreenCase
) -> None:
    seen_pseudonym = False
    for query in ("Quartermaine", "dépôt", "chantier", "Quartz", "Wilhelmina", "Paul"):
        for hit in workspace.search.query(query, case=sc.CASE):
            shown = " ".join([hit.title, hit.snippet, *hit.terms])
            assert not sc.leaked(shown), (query, shown)
            seen_pseudonym |= sc.PSEUDONYM in hit.snippet
            for start, end in hit.highlights:
                assert 0 <= start < end <= len(hit.snippet)
    assert seen_pseudonym
    pages = workspace.search.query("dépôt", case=sc.CASE, item_types=["page"])
    assert {h.doc_id for h in pages} == {case.memo_id, case.note_id}
    assert not _reveals(workspace, case.case_id)


def test_titles_timeline_letters_quotes_and_people_are_masked(
    workspace: Workspace, case: sc.ScreenCase
) -> None:
    ws = workspace
    docs = ws.documents.of_case(sc.CASE)
    assert ws.documents.get(case.memo_id).title == f"Memo from {sc.PSEUDONYM}"
    assert not sc.leaked(repr(docs))
    timeline = ws.timeline.items(sc.CASE)
    assert any(sc.PSEUDONYM in i.title for i in timeline)
    assert not sc.leaked(repr(timeline))
    letters = ws.letters.of_case(sc.CASE)
    assert letters[0].subject == f"Au sujet de {sc.PSEUDONYM}"
    assert not sc.leaked(repr(letters)) and not sc.leaked(repr(ws.letters.get(letters[0].id)))
    quotes = ws.quotes.of_case(sc.CASE)
    assert quotes and not sc.leaked(repr(quotes))
    assert not sc.leaked(repr(ws.quotes.get(quotes[0].id)))
    people = ws.people.of_case(sc.CASE)
    assert not sc.leaked(repr(people))
    assert "Rencontré grâce à Source A" in repr(people)
    assert not _reveals(ws, case.case_id)


def test_viewer_pages_hide_every_name_part_and_give_its_word_boxes(
    workspace: Workspace, case: sc.ScreenCase
) -> None:
    real = workspace.documents.pages(case.memo_id)
    assert real[0].ocr and "Quartermaine" in real[0].text, real[0].text
    shown = workspace.screen.pages(case.memo_id)
    for page, screen in zip(real, shown, strict=True):
        assert len(screen.page.text) == len(page.text)  # offsets (quote spans) do not move
        assert not sc.leaked(screen.page.text), screen.page.text
        named = [w for w in page.words if sc.leaked(page.text[w.start : w.end])]
        assert named, page.text
        for word in named:
            assert any(
                b[0] <= word.x0 and b[1] <= word.y0 and b[2] >= word.x1 and b[3] >= word.y1
                for b in screen.boxes
            ), (word, screen.boxes)
    text_doc = workspace.screen.pages(case.note_id)
    assert not sc.leaked(text_doc[0].page.text) and text_doc[0].spans
    assert not _reveals(workspace, case.case_id)


def test_a_reveal_shows_the_names_and_is_audited_with_who_and_where(
    workspace: Workspace, case: sc.ScreenCase
) -> None:
    ws = workspace
    hits = ws.search.query("dépôt", case=sc.CASE, reveal=True)
    assert any("Quartermaine" in h.snippet for h in hits)
    assert _reveals(ws, case.case_id) == [{"person_ids": [case.person_id], "where": "search"}]
    ws.timeline.items(sc.CASE, reveal=True)
    assert _reveals(ws, case.case_id)[-1]["where"] == "timeline"
    assert "Quartermaine" in ws.screen.pages(case.memo_id, reveal=True)[1].page.text
    assert _reveals(ws, case.case_id)[-1]["where"] == "viewer"


def test_a_session_reveal_is_audited_once_per_view_and_ends_with_hide(
    workspace: Workspace, case: sc.ScreenCase
) -> None:
    ws = workspace
    ws.screen.reveal(case.case_id)
    assert ws.screen.revealed(case.case_id)
    first = _reveals(ws, case.case_id)
    assert first == [{"person_ids": [case.person_id], "where": "app: every view until lock"}]
    for _ in range(3):
        ws.screen.pages(case.memo_id, reveal=ws.screen.revealed(case.case_id))
    assert [r["where"] for r in _reveals(ws, case.case_id)][1:] == ["viewer"]
    ws.screen.hide(case.case_id)
    assert not ws.screen.revealed(case.case_id)
    assert not sc.leaked(ws.screen.pages(case.memo_id)[0].page.text)


def test_a_masked_title_sent_back_untouched_keeps_the_real_one(
    workspace: Workspace, case: sc.ScreenCase
) -> None:
    ws = workspace
    shown = ws.documents.get(case.memo_id)
    ws.documents.update(case.memo_id, DocumentEdit(title=shown.title, date="2024-03-09"))
    assert ws.documents.get(case.memo_id, reveal=True).title == "Memo from Quartermaine"
    ws.documents.update(case.memo_id, DocumentEdit(title="Memo of the depot"))
    assert ws.documents.get(case.memo_id, reveal=True).title == "Memo of the depot"
    quote = ws.quotes.of_case(sc.CASE)[0]
    ws.quotes.update(quote.id, QuoteEdit(notes=quote.notes))
    assert ws.quotes.get(quote.id, reveal=True).notes == "Quartz l'a confirmé."


def test_find_in_sources_is_masked_and_its_candidate_still_saves(
    workspace: Workspace, case: sc.ScreenCase
) -> None:
    ws = workspace
    (best, *_) = ws.quotes.find(sc.CASE, sc.TYPED)
    assert best.doc_id == case.memo_id and best.verdict == "verbatim"
    assert not sc.leaked(repr(best)), best
    saved = ws.quotes.add(sc.CASE, sc.TYPED, source=best.doc_id, spans=best.spans)
    assert saved.verdict == "verbatim" and not sc.leaked(repr(saved))
    assert ws.quotes.get(saved.id, reveal=True).text == sc.TYPED

"""A quote edited or deleted while the case's quotes are re-checked keeps what the edit wrote.

A re-check reads every quote of the case, anchors each again (seconds for a large case) and
writes its outcome on every quote. Written from the rows as it read them, it wrote back over
the notes, text or review a journalist saved meanwhile (lost without a word), and a quote
deleted meanwhile stopped the check on a database error."""

from __future__ import annotations

from pathlib import Path

from dossier.services.quotes.dto import QuoteEdit
from dossier.services.workspace import Workspace
from tests.alongside import alongside
from tests.pdfgen import FRENCH_PARAGRAPHS, text_page, write_pdf


def test_edits_made_during_checks_are_kept(workspace: Workspace, tmp_path: Path) -> None:
    ws = workspace
    case = ws.cases.create("Checked").id
    path = tmp_path / "memo.pdf"
    write_pdf(path, [text_page(*FRENCH_PARAGRAPHS[:2]), text_page(*FRENCH_PARAGRAPHS[2:])])
    doc = ws.documents.import_file(case, path, ocr=False).id
    words = " ".join(FRENCH_PARAGRAPHS).split()
    quotes = [ws.quotes.add(case, " ".join(words[n : n + 8]), source=doc).id for n in range(12)]
    edited, deleted = quotes[:6], quotes[6:9]
    with alongside(lambda: ws.quotes.check(case), repeat=True):
        for turn in range(4):
            for quote in edited:
                ws.quotes.update(quote, QuoteEdit(notes=f"note {turn}"))
        for quote in deleted:
            ws.quotes.delete(quote)
    assert [ws.quotes.get(q).notes for q in edited] == ["note 3"] * 6
    assert {q.id for q in ws.quotes.of_case(case)} == set(quotes) - set(deleted)
    assert ws.vault.case_problems(case) == []
    assert ws.audit.verify().problems == []

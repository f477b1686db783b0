"""A document whose original is replaced while its text is read again keeps the text of the
original it names.

Re-extraction read which original the document names, then read that file, extracted it (as
long as that takes) and replaced the document's pages: an original replaced in between (a
corrected file) had its file reported missing, as if the vault were damaged, or its new text
replaced by the old original's, the quotes re-anchored in text the document's file does not
hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.errors import InputRefused
from dossier.services.documents.dto import DocumentEdit
from dossier.services.workspace import Workspace
from tests.alongside import alongside
from tests.pdfgen import ENGLISH_PARAGRAPHS, FRENCH_PARAGRAPHS, text_page, write_pdf


def _french_memo(ws: Workspace, tmp_path: Path) -> tuple[str, str, Path, Path]:
    """A case holding a French memo; its id, the memo's, and the French and English files."""
    case = ws.cases.create("Again").id
    french, english = tmp_path / "fr.pdf", tmp_path / "en.pdf"
    write_pdf(french, [text_page(*FRENCH_PARAGRAPHS)])
    write_pdf(english, [text_page(*ENGLISH_PARAGRAPHS)])
    return case, ws.documents.import_file(case, french, ocr=False).id, french, english


@pytest.mark.parametrize("at", [0.0, 0.05], ids=["before-reading", "while-extracting"])
def test_an_original_replaced_during_reextraction(
    workspace: Workspace, tmp_path: Path, at: float
) -> None:
    ws = workspace
    case, doc, _french, english = _french_memo(ws, tmp_path)
    replaced: list[float] = []

    def meanwhile(fraction: float, _message: str) -> None:
        if not replaced and fraction >= at:
            replaced.append(fraction)
            ws.documents.update(doc, DocumentEdit(title="Corrected"))
            ws.documents.replace_original(doc, english, ocr=False)

    if at:
        with pytest.raises(InputRefused, match="replaced while it was read again"):
            ws.documents.reextract(doc, ocr=False, progress=meanwhile)
    else:
        ws.documents.reextract(doc, ocr=False, progress=meanwhile)  # the English one, read again
    assert replaced
    assert ws.documents.get(doc).title == "Corrected"
    assert max(ENGLISH_PARAGRAPHS[0].split(), key=len) in ws.documents.text(doc)
    assert max(FRENCH_PARAGRAPHS[0].split(), key=len) not in ws.documents.text(doc)
    assert ws.vault.case_problems(case) == []


def test_an_original_read_while_it_is_replaced(workspace: Workspace, tmp_path: Path) -> None:
    """The viewer reading a document's original while a corrected file replaces it gets the
    one or the other, never a report that the vault lost a file."""
    ws = workspace
    _case, doc, french, english = _french_memo(ws, tmp_path)

    def replacing() -> None:
        for n in range(8):
            ws.documents.replace_original(doc, english if n % 2 == 0 else french, ocr=False)

    read = set()
    with alongside(replacing) as run:
        while run.running:
            read.add(ws.documents.original(doc))
            read.add(ws.documents.shown(doc))
    assert read <= {french.read_bytes(), english.read_bytes()}


def test_an_original_read_between_its_replacements_commit_and_the_stores_news_of_it(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small original is a row of the catalog, whose ids the blob store keeps until a writer
    tells it of a change (`touched`), just after its commit. A reader in between found the
    document naming its new original, a row the store did not know yet, looked for it as a
    file and reported it missing. The news is held back here for as long as the reads take."""
    ws = workspace
    case, doc, french, english = _french_memo(ws, tmp_path)
    assert ws.documents.original(doc) == french.read_bytes()  # the store knows the case's rows
    monkeypatch.setattr(ws.blobs, "touched", lambda *_args, **_kwargs: None)
    ws.documents.replace_original(doc, english, ocr=False)
    assert ws.documents.original(doc) == english.read_bytes()
    assert ws.documents.shown(doc) == english.read_bytes()
    monkeypatch.undo()
    assert ws.vault.case_problems(case) == []

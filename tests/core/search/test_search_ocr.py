"""Pages read by OCR are found despite recognition errors, below the pages that hold the word
as typed; pages typed by a person are not searched with errors (in an index, and in a vault where
Tesseract read a scanned page)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.search import SearchIndex
from dossier.services.workspace import Workspace
from tests.pdfgen import scanned_page, text_page, write_pdf
from tests.searchpages import page_item


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    opened = SearchIndex.open(tmp_path / "index", bytes(range(32)), "case")
    opened.add(
        [
            page_item(
                "scan", "Le commissaire Léonard dément l’instaIlation du logiciel.", ocr=True
            ),
            page_item("scan2", "La préfccture a signé le contrat de surveiIlance.", ocr=True),
            page_item("typed", "La préfecture confirme l’installation du logiciel.", ocr=False),
            page_item("typo", "Une installtion contestée par la préfecturee.", ocr=False),
        ]
    )
    return opened


def _found(index: SearchIndex, text: str) -> list[str]:
    return [hit.doc_id for hit in index.search(text)]


def test_ocr_errors_are_found_below_exact_matches(index: SearchIndex) -> None:
    assert _found(index, "installation") == ["typed", "scan"]
    assert _found(index, "préfecture") == ["typed", "scan2"]
    assert _found(index, "surveillance") == ["scan2"]
    # Typed pages are not searched with errors ("installtion", "préfecturee" stay unfound).
    assert "typo" not in _found(index, "installation préfecture")


def test_an_ocr_variant_is_explained_and_short_words_are_exact(index: SearchIndex) -> None:
    hit = index.search("surveillance")[0]
    parts = {(p.term, p.field) for p in hit.parts if p.what == "word"}
    assert parts == {("surveiilance", "text read by OCR, one error away")}
    assert _found(index, "contrit") == ["scan2"]  # "contrat", read by OCR
    assert _found(index, "confirmo") == []  # one error from "confirme", on a typed page only
    assert _found(index, "signe") == ["scan2"]  # stemmed, exact


def test_a_scanned_page_in_a_vault_is_searched_with_tolerance(
    workspace: Workspace, tmp_path: Path
) -> None:
    # The same misspelt word, once in a picture (read by Tesseract), once in a text layer.
    case = workspace.cases.create("Scans").id
    words = "The council installed new surveillance camcras near the station."
    scan = write_pdf(tmp_path / "scan.pdf", [scanned_page(words)])
    typed = write_pdf(tmp_path / "typed.pdf", [text_page(words)])
    scanned_id = workspace.documents.import_file(case, scan, ocr=True).id
    workspace.documents.import_file(case, typed)
    hits = workspace.search.query("cameras", case=case)
    assert [h.doc_id for h in hits] == [scanned_id]
    # The snippet marks the word as OCR read it, the one the hit was found through.
    assert [hits[0].snippet[s:e] for s, e in hits[0].highlights] == ["camcras"]

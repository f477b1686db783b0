"""The index stores only what search needs: a page's text is not in it (snippets are cut from
the catalog's page text), nor are stems (typed words are expanded against the indexed words)."""

from __future__ import annotations

from pathlib import Path

from dossier.services.workspace import Workspace
from tests.pdfgen import text_page, write_pdf

PAGES = (
    "Les enquêteurs examinent la différence entre les marchés publics de la préfecture.",
    "The investigators were investigating the purchase of surveillance software.",
)


def test_page_text_is_not_stored_but_snippets_still_show_it(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Stockage").id
    pdf = write_pdf(tmp_path / "report.pdf", [text_page(PAGES[0]), text_page(PAGES[1])])
    doc = workspace.documents.import_file(case, pdf, kind="source", ocr=False).id
    hits = workspace.search.query("investigation", case=case)
    assert [(h.doc_id, h.page_index) for h in hits] == [(doc, 1)]
    marked = [hits[0].snippet[s:e] for s, e in hits[0].highlights]
    assert marked == ["investigators", "investigating"]
    # The stored fields of every page hold no text.
    index = workspace.search._indexes[case]
    with index._ix.searcher() as searcher:
        stored = list(searcher.all_stored_fields())
    assert len(stored) == 2 and all("text" not in fields for fields in stored)
    assert "content" not in index._ix.schema.names()


def test_a_word_finds_its_forms_in_both_languages(workspace: Workspace, tmp_path: Path) -> None:
    case = workspace.cases.create("Formes").id
    pdf = write_pdf(tmp_path / "report.pdf", [text_page(PAGES[0]), text_page(PAGES[1])])
    workspace.documents.import_file(case, pdf, kind="source", ocr=False)

    def pages(typed: str) -> list[int | None]:
        return sorted(h.page_index for h in workspace.search.query(typed, case=case))

    assert pages("enquêteur") == [0]
    assert pages("marché") == [0]
    assert pages("préfectures") == [0]
    assert pages("investigate") == [1]
    assert pages("investigator") == [1]
    assert pages("purchases") == [1]
    assert pages("examine") == [0]  # the English stem of an English-looking French word
    assert pages("différente") == [0]

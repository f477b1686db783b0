"""What was typed ranks first: a page that holds only a synonym of the typed word ("email" for
"courriel") or only an OCR misreading of it ranks below every page that holds the word itself,
however rare the synonym or the misreading is in the case (a rare word weighs more in BM25F,
which put a lone synonym first) and however often the page repeats it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.search import SearchIndex
from dossier.search.ranking import SYNONYM_FIELD, total
from dossier.services.workspace import Workspace
from tests.searchpages import import_texts, page_item

FILLER = "Le cabinet du préfet a répondu aux questions de la commission sur le budget"
COMMON = 12
"""Pages that hold the common word: its weight in BM25F falls as the word spreads."""


def _pages(common: str, rare: str) -> dict[str, str]:
    pages = {
        f"{common}-{n:02d}": f"{FILLER} {n}. Il a transmis un {common}." for n in range(COMMON)
    }
    pages["rare"] = f"{FILLER} 99. Il a transmis un {rare}."
    # The synonym said five times on a page no longer than the others.
    pages["repeated"] = f"{FILLER}: {rare}, {rare}, {rare}, {rare}, {rare}."
    return pages


@pytest.mark.parametrize(("common", "rare"), [("courriel", "email"), ("email", "courriel")])
def test_a_rare_synonym_ranks_below_every_page_with_the_typed_word(
    workspace: Workspace, tmp_path: Path, common: str, rare: str
) -> None:
    case = workspace.cases.create("Synonymes").id
    import_texts(workspace, case, tmp_path / "pages", _pages(common, rare))
    hits = workspace.search.query(common, case=case, limit=50)
    ranked = [hit.title for hit in hits]
    assert len(ranked) == COMMON + 2, ranked
    assert set(ranked[:COMMON]) == {f"{common}-{n:02d}" for n in range(COMMON)}, ranked
    for hit in hits:  # the explanation still adds up to the score shown
        assert total(list(hit.parts)) == pytest.approx(hit.score)
    # ...and says which words were found as a synonym of the one typed.
    rare_parts = next(hit.parts for hit in hits if hit.title == "rare")
    assert {(p.term, p.field) for p in rare_parts if p.what == "word"} == {(rare, SYNONYM_FIELD)}
    common_parts = next(hit.parts for hit in hits if hit.title == f"{common}-00")
    assert {(p.term, p.field) for p in common_parts if p.what == "word"} == {(common, "text")}
    # Typed the other way, the rare word's own page comes first.
    assert workspace.search.query(rare, case=case, limit=50)[0].title in ("rare", "repeated")


def test_a_rare_ocr_misreading_ranks_below_every_page_with_the_typed_word(
    tmp_path: Path,
) -> None:
    index = SearchIndex.open(tmp_path / "index", bytes(range(32)), "case")
    index.add(
        [
            page_item(
                f"typed{n:02d}",
                f"{FILLER} {n}. La préfecture confirme l'installation.",
                ocr=n % 2 == 0,
            )
            for n in range(COMMON)
        ]
        + [
            page_item("scan", f"{FILLER} 99. La préfecture confirme l'instaIlation.", ocr=True),
            page_item("scans", f"{FILLER}: instaIlation, instaIlation, instaIlation.", ocr=True),
        ]
    )
    hits = index.search("installation", limit=50)
    ranked = [hit.doc_id for hit in hits]
    assert len(ranked) == COMMON + 2, ranked
    assert set(ranked[:COMMON]) == {f"typed{n:02d}" for n in range(COMMON)}, ranked
    for hit in hits:
        assert total(list(hit.parts)) == pytest.approx(hit.score)

"""An index holding a document's items twice (what the hand-off fixed in 1dce7af left behind:
each search found each of its pages twice) is repaired at the next open: the reconciliation
compared the versions of documents, and the doubled items had the catalog's version, so the
duplicates stayed until a full rebuild. It now compares their counts too."""

from __future__ import annotations

import collections
from collections.abc import Callable
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.search import IndexItem, SearchIndex
from dossier.services.search import ITEMS_DOC
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.pdfgen import text_page, write_pdf

PAGES = (
    "Le commissaire Léonard dément toute installation du logiciel.",
    "La préfecture confirme l’achat des caméras Zorglub en 2022.",
    "Le marché public a été attribué sans appel d’offres.",
)


def _vault(vault_path: Path, tmp_path: Path) -> tuple[str, str, str]:
    with Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Caméras").id
        pdf = write_pdf(tmp_path / "rapport.pdf", [text_page(text) for text in PAGES])
        doc = ws.documents.import_file(case, pdf).id
        other = write_pdf(tmp_path / "autre.pdf", [text_page("Une autre affaire, à Zorglub.")])
        second = ws.documents.import_file(case, other).id
        ws.people.add(case, "Patrick Léonard", role="official")
        ws.quotes.add(case, "Le commissaire Léonard dément", speaker="Léonard", source=doc)
        assert ws.search.query("Zorglub", case=case)
    return case, doc, second


def _hits(ws: Workspace, case: str, query: str, **filters: object) -> collections.Counter[str]:
    return collections.Counter(hit.item_id for hit in ws.search.query(query, case=case, **filters))


def _in_one_write(index: SearchIndex, items: list[IndexItem]) -> None:
    index.add(items + items)


def _in_two_commits(index: SearchIndex, items: list[IndexItem]) -> None:
    index.add(items)
    index.flush()
    index.add(items)


@pytest.mark.parametrize("plant", [_in_one_write, _in_two_commits], ids=["one-write", "commits"])
def test_pages_indexed_twice_are_found_once_after_the_next_open(
    vault_path: Path,
    tmp_path: Path,
    plant: Callable[[SearchIndex, list[IndexItem]], None],
) -> None:
    case, doc, second = _vault(vault_path, tmp_path)
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        items = ws.search._page_items(case, [doc])
        index = SearchIndex.open(ws.vault.index_dir(case), ws.vault.case_keys(case).index, case)
        try:
            index.replace_documents([doc], [])
            plant(index, items)
        finally:
            index.close()
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        assert _hits(ws, case, "Léonard", item_types=["page"]) == {f"{doc}:0": 1}
        found = _hits(ws, case, "Zorglub")
        assert found == {f"{doc}:1": 1, f"{second}:0": 1}
        assert ws.search._indexes[case].doc_item_counts()[doc] == len(PAGES)
        assert ws.search._indexes[case].doc_item_counts()[second] == 1


def test_catalog_items_indexed_twice_are_found_once_after_the_next_open(
    vault_path: Path, tmp_path: Path
) -> None:
    case, _doc, _second = _vault(vault_path, tmp_path)
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        items = ws.search._catalog_items(case)
        index = SearchIndex.open(ws.vault.index_dir(case), ws.vault.case_keys(case).index, case)
        try:
            index.add(items)
        finally:
            index.close()
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        quotes = _hits(ws, case, "dément", item_types=["quote"])
        assert list(quotes.values()) == [1]
        assert ws.search._indexes[case].doc_item_counts()[ITEMS_DOC] == len(items)


def test_an_index_in_step_is_not_written_at_open(vault_path: Path, tmp_path: Path) -> None:
    """The counts compared, nothing is re-indexed when none is doubled."""
    case, doc, _second = _vault(vault_path, tmp_path)
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        folder = ws.vault.index_dir(case)
        before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
        assert _hits(ws, case, "Léonard", item_types=["page"]) == {f"{doc}:0": 1}
        assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before

"""The search service over a real vault: kept in step with imports, edits, quotes and deletions,
rebuilt when its index is missing or damaged, reached from the CLI with the issue's JSON shape."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import UsageError
from dossier.services.documents.dto import DocumentEdit
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE, run_cli
from tests.pdfgen import text_page, write_pdf

ARTICLE = (
    "L’utilisation du logiciel de reconnaissances faciales par la direction de la sécurité "
    "publique inquiète les députés.",
    "Le commissaire LÉONARD dément toute installation sur les ordinateurs du service.",
)
REPORT = ("The investigators were investigating the software purchase in Toulouse.",)


def _setup(ws: Workspace, tmp_path: Path) -> tuple[str, str, str]:
    case = ws.cases.create("Synopsis").id
    article = write_pdf(tmp_path / "article.pdf", [text_page(ARTICLE[0]), text_page(ARTICLE[1])])
    report = write_pdf(tmp_path / "report.pdf", [text_page(*REPORT)])
    a = ws.documents.import_file(case, article, kind="article", date="2023-11-21").id
    r = ws.documents.import_file(case, report, kind="source", date="2023-12-02").id
    return case, a, r


def test_french_and_english_queries_land_on_pages(workspace: Workspace, tmp_path: Path) -> None:
    case, article, report = _setup(workspace, tmp_path)
    search = workspace.search

    def first(query: str) -> tuple[str | None, int | None]:
        hits = search.query(query, case=case)
        assert hits, query
        return hits[0].doc_id, hits[0].page_index

    assert first("securite") == (article, 0)
    assert first("reconnaissance faciale") == (article, 0)
    assert first("utilisation") == (article, 0)
    assert first("Léonard") == (article, 1)
    assert first("investigate") == (report, 0)
    assert first('"sécurité publique"') == (article, 0)
    assert first("surveil* OR commiss*") == (article, 1)
    hit = search.query("Léonard", case=case)[0]
    assert "LÉONARD" in hit.snippet and hit.highlights
    assert search.query("logiciel", case=case, kinds=["source"]) == []
    assert [h.doc_id for h in search.query("software", case=case, date_from="2023-12-01")] == [
        report
    ]
    with pytest.raises(UsageError):
        search.query("(sécurité", case=case)


def test_index_follows_quotes_edits_and_deletions(workspace: Workspace, tmp_path: Path) -> None:
    case, article, report = _setup(workspace, tmp_path)
    workspace.people.add(case, "Patrick Léonard", role="official")
    workspace.quotes.add(
        case, "Le commissaire LÉONARD dément toute installation", speaker="Léonard", source=article
    )
    quote_hits = workspace.search.query("dément", case=case, item_types=["quote"])
    assert len(quote_hits) == 1
    assert quote_hits[0].doc_id == article and quote_hits[0].page_index == 1
    workspace.documents.update(report, DocumentEdit(title="Rapport Zorglub"))
    assert workspace.search.query("Zorglub", case=case)[0].doc_id == report
    workspace.documents.delete(report)
    assert workspace.search.query("investigating", case=case) == []


def test_missing_or_damaged_index_is_rebuilt(vault_path: Path, tmp_path: Path) -> None:
    with Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case, article, _ = _setup(ws, tmp_path)
        index_dir = ws.vault.index_dir(case)
    shutil.rmtree(index_dir)
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        assert ws.search.query("securite", case=case)[0].doc_id == article
    for path in sorted(index_dir.rglob("*")):
        if path.is_file() and path.stat().st_size > 100:
            raw = bytearray(path.read_bytes())
            raw[len(raw) // 2] ^= 0xFF
            path.write_bytes(bytes(raw))
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        assert ws.search.query("securite", case=case)[0].doc_id == article


def test_search_across_cases_and_cli_json(tmp_path: Path) -> None:
    vault = tmp_path / "v.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        _setup(ws, tmp_path)
        other = ws.cases.create("Autre").id
        note = tmp_path / "note.txt"
        note.write_text("Une note sur la sécurité des écoles.", encoding="utf-8")
        ws.documents.import_file(other, note, kind="note")
        assert {h.case_id for h in ws.search.query("sécurité")} == {c.id for c in ws.cases.all()}
    result = run_cli(tmp_path, "--vault", str(vault), "search", "--json", "--case", "Synopsis",
                     "securite")  # fmt: skip
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert {"doc_id", "title", "kind", "page_index", "page_label", "score", "snippet"} <= set(
        hits[0]
    )
    assert hits[0]["page_index"] == 0
    bad = run_cli(tmp_path, "--vault", str(vault), "search", '"unclosed')
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    rebuilt = run_cli(tmp_path, "--vault", str(vault), "reindex", "--json")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert json.loads(rebuilt.stdout)["items"] >= 4


def test_an_edit_first_thing_after_opening_is_searchable(vault_path: Path, tmp_path: Path) -> None:
    # The first use of an index in a session reconciles it (adds missing documents only): the
    # edit that triggers that first use must still replace the document's stale entry.
    with Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case, article, _report = _setup(ws, tmp_path)
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        ws.documents.update(article, DocumentEdit(title="Préfecture 4471"))
        hits = ws.search.query("4471", case=case)
        assert article in {h.doc_id for h in hits}


def test_searching_a_reopened_case_writes_nothing(vault_path: Path, tmp_path: Path) -> None:
    """Unlock then search, as every session starts: the index is read, never written (a case
    without quotes or letters committed an empty update, and its marker, at every unlock)."""
    with Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case, article, _report = _setup(ws, tmp_path)
        assert ws.search.query("securite", case=case)[0].doc_id == article
        index_dir = ws.vault.index_dir(case)

    def files() -> dict[str, tuple[int, int]]:
        return {
            str(p): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in index_dir.rglob("*")
            if p.is_file()
        }

    before = files()
    for _ in range(2):
        with Workspace.open(vault_path, PASSPHRASE) as ws:
            assert ws.search.query("securite", case=case)[0].doc_id == article
            assert ws.search.query("Léonard", case=case)
        assert files() == before


def test_a_search_asking_for_thousands_of_pages_answers_them(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Each page hit's text is read from the catalog for its snippet: asked in one query for
    all of them, 1,000 pages made SQLite refuse it ("Expression tree is too large"), and
    `dossier search --limit 1000` in a large case stopped on a traceback."""
    case = workspace.cases.create("Volumineux").id
    pages = tmp_path / "pages.txt"
    pages.write_text("\f".join(f"Page {n} du registre, mot{n}r." for n in range(1200)))
    workspace.documents.import_file(case, pages, ocr=False)
    hits = workspace.search.query("registre", case=case, limit=1100)
    assert len(hits) == 1100
    assert len({hit.page_index for hit in hits}) == 1100
    assert all(f"mot{hit.page_index}r" in hit.snippet for hit in hits)

"""`dossier fsck` checks a case's search index without touching what a writer has not
committed yet: opening an index removes the files no table of contents names (a crash's
leftovers), and the check opened a second index on a folder the app may be writing, so the
segments of a writer's next commit were deleted under it and that commit failed."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.search import IndexItem, SearchIndex
from dossier.search import pending as pending_module
from dossier.services.workspace import Workspace
from tests.alongside import alongside
from tests.conftest import PASSPHRASE
from tests.pdfgen import text_page, write_pdf

ARTICLE = "Le commissaire Léonard dément toute installation du logiciel."


def _vault(vault_path: Path, tmp_path: Path) -> tuple[str, str]:
    with Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Enquête").id
        pdf = write_pdf(tmp_path / "article.pdf", [text_page(ARTICLE)])
        doc = ws.documents.import_file(case, pdf).id
        assert ws.search.query("Léonard", case=case)
    return case, doc


def _items(case: str, count: int) -> list[IndexItem]:
    return [
        IndexItem(
            item_id=f"ajout{n}:0",
            doc_id=f"ajout{n}",
            case_id=case,
            item_type="page",
            kind="source",
            title=f"Ajout {n}",
            text=f"Procès-verbal numéro motajout{n}x de la préfecture.",
            page_index=0,
        )
        for n in range(count)
    ]


def _folder_files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def slow_commits(monkeypatch: pytest.MonkeyPatch) -> None:
    """No commit by the timer: the writer's work stays uncommitted until the test commits it."""
    monkeypatch.setattr(pending_module, "COMMIT_SECONDS", 3600.0)


def test_check_leaves_a_writers_uncommitted_segments(
    vault_path: Path, tmp_path: Path, slow_commits: None
) -> None:
    case, doc = _vault(vault_path, tmp_path)
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        folder = ws.vault.index_dir(case)
        writer = SearchIndex.open(folder, ws.vault.case_keys(case).index, case)
        try:
            writer.add(_items(case, 40))
            written = _folder_files(folder)
            problems, count = ws.search.verify_all()
            assert problems == []
            assert count >= len(written)
            assert _folder_files(folder) >= written, "the check removed the writer's files"
            writer.flush()
            assert not writer.needs_rebuild
            assert {hit.doc_id for hit in writer.search("motajout7x")} == {"ajout7"}
            assert {hit.doc_id for hit in writer.search("Léonard")} == {doc}
        finally:
            writer.close()


def test_check_while_the_app_writes_uses_the_apps_index(
    vault_path: Path, tmp_path: Path, slow_commits: None
) -> None:
    """The check beside an import into the same case: it waits for the app's index and checks
    it, never a second one, and the import's pages are searchable after."""
    case, doc = _vault(vault_path, tmp_path)
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        texts = []
        for n in range(6):
            path = tmp_path / f"note{n}.txt"
            path.write_text(f"Note numéro motnote{n}x sur la préfecture.", encoding="utf-8")
            texts.append(path)
        results: list[tuple[list[str], int]] = []
        started = threading.Event()

        def check() -> None:
            started.wait(30)
            for _ in range(5):
                results.append(ws.search.verify_all())

        with alongside(check):
            for n, path in enumerate(texts):
                ws.documents.import_file(case, path)
                if n == 0:
                    started.set()
        assert results and all(problems == [] for problems, _count in results)
        for n in range(6):
            assert len(ws.search.query(f"motnote{n}x", case=case)) == 1
        assert [hit.doc_id for hit in ws.search.query("Léonard", case=case)] == [doc]


def _closed_index(vault_path: Path, tmp_path: Path) -> tuple[str, str, Path]:
    case, doc = _vault(vault_path, tmp_path)
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        return case, doc, ws.vault.index_dir(case)


def test_check_still_finds_a_damaged_index_it_has_not_opened(
    vault_path: Path, tmp_path: Path
) -> None:
    case, doc, folder = _closed_index(vault_path, tmp_path)
    segments = [p for p in folder.iterdir() if p.suffix == ".seg"]
    segment = max(segments, key=lambda p: p.stat().st_size)
    raw = bytearray(segment.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    segment.write_bytes(bytes(raw))
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        problems, _count = ws.search.verify_all()
        assert len(problems) == 1 and "dossier reindex" in problems[0]
        assert "\n" not in problems[0]
        assert [hit.doc_id for hit in ws.search.query("Léonard", case=case)] == [doc]
        assert ws.search.verify_all()[0] == []


def test_check_names_an_index_whose_table_of_contents_is_gone(
    vault_path: Path, tmp_path: Path
) -> None:
    _case, _doc, folder = _closed_index(vault_path, tmp_path)
    for toc in folder.glob("_MAIN_*.toc"):
        toc.unlink()
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        problems, _count = ws.search.verify_all()
        assert len(problems) == 1 and "dossier reindex" in problems[0]
    shutil.rmtree(folder)
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        assert ws.search.verify_all()[0] == []


def test_check_does_not_call_a_writers_half_written_marker_damage(
    vault_path: Path, tmp_path: Path
) -> None:
    """The marker of uncommitted work is written where it stands, not renamed into place: read
    while a writer writes it, it is cut short. Unreadable, it only means "re-index everything
    changed lately" to the next open, never a damaged index."""
    _case, _doc, folder = _closed_index(vault_path, tmp_path)
    (folder / pending_module.PENDING_NAME).write_bytes(b"\x00" * 10)
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        assert ws.search.verify_all()[0] == []

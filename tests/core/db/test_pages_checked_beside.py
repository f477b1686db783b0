"""A large case's pages are checked half by a worker process (`dossier.db.rowworker`): the
rows it checks are refused when altered exactly as the caller's own are, and its figures count
only when it read the catalog as the caller did.

The worker is started for any case here (its threshold lowered to two rows): the sample case
is small, the worker and its read of the catalog are real.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dossier.db import rowworker
from dossier.db.engine import snapshot
from dossier.db.inventory import CaseMacs, check_ahead
from dossier.errors import CorruptData
from dossier.sample.build import SAMPLE_PASSPHRASE
from dossier.services.workspace import Workspace
from dossier.vault.vault import CATALOG
from tests.core.db.tampering import Pristine, attacker, copy_vault, pristine_sample

REFUSED = "altered outside Dossier"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pristine]:
    with pristine_sample(tmp_path_factory) as pristine:
        yield pristine


@pytest.fixture
def shares(monkeypatch: pytest.MonkeyPatch) -> list[rowworker.Share | None]:
    """What each worker handed back (None: the caller checked its rows itself)."""
    monkeypatch.setattr(rowworker, "SPLIT_ROWS", 2)
    handed: list[rowworker.Share | None] = []
    real = rowworker.PageWorker.share

    def share(worker: rowworker.PageWorker, vault: tuple[bytes, bytes] | None) -> object:
        handed.append(real(worker, vault))
        return handed[-1]

    monkeypatch.setattr(rowworker.PageWorker, "share", share)
    return handed


def _last_page(db: sqlite3.Connection, case_id: str) -> tuple[int, str, int]:
    """(rowid, id, rowid of the case's first page) of the case's last page: the worker's."""
    first, last = db.execute(
        "SELECT min(rowid), max(rowid) FROM page WHERE case_id = ?", (case_id,)
    ).fetchone()
    assert last > first, "the sample case has one page: nothing to split"
    (page_id,) = db.execute("SELECT id FROM page WHERE rowid = ?", (last,)).fetchone()
    return last, page_id, first


def test_an_untouched_case_is_checked_half_by_the_worker(
    pristine: Pristine, tmp_path: Path, shares: list[rowworker.Share | None]
) -> None:
    folder = copy_vault(pristine, tmp_path)
    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        alone, beside = CaseMacs(), CaseMacs()
        ws.vault.case_keys(pristine[1], verify=False)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(rowworker, "SPLIT_ROWS", 10**9)
            assert ws.vault.case_problems(pristine[1], alone) == []
        assert shares == []
        assert ws.vault.case_problems(pristine[1], beside) == []
        assert ws.documents.of_case(pristine[1])
    assert len(shares) == 2 and all(share is not None for share in shares)
    assert shares[0] is not None and shares[0].count > 0
    assert beside.pages == alone.pages and beside.documents == alone.documents


@pytest.mark.parametrize("how", ["flip a byte of its text", "renumber it", "move it", "delete it"])
def test_a_page_the_worker_checks_is_refused_when_altered(
    pristine: Pristine, tmp_path: Path, shares: list[rowworker.Share | None], how: str
) -> None:
    folder = copy_vault(pristine, tmp_path)
    case_id, other_case = pristine[1], pristine[2]
    with attacker(folder) as db:
        rowid, page_id, _first = _last_page(db, case_id)
        if how == "flip a byte of its text":
            (sealed,) = db.execute("SELECT sealed FROM page WHERE rowid = ?", (rowid,)).fetchone()
            flipped = sealed[:-1] + bytes([sealed[-1] ^ 1])
            db.execute("UPDATE page SET sealed = ? WHERE rowid = ?", (flipped, rowid))
        elif how == "renumber it":
            db.execute("UPDATE page SET page_index = page_index + 1 WHERE rowid = ?", (rowid,))
        elif how == "move it":
            db.execute("UPDATE page SET case_id = ? WHERE rowid = ?", (other_case, rowid))
        else:
            db.execute("DELETE FROM page WHERE rowid = ?", (rowid,))
    named = "page" if how in ("move it", "delete it") else page_id

    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        with pytest.raises(CorruptData, match=REFUSED):
            ws.documents.of_case(case_id)
        with pytest.raises(CorruptData, match=REFUSED):
            ws.search.query("police", case=case_id)
    with Workspace.open(folder, SAMPLE_PASSPHRASE, strict=False) as ws:
        problems = ws.vault.case_problems(case_id)
    assert any(named in problem for problem in problems), problems
    if how not in ("move it", "delete it"):  # the worker that read it hands back nothing
        assert None in shares


def test_a_commit_between_the_two_reads_is_no_tampering(
    pristine: Pristine,
    tmp_path: Path,
    shares: list[rowworker.Share | None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Dossier deletes a document after the caller's read began and before the worker's: the
    worker's figures are of another state of the catalog, not added to the caller's."""
    folder = copy_vault(pristine, tmp_path)
    with attacker(folder) as db:
        last, _page_id, first = _last_page(db, pristine[1])
        doc_of = "SELECT document_id FROM page WHERE rowid = ?"
        (doc_id,) = db.execute(doc_of, (last,)).fetchone()
        (first_doc,) = db.execute(doc_of, (first,)).fetchone()
    assert doc_id != first_doc, "the case's first and last pages are of one document"
    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        case_id = pristine[1]
        ws.documents.of_case(case_id)  # checked, as the app has it before the deletion
        shares.clear()
        real_start = rowworker.start

        def start_after_a_commit(*args: object, **kwargs: object) -> object:
            ws.documents.delete(doc_id)
            return real_start(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(rowworker, "start", start_after_a_commit)
        assert ws.vault.case_problems(case_id) == []
        monkeypatch.setattr(rowworker, "start", real_start)
        assert shares == [None]
        assert ws.vault.case_problems(case_id) == []
        assert shares[-1] is not None


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[rowworker.PageWorker]:
    """The workers started, as they are handed to the check."""
    workers: list[rowworker.PageWorker] = []
    real = rowworker.start

    def start(*args: Any, **kwargs: Any) -> list[rowworker.PageWorker]:
        workers.extend(real(*args, **kwargs))
        return workers[-2:] if kwargs.get("ahead") else workers[-1:]

    monkeypatch.setattr(rowworker, "start", start)
    return workers


def test_a_first_search_ranks_while_two_workers_check_every_page(
    pristine: Pristine,
    tmp_path: Path,
    shares: list[rowworker.Share | None],
    started: list[rowworker.PageWorker],
) -> None:
    folder = copy_vault(pristine, tmp_path)
    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(rowworker, "SPLIT_ROWS", 10**9)
            alone = ws.search.query("police", case=pristine[1])
    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        ahead = ws.search.query("police", case=pristine[1])
    assert [w.span[0] is None for w in started] == [True, False]
    assert len(shares) == 2 and None not in shares
    assert ahead == alone and ahead


@pytest.mark.parametrize("which", ["first", "last"])
def test_a_first_search_shows_nothing_of_a_case_a_worker_finds_altered(
    pristine: Pristine,
    tmp_path: Path,
    shares: list[rowworker.Share | None],
    started: list[rowworker.PageWorker],
    which: str,
) -> None:
    """A page renumbered (which its text's own encryption does not see), in either worker's
    half: the search is refused, the first time and the next."""
    folder = copy_vault(pristine, tmp_path)
    case_id = pristine[1]
    with attacker(folder) as db:
        last, _page_id, first = _last_page(db, case_id)
        rowid = first if which == "first" else last
        db.execute("UPDATE page SET page_index = page_index + 1 WHERE rowid = ?", (rowid,))
    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        for _again in range(2):
            with pytest.raises(CorruptData, match=REFUSED):
                ws.search.query("police", case=case_id)
    assert len(started) == 4  # two for each search: the first did not check the case
    assert shares.count(None) == 2


def test_a_commit_while_the_workers_check_ahead_is_no_tampering(
    pristine: Pristine,
    tmp_path: Path,
    shares: list[rowworker.Share | None],
) -> None:
    """The workers read the case, then Dossier deletes a document, then the check reads: the
    workers' figures are of the catalog before the deletion, not added to the check's."""
    folder = copy_vault(pristine, tmp_path)
    case_id = pristine[1]
    with attacker(folder) as db:
        last, _page_id, _first = _last_page(db, case_id)
        (doc_id,) = db.execute("SELECT document_id FROM page WHERE rowid = ?", (last,)).fetchone()
    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        ws.documents.of_case(case_id)  # checked, as a thread that deletes has it
        shares.clear()
        keys = ws.vault.case_keys(case_id)
        with snapshot(ws.vault.engine) as conn:
            workers = check_ahead(conn, folder / CATALOG, case_id, keys.rows)
        assert len(workers) == 2
        for worker in workers:
            worker._process.wait()  # their read is over
        ws.documents.delete(doc_id)
        macs = CaseMacs()
        assert ws.vault.case_problems(case_id, macs, workers) == []
        assert shares == [None, None]
        assert doc_id not in macs.documents and doc_id not in macs.pages


# Each reads its request first, but the one gone before it is asked: had it not, whether it
# was gone before the app wrote the request (then never started, its pages checked by the app
# all the same) would be the machine's timing, and so would the count of its figures.
FAILING = {
    "exits once asked": "import sys; sys.stdin.buffer.read(); sys.exit(3)",
    "says nothing readable": "import sys; sys.stdin.buffer.read(); print('{}')",
    "is gone before it is asked": "import sys; sys.exit(3)",
}


class _GoneAtOnce(subprocess.Popen):  # type: ignore[type-arg]
    """A page-check worker has exited before the app writes its request (the app descheduled
    meanwhile, as on a loaded machine): the write finds its pipe closed."""

    def __init__(self, args: Any, *rest: Any, **kwargs: Any) -> None:
        super().__init__(args, *rest, **kwargs)
        if FAILING["is gone before it is asked"] in args:
            self.wait()


@pytest.mark.parametrize("fails", list(FAILING))
def test_the_pages_of_a_worker_that_fails_are_checked_by_the_app(
    pristine: Pristine,
    tmp_path: Path,
    shares: list[rowworker.Share | None],
    monkeypatch: pytest.MonkeyPatch,
    fails: str,
) -> None:
    monkeypatch.setattr(rowworker, "_RUN", FAILING[fails])
    gone = fails == "is gone before it is asked"
    if gone:
        monkeypatch.setattr(subprocess, "Popen", _GoneAtOnce)
    folder = copy_vault(pristine, tmp_path)
    case_id = pristine[1]
    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        assert ws.search.query("police", case=case_id)
    with attacker(folder) as db:
        last, _page_id, first = _last_page(db, case_id)
        db.execute(
            "UPDATE page SET page_index = page_index + 1 WHERE rowid IN (?, ?)", (first, last)
        )
    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        with pytest.raises(CorruptData, match=REFUSED):
            ws.search.query("police", case=case_id)
        with pytest.raises(CorruptData, match=REFUSED):
            ws.documents.of_case(case_id)
    assert shares == [None] * (0 if gone else 5)  # none started when gone, none counted


def _alter_last_page(folder: Path, case_id: str) -> str:
    """Renumber the case's last page (the worker's half) as an attacker would; its id."""
    with attacker(folder) as db:
        rowid, page_id, _first = _last_page(db, case_id)
        db.execute("UPDATE page SET page_index = page_index + 1 WHERE rowid = ?", (rowid,))
    return page_id


@pytest.mark.parametrize(
    "host",
    [
        "a frozen app that does not answer the flag",
        "no interpreter known (embedded)",
        "an interpreter gone",
        "fork refused",
    ],
)
def test_where_no_worker_can_run_every_page_is_still_checked(
    pristine: Pristine,
    tmp_path: Path,
    shares: list[rowworker.Share | None],
    monkeypatch: pytest.MonkeyPatch,
    host: str,
) -> None:
    folder = copy_vault(pristine, tmp_path)
    case_id = pristine[1]
    page_id = _alter_last_page(folder, case_id)
    with Workspace.open(folder, SAMPLE_PASSPHRASE, strict=False) as ws:
        if host == "a frozen app that does not answer the flag":
            # Python itself stands in for the app: it refuses the flag and exits at once.
            monkeypatch.setattr(sys, "frozen", True, raising=False)
        elif host == "no interpreter known (embedded)":
            # sys.executable is None or "" where Python cannot tell its own path.
            monkeypatch.setattr(sys, "executable", None)
        elif host == "an interpreter gone":
            monkeypatch.setattr(sys, "executable", str(tmp_path / "python-removed"))
        else:

            def refused(*_args: object, **_kwargs: object) -> None:
                raise BlockingIOError(11, "Resource temporarily unavailable")

            monkeypatch.setattr(subprocess, "Popen", refused)
        problems = ws.vault.case_problems(case_id)
    assert any(page_id in problem for problem in problems), problems
    if host.startswith("a frozen app"):
        # Started, it exits at once: its pipe is refused (no worker) or it hands back nothing.
        assert all(share is None for share in shares)
    else:
        assert shares == []


@pytest.mark.parametrize("first_use", ["search", "documents"])
@pytest.mark.parametrize("kept", ["empty", "one row's"])
def test_a_rowid_column_planted_while_open_is_refused_in_a_sentence(
    pristine: Pristine,
    tmp_path: Path,
    shares: list[rowworker.Share | None],
    kept: str,
    first_use: str,
) -> None:
    """A column named rowid hides the table's own rowid from every query naming it, so the
    worker's split is read from the attacker's values: NULL in every row, or in the one row
    altered, to leave it out of both halves."""
    folder = copy_vault(pristine, tmp_path)
    case_id = pristine[1]
    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        ws.documents.of_case(pristine[2])  # open, checked at open; then the attack
        with attacker(folder) as db:
            last, page_id, _first = _last_page(db, case_id)
            db.execute('ALTER TABLE page ADD COLUMN "rowid" INTEGER')
            if kept == "one row's":
                db.execute('UPDATE page SET "rowid" = _rowid_ WHERE _rowid_ != ?', (last,))
            db.execute("UPDATE page SET page_index = page_index + 1 WHERE _rowid_ = ?", (last,))
        with pytest.raises(CorruptData, match=REFUSED):
            if first_use == "search":  # two workers check ahead while the index is read
                ws.search.query("police", case=case_id)
            else:
                ws.documents.of_case(case_id)
        problems = ws.vault.case_problems(case_id)
    assert any(page_id in problem for problem in problems), problems


def test_the_frozen_app_checks_pages_in_workers_it_starts_as_itself(
    pristine: Pristine,
    tmp_path: Path,
    shares: list[rowworker.Share | None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The shipped app has no Python beside it: its executable is the app, started with
    `rowmac.SERVE_FLAG`. An executable that runs the app's entry point stands in for it."""
    app = tmp_path / "Dossier"
    app.write_text(
        f"#!{sys.executable}\nimport sys\nfrom ui.__main__ import main\nsys.exit(main())\n"
    )
    app.chmod(0o755)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(app))
    folder = copy_vault(pristine, tmp_path)
    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        assert ws.vault.case_problems(pristine[1]) == []
    assert len(shares) == 1 and shares[0] is not None and shares[0].count > 0

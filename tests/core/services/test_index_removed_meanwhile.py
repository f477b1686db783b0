"""A case's index removed (the case deleted, or its old index dropped by a rekey) while a
search of the case is on its way: the two are ordered, each window held open here with events.

The removal deleted the index's folder once it had released the search service's lock, so a
search in that moment opened the old files, which were then deleted under it: the search after
found them missing and rebuilt the index. A search that had its index in hand when the removal
came searched the closed index: its files gone, it called it damaged and rebuilt it, writing
back the index of a deleted case (sealed with a key the vault no longer holds) for nothing.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dossier.errors import DossierError, NotFoundError
from dossier.search.facade import SearchIndex
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE

WAIT_S = 60  # only a bound against a hang: every wait below ends on an event


class _Watched:
    """The search service's lock, telling when a thread has to wait for it."""

    def __init__(self, lock: Any, waiting: threading.Event) -> None:
        self._lock = lock
        self._waiting = waiting

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if self._lock.acquire(blocking=False):
            return True
        if not blocking:
            return False
        self._waiting.set()
        return bool(self._lock.acquire(True, timeout))

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


class _Thread(threading.Thread):
    def __init__(self, work: Callable[[], Any], done: threading.Event | None = None) -> None:
        super().__init__(daemon=True)
        self._work = work
        self._done = done
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._work()
        except BaseException as exc:  # handed to the test's thread
            self.error = exc
        finally:
            if self._done is not None:
                self._done.set()


@pytest.fixture
def rebuilds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The cases whose index is rebuilt, in order."""
    done: list[str] = []
    real = SearchIndex.rebuild

    def counted(self: SearchIndex, *args: Any, **kwargs: Any) -> int:
        done.append(self.case_id)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SearchIndex, "rebuild", counted)
    yield done


def _case(ws: Workspace) -> tuple[str, str]:
    case = ws.cases.create("Préfecture").id
    doc = ws.documents.import_bytes(case, "Le préfet a signé.".encode(), "a.txt").id
    assert [hit.doc_id for hit in ws.search.query("préfet", case=case)] == [doc]
    return case, doc


REMOVALS: dict[str, tuple[Callable[[Workspace, str], None], str]] = {
    # What a rekey does once the case is switched to its new key (`RekeyService._cleanup`).
    "old index dropped": (lambda ws, case: ws.search.case_removed(case), "rebuilt"),
    "case deleted": (lambda ws, case: ws.cases.delete(case), "not found"),
    "vault locked": (lambda ws, _case: ws.close(), "locked"),
}
USES: dict[str, Callable[[Workspace, str], list[str]]] = {
    "search": lambda ws, case: [hit.doc_id for hit in ws.search.query("préfet", case=case)],
    "quote anchoring": lambda ws, case: [
        d for d, _i in ws.search.candidate_pages(case, "préfet", 5)
    ],
}


def test_a_search_as_the_index_is_removed_waits_for_the_removal(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, rebuilds: list[str]
) -> None:
    case, doc = _case(workspace)
    folder = Path(workspace.vault.index_dir(case))
    removing, go, stopped = threading.Event(), threading.Event(), threading.Event()
    real_rmtree = shutil.rmtree

    def held(path: Any, *args: Any, **kwargs: Any) -> None:
        if Path(path) == folder and not removing.is_set():
            removing.set()
            go.wait(WAIT_S)
        real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", held)
    monkeypatch.setattr(workspace.search, "_lock", _Watched(workspace.search._lock, stopped))
    remover = _Thread(lambda: workspace.search.case_removed(case))
    remover.start()
    assert removing.wait(WAIT_S)
    # The search runs to its end, or waits for the removal: either way the removal goes on.
    searcher = _Thread(lambda: workspace.search.query("préfet", case=case), stopped)
    searcher.start()
    assert stopped.wait(WAIT_S)
    go.set()
    for thread in (remover, searcher):
        thread.join(WAIT_S)
        assert thread.error is None
    assert [hit.doc_id for hit in searcher.result] == [doc]
    made = len(rebuilds)
    # The index the service holds has its files: the next search answers from it.
    assert [hit.doc_id for hit in workspace.search.query("préfet", case=case)] == [doc]
    assert len(rebuilds) == made
    assert folder.is_dir()


@pytest.mark.parametrize("use", USES.values(), ids=USES.keys())
@pytest.mark.parametrize("removal", REMOVALS.values(), ids=REMOVALS.keys())
def test_a_search_holding_the_index_as_it_is_removed_takes_the_current_one(
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    rebuilds: list[str],
    removal: tuple[Callable[[Workspace, str], None], str],
    use: Callable[[Workspace, str], list[str]],
) -> None:
    remove, then = removal
    case, doc = _case(workspace)
    folder = Path(workspace.vault.index_dir(case))
    files = sorted(path.name for path in folder.iterdir())
    del rebuilds[:]
    holding, go = threading.Event(), threading.Event()
    real_flush = SearchIndex.flush

    def held(self: SearchIndex) -> None:
        # The search's first step once it has the index in hand (nobody else flushes here).
        if threading.current_thread() is searcher and not holding.is_set():
            holding.set()
            go.wait(WAIT_S)
        real_flush(self)

    monkeypatch.setattr(SearchIndex, "flush", held)
    searcher = _Thread(lambda: use(workspace, case))
    searcher.start()
    assert holding.wait(WAIT_S)
    remove(workspace, case)
    go.set()
    searcher.join(WAIT_S)
    assert not searcher.is_alive()
    if then == "rebuilt":
        # Its new index, built once from the catalog (the old one is never rebuilt).
        assert searcher.error is None
        assert searcher.result == [doc]
        assert rebuilds == [case]
        assert folder.is_dir()
    elif then == "not found":
        # One sentence, and nothing of the deleted case written back.
        assert isinstance(searcher.error, NotFoundError), searcher.error
        assert rebuilds == []
        assert not folder.exists()
    else:
        # Nothing read after the lock, and the index left as it was for the next unlock.
        assert isinstance(searcher.error, DossierError), searcher.error
        assert rebuilds == []
        assert sorted(path.name for path in folder.iterdir()) == files


class _Waits:
    """The search service's condition of a rebuilt index, telling when a thread waits on it."""

    def __init__(self, condition: Any, waiting: threading.Event) -> None:
        self._condition = condition
        self._waiting = waiting

    def wait(self, timeout: float | None = None) -> bool:
        self._waiting.set()
        return bool(self._condition.wait(timeout))

    def notify_all(self) -> None:
        self._condition.notify_all()


def test_a_search_as_a_rekey_rebuilds_the_index_waits_for_it(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, rebuilds: list[str]
) -> None:
    # Between the old index's removal and the new one's build, a search built the index from
    # the catalog, and the rekey built it again: twice the work for one index.
    case, doc = _case(workspace)
    del rebuilds[:]
    in_window, go, settled = threading.Event(), threading.Event(), threading.Event()
    real_reindex = workspace.search.reindex

    def held(*args: Any, **kwargs: Any) -> dict[str, int]:
        # The rekey's thread, its old index removed, about to build the new one.
        in_window.set()
        assert go.wait(WAIT_S)
        return real_reindex(*args, **kwargs)

    monkeypatch.setattr(workspace.search, "reindex", held)
    if hasattr(workspace.search, "_rebuilt"):
        monkeypatch.setattr(
            workspace.search, "_rebuilt", _Waits(workspace.search._rebuilt, settled)
        )
    rekey = _Thread(lambda: workspace.rekey.run(PASSPHRASE))
    rekey.start()
    assert in_window.wait(WAIT_S)
    # The search either waits for the rebuild or runs to its end (building the index itself).
    searcher = _Thread(lambda: workspace.search.query("préfet", case=case), settled)
    searcher.start()
    assert settled.wait(WAIT_S)
    go.set()
    for thread in (rekey, searcher):
        thread.join(WAIT_S)
        assert not thread.is_alive() and thread.error is None, thread.error
    assert [hit.doc_id for hit in searcher.result] == [doc]
    assert rebuilds == [case]
    assert [hit.doc_id for hit in workspace.search.query("préfet", case=case)] == [doc]
    assert rebuilds == [case]

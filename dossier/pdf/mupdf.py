"""The one owner of MuPDF: every call into PyMuPDF holds `MUPDF_LOCK`, so one runs at a time.

PyMuPDF documents that it does not support several threads at once; doing so can crash the
process. Dossier calls it from the import worker (text and OCR), the viewer's render thread,
the export (redaction) and the sample builder. We chose a lock held per call, reentrant, over
worker processes: a per-call lock costs nothing when only one thread draws, keeps documents
opened from decrypted bytes in this process's memory (a worker process would need the plaintext
sent to it), and a reentrant lock lets a locked function call another one.

The rule, checked by an import-linter contract: only `dossier.pdf` imports `pymupdf`. Other
packages (redaction, the sample builder, the self-test) take the library from here as
`pymupdf` and call it only inside `with mupdf():` or from a function decorated `@exclusive`.
A function is decorated rather than given a `with` block when it creates MuPDF objects in
local variables: they are then released when the function returns, still under the lock.

How long the lock is held: one page at a time for text extraction and OCR (a long import lets
the viewer draw between pages), one page for a render, a whole document for a redacted copy
(its pages depend on each other through the saved file).

A thread that must not wait for the lock (the GUI thread, when the vault locks) hands the work
to the owner's own thread with `later(fn)`: `fn` runs there, one at a time, and the caller
returns at once. Documents dropped that way are closed there, never on the caller's thread.

`CallWatch` is the owner's instrument for tests: armed, it sees every call into PyMuPDF's Python
layer and records the threads that made one, a call made without the lock, and two threads
inside MuPDF at once. PyMuPDF keeps the GIL in most calls, so threads that ignore the lock do
not crash every time; they do interleave their calls, and the watch sees that.
"""

from __future__ import annotations

import functools
import logging
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, ParamSpec, TypeVar

import pymupdf as _pymupdf

__all__ = [
    "MUPDF_LOCK",
    "CallWatch",
    "exclusive",
    "later",
    "let_go",
    "mupdf",
    "pymupdf",
    "wait_later",
]

log = logging.getLogger(__name__)

MUPDF_LOCK = threading.RLock()

# PyMuPDF's type hints are partial (untyped functions fail mypy --strict): used as untyped.
pymupdf: Any = _pymupdf

_P = ParamSpec("_P")
_R = TypeVar("_R")


@contextmanager
def mupdf() -> Iterator[Any]:
    """`with mupdf() as fitz:` — the library, for the time of the block, to this thread only."""
    with MUPDF_LOCK:
        yield pymupdf


def exclusive(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run `function` holding the MuPDF lock (its locals are released before the lock is)."""

    @functools.wraps(function)
    def locked(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with MUPDF_LOCK:
            return function(*args, **kwargs)

    return locked


@contextmanager
def let_go() -> Iterator[None]:
    """Let other threads call MuPDF while this one waits on something else (a child process
    reading a page): the lock, however many times this thread holds it, is released, then
    taken back as it was. The caller calls nothing of MuPDF's meanwhile, and its documents are
    its own: a page's reading waits seconds on Tesseract, and the viewer drew nothing then."""
    if not MUPDF_LOCK._is_owned():  # type: ignore[attr-defined]
        yield
        return
    # Private, as threading.Condition uses them: the public API cannot release a reentrant
    # lock held several times and restore its count.
    state = MUPDF_LOCK._release_save()  # type: ignore[attr-defined]
    try:
        yield
    finally:
        MUPDF_LOCK._acquire_restore(state)  # type: ignore[attr-defined]


# -- work handed over by a thread that must not wait ------------------------------------------

_handed: queue.SimpleQueue[Callable[[], object]] = queue.SimpleQueue()
_owner_thread: threading.Thread | None = None
_owner_guard = threading.Lock()
_outstanding = 0
_idle = threading.Condition(_owner_guard)


def _serve() -> None:
    global _outstanding
    while True:
        work = _handed.get()
        try:
            # Not under the lock here: `work` takes it for its MuPDF calls, like any caller,
            # after the locks of its own (a renderer's) that other threads take first.
            work()
        except Exception as exc:  # a handed-over close must not stop the ones after it
            # Only the exception's type: its message and traceback can carry a document's
            # words or file name, and a desktop's stderr may end up in the system journal.
            log.warning("MuPDF work handed to the owner's thread failed: %s", type(exc).__name__)
        finally:
            del work  # MuPDF objects it held are released here, under no other thread's call
            with _owner_guard:
                _outstanding -= 1
                _idle.notify_all()


def later(work: Callable[[], object]) -> None:
    """Run `work()` in the owner's thread (it takes the lock for its MuPDF calls); return at
    once. The owner's thread keeps `work`, and what it holds, until it has run."""
    global _owner_thread, _outstanding
    with _owner_guard:
        _outstanding += 1
        if _owner_thread is None:
            _owner_thread = threading.Thread(target=_serve, name="mupdf-owner", daemon=True)
            _owner_thread.start()
    _handed.put(work)


def wait_later(timeout: float | None = None) -> bool:
    """Wait until the work handed to `later` is done; False if `timeout` ran out first."""
    with _owner_guard:
        return _idle.wait_for(lambda: _outstanding == 0, timeout)


# -- the watch (tests) ------------------------------------------------------------------------


def _lock_held() -> bool:
    return bool(MUPDF_LOCK._is_owned())  # type: ignore[attr-defined]  # C RLock, private


class CallWatch:
    """Sees every call into PyMuPDF's Python layer while armed (`with CallWatch() as watch:`).

    It follows the thread that arms it and every thread started after (`threading.setprofile`;
    from Python 3.12 every running thread too). `threads` names the threads that called MuPDF
    (with the first call each made), `unlocked` lists the calls made without the lock, and
    `overlaps` the times two threads were in MuPDF at once. A profiling hook slows every call
    down: for tests only.
    """

    def __init__(self) -> None:
        self.threads: dict[str, str] = {}
        """Each thread that called MuPDF, with its first call."""
        self.unlocked: list[str] = []
        self.overlaps: list[str] = []
        self._inside: dict[int, str] = {}
        self._depth = threading.local()
        # PyMuPDF's own Python files: a call into one is a call into MuPDF.
        self._library = os.path.dirname(os.path.abspath(_pymupdf.__file__)) + os.sep
        self._guard = threading.Lock()

    def _hook(self, frame: FrameType, event: str, _arg: object) -> None:
        if event not in ("call", "return"):
            return
        if not frame.f_code.co_filename.startswith(self._library):
            return
        depth: int = getattr(self._depth, "n", 0)
        if event == "call":
            self._depth.n = depth + 1
            if depth == 0:
                self._enter(frame)
        elif depth > 0:
            self._depth.n = depth - 1
            if depth == 1:
                with self._guard:
                    self._inside.pop(threading.get_ident(), None)

    def _enter(self, frame: FrameType) -> None:
        thread, me = threading.current_thread().name, threading.get_ident()
        caller = frame.f_back
        while caller is not None and caller.f_code.co_filename.startswith(self._library):
            caller = caller.f_back
        where = f" from {caller.f_code.co_qualname}" if caller is not None else ""
        call = f"{frame.f_code.co_qualname}{where} in {thread}"
        with self._guard:
            self.threads.setdefault(thread, call)
            if not _lock_held():
                self.unlocked.append(call)
            others = [name for ident, name in self._inside.items() if ident != me]
            if others:
                self.overlaps.append(f"{call} while {', '.join(others)}")
            self._inside[me] = call

    def __enter__(self) -> CallWatch:
        threading.setprofile(self._hook)
        if sys.version_info >= (3, 12):
            threading.setprofile_all_threads(self._hook)
        else:
            sys.setprofile(self._hook)
        return self

    def __exit__(self, *exc: object) -> None:
        if sys.version_info >= (3, 12):
            threading.setprofile_all_threads(None)
        else:
            sys.setprofile(None)
        threading.setprofile(None)

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
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

import pymupdf as _pymupdf

__all__ = ["MUPDF_LOCK", "exclusive", "mupdf", "pymupdf"]

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

"""One MuPDF at a time: import, OCR, rendering and redaction run together from threads.

PyMuPDF is not thread-safe: without the one owner's lock (`dossier.pdf.mupdf`) these threads
may corrupt MuPDF's state, and the process crashes or a call fails at random. On CPython most
PyMuPDF calls keep the GIL, so a run without the lock rarely crashes: the test does not wait
for a crash. The owner's `CallWatch` sees every call into PyMuPDF and records two threads
inside it at once, or a call made without the lock; the run must show neither, and the same
run with the lock taken away must show both (so this test can fail). Each worker also checks
its result against one computed alone first, so a silently wrong result fails too.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from dossier.errors import Cancelled
from dossier.pdf import extract as extract_module
from dossier.pdf import mupdf as owner
from dossier.pdf.extract import extract_pdf, extract_pdf_bytes
from dossier.pdf.mupdf import MUPDF_LOCK, CallWatch
from dossier.pdf.ocr import tessdata_dir
from dossier.pdf.render import PdfRenderer, render_page
from dossier.redact.marks import Rules, TermRule
from dossier.redact.produce import redacted_copy
from dossier.services.workspace import Workspace
from tests.alongside import at_once
from tests.pdfgen import scanned_page, text_page, write_pdf

ROUNDS = 12


def _pdfs(tmp_path: Path) -> tuple[Path, Path]:
    # Test fixtures are generated before the threads start; the test itself calls MuPDF only
    # through the core.
    text = write_pdf(
        tmp_path / "memo.pdf",
        [text_page(f"Page {n}: the prefect met Dupont at the harbour.") for n in range(6)],
    )
    scan = write_pdf(tmp_path / "scan.pdf", [scanned_page("Rapport confidentiel du préfet")])
    return text, scan


def _run_together(workers: dict[str, Callable[[], None]], rounds: int) -> list[str]:
    """Run every worker `rounds` times, all at once; the failures, named by worker (a worker
    that never finishes, a deadlock, fails the test by name)."""
    errors: list[str] = []

    def body(name: str, work: Callable[[], None]) -> None:
        threading.current_thread().name = name  # how the watch names the thread's calls
        try:
            for _ in range(rounds):
                work()
        except BaseException as exc:  # reported by the caller, with the worker's name
            errors.append(f"{name}: {exc!r}")

    at_once(*(partial(body, name, work) for name, work in workers.items()))
    return errors


def _workers(tmp_path: Path, workspace: Workspace, rounds: int) -> dict[str, Callable[[], None]]:
    """Import, OCR, render (one renderer each, and one shared), redaction and extraction."""
    if tessdata_dir() is None:
        pytest.skip("Tesseract language data not installed")
    text_pdf, scan_pdf = _pdfs(tmp_path)
    case = workspace.cases.create("Threads").id
    stored = workspace.documents.import_file(case, text_pdf, ocr=False)
    data = text_pdf.read_bytes()
    pages = extract_pdf(text_pdf, ocr=False).pages
    rules = Rules(terms=(TermRule("t0", "term", "Dupont"),))

    expected_text = [p.text for p in pages]
    expected_ocr = extract_pdf(scan_pdf).pages[0].text
    expected_pixels = render_page(data, 2, 1.0).samples
    assert "Dupont" in expected_text[0] and "préfet" in expected_ocr

    renderer = PdfRenderer(workspace.documents.original)
    shared = PdfRenderer(workspace.documents.original)
    copies = [tmp_path / f"copy{n}.pdf" for n in range(rounds)]
    for n, copy in enumerate(copies):  # distinct files: each import is a new document
        copy.write_bytes(data + b"\n%" + str(n).encode() + b"\n")
    queue = list(copies)

    def import_one() -> None:
        workspace.documents.import_file(case, queue.pop(), ocr=False)

    def ocr_one() -> None:
        assert extract_pdf_bytes(scan_pdf.read_bytes(), "scan.pdf").pages[0].text == expected_ocr

    def render_one() -> None:
        assert renderer.render(stored.id, 2, 1.0).samples == expected_pixels
        renderer.clear()

    def draw_shared() -> None:
        # The viewer's pattern: pages of one open document drawn from several threads.
        for index in range(len(expected_text)):
            assert shared.render(stored.id, index, 0.5).width > 0
            assert len(shared.geometry(stored.id)) == len(expected_text)

    def redact_one() -> None:
        copy = redacted_copy(data, pages, rules, name="memo.pdf")
        left = [p.text for p in extract_pdf_bytes(copy.data, "out.pdf", ocr=False).pages]
        assert len(left) == len(expected_text) and "Dupont" not in " ".join(left)
        assert "harbour" in left[0]

    def read_one() -> None:
        assert [p.text for p in extract_pdf(text_pdf, ocr=False).pages] == expected_text

    return {
        "import": import_one,
        "ocr": ocr_one,
        "render": render_one,
        "draw": draw_shared,
        "draw again": draw_shared,
        "redaction": redact_one,
        "extract": read_one,
    }


@contextmanager
def _switching_often() -> Iterator[None]:
    # Threads take turns every 0.1 ms instead of 5 ms: more chances to interleave.
    saved = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)
    try:
        yield
    finally:
        sys.setswitchinterval(saved)


@pytest.mark.slow
def test_import_ocr_render_and_redaction_never_overlap_in_mupdf(
    tmp_path: Path, workspace: Workspace
) -> None:
    workers = _workers(tmp_path, workspace, ROUNDS)
    with _switching_often(), CallWatch() as watch:
        errors = _run_together(workers, ROUNDS)
    assert not errors, errors
    assert set(workers) <= set(watch.threads), watch.threads  # the watch saw every worker's calls
    assert not watch.overlaps, watch.overlaps[:5]
    assert not watch.unlocked, watch.unlocked[:5]
    assert len(workspace.documents.of_case(workspace.cases.all()[0].id)) == ROUNDS + 1


class _NoLock:
    """The lock taken away: held by nobody, waits for nothing."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None

    def _is_owned(self) -> bool:
        return False


@pytest.mark.slow
def test_without_the_lock_the_watch_sees_threads_inside_mupdf_together(
    tmp_path: Path, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check above can fail: the same run with the owner's lock gone is caught."""
    workers = _workers(tmp_path, workspace, 3)
    monkeypatch.setattr(owner, "MUPDF_LOCK", _NoLock())
    with _switching_often(), CallWatch() as watch:
        _run_together(workers, 3)  # failures are possible here; the watch is what is checked
    assert watch.unlocked
    assert watch.overlaps, "threads ran MuPDF together unseen"


def test_the_lock_is_reentrant_and_free_afterwards(tmp_path: Path) -> None:
    text_pdf, _scan = _pdfs(tmp_path)
    with MUPDF_LOCK:  # a caller holding the lock may call any locked function
        assert extract_pdf(text_pdf, ocr=False).pages
    acquired = MUPDF_LOCK.acquire(blocking=False)
    assert acquired, "the MuPDF lock was left held"
    MUPDF_LOCK.release()


def test_words_are_put_in_order_without_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ordering and joining a page's words is plain Python, most of an import's time: the
    # viewer must be able to draw meanwhile. Another thread tries the lock while it runs.
    text_pdf, _scan = _pdfs(tmp_path)
    free_while_ordering: list[bool] = []
    ordering = extract_module.reading_order

    def watched(*args: Any) -> Any:
        attempt: list[bool] = []

        def try_lock() -> None:
            attempt.append(MUPDF_LOCK.acquire(blocking=False))
            if attempt[-1]:
                MUPDF_LOCK.release()

        other = threading.Thread(target=try_lock)
        other.start()
        other.join()
        free_while_ordering.extend(attempt)
        return ordering(*args)

    monkeypatch.setattr(extract_module, "reading_order", watched)
    assert extract_pdf(text_pdf, ocr=False).pages
    assert free_while_ordering and all(free_while_ordering)


def test_release_closes_in_the_owner_thread_without_waiting_for_the_lock(
    tmp_path: Path, workspace: Workspace
) -> None:
    """The GUI thread locks the vault while a long MuPDF call runs: `release` must return at
    once and the documents must be closed by the owner's thread, not by the caller."""
    text_pdf, _scan = _pdfs(tmp_path)
    case = workspace.cases.create("Release").id
    stored = workspace.documents.import_file(case, text_pdf, ocr=False)
    renderer = PdfRenderer(workspace.documents.original)
    assert renderer.render(stored.id, 0, 0.5).width > 0
    opened = list(renderer._docs.values())
    held, free = threading.Event(), threading.Event()

    def long_call() -> None:  # an OCR page, say, holding the lock
        with MUPDF_LOCK:
            held.set()
            free.wait(30)

    busy = threading.Thread(target=long_call)
    busy.start()
    held.wait(30)
    with CallWatch() as watch:
        releasing = threading.Thread(target=renderer.release, name="gui")
        releasing.start()
        releasing.join(10)
        returned = not releasing.is_alive()
        free.set()
        busy.join(30)
        assert owner.wait_later(30)
    assert returned, "release waited for the MuPDF lock"
    assert "gui" not in watch.threads and threading.current_thread().name not in watch.threads
    assert renderer._docs == {} and all(doc.is_closed for doc in opened)
    with pytest.raises(Cancelled):
        renderer.render(stored.id, 0, 0.5)


def test_a_failed_handed_work_logs_no_words_of_its_error(caplog) -> None:
    from dossier.pdf import mupdf as owner

    def fails() -> None:
        raise RuntimeError("Quartermaine's memo.pdf could not be closed")

    with caplog.at_level("DEBUG", logger=owner.__name__):
        owner.later(fails)
        assert owner.wait_later(timeout=10)
    assert "RuntimeError" in caplog.text
    assert "Quartermaine" not in caplog.text and not any(r.exc_info for r in caplog.records)

"""One MuPDF at a time: import, OCR, rendering and redaction run together from threads.

PyMuPDF is not thread-safe: without the one owner's lock (`dossier.pdf.mupdf`) these threads
may corrupt MuPDF's state, and the process crashes or a call fails at random. On CPython most
PyMuPDF calls keep the GIL, so a run without the lock does not fail every time; the lock is
there because PyMuPDF documents threads as unsupported, and this test holds the design to it.
Each worker repeats its operation and checks its result against one computed alone first, so
a silently wrong result fails the test too, not only a crash.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from dossier.pdf.extract import extract_pdf, extract_pdf_bytes
from dossier.pdf.mupdf import MUPDF_LOCK
from dossier.pdf.ocr import tessdata_dir
from dossier.pdf.render import PdfRenderer, render_page
from dossier.redact.marks import Rules, TermRule
from dossier.redact.produce import redacted_copy
from dossier.services.workspace import Workspace
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


def _run_together(workers: dict[str, Callable[[], None]]) -> None:
    errors: list[tuple[str, BaseException]] = []
    start = threading.Barrier(len(workers))

    def body(name: str, work: Callable[[], None]) -> None:
        start.wait()
        try:
            for _ in range(ROUNDS):
                work()
        except BaseException as exc:  # reported below, with the worker's name
            errors.append((name, exc))

    threads = [threading.Thread(target=body, args=item) for item in workers.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not [t for t in threads if t.is_alive()], "a MuPDF worker never finished (deadlock)"
    assert not errors, errors


@pytest.mark.slow
def test_import_ocr_render_and_redaction_run_concurrently(
    tmp_path: Path, workspace: Workspace
) -> None:
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
    copies = [tmp_path / f"copy{n}.pdf" for n in range(ROUNDS)]
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

    _run_together(
        {
            "import": import_one,
            "ocr": ocr_one,
            "render": render_one,
            "draw": draw_shared,
            "draw again": draw_shared,
            "redaction": redact_one,
            "extract": read_one,
        }
    )
    assert len(workspace.documents.of_case(case)) == ROUNDS + 1


def test_the_lock_is_reentrant_and_free_afterwards(tmp_path: Path) -> None:
    text_pdf, _scan = _pdfs(tmp_path)
    with MUPDF_LOCK:  # a caller holding the lock may call any locked function
        assert extract_pdf(text_pdf, ocr=False).pages
    acquired = MUPDF_LOCK.acquire(blocking=False)
    assert acquired, "the MuPDF lock was left held"
    MUPDF_LOCK.release()

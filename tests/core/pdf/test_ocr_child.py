"""A page read by OCR leaves the window's thread free to run, and reads as before.

PyMuPDF keeps the GIL through a call into MuPDF: Tesseract reading a scanned page or a photo in
the app's process held it for seconds, and the window froze for as long (found using the app:
a click on a document during the import of a folder of photos took effect seconds later).
Tesseract now runs in a child process, and the words are those PyMuPDF's own
`get_textpage_ocr(full=True)` reads in process, boxes included, on a page turned or not.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dossier.errors import InputRefused
from dossier.pdf import ocr
from dossier.pdf.extract import TEXT_FLAGS, extract_pdf_bytes
from dossier.pdf.mupdf import mupdf, pymupdf
from dossier.pdf.ocr import OCR_LANGUAGES, ocr_dpi, ocr_words, tessdata_dir
from dossier.services.workspace import Workspace
from tests.pdfgen import (
    ENGLISH_PARAGRAPHS,
    FRENCH_PARAGRAPHS,
    noise_page,
    scanned_page,
    write_pdf,
)

TESSDATA = tessdata_dir()
pytestmark = pytest.mark.skipif(TESSDATA is None, reason="Tesseract language data not installed")


def _scan(tmp_path: Path, *paragraphs: str, rotation: int = 0) -> bytes:
    path = write_pdf(tmp_path / "scan.pdf", [scanned_page(*paragraphs, fontsize=11)])
    if rotation:
        with pymupdf.open(path) as document:
            document[0].set_rotation(rotation)
            return bytes(document.tobytes())
    return path.read_bytes()


def test_the_window_thread_runs_while_a_page_is_read(tmp_path: Path) -> None:
    assert TESSDATA is not None
    data = _scan(tmp_path, *ENGLISH_PARAGRAPHS, *FRENCH_PARAGRAPHS)
    longest = 0.0
    took = 0.0

    def read() -> None:
        nonlocal took
        start = time.monotonic()
        with mupdf(), pymupdf.open(stream=data, filetype="pdf") as document:
            words = ocr_words(document[0], TESSDATA, TEXT_FLAGS)
        took = time.monotonic() - start
        assert len(words) > 100

    reader = threading.Thread(target=read)
    reader.start()
    last = time.monotonic()
    while reader.is_alive():
        time.sleep(0.002)  # a window's thread between two events
        now = time.monotonic()
        longest, last = max(longest, now - last), now
    reader.join()
    assert took > 0.3, "the page took too little to read to tell"
    # In process, Tesseract held the GIL for most of it (5.1 s of 6.2 s at load 9).
    assert longest < took / 3, f"the thread waited {longest:.2f} s of a {took:.2f} s reading"


@pytest.mark.parametrize("rotation", [0, 90])
def test_the_words_are_those_pymupdf_reads_in_process(tmp_path: Path, rotation: int) -> None:
    assert TESSDATA is not None
    data = _scan(tmp_path, ENGLISH_PARAGRAPHS[0], FRENCH_PARAGRAPHS[0], rotation=rotation)
    with mupdf(), pymupdf.open(stream=data, filetype="pdf") as document:
        page = document[0]
        textpage = page.get_textpage_ocr(
            flags=TEXT_FLAGS,
            language="+".join(OCR_LANGUAGES),
            dpi=ocr_dpi(page),
            full=True,
            tessdata=str(TESSDATA),
        )
        in_process = page.get_text("words", textpage=textpage)
        in_child = ocr_words(page, TESSDATA, TEXT_FLAGS)
    assert len(in_child) > 20
    assert in_child == in_process


def test_a_reader_that_crashes_is_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _scan(tmp_path, "Rapport confidentiel du préfet")
    monkeypatch.setattr(ocr, "_FAULT", "crash")
    with pytest.raises(InputRefused, match="Page 1 could not be read by OCR"):
        extract_pdf_bytes(data, "scan.pdf")


_PARENT = """
import sys
from pathlib import Path
from dossier.pdf.mupdf import mupdf, pymupdf
from dossier.pdf.ocr import ocr_words
data = sys.stdin.buffer.read()
with mupdf(), pymupdf.open(stream=data, filetype="pdf") as document:
    ocr_words(document[0], Path(sys.argv[1]), 0)
"""


def _cpu_seconds(pid: int) -> float | None:
    """The CPU time of a live process (None once gone or a zombie), from /proc/PID/stat, which
    stays readable when the process is not dumpable."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] in "ZX":
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        if entry.name.isdigit() and int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and prctl are Linux's")
def test_a_reader_does_not_outlive_the_app() -> None:
    """The app killed, or ended, while a page is read (a quit, a crash, the session closed):
    its reader ends with it, instead of reading on alone for up to ten minutes of CPU with the
    page in its memory, an orphan nobody waits for."""
    assert TESSDATA is not None
    app = subprocess.Popen(
        [sys.executable, "-c", _PARENT, str(TESSDATA)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert app.stdin is not None
    app.stdin.write(noise_page())
    app.stdin.close()
    readers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            readers = _children(app.pid)
            # Two CPU seconds in, the reader has its page and Tesseract is at work.
            if readers and (_cpu_seconds(readers[0]) or 0.0) > 2.0:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the reader never started")
        app.kill()
        app.wait()
        deadline = time.monotonic() + 10
        while _cpu_seconds(readers[0]) is not None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _cpu_seconds(readers[0]) is None, "the reader runs on without the app"
    finally:
        app.kill()
        app.wait()
        for pid in readers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_other_threads_use_mupdf_while_a_page_is_read(tmp_path: Path) -> None:
    """The viewer draws while an import reads a photo: the reading thread holds the MuPDF lock
    (as every caller does) but lets it go while Tesseract works in the child, so a viewer's
    render does not wait seconds for the whole reading (found using the app: a document opened
    during a folder import of photos stayed on 'Opening the document...')."""
    assert TESSDATA is not None
    data = _scan(tmp_path, *ENGLISH_PARAGRAPHS, *FRENCH_PARAGRAPHS)
    reading = threading.Event()
    ended = 0.0
    entered = 0.0

    def read() -> None:
        nonlocal ended
        with mupdf(), mupdf(), pymupdf.open(stream=data, filetype="pdf") as document:
            reading.set()
            ocr_words(document[0], TESSDATA, TEXT_FLAGS)
            ended = time.monotonic()

    reader = threading.Thread(target=read)
    reader.start()
    reading.wait()
    time.sleep(0.05)
    with mupdf():
        entered = time.monotonic()
    reader.join()
    assert entered < ended, "another thread waited for the whole reading"


def test_a_reader_that_crashes_is_a_refusal_and_the_batch_goes_on(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A picture that crashes MuPDF or Tesseract, or keeps them past their CPU time, is the
    file's fault: it was an EnvironmentFailure blaming the Tesseract data, which stopped a
    folder's import at that file (the crash fault stands for any of them, all a signal)."""
    scan = write_pdf(tmp_path / "scan.pdf", [scanned_page("Rapport confidentiel du préfet")])
    note = tmp_path / "note.txt"
    note.write_text("Rendez-vous jeudi à la préfecture.", encoding="utf-8")
    monkeypatch.setattr(ocr, "_FAULT", "crash")
    case = workspace.cases.create("Lot").id
    refused, imported = workspace.documents.import_many(case, [scan, note], ocr=True)
    assert refused.document is None and refused.exit_code == 6
    assert refused.error is not None and "crashed or ran out of time" in refused.error
    assert "Tesseract data" not in refused.error and refused.error.count("\n") == 0
    assert imported.document is not None
    assert [d.id for d in workspace.documents.of_case(case)] == [imported.document.id]

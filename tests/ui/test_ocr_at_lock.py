"""The vault locks (and the app quits) without waiting for a page being read by OCR.

Tesseract reads a page in a child process (f56f868), which the lock's cancel could not reach:
the lock waited its 15 seconds for the job, then went on with the job still inside the reading
(a page can take minutes, a hostile one ten of CPU), holding the workspace it was given until
the reading ended. The lock now ends the readers of every job it abandons.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from dossier.pdf.mupdf import mupdf, pymupdf
from dossier.pdf.ocr import ocr_words, tessdata_dir
from tests.pdfgen import noise_page
from ui.worker import abandon_all, run_in_background

TESSDATA = tessdata_dir()
pytestmark = pytest.mark.skipif(TESSDATA is None, reason="Tesseract language data not installed")


def _readers(pid: int) -> list[int]:
    """The OCR readers among the children of `pid` (Linux's /proc; none elsewhere)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] not in "ZX" and b"ocrchild" in command:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_lock_ends_a_page_being_read(qtbot) -> None:
    assert TESSDATA is not None
    data = noise_page()
    started: list[float] = []

    def read(_progress: object, _cancel: object) -> object:
        started.append(time.monotonic())
        with mupdf(), pymupdf.open(stream=data, filetype="pdf") as document:
            return ocr_words(document[0], TESSDATA, 0)

    run_in_background(read)
    qtbot.waitUntil(lambda: bool(_readers(os.getpid())), timeout=60000)
    before = time.monotonic()
    assert abandon_all(wait_ms=15000), "the lock left a job inside its OCR reading"
    assert time.monotonic() - before < 10
    assert _readers(os.getpid()) == []

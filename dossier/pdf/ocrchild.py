"""The child process that reads one rendered page with Tesseract: pixels in, a PDF out.

`dossier.pdf.ocr` starts it (`python -m dossier.pdf.ocrchild`, or the frozen app with
`CHILD_FLAG`) because PyMuPDF keeps the GIL through a call into MuPDF, and Tesseract reading a
page takes seconds: in the app's own process the window's thread could not run meanwhile, and
the window froze for as long as each scanned page or photo took to read. Here the app's thread
only waits on a pipe, which lets the window run.

Before it reads a byte the child forbids itself a core dump (its memory holds the page) and
files, caps its CPU time and, on Linux, asks to end with the app. It reads a one-page PDF (the
page to read, copied out of its document), draws it at the resolution it is given and writes
the one-page PDF with Tesseract's text layer that `Pixmap.pdfocr_tobytes` makes of it, as
PyMuPDF's `get_textpage_ocr(full=True)` does in process; any failure is a non-zero exit. It
imports only the standard library and PyMuPDF. The page is drawn here too: a phone photo's 15
million pixels took a quarter of a second of the GIL to draw, and are 20 times the size of the
page that holds them.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

CHILD_FLAG = "--ocr-page-child"
"""The frozen app's hidden argument that makes it this child instead of the app."""
FAULTS = ("crash",)


def _limit(cpu: int, parent: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        libc = ctypes.CDLL(None)
        libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0, as dossier.crypto.nodump
        # PR_SET_PDEATHSIG: killed with the app (a quit, a crash, a session closed), where it
        # read on alone, the page in its memory, for up to `--cpu` seconds. The thread that
        # started it waits on it, so only the app's end can set this off.
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)  # the app ended before the line above: nobody to read for


def recognise(page_pdf: bytes, dpi: int, language: str, tessdata: str) -> bytes:
    """The PDF Tesseract makes of the first page of `page_pdf` drawn at `dpi`."""
    import pymupdf as _pymupdf

    pymupdf: Any = _pymupdf  # PyMuPDF's hints are partial, as in dossier.pdf.mupdf
    with pymupdf.open(stream=page_pdf, filetype="pdf") as document:
        pix = document.load_page(0).get_pixmap(dpi=dpi)
    layer: bytes = pix.pdfocr_tobytes(compress=False, language=language, tessdata=tessdata)
    return layer


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="ocrchild")
    parser.add_argument("--cpu", type=int, required=True)
    parser.add_argument("--dpi", type=int, required=True)
    parser.add_argument("--language", required=True)
    parser.add_argument("--tessdata", required=True)
    parser.add_argument("--parent", type=int, default=0, help="the app's process id")
    parser.add_argument("--fault", choices=FAULTS)
    args = parser.parse_args(argv)
    if os.name == "posix":
        _limit(args.cpu, args.parent or os.getppid())
    if args.fault == "crash":
        os.abort()
    # The answer goes to the pipe alone: whatever MuPDF or Tesseract print goes to stderr.
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    layer = recognise(sys.stdin.buffer.read(), args.dpi, args.language, args.tessdata)
    answer.write(layer)
    answer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

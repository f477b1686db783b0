"""OCR of pages without a text layer, with the Tesseract engine built into PyMuPDF.

MuPDF links Tesseract itself; all it needs from the machine is the language data
(`fra.traineddata` and `eng.traineddata`). We look for it ourselves rather than let PyMuPDF do
it, because PyMuPDF's fallback runs `tesseract` and `whereis` through a shell.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated; we call them directly here.)

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dossier.errors import EnvironmentFailure, InputRefused
from dossier.i18n import _
from dossier.jobs import child_of_a_job
from dossier.pdf.layout import RawWord
from dossier.pdf.mupdf import let_go, pymupdf
from dossier.pdf.ocrchild import CHILD_FLAG
from dossier.resources import resource_path

OCR_LANGUAGES = ("fra", "eng")
OCR_DPI = 300
"""Tesseract reads body text best at about 300 dpi."""

MAX_OCR_PIXELS = 60_000_000
"""Upper bound for the rendered page (a 300 dpi A0 poster would take 1.3 GB of RGB pixels)."""

USEFUL_PIXELS = 2480 * 3508
"""An A4 page at 300 dpi: enough for Tesseract to read body text. A picture with fewer pixels
is enlarged up to this many for OCR; one with more is read at its own resolution."""

DEBIAN_TESSDATA_ROOT = Path("/usr/share/tesseract-ocr")
"""Debian and Ubuntu install the data under <root>/<version>/tessdata."""

SYSTEM_TESSDATA_DIRS: tuple[Path, ...] = tuple(
    Path(folder)
    for folder in (
        "/usr/share/tesseract-ocr/5/tessdata",  # Debian, Ubuntu (tesseract-ocr-fra, -eng)
        "/usr/share/tesseract-ocr/4.00/tessdata",
        "/usr/share/tessdata",  # Fedora, Arch
        "/usr/local/share/tessdata",  # source builds, Homebrew on Intel Macs
        "/opt/homebrew/share/tessdata",  # Homebrew on Apple silicon
        "/opt/local/share/tessdata",  # MacPorts
        r"C:\Program Files\Tesseract-OCR\tessdata",
    )
)


def _has_languages(folder: Path) -> bool:
    return all((folder / f"{lang}.traineddata").is_file() for lang in OCR_LANGUAGES)


def bundled_tessdata() -> Path | None:
    """The data a packaged build ships in `resources/tessdata`; None when run from source.

    Frozen only: a source checkout keeps using the system's data, as `pip install` users do.
    """
    return resource_path("tessdata") if getattr(sys, "frozen", False) else None


def tessdata_dir() -> Path | None:
    """The folder holding the French and English Tesseract data, or None if there is none.

    `TESSDATA_PREFIX` wins when it names such a folder; then the data the packaged app ships
    (so it reads scans the same way on every machine); then the usual system locations, newest
    Debian version first.
    """
    candidates: list[Path] = []
    prefix = os.environ.get("TESSDATA_PREFIX")
    if prefix:
        # Tesseract 4+ wants the tessdata folder itself; 3.x wanted its parent.
        candidates += [Path(prefix), Path(prefix) / "tessdata"]
    bundled = bundled_tessdata()
    if bundled is not None:
        candidates.append(bundled)
    if DEBIAN_TESSDATA_ROOT.is_dir():
        candidates += sorted(DEBIAN_TESSDATA_ROOT.glob("*/tessdata"), reverse=True)
    candidates += SYSTEM_TESSDATA_DIRS
    for folder in candidates:
        if _has_languages(folder):
            return folder
    return None


def require_tessdata() -> Path:
    """`tessdata_dir()`, or a clear EnvironmentFailure naming what to install."""
    folder = tessdata_dir()
    if folder is None:
        raise EnvironmentFailure(
            _(
                "OCR needs the French and English Tesseract language data (packages "
                "tesseract-ocr-fra and tesseract-ocr-eng, or TESSDATA_PREFIX), and "
                "none was found."
            )
        )
    return folder


def ocr_dpi(page: Any, picture: bool = False) -> int:
    """`OCR_DPI`, lowered for huge pages so the rendered image stays under `MAX_OCR_PIXELS`.

    No floor at 72 dpi: a photo is a page of one point per pixel, and a 20,000-pixel square
    one at 72 dpi is 400 million pixels; below 72 dpi its text is large enough to read anyway.

    A `picture` (a photo or a scan imported as an image file) is not enlarged past its own
    pixels once it has `USEFUL_PIXELS`: a phone photo makes a page of 96 points per inch or
    so, which 300 dpi rendered at 5 times its pixels, all interpolated, and Tesseract took
    about twice as long as on a 300-dpi scan of the same page, to read the same words.
    """
    inches = (page.rect.width / 72.0) * (page.rect.height / 72.0)
    if inches <= 0:
        return OCR_DPI
    dpi = min(OCR_DPI, int(math.sqrt(MAX_OCR_PIXELS / inches)))
    if picture:
        enough = int(math.sqrt(USEFUL_PIXELS / inches))
        dpi = min(dpi, max(enough, _pictures_dpi(page)))
    return max(1, dpi)


def _pictures_dpi(page: Any) -> int:
    """The resolution of the page's largest picture as it is drawn (0 without a picture);
    from areas, so a picture drawn turned (an EXIF orientation) measures the same."""
    best = (0.0, 0)
    for info in page.get_image_info():
        x0, y0, x1, y1 = info["bbox"]
        area = abs((x1 - x0) * (y1 - y0))
        pixels = int(info["width"]) * int(info["height"])
        if area > 0 and pixels > 0 and area > best[0]:
            best = (area, int(72 * math.sqrt(pixels / area)))
    return best[1]


def ocr_words(page: Any, tessdata: Path, flags: int, picture: bool = False) -> list[RawWord]:
    """Words Tesseract reads on the rendered page, in the same form as `get_text("words")`
    (`picture`: see `ocr_dpi`).

    PyMuPDF maps the OCR result back to the page's unrotated coordinates, like native text.
    """
    with ocr_reading(page, ocr_dpi(page, picture), tessdata, flags) as (ocr_page, textpage):
        words: list[RawWord] = ocr_page.get_text("words", textpage=textpage)
    return words


@contextmanager
def ocr_reading(page: Any, dpi: int, tessdata: Path, flags: int = 0) -> Iterator[tuple[Any, Any]]:
    """The page Tesseract made of `page` drawn at `dpi`, and its text page in `page`'s
    unrotated coordinates: what PyMuPDF's `page.get_textpage_ocr(full=True)` gives, read with
    `ocr_page.get_text(..., textpage=textpage)`. The caller holds the MuPDF lock.

    Tesseract runs in a child process (`ocrchild`): PyMuPDF keeps the GIL through its calls,
    so reading a page here froze the window for as long as it took (seconds a page, for
    every scan and photo imported, and every picture read at export); this thread now only
    copies the page out and waits on a pipe, the MuPDF lock let go meanwhile (`let_go`).
    InputRefused when the reading crashes or runs out of time (the page's fault),
    EnvironmentFailure when it fails otherwise.
    """
    try:
        with pymupdf.open() as alone:
            alone.insert_pdf(page.parent, from_page=page.number, to_page=page.number)
            page_pdf = alone.tobytes()
        with let_go():
            layer = _recognise_in_child(page_pdf, dpi, tessdata)
        with pymupdf.Document(stream=layer) as ocr_pdf:
            ocr_page = ocr_pdf.load_page(0)
            unzoom = page.rect.width / ocr_page.rect.width
            ctm = pymupdf.Matrix(unzoom, unzoom) * page.derotation_matrix
            # As get_textpage_ocr: a character Tesseract could not name stays U+FFFD.
            flags &= ~(
                pymupdf.TEXT_USE_CID_FOR_UNKNOWN_UNICODE | pymupdf.TEXT_USE_GID_FOR_UNKNOWN_UNICODE
            )
            yield ocr_page, ocr_page.get_textpage(flags=flags, matrix=ctm)
    except ReaderStopped as exc:
        raise InputRefused(
            _(
                "Page {number} could not be read by OCR: its reading crashed or ran out of "
                "time, as a damaged or hostile picture makes it do."
            ).format(number=page.number + 1)
        ) from exc
    except (RuntimeError, pymupdf.mupdf.FzErrorBase) as exc:
        raise EnvironmentFailure(
            _(
                "OCR failed on page {number}; the Tesseract data in {tessdata} may be damaged."
            ).format(number=page.number + 1, tessdata=tessdata)
        ) from exc


CPU_SECONDS = 600
"""The child's CPU time: a page at `MAX_OCR_PIXELS` takes a minute or so on a slow laptop."""
WALL_SECONDS = 1800
"""A child still alive after this (blocked, or starved of CPU on a loaded machine) is killed."""
_FAULT: str | None = None
"""Tests only: one of `ocrchild.FAULTS`, to show a crashing reader ends in a refusal."""


def child_command() -> list[str]:
    """How to start the reader: the frozen app runs itself with `CHILD_FLAG`."""
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG]
    return [sys.executable, "-m", "dossier.pdf.ocrchild"]


class ReaderStopped(RuntimeError):
    """The reader ended by a signal (a crash, its CPU time spent, killed at the lock) or was
    killed past `WALL_SECONDS`: what a picture does to MuPDF or Tesseract, not missing data."""


def _recognise_in_child(page_pdf: bytes, dpi: int, tessdata: Path) -> bytes:
    """The one-page PDF with Tesseract's text layer made in the child of `page_pdf`'s page
    drawn at `dpi`; ReaderStopped when the child crashes or runs out of time, RuntimeError
    when it fails otherwise (bad data)."""
    argv = [
        *child_command(),
        f"--cpu={CPU_SECONDS}",
        f"--dpi={dpi}",
        f"--language={'+'.join(OCR_LANGUAGES)}",
        f"--tessdata={tessdata}",
        f"--parent={os.getpid()}",
    ]
    if _FAULT:
        argv.append(f"--fault={_FAULT}")
    try:
        child = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    except OSError as exc:
        raise RuntimeError("the OCR process did not start") from exc
    with child, child_of_a_job(child):  # ended at the lock, which the cancel cannot reach
        try:
            layer, _said = child.communicate(page_pdf, timeout=WALL_SECONDS)
        except subprocess.TimeoutExpired as exc:
            child.kill()
            raise ReaderStopped("the OCR process did not answer") from exc
        except BaseException:  # as subprocess.run: no child left behind
            child.kill()
            raise
    if child.returncode < 0:
        raise ReaderStopped(f"the OCR process ended with {child.returncode}")
    if child.returncode != 0 or not layer:
        raise RuntimeError(f"the OCR process ended with {child.returncode}")
    return layer

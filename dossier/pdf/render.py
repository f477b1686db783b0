"""Draw PDF pages to RGB pixels in memory (PyMuPDF), for any front end.

Nothing here touches the disk: documents are opened from the decrypted bytes the document
service returns, and pixels come back as `bytes`. A front end turns them into its own image
type. Every MuPDF call holds the one MuPDF lock (`dossier.pdf.mupdf`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dossier.errors import Cancelled, CorruptData, InputRefused, PasswordRequired
from dossier.i18n import gettext
from dossier.pdf.images import image_to_pdf, image_type
from dossier.pdf.mupdf import exclusive, later, pymupdf
from dossier.pdf.open import MUPDF_ERRORS, close_pdf, load_pdf_bytes

Rect = tuple[float, float, float, float]
Matrix = tuple[float, float, float, float, float, float]

MAX_SIDE_PIXELS = 8000
"""Largest side of a rendered page: beyond it the zoom is lowered (memory stays bounded)."""

_SHOWN_NAME = "this document"


@dataclass(frozen=True)
class RenderedPage:
    page_index: int
    zoom: float
    """The zoom actually used (lower than asked when the page would have been too large)."""
    width: int
    height: int
    stride: int
    samples: bytes
    """RGB, 3 bytes a pixel, `stride` bytes a row."""


@dataclass(frozen=True)
class PageGeometry:
    """A page as displayed: its size in points after rotation, and where word boxes land."""

    width: float
    height: float
    matrix: Matrix
    """Maps word-map coordinates (unrotated page) to displayed points (rotated page)."""

    def to_display(self, rect: Rect) -> Rect:
        a, b, c, d, e, f = self.matrix
        xs: list[float] = []
        ys: list[float] = []
        for x, y in (
            (rect[0], rect[1]),
            (rect[2], rect[1]),
            (rect[0], rect[3]),
            (rect[2], rect[3]),
        ):
            xs.append(a * x + c * y + e)
            ys.append(b * x + d * y + f)
        return (min(xs), min(ys), max(xs), max(ys))

    def from_display(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = self.matrix
        det = a * d - b * c
        if det == 0:
            return x, y
        x, y = x - e, y - f
        return (d * x - c * y) / det, (-b * x + a * y) / det


def open_stored_pdf(data: bytes, password: str | None = None) -> Any:
    """A document over a stored original's decrypted bytes (`dossier.pdf.open.load_pdf_bytes`).

    The file was read at import, so a refusal now means the stored copy is damaged
    (CorruptData); a password is asked for as at import (PasswordRequired).
    """
    try:
        if image_type(data[:16]) is not None:
            # A photo or scan: shown as the page its import read (same bytes, same page).
            data = image_to_pdf(data, "this image")
        return load_pdf_bytes(data, _SHOWN_NAME, password)
    except PasswordRequired:
        raise
    except InputRefused as exc:
        raise CorruptData(gettext("this PDF cannot be opened for display")) from exc


def _check_open(doc: Any) -> None:
    # The renderer may close a document (vault locked, viewer cleared) while a worker thread
    # still holds it; that job is then moot, not broken.
    if doc.is_closed:
        raise Cancelled(gettext("the document was closed while a page was being drawn"))


@exclusive
def geometry(doc: Any) -> list[PageGeometry]:
    _check_open(doc)
    pages: list[PageGeometry] = []
    for page in doc:
        m = page.rotation_matrix
        rect = page.rect
        pages.append(
            PageGeometry(float(rect.width), float(rect.height), (m.a, m.b, m.c, m.d, m.e, m.f))
        )
    return pages


@exclusive
def render_page(source: bytes | Any, page_index: int, zoom: float) -> RenderedPage:
    """Pixels of one page at `zoom` (1.0 = 72 dpi); `source` is PDF bytes or an open document."""
    doc = open_stored_pdf(bytes(source)) if isinstance(source, bytes | bytearray) else source
    try:
        _check_open(doc)
        if not 0 <= page_index < doc.page_count:
            raise CorruptData(
                gettext("this PDF has no page {page_index}").format(page_index=page_index + 1)
            )
        page = doc[page_index]
        largest = max(page.rect.width, page.rect.height, 1.0)
        zoom = max(0.05, min(zoom, MAX_SIDE_PIXELS / largest))
        try:
            pix = page.get_pixmap(
                matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB, alpha=False
            )
        except MUPDF_ERRORS as exc:  # a damaged content stream, an unsupported image
            raise CorruptData(
                gettext("page {page_index} of this PDF cannot be drawn").format(
                    page_index=page_index + 1
                )
            ) from exc
        return RenderedPage(
            page_index=page_index,
            zoom=zoom,
            width=pix.width,
            height=pix.height,
            stride=pix.stride,
            samples=bytes(pix.samples),
        )
    finally:
        if doc is not source:
            close_pdf(doc)


class PdfRenderer:
    """Keeps a few documents open (by document id) so scrolling does not reopen them.

    `loader` returns a document's decrypted bytes (e.g. `ws.documents.original`). Documents
    live in memory only; `clear()` closes them all on the calling thread, `release()` in the
    MuPDF owner's thread (the GUI calls it when the vault locks: it must not wait for MuPDF).
    """

    def __init__(self, loader: Callable[[str], bytes], max_open: int = 4) -> None:
        self._loader = loader
        self._max_open = max(1, max_open)
        self._docs: OrderedDict[str, Any] = OrderedDict()
        self._passwords: dict[str, str] = {}
        self._lock = threading.RLock()
        self._released = False

    def unlock(self, doc_id: str, password: str) -> None:
        """Open a password-protected PDF (raises PasswordRequired when the password is wrong)."""
        with self._lock:
            self._passwords[doc_id] = password
            try:
                self._document(doc_id)
            except PasswordRequired:
                del self._passwords[doc_id]
                raise

    def _document(self, doc_id: str) -> Any:
        with self._lock:
            if self._released:
                raise Cancelled(gettext("the documents were closed (the vault was locked)"))
            doc = self._docs.get(doc_id)
            if doc is not None:
                self._docs.move_to_end(doc_id)
                return doc
            doc = open_stored_pdf(self._loader(doc_id), self._passwords.get(doc_id))
            self._docs[doc_id] = doc
            while len(self._docs) > self._max_open:
                _, old = self._docs.popitem(last=False)
                close_pdf(old)
            return doc

    def geometry(self, doc_id: str) -> list[PageGeometry]:
        return geometry(self._document(doc_id))

    def render(self, doc_id: str, page_index: int, zoom: float) -> RenderedPage:
        return render_page(self._document(doc_id), page_index, zoom)

    def close(self, doc_id: str) -> None:
        with self._lock:
            doc = self._docs.pop(doc_id, None)
            self._passwords.pop(doc_id, None)
            if doc is not None:
                close_pdf(doc)

    def clear(self) -> None:
        with self._lock:
            for doc_id in list(self._docs):
                self.close(doc_id)
            self._passwords.clear()

    def release(self) -> None:
        """Close every document in the MuPDF owner's thread and open none after; returns at
        once, without waiting for MuPDF or for a page being drawn."""
        self._released = True
        later(self.clear)

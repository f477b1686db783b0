"""Deterministic, versioned text extraction from a PDF: canonical page text and word map.

Every quote span, search hit and redaction match is an offset into the text built here, so the
same file must always give the same text. Everything that shapes it is fixed and versioned by
`EXTRACTOR_VERSION`: the MuPDF flags below, the reading order (`layout`), the joiners and the
normalisation (`canonical`), the OCR languages and resolution (`ocr`). Change any of them and
bump the version, so stored anchors know they must be re-anchored.

Pages without a text layer but with images are scans: with `ocr=True` they are read by
Tesseract and their words enter the same word map (`PageText.ocr` is then true). With
`ocr=False` they get empty text and are listed in `metadata["pages_needing_ocr"]`.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated; we call them directly here.)

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.i18n import _
from dossier.jobs import CancelToken, Progress, check, fewer_collections, report
from dossier.pdf.canonical import build_canonical, build_canonical_records
from dossier.pdf.glyphtruth import pages_whose_text_lies
from dossier.pdf.layout import IDENTITY, Matrix, RawWord, reading_order
from dossier.pdf.meta import document_facts
from dossier.pdf.mupdf import exclusive, pymupdf
from dossier.pdf.ocr import ocr_words, require_tessdata
from dossier.pdf.open import MUPDF_ERRORS, drain_mupdf_messages, open_pdf, open_pdf_bytes
from dossier.pdf.pagelabels import PageLabels
from dossier.text.lang import guess_language
from dossier.text.model import ExtractedDocument, PageText, Word

log = logging.getLogger(__name__)

EXTRACTOR_VERSION = "pdf-1"

TEXT_FLAGS: int = pymupdf.TEXT_CLIP
"""MuPDF text flags, fixed. Only TEXT_CLIP (skip characters clipped out of sight) is set. Not set:
TEXT_PRESERVE_LIGATURES, so "ﬁ" comes out as "f" + "i" and search finds "affaire" set with an
"ﬀ"; TEXT_PRESERVE_WHITESPACE, so tabs and no-break spaces become plain spaces between words;
TEXT_DEHYPHENATE, so line-end hyphens stay as printed; TEXT_USE_CID_FOR_UNKNOWN_UNICODE, so a
glyph without a Unicode mapping is an honest U+FFFD rather than an arbitrary character."""

PDF_MIME = "application/pdf"

_LANGUAGE_SAMPLE = 200_000


def extract_pdf(
    source: Path,
    *,
    password: str | None = None,
    ocr: bool = True,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> ExtractedDocument:
    """Extract every page of the PDF at `source`.

    Raises InputRefused / PasswordRequired for files Dossier cannot read (see `open_pdf`),
    EnvironmentFailure when a page needs OCR and the Tesseract data is missing, Cancelled when
    `cancel` is set (checked between pages).
    """
    with open_pdf(source, password) as doc:
        return _extract_open(doc, ocr=ocr, progress=progress, cancel=cancel)


def extract_pdf_bytes(
    data: bytes,
    name: str,
    *,
    password: str | None = None,
    ocr: bool = True,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    pictures: bool = False,
    word_records: bool = False,
) -> ExtractedDocument:
    """`extract_pdf` for a PDF held in memory (an original decrypted from the vault, which must
    not be written to disk in clear to be re-extracted); `name` is only used in messages.
    `pictures`: its pages are pictures (`images.image_to_pdf`), read by OCR at their own
    resolution (see `ocr.ocr_dpi`). `word_records`: each page's word map made as the catalog
    stores it (`PageText.word_records`), for an import, which stores it at once."""
    with open_pdf_bytes(data, name, password) as doc:
        return _extract_open(
            doc,
            ocr=ocr,
            progress=progress,
            cancel=cancel,
            pictures=pictures,
            word_records=word_records,
        )


@fewer_collections()  # a tuple per word: see `fewer_collections`
def _extract_open(
    doc: Any,
    *,
    ocr: bool,
    progress: Progress | None,
    cancel: CancelToken | None,
    pictures: bool = False,
    word_records: bool = False,
) -> ExtractedDocument:
    # The MuPDF lock is taken per page, not for the whole file: the viewer can draw between
    # the pages of a long import.
    title, author, date, metadata, total, labels = _facts(doc)
    pages: list[PageText] = []
    unreadable: list[int] = []
    needing_ocr: list[int] = []
    tessdata = _Tessdata(pictures) if ocr else None
    for index in range(total):
        check(cancel)
        report(
            progress,
            index / total,
            _("Reading page {index} of {total}").format(index=index + 1, total=total),
        )
        page = _read_page(doc, index, labels, tessdata, progress, total)
        if page is None:
            # A page MuPDF cannot interpret even after repair: keep its place, empty, and
            # say so in the metadata rather than refuse the pages that can be read.
            unreadable.append(index + 1)
            pages.append(PageText(index=index, text=""))
            continue
        if page.needs_ocr:
            needing_ocr.append(index + 1)
        # Putting the words in order and joining them is plain Python: outside the MuPDF
        # lock, so the viewer can draw meanwhile.
        pages.append(page.text(index, word_records))
    lying = _pages_whose_text_lies(doc)
    drain_mupdf_messages()
    if unreadable:
        metadata["unreadable_pages"] = _page_list(unreadable)
    if lying:
        metadata["pages_text_unlike_glyphs"] = _page_list([index + 1 for index in lying])
    if needing_ocr:
        metadata["pages_needing_ocr"] = _page_list(needing_ocr)
    report(progress, 1.0, _("Read {total} pages").format(total=total))
    return ExtractedDocument(
        pages=pages,
        extractor_version=EXTRACTOR_VERSION,
        mime=PDF_MIME,
        title=title,
        author=author,
        date=date,
        language=guess_language(_language_sample(pages)),
        metadata=metadata,
    )


@exclusive
def _facts(
    doc: Any,
) -> tuple[str | None, str | None, str | None, dict[str, str], int, PageLabels]:
    title, author, date, metadata = document_facts(doc)
    return title, author, date, metadata, int(doc.page_count), PageLabels(doc)


class _Tessdata:
    """The OCR data folder, looked for at the first scanned page (a file without any needs
    none, so a machine without it still imports text PDFs); `pictures`: see `ocr.ocr_dpi`."""

    def __init__(self, pictures: bool = False) -> None:
        self._path: Path | None = None
        self.pictures = pictures

    def path(self) -> Path:
        if self._path is None:
            self._path = require_tessdata()
        return self._path


@dataclass(frozen=True)
class _ReadPage:
    """What MuPDF says of a page, as plain values: the rest is done without its lock."""

    words: list[RawWord]
    matrix: Matrix
    label: str
    width: float
    height: float
    rotation: int
    ocr: bool
    needs_ocr: bool

    def text(self, index: int, word_records: bool = False) -> PageText:
        blocks = reading_order(self.words, self.matrix)
        if word_records:
            text, records = build_canonical_records(blocks)
            word_map: list[Word] = []
        else:
            text, word_map = build_canonical(blocks)
            records = b""
        return PageText(
            index=index,
            text=text,
            words=word_map,
            word_records=records,
            label=self.label,
            width=self.width,
            height=self.height,
            rotation=self.rotation,
            ocr=self.ocr,
        )


@exclusive
def _read_page(
    doc: Any,
    index: int,
    labels: PageLabels,
    tessdata: _Tessdata | None,
    progress: Progress | None,
    total: int,
) -> _ReadPage | None:
    """Page `index` read (OCR'd when it is a scan and OCR is on); None if MuPDF cannot."""
    try:
        page = doc.load_page(index)
        # The /Rotate value is looked up once: PyMuPDF's matrix and text page look it up
        # again, and the matrix is the identity for an unturned page.
        rotation = int(page.rotation)
        words = page_words(page, rotation)
        scanned = not words and bool(page.get_image_info())
    except MUPDF_ERRORS:
        return None
    if scanned and tessdata is not None:
        report(
            progress,
            index / total,
            _("Recognising text on page {index} of {total}").format(index=index + 1, total=total),
        )
        words = ocr_words(page, tessdata.path(), TEXT_FLAGS, tessdata.pictures)
    matrix = IDENTITY
    if rotation:
        m = page.rotation_matrix
        matrix = (float(m.a), float(m.b), float(m.c), float(m.d), float(m.e), float(m.f))
    # Word boxes are in the unrotated page's coordinates, so the size given is the unrotated
    # one too (the crop box, which is what PyMuPDF measures from); `rotation` says how to turn it.
    box = page.cropbox
    return _ReadPage(
        words=words,
        matrix=matrix,
        label=labels.label(index),
        width=float(box.width),
        height=float(box.height),
        rotation=rotation,
        ocr=scanned and tessdata is not None,
        needs_ocr=scanned and tessdata is None,
    )


_UNIT = pymupdf.Matrix(1, 1)


def page_words(page: Any, rotation: int) -> list[RawWord]:
    """`page.get_text("words", flags=TEXT_FLAGS)` (the caller holds the MuPDF lock). An
    unturned page's text page is made and read by the two calls PyMuPDF's own make, without
    its wrappers around them (which look up the /Rotate value again, make a TextPage object,
    a weak proxy and a matrix each time): 30-50 µs of a page's 800. A turned page is read as
    PyMuPDF reads it, turned back for the time of the reading."""
    words: list[RawWord]
    if rotation:
        words = page.get_text("words", flags=TEXT_FLAGS)
    else:
        textpage = pymupdf.extra.page_get_textpage(page.this, None, TEXT_FLAGS, _UNIT)
        words = pymupdf.extra.extractWORDS(pymupdf.mupdf.FzStextPage(textpage), None)
    return words


@exclusive
def _pages_whose_text_lies(doc: Any) -> list[int]:
    """The pages drawing text in a font whose text its own map contradicts (`glyphtruth`):
    search cannot find there what the page shows, and the document says so. The export reads
    them by OCR; the text stored is still what the file says (its stored anchors need it)."""
    try:
        return pages_whose_text_lies(doc)
    # PyMuPDF raises a bare Exception for a font object it cannot copy or draw.
    except Exception as exc:
        log.debug("the fonts of a PDF cannot be checked (%s)", exc)
        return []


def _page_list(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _language_sample(pages: list[PageText]) -> str:
    parts: list[str] = []
    size = 0
    for page in pages:
        if size >= _LANGUAGE_SAMPLE:
            break
        parts.append(page.text)
        size += len(page.text)
    return "\n\n".join(parts)

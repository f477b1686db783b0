"""True redaction of an export copy with MuPDF: what lies under a box is removed, not covered.

For every box: the characters whose glyphs it overlaps are deleted from the content streams,
the pixels of images under it are blanked, vector paths it covers entirely are removed, and a
black rectangle is painted in their place. Paths only partly under a box are kept (a table's
rules or a page-wide background must survive a name being blacked out in one cell); use the
rasterize option to flatten everything.

Annotations and form widgets are deleted before anything else: their appearance streams and
values are not page content, and an export never carries them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from dossier.pdf.mupdf import pymupdf
from dossier.redact.marks import Rect

log = logging.getLogger(__name__)

BLACK = (0.0, 0.0, 0.0)

_pdf: Any = pymupdf


def strip_annotations(page: Any) -> int:
    """Delete every annotation, widget and link of `page`; return how many were removed."""
    removed = 0
    for widget in list(page.widgets() or []):
        page.delete_widget(widget)
        removed += 1
    for annot in list(page.annots() or []):
        page.delete_annot(annot)
        removed += 1
    for link in page.get_links():
        page.delete_link(link)
        removed += 1
    return removed


def usable(rect: Rect) -> bool:
    x0, y0, x1, y1 = rect
    return x1 - x0 > 0.01 and y1 - y0 > 0.01


def redact_page(page: Any, rects: Sequence[Rect], pictures: bool = False) -> bool:
    """Apply black-box redactions for `rects` (unrotated page coordinates).

    Returns False when MuPDF could not apply them (a content stream it cannot rewrite), or,
    `pictures` (boxes over what OCR read in them), left a picture under a box whole: the
    caller must then rasterize the page, whose pixels are blacked out directly.
    """
    boxes = [r for r in rects if usable(r)]
    if not boxes:
        return True
    try:
        covered = _pictures_under(page, boxes) if pictures else set()
        for rect in boxes:
            page.add_redact_annot(_pdf.Rect(rect), fill=BLACK, cross_out=False)
        page.apply_redactions(
            images=_pdf.PDF_REDACT_IMAGE_PIXELS,
            graphics=_pdf.PDF_REDACT_LINE_ART_REMOVE_IF_COVERED,
            text=_pdf.PDF_REDACT_TEXT_REMOVE,
        )
        # PyMuPDF keeps what it read of the page's pictures: read them as they are now.
        page._image_info = None
        left = covered & _pictures_under(page, boxes) if covered else set()
    except (RuntimeError, ValueError, _pdf.mupdf.FzErrorBase) as exc:
        # Not silent: the page is rasterized instead, and the self-check still runs on it.
        log.debug("redaction of page %d failed (%s); rasterizing it", page.number + 1, exc)
        return False
    if left:
        # A picture MuPDF draws but does not clear under a box (the tile of a pattern): its
        # pixels are cleared with the page's.
        log.debug("page %d: %d picture(s) under a box not cleared", page.number + 1, len(left))
        return False
    return True


def _pictures_under(page: Any, boxes: Sequence[Rect]) -> set[tuple[bytes, tuple[int, ...]]]:
    """The pictures `page` draws under `boxes`, by their pixels' digest and where they are."""
    under: set[tuple[bytes, tuple[int, ...]]] = set()
    for info in page.get_image_info(hashes=True):
        drawn = _pdf.Rect(info["bbox"])
        for box in boxes:
            overlap = drawn & _pdf.Rect(box)
            if overlap.width >= 1 and overlap.height >= 1:
                under.add((bytes(info["digest"]), tuple(round(v) for v in drawn)))
                break
    return under

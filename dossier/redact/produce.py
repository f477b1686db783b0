"""One redacted, scrubbed copy of one PDF, in memory: the pipeline the export runs per file.

open the original (from the decrypted bytes; nothing touches the disk)
-> delete annotations, widgets and links
-> take out the texts marked content gives besides its glyphs (`marked`)
-> plan the boxes (marks) on the text stored at import and on the glyphs the copy draws,
   and apply them (true redaction)
-> scrub in place, or rebuild page by page when MuPDF cannot
-> rasterize the redacted pages if asked (and any page MuPDF could not redact)
-> give back a text layer to pages the scrub emptied (OCR layers count as hidden text)
-> full rewrite.
The self-check (`selfcheck`) is run on the bytes by the caller, after this.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dossier.errors import InputRefused, PasswordRequired
from dossier.i18n import _
from dossier.jobs import CancelToken, check
from dossier.pdf.canonical import build_canonical
from dossier.pdf.glyphtruth import GlyphTruth
from dossier.pdf.layout import reading_order
from dossier.pdf.mupdf import exclusive, pymupdf
from dossier.pdf.open import drain_mupdf_messages
from dossier.redact.apply import redact_page, strip_annotations
from dossier.redact.marked import strip_marked_texts
from dossier.redact.marks import Hit, PagePlan, Rect, Rules, plan_document, plan_page, unshrunk
from dossier.redact.picture_text import Readings, pages_with_pictures_to_read, read_pictures
from dossier.redact.rasterize import (
    RASTER_DPI,
    TextWord,
    add_invisible_text,
    rasterize_page,
    surviving,
)
from dossier.redact.scrub import ScrubFailed, rebuild, save_clean, scrub_in_place
from dossier.text.model import PageText

log = logging.getLogger(__name__)

_pdf: Any = pymupdf


@dataclass
class RedactedCopy:
    data: bytes
    plans: dict[int, PagePlan]
    counts: dict[str, int]
    """Occurrences hidden, per kind of mark (rect, term, pattern, person)."""
    rasterized: list[int] = field(default_factory=list)
    fallback: str | None = None
    """None when scrubbed in place; otherwise what was done instead, for the report."""
    restored_text_pages: list[int] = field(default_factory=list)

    def rects(self, page_index: int) -> list[Rect]:
        plan = self.plans.get(page_index)
        return plan.rects if plan else []


def page_words(page: PageText) -> list[TextWord]:
    return [TextWord(w.rect, page.text[w.start : w.end]) for w in page.words]


def count_hits(plans: dict[int, PagePlan]) -> dict[str, int]:
    counts = {"rect": 0, "term": 0, "pattern": 0, "person": 0}
    for plan in plans.values():
        for hit in plan.hits:
            counts[hit.kind] = counts.get(hit.kind, 0) + 1
    return counts


@exclusive
def open_copy(data: bytes, name: str, password: str | None) -> Any:
    try:
        doc = _pdf.open(stream=data, filetype="pdf")
    except (RuntimeError, ValueError, _pdf.mupdf.FzErrorBase) as exc:
        raise InputRefused(
            _("“{name}” cannot be read as a PDF any more.").format(name=name)
        ) from exc
    if doc.needs_pass and (password is None or not doc.authenticate(password)):
        doc.close()
        raise PasswordRequired(
            _("“{name}” is protected by a password; give it to export it.").format(name=name)
        )
    return doc


@exclusive
def redacted_copy(
    data: bytes,
    pages: Sequence[PageText],
    rules: Rules,
    *,
    name: str,
    password: str | None = None,
    rasterize: bool = False,
    picture: bool = False,
    cancel: CancelToken | None = None,
    readings: Readings | None = None,
) -> RedactedCopy:
    """The redacted, scrubbed bytes of the PDF `data` whose extracted pages are `pages`.

    `picture`: `data` is a photo or scan made into a PDF (`dossier.pdf.images`); every page
    is rebuilt from its pixels at the picture's own resolution, boxes painted into them, so
    nothing of the original image file (EXIF, GPS position, thumbnail) travels with it.
    `readings`: where the OCR of the pictures (`picture_text`) is kept for the self-check.
    """
    plans = plan_document(pages, rules)
    counts = count_hits(plans)
    by_index = {p.index: p for p in pages}
    doc = open_copy(data, name, password)
    try:
        for page in doc:
            strip_annotations(page)
        strip_marked_texts(doc)
        check(cancel)
        _plan_drawn_text(doc, pages, rules, plans)
        outlined: set[int] = set()
        in_pictures: set[int] = set()
        for hit in _plan_pictures(doc, pages, rules, plans, cancel, readings, outlined):
            counts[hit.kind] = counts.get(hit.kind, 0) + 1
            in_pictures.add(hit.page_index)
        failed: list[int] = []
        for index, plan in sorted(plans.items()):
            check(cancel)
            boxed = index < doc.page_count
            if boxed and not redact_page(doc[index], plan.rects, index in in_pictures):
                failed.append(index)
        check(cancel)
        fallback: str | None = None
        try:
            scrub_in_place(doc)
        except ScrubFailed as exc:
            log.debug("scrub failed on %s (%s): rebuilding page by page", name, exc)
            fresh, lost = rebuild(doc)
            doc.close()
            doc = fresh
            failed.extend(i for i in lost if i not in failed)
            fallback = "rebuilt page by page" + (
                f", {len(lost)} page(s) rasterized" if lost else ""
            )
            try:
                scrub_in_place(doc)
            except ScrubFailed as again:
                raise InputRefused(
                    _(
                        "“{name}” could not be cleaned for export, even rebuilt page by page."
                    ).format(name=name)
                ) from again
        # A box leaves the paths it does not cover whole: letters outlined go with the pixels.
        to_raster = set(failed) | outlined | (set(plans) if rasterize else set())
        if picture:
            to_raster = set(range(doc.page_count))
        rasterized: list[int] = []
        for index in sorted(to_raster):
            check(cancel)
            if index >= doc.page_count:
                continue
            known = by_index.get(index)
            words = page_words(known) if known is not None and known.words else None
            page_plan = plans.get(index)
            rects = page_plan.rects if page_plan else []
            painted = None
            if index in failed and not (known is not None and known.ocr):
                # Its glyphs were not removed: they become pixels, painted over only where
                # a box lies, and a text page's boxes are shrunk for glyphs removed whole.
                painted = [unshrunk(rect) for rect in rects]
            dpi = native_dpi(doc[index]) if picture else RASTER_DPI
            rasterize_page(doc, index, rects, words, dpi=dpi, painted=painted)
            rasterized.append(index)
        restored = _restore_text_layers(doc, by_index, plans, set(rasterized))
        check(cancel)
        output = save_clean(doc)
    finally:
        doc.close()
        drain_mupdf_messages()
    return RedactedCopy(
        data=output,
        plans=plans,
        counts=counts,
        rasterized=rasterized,
        fallback=fallback,
        restored_text_pages=restored,
    )


_DRAWN_FLAGS = _pdf.TEXT_CLIP | _pdf.TEXT_IGNORE_ACTUALTEXT


def drawn_text(page: Any, known: PageText | None) -> PageText:
    """The text `page` draws, read from its glyphs alone, as a page of the catalog."""
    words = page.get_text("words", flags=_DRAWN_FLAGS)
    text, word_map = build_canonical(reading_order(words, tuple(page.rotation_matrix)))
    return PageText(
        index=page.number,
        text=text,
        words=word_map,
        rotation=int(page.rotation),
        ocr=known.ocr if known is not None else False,
    )


def _plan_drawn_text(
    doc: Any, pages: Sequence[PageText], rules: Rules, plans: dict[int, PagePlan]
) -> None:
    """Add to `plans` the boxes the marks need on the glyphs the copy draws, where the text
    stored at import (read through an ActualText, or without a layer then hidden) put none:
    the boxes cover what the recipient's reader and eyes get, not only what import read."""
    if not (rules.terms or rules.patterns):
        return
    known = {p.index: p for p in pages}
    for page in doc:
        stored = known.get(page.number)
        if stored is not None and stored.ocr:
            continue  # the words of a scan are its OCR's: the stored plan is the one
        drawn = plan_document([drawn_text(page, stored)], Rules(rules.terms, rules.patterns))
        extra = drawn.get(page.number)
        if extra is None:
            continue
        plan = plans.setdefault(page.number, PagePlan(page.number))
        have = {_rounded(r) for r in plan.rects}
        for hit in extra.hits:
            rects = tuple(r for r in hit.rects if _rounded(r) not in have)
            if rects:
                plan.hits.append(Hit(hit.mark_id, hit.kind, page.number, rects))


def _plan_pictures(
    doc: Any,
    pages: Sequence[PageText],
    rules: Rules,
    plans: dict[int, PagePlan],
    cancel: CancelToken | None,
    readings: Readings | None,
    outlined: set[int],
) -> list[Hit]:
    """Add to `plans` (and return) the boxes over the names and terms OCR reads in the pictures
    of the pages whose text was not read by OCR at import (`picture_text`): a screenshot of an
    e-mail pasted in a report shows its names to the recipient like the report's own text.
    The pages where such a name is drawn as outlines are added to `outlined`."""
    if not rules.terms:
        return []  # the cost of OCR only when there are names or terms to hide
    truth = GlyphTruth()
    to_read = pages_with_pictures_to_read(doc, pages, truth)
    text_rules = Rules(rules.terms, rules.patterns)
    added: list[Hit] = []
    for read in read_pictures(doc, to_read, cancel, readings, truth) if to_read else ():
        for hit in plan_page(read.text, text_rules).hits:
            rects = tuple(read.on_page(rect) for rect in hit.rects)
            added.append(Hit(hit.mark_id, hit.kind, read.page_index, rects))
            if read.outlines:
                outlined.add(read.page_index)
            plans.setdefault(read.page_index, PagePlan(read.page_index)).hits.append(added[-1])
    return added


def _rounded(rect: Rect) -> tuple[int, ...]:
    return tuple(round(v) for v in rect)


def native_dpi(page: Any) -> int:
    """The resolution of the picture filling `page`: rebuilt at it, a photo keeps its pixels
    (no blur, no growth); `rasterize_page` still bounds the result."""
    # Pixels per point by area, not by width: a picture turned a quarter (a photo read
    # sideways) has its width along the page's height.
    densities = [
        (info["width"] * info["height"] / max(1e-6, _area(info["bbox"]))) ** 0.5
        for info in page.get_image_info()
        if info.get("width") and info.get("height")
    ]
    return max(72, round(72 * max(densities))) if densities else RASTER_DPI


def _area(bbox: Sequence[float]) -> float:
    return abs((bbox[2] - bbox[0]) * (bbox[3] - bbox[1]))


def _restore_text_layers(
    doc: Any, pages: dict[int, PageText], plans: dict[int, PagePlan], skip: set[int]
) -> list[int]:
    """Pages left without any text (an OCR layer is "hidden text" to the scrub) get an
    invisible layer of their surviving words back, so the export stays searchable."""
    restored: list[int] = []
    for index, known in sorted(pages.items()):
        if index in skip or index >= doc.page_count or not known.words:
            continue
        page = doc[index]
        if page.get_text("words"):
            continue
        plan = plans.get(index)
        words = surviving(page_words(known), plan.rects if plan else [])
        rotation = page.rotation
        if rotation:
            page.set_rotation(0)
        if add_invisible_text(page, words):
            restored.append(index)
        if rotation:
            page.set_rotation(rotation)
    return restored

"""Everything in a PDF besides what its pages show, removed; then a full, fresh rewrite.

`Document.scrub()` does most of it (document info, XMP, JavaScript actions, embedded files,
thumbnails, links, hidden text). We add what it leaves: the catalog entries that can carry text
or behaviour (AcroForm with its XFA data, name trees, open actions, outlines, the structure
tree with its alternate texts, optional-content settings, page labels), per-page actions and
piece info, the trailer's Info, and what JPEG pictures say besides their pixels (`pictures`).
Producer and creator end up absent: no library, user or host name.

`scrub()` raised on a real file (the corpus' Federal Register notice has a dangling object
reference). We then rebuild the document page by page into a new PDF, which leaves every
document-level object behind, and scrub that; a page that cannot even be copied is rasterized.
Whatever path was taken is reported, and the self-check runs on the result either way.
"""

from __future__ import annotations

import logging
import re
import secrets
import string
from typing import Any

from dossier.pdf.mupdf import pymupdf
from dossier.redact.apply import strip_annotations
from dossier.redact.marked import dictionary_keys
from dossier.redact.pictures import bare_pictures

log = logging.getLogger(__name__)

_pdf: Any = pymupdf

_CATALOG_KEYS = (
    "AcroForm",
    "Names",
    "Dests",
    "OpenAction",
    "AA",
    "Outlines",
    "StructTreeRoot",
    "MarkInfo",
    "Metadata",
    "PieceInfo",
    "Perms",
    "Threads",
    "SpiderInfo",
    "URI",
    "Collection",
    "OCProperties",
    "PageLabels",
    "Legal",
    "Requirements",
    "AF",
    "Info",
)
"""`Info` in the catalog: a fresh MuPDF document carries `/Info<</Producer(MuPDF x.y)>>` there.
OCProperties goes too: with it gone every optional-content layer is shown and extracted,
so text hidden in an "off" layer is seen by the self-check instead of shipped unseen."""

_PAGE_KEYS = ("AA", "Thumb", "PieceInfo", "Metadata", "B", "AF", "Annots")


class ScrubFailed(Exception):
    """MuPDF could not scrub this document in place (caller falls back to a rebuild)."""


def _null_keys(doc: Any, xref: int, keys: tuple[str, ...]) -> None:
    for key in keys:
        if doc.xref_get_key(xref, key)[0] != "null":
            doc.xref_set_key(xref, key, "null")


def neutralize(doc: Any) -> None:
    """Remove the catalog, page and trailer entries `Document.scrub()` leaves in place."""
    doc.set_metadata({})
    doc.del_xml_metadata()
    catalog = doc.pdf_catalog()
    _null_keys(doc, catalog, _CATALOG_KEYS)
    for page in doc:
        strip_annotations(page)
        _null_keys(doc, page.xref, _PAGE_KEYS)
    if doc.xref_get_key(-1, "Info")[0] != "null":
        doc.xref_set_key(-1, "Info", "null")
    forget_the_original(doc)
    bare_pictures(doc)


_SUBSET_TAG = re.compile(r"/[A-Z]{6}\+")
_TAG_LETTERS = string.ascii_uppercase


_PAGE_KEYS_KEPT = frozenset(
    "Type Parent Resources Contents MediaBox CropBox BleedBox TrimBox ArtBox Rotate Group "
    "UserUnit".split()
)
_KEPT_KEYS = {
    "Catalog": frozenset({"Type", "Pages", "Version", "PageLayout", "PageMode", "Lang"}),
    "Pages": frozenset("Type Kids Count Parent Resources MediaBox CropBox Rotate".split()),
    "Page": _PAGE_KEYS_KEPT,
    # Every key of every kind of font (simple, Type 3, Type 0 and its descendant CIDFont).
    "Font": frozenset(
        "Type Subtype Name BaseFont FirstChar LastChar Widths FontDescriptor Encoding ToUnicode "
        "FontBBox FontMatrix CharProcs Resources DescendantFonts CIDSystemInfo DW W DW2 W2 "
        "CIDToGIDMap".split()
    ),
    "FontDescriptor": frozenset(
        "Type FontName FontFamily FontStretch FontWeight Flags FontBBox ItalicAngle Ascent "
        "Descent Leading CapHeight XHeight StemV StemH AvgWidth MaxWidth MissingWidth FontFile "
        "FontFile2 FontFile3 CharSet Style Lang FD CIDSet".split()
    ),
}
_STREAM_KEYS = "Length Filter DecodeParms DL".split()
_XOBJECT_KEPT_KEYS = {
    "/Image": frozenset(
        "Type Subtype Width Height ColorSpace BitsPerComponent Intent ImageMask Mask Decode "
        "Interpolate SMask SMaskInData Matte OC".split()
        + _STREAM_KEYS
    ),
    "/Form": frozenset(
        "Type Subtype FormType BBox Matrix Resources Group OC".split() + _STREAM_KEYS
    ),
}
_GRAPHICS_STATE_KEYS = frozenset(
    "Type LW LC LJ ML D RI OP op OPM Font BG BG2 UCR UCR2 TR TR2 HT FL SM SA BM SMask CA ca "
    "AIS TK UseBlackPtComp HTO".split()
)
"""What the catalog, the page tree, a page, a font, a picture, a form and a graphics state may
keep: what it takes to show the pages. Anything else (a document system's copy number, a page's
/LastModified, a picture's photographer written as a name by its writer, OPI naming the
original image's file, AF files of its own, Alternates other pictures) goes."""


def forget_the_original(doc: Any) -> None:
    """Drop what tells one copy of a file from another rather than what its pages show: the
    trailer's /ID (its first string is the file's permanent identifier; MuPDF writes a fresh,
    random one), every entry of the catalog, the page tree and the pages that showing them
    does not need, the making-of entries of pictures and forms, XMP wherever it hangs, and
    the tags the original's writer gave its font subsets (new random ones, the same for every
    font that shared one, so a subset stays one font), in the fonts' dictionaries and in their
    embedded programs and character maps, which name them too."""
    if doc.xref_get_key(-1, "ID")[0] != "null":
        doc.xref_set_key(-1, "ID", "null")
    roles = {doc.pdf_catalog(): "Catalog", **{page.xref: "Page" for page in doc}}
    fresh: dict[str, str] = {}
    programs: set[int] = set()
    for xref in range(1, doc.xref_length()):
        keys = doc.xref_get_keys(xref)
        role = roles.get(xref) or doc.xref_get_key(xref, "Type")[1][1:]
        if role in _KEPT_KEYS:
            _null_keys(doc, xref, tuple(k for k in keys if k not in _KEPT_KEYS[role]))
        elif "Subtype" in keys and doc.xref_get_key(xref, "Subtype")[1] in _XOBJECT_KEPT_KEYS:
            kept = _XOBJECT_KEPT_KEYS[doc.xref_get_key(xref, "Subtype")[1]]
            _null_keys(doc, xref, tuple(k for k in keys if k not in kept))
        if "Metadata" in keys:  # XMP may hang from any object: a colour profile, a pattern
            _null_keys(doc, xref, ("Metadata",))
        for key in ("BaseFont", "FontName"):
            if key not in keys:
                continue
            kind, value = doc.xref_get_key(xref, key)
            if kind == "xref":  # the name in an object of its own: written in place instead
                kind, value = "name", doc.xref_object(int(value.split()[0])).strip()
            if kind == "name" and _SUBSET_TAG.match(value):
                tag = _fresh_tag(fresh, value[1:7])
                doc.xref_set_key(xref, key, "/" + _name_syntax(tag + value[7:]))
        for key in _NAMING_STREAMS:
            if key in keys:
                kind, value = doc.xref_get_key(xref, key)
                if kind == "xref" and doc.xref_is_stream(int(value.split()[0])):
                    programs.add(int(value.split()[0]))
    for xref in sorted(programs):
        _retag_program(doc, xref, fresh)
    _bare_graphics_states(doc)


def _bare_graphics_states(doc: Any) -> None:
    """Each graphics state of a resource dictionary (`/ExtGState`) with the standard's entries
    alone: a writer's own (`/By /Quartermaine`) goes, as from a picture or a form."""
    for xref in range(1, doc.xref_length()):
        try:
            kind, value = doc.xref_get_key(xref, "Resources/ExtGState")
            if kind == "null" and doc.xref_get_key(xref, "Type")[1] != "/ExtGState":
                continue
            states = _graphics_states(doc, xref, kind, value)
        except (RuntimeError, ValueError, _pdf.mupdf.FzErrorBase):
            continue
        for holder, path, source in states:
            for key in dictionary_keys(source.encode("latin-1", "replace")):
                if key not in _GRAPHICS_STATE_KEYS:
                    doc.xref_set_key(holder, f"{path}{key}", "null")


def _graphics_states(doc: Any, xref: int, kind: str, value: str) -> list[tuple[int, str, str]]:
    """(holder, path, source) of the graphics states object `xref` holds or is."""
    if kind == "null":  # a graphics state of its own
        return [(xref, "", doc.xref_object(xref, compressed=True))]
    holder, path = xref, "Resources/ExtGState/"
    if kind == "xref":  # its resources' graphics states in an object of their own
        holder, path = int(value.split()[0]), ""
        value = doc.xref_object(holder, compressed=True)
    found: list[tuple[int, str, str]] = []
    for name in dictionary_keys(value.encode("latin-1", "replace")):
        state_kind, state = doc.xref_get_key(holder, f"{path}{name}")
        if state_kind == "dict":
            found.append((holder, f"{path}{name}/", state))
    return found


_NAMING_STREAMS = ("FontFile", "FontFile2", "FontFile3", "ToUnicode", "Encoding")
"""A font's streams that may name it: its program, its character maps (TeX names a CMap
`TeX-ABCDEF-Font-0`)."""
_PROGRAM_TAG = re.compile(rb"[A-Z]{6}\+(?=[A-Za-z0-9])")
_PROGRAM_TAG_UTF16 = re.compile(rb"((?:\x00[A-Z]){6})\x00\+(?=\x00[A-Za-z0-9])")
"""A subset tag in a font program: `ABCDEF+Name`, in ASCII (CFF, Type 1, TrueType's Mac
names) and in UTF-16 (TrueType's Windows names); TrueType writes its names end to end
(`...Arial-BoldMTFGBLHT+Arial-BoldMT`): no word boundary before the tag."""


def _fresh_tag(fresh: dict[str, str], old: str) -> str:
    return fresh.setdefault(old, "".join(secrets.choice(_TAG_LETTERS) for _ in range(6)))


def _retag_program(doc: Any, xref: int, fresh: dict[str, str]) -> None:
    """The subset tags in an embedded font program replaced by the fresh ones, letter for
    letter: no offset or length in the program moves, and the font stays one font with its
    dictionaries. A program MuPDF cannot decode raises: the scrub fails and the copy is
    rebuilt, never written with the tag left in."""
    program = doc.xref_stream(xref)
    if not program:
        return
    retagged = _PROGRAM_TAG.sub(
        lambda m: _fresh_tag(fresh, m[0][:6].decode()).encode() + b"+", program
    )
    retagged = _PROGRAM_TAG_UTF16.sub(
        lambda m: _fresh_tag(fresh, m[1][1::2].decode()).encode("utf-16-be") + b"\x00+",
        retagged,
    )
    for old, new in fresh.items():  # a tag the dictionaries gave, written without its "+"
        for encoding in ("ascii", "utf-16-be"):
            retagged = retagged.replace(old.encode(encoding), new.encode(encoding))
    if retagged != program:
        doc.update_stream(xref, retagged)


def _name_syntax(name: str) -> str:
    """A PDF name's characters as PDF syntax writes them (MuPDF hands names back decoded)."""
    return "".join(
        c if 33 <= ord(c) <= 126 and c not in "()<>[]{}/%#" else f"#{ord(c):02X}"
        for c in name.encode("latin-1", "replace").decode("latin-1")
    )


_EVERYWHERE = (-30000.0, -30000.0, 30000.0, 30000.0)
"""Larger than any page (PDF user space is bounded by +-14400 units): text placed off the
visible page is removed too."""


def remove_hidden_text(page: Any) -> int:
    """Delete the text of the page a reader does not see; return how many words went.

    Invisible text (render mode 3: OCR layers, hidden words) goes in one page-wide pass:
    `Document.scrub(hidden_text=True)` adds one redaction per hidden span and took 35 s on the
    corpus' one-page OCR scan, this takes milliseconds and leaves images and drawings alone.
    Text outside the visible page (the crop box; Free Culture keeps line numbers there) goes
    with four redactions around it, and text cut away by a clipping path with one redaction
    per line of such words. Only text is removed by these, never images or drawings.
    """
    _apply_text_only(page, [_EVERYWHERE], _pdf.PDF_REDACT_TEXT_REMOVE_INVISIBLE)
    everywhere = _pdf.INFINITE_RECT()
    width, height = page.cropbox.width, page.cropbox.height
    words = page.get_text("words", flags=0, clip=everywhere)
    outside = [w for w in words if not _inside(w, width, height)]
    if outside:
        big = _EVERYWHERE[2]
        around = [
            (-big, -big, 0.0, big),
            (width, -big, big, big),
            (0.0, -big, width, 0.0),
            (0.0, height, width, big),
        ]
        _apply_text_only(page, around, _pdf.PDF_REDACT_TEXT_REMOVE)
        words = page.get_text("words", flags=0, clip=everywhere)  # what is left of them
    shown = {_word_key(w) for w in page.get_text("words", flags=_pdf.TEXT_CLIP)}
    lines: dict[tuple[int, int], list[float]] = {}
    for word in words:
        if _word_key(word) in shown:
            continue
        box = lines.setdefault((word[5], word[6]), [word[0], word[1], word[2], word[3]])
        box[:] = [
            min(box[0], word[0]),
            min(box[1], word[1]),
            max(box[2], word[2]),
            max(box[3], word[3]),
        ]
    if lines:
        _apply_text_only(page, [tuple(b) for b in lines.values()], _pdf.PDF_REDACT_TEXT_REMOVE)
    return len(outside) + len(lines)


def _inside(word: Any, width: float, height: float) -> bool:
    x0, y0, x1, y1 = (float(v) for v in word[:4])
    return x0 >= 0 and y0 >= 0 and x1 <= width and y1 <= height


def _apply_text_only(page: Any, rects: list[Any], text_mode: int) -> None:
    for rect in rects:
        page.add_redact_annot(_pdf.Rect(rect), fill=None, cross_out=False)
    page.apply_redactions(
        images=_pdf.PDF_REDACT_IMAGE_NONE,
        graphics=_pdf.PDF_REDACT_LINE_ART_NONE,
        text=text_mode,
    )


def _word_key(word: Any) -> tuple[int, int, int, int, str]:
    return (round(word[0]), round(word[1]), round(word[2]), round(word[3]), word[4])


def scrub_in_place(doc: Any) -> None:
    """`Document.scrub()` plus `neutralize`; raises ScrubFailed when MuPDF gives up."""
    try:
        for page in doc:
            remove_hidden_text(page)
        doc.scrub(
            attached_files=True,
            clean_pages=True,
            embedded_files=True,
            hidden_text=False,
            javascript=True,
            metadata=True,
            redactions=True,
            redact_images=_pdf.PDF_REDACT_IMAGE_NONE,
            remove_links=True,
            reset_fields=True,
            reset_responses=True,
            thumbnails=True,
            xml_metadata=True,
        )
        neutralize(doc)
    except (RuntimeError, ValueError, _pdf.mupdf.FzErrorBase) as exc:
        raise ScrubFailed(str(exc)) from exc


def rebuild(doc: Any) -> tuple[Any, list[int]]:
    """A new PDF holding only the pages of `doc` (no annotations, links or widgets).

    Returns the new document and the indexes of pages that could not be copied and were
    rasterized instead (their pixels are what the original page shows).
    """
    fresh = _pdf.open()
    rasterized: list[int] = []
    for index in range(doc.page_count):
        try:
            fresh.insert_pdf(
                doc, from_page=index, to_page=index, links=False, annots=False, widgets=False
            )
        except (RuntimeError, ValueError, _pdf.mupdf.FzErrorBase) as exc:
            log.debug("page %d could not be copied (%s): rasterized", index + 1, exc)
            _copy_as_picture(doc, index, fresh)
            rasterized.append(index)
    return fresh, rasterized


def _copy_as_picture(doc: Any, index: int, fresh: Any) -> None:
    page = doc[index]
    rotation = page.rotation
    page.set_rotation(0)
    pixmap = page.get_pixmap(dpi=150, alpha=False, annots=False)
    new = fresh.new_page(width=page.rect.width, height=page.rect.height)
    new.insert_image(new.rect, pixmap=pixmap)
    if rotation:
        new.set_rotation(rotation)


def save_clean(doc: Any) -> bytes:
    """A complete rewrite: unused objects dropped, duplicates merged, streams compressed,
    no encryption, no incremental section (earlier revisions would otherwise survive)."""
    data: bytes = doc.tobytes(
        garbage=4,
        deflate=True,
        deflate_images=True,
        deflate_fonts=True,
        clean=False,
        incremental=False,
        encryption=_pdf.PDF_ENCRYPT_NONE,
        preserve_metadata=False,
    )
    return _without_writer_comment(data)


_WRITER_COMMENT = b"% Written by "


def _without_writer_comment(data: bytes) -> bytes:
    """Blank MuPDF's "% Written by MuPDF x.y.z" header comment, keeping every byte offset."""
    start = data.find(_WRITER_COMMENT, 0, 64)
    if start < 0:
        return data
    end = data.index(b"\n", start)
    return data[:start] + b"%" + b" " * (end - start - 1) + data[end:]

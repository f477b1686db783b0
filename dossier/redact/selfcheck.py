"""Read an exported PDF as its recipient could: every text it holds, and what must not be in it.

`read_pdf` re-opens a PDF from its bytes and collects the text of every page (MuPDF's own order
and Dossier's reading order, without clipping to the page, so text pushed off the page is read
too, and from the glyphs alone as well as through their ActualText), the document info and
XMP metadata (the catalog's and any other), embedded file names, outline titles, and every
string held in any PDF object (alternate texts, actions, leftover dictionaries) or in any
content stream (marked-content property lists), and what a JPEG picture says besides its pixels
(EXIF, XMP, IPTC, comments). It also reports what
must not be there at all: a character whose centre lies under a box (the box covers text
instead of having removed it), annotations, widgets, forms, links, attachments, JavaScript,
metadata. The bundle's self-check (`bundlecheck`) searches those texts with its own needles;
`check_pdf` searches them with the marks' folding (`needles_for`), for one PDF on its own.

A finding names the file, the place and the kind of mark, never the hidden term itself (the
message may reach a log or a screen shared with others).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dossier.pdf.canonical import build_canonical
from dossier.pdf.layout import reading_order
from dossier.pdf.mupdf import exclusive, pymupdf
from dossier.redact.marked import STANDARD_TAGS
from dossier.redact.marks import Rect
from dossier.redact.patterns import find_pattern
from dossier.redact.picture_groups import is_letter
from dossier.redact.pictures import CODESTREAM, codestream_header, picture_file
from dossier.text.fold import fold, fold_key

_pdf: Any = pymupdf

_UNDER_BOX_MARGIN = 0.5
"""Points a box is eroded by before testing character centres (rounding of stored boxes)."""


@dataclass(frozen=True)
class Needle:
    """Something that must not be found: a term or name (by its folded key) or a pattern."""

    label: str
    """What to say when found ("redacted term 3f2a91", "protected person 8c01d2", "e-mail")."""
    key: str = ""
    pattern: str = ""


@dataclass(frozen=True)
class Finding:
    file: str
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.file}: {self.what} found in {self.where}"


@dataclass
class SelfCheckReport:
    files: int = 0
    pages: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def summary(self, limit: int = 5) -> str:
        shown = "; ".join(str(f) for f in self.findings[:limit])
        more = len(self.findings) - limit
        return shown + (f"; and {more} more" if more > 0 else "")


def needles_for(
    terms: Iterable[tuple[str, str]], patterns: Iterable[tuple[str, str]]
) -> list[Needle]:
    """Needles from (label, term) and (label, pattern kind) pairs; blank terms are skipped."""
    found: dict[tuple[str, str], Needle] = {}
    for label, term in terms:
        key = fold_key(term)
        if key:
            found.setdefault(("k", key), Needle(label=label, key=key))
    for label, kind in patterns:
        found.setdefault(("p", kind), Needle(label=label, pattern=kind))
    return list(found.values())


def search_text(text: str, needles: Sequence[Needle]) -> list[str]:
    """Labels of the needles found in `text`."""
    if not text or not needles:
        return []
    labels: list[str] = []
    folded = None
    for needle in needles:
        if needle.key:
            folded = folded or fold(text)
            if folded.find_all(needle.key):
                labels.append(needle.label)
        elif needle.pattern and find_pattern(needle.pattern, text):
            labels.append(needle.label)
    return labels


def check_text_file(name: str, text: str, needles: Sequence[Needle]) -> list[Finding]:
    return [Finding(name, "the file's text", label) for label in search_text(text, needles)]


# -- PDF ---------------------------------------------------------------------------------------


@dataclass
class PdfReading:
    """Everything a recipient can read in a PDF, and what must not be in it at all."""

    texts: list[tuple[str, str]] = field(default_factory=list)
    """(where, text): page texts, metadata, outline, object strings, embedded file names."""
    findings: list[Finding] = field(default_factory=list)
    """Structural problems: annotations, links, attachments, JavaScript, text under boxes."""
    pages: int = 0
    page_texts: list[tuple[int, str]] = field(default_factory=list)
    """(page index, text) of each page: the pages read by OCR are searched for misreadings."""


@exclusive
def read_pdf(name: str, data: bytes, boxes: dict[int, list[Rect]]) -> PdfReading:
    """Read the PDF `data` as its recipient could; `boxes` per page are where no character
    may remain."""
    reading = PdfReading()
    try:
        doc = _pdf.open(stream=data, filetype="pdf")
    except (RuntimeError, ValueError, _pdf.mupdf.FzErrorBase):
        reading.findings.append(Finding(name, "the file", "a PDF that cannot be re-opened"))
        return reading
    try:
        if doc.needs_pass or doc.is_encrypted:
            reading.findings.append(Finding(name, "the file", "encryption"))
            return reading
        for page in doc:
            reading.pages += 1
            _read_page(name, page, boxes.get(page.number, []), reading)
        _read_document(name, doc, reading)
    finally:
        doc.close()
    return reading


@exclusive
def check_pdf(
    name: str,
    data: bytes,
    needles: Sequence[Needle],
    boxes: dict[int, list[Rect]],
    report: SelfCheckReport,
) -> None:
    """Append to `report` everything in the PDF `data` that should not be there."""
    reading = read_pdf(name, data, boxes)
    report.files += 1
    report.pages += reading.pages
    report.findings += reading.findings
    for where, text in reading.texts:
        for label in sorted(set(search_text(text, needles))):
            report.findings.append(Finding(name, where, label))


def _read_page(name: str, page: Any, boxes: Sequence[Rect], reading: PdfReading) -> None:
    where = f"page {page.number + 1}"
    out = reading.findings
    # No clipping of any kind: text off the page or cut away by a clipping path counts too.
    textpage = page.get_textpage(flags=0, clip=_pdf.INFINITE_RECT())
    words = page.get_text("words", textpage=textpage)
    raw = page.get_text("text", textpage=textpage)
    # The glyphs themselves too: an ActualText read instead of them may hide what they say.
    glyphs = page.get_text("text", flags=_pdf.TEXT_IGNORE_ACTUALTEXT, clip=_pdf.INFINITE_RECT())
    ordered, _ = build_canonical(reading_order(words, tuple(page.rotation_matrix)))
    reading.texts.append((f"the text of {where}", raw + "\n" + ordered + "\n" + glyphs))
    reading.page_texts.append((page.number, raw + "\n" + ordered))
    if boxes:
        under = _chars_under(page, boxes, textpage)
        if under:
            out.append(Finding(name, where, f"text under a redaction box ({under} characters)"))
        outlined = _outlines_under(page, boxes)
        if outlined:
            what = f"letters drawn as outlines under a redaction box ({outlined} shapes)"
            out.append(Finding(name, where, what))
    if list(page.annots() or []) or list(page.widgets() or []):
        out.append(Finding(name, where, "an annotation or form field"))
    if page.get_links():
        out.append(Finding(name, where, "a link"))


def _eroded(boxes: Sequence[Rect]) -> list[Rect]:
    margin = _UNDER_BOX_MARGIN
    return [(x0 + margin, y0 + margin, x1 - margin, y1 - margin) for x0, y0, x1, y1 in boxes]


def _outlines_under(page: Any, boxes: Sequence[Rect]) -> int:
    """Shapes like letters drawn as outlines whose centre a box covers: the box removed only
    the paths it covered whole; what is left draws the letters once the box is taken away."""
    eroded = _eroded(boxes)
    count = 0
    for drawing in page.get_drawings():
        if is_letter(drawing):
            x, y = drawing["rect"].x0 + drawing["rect"].x1, drawing["rect"].y0 + drawing["rect"].y1
            count += any(b[0] <= x / 2 <= b[2] and b[1] <= y / 2 <= b[3] for b in eroded)
    return count


def _chars_under(page: Any, boxes: Sequence[Rect], textpage: Any) -> int:
    eroded = _eroded(boxes)
    count = 0
    content = page.get_text("rawdict", textpage=textpage)
    for block in content.get("blocks", []):
        for line in block.get("lines", []):
            for span in line.get("spans", []):
                for char in span.get("chars", []):
                    if char.get("c", " ").isspace():
                        continue
                    x0, y0, x1, y1 = char["bbox"]
                    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
                    if any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in eroded):
                        count += 1
    return count


def _read_document(name: str, doc: Any, reading: PdfReading) -> None:
    out = reading.findings
    for key, value in (doc.metadata or {}).items():
        if key in ("format", "encryption") or not value:
            continue
        out.append(Finding(name, f"the document info ({key})", "metadata"))
        reading.texts.append((f"the document info ({key})", str(value)))
    xmp = doc.get_xml_metadata()
    if xmp:
        out.append(Finding(name, "the XMP metadata", "metadata"))
        reading.texts.append(("the XMP metadata", xmp))
    if doc.embfile_count():
        out.append(Finding(name, "the attachments", "an embedded file"))
        reading.texts.append(("an embedded file name", " ".join(doc.embfile_names())))
    toc = doc.get_toc(simple=True)
    if toc:
        reading.texts.append(("the outline", "\n".join(str(entry[1]) for entry in toc)))
    catalog = doc.pdf_catalog()
    for key in ("AcroForm", "OpenAction", "Names"):
        if doc.xref_get_key(catalog, key)[0] != "null":
            out.append(Finding(name, "the document catalog", f"a leftover /{key}"))
    drawn = {xref for page in doc for xref in page.get_contents()}
    streams: list[tuple[int, str]] = []
    glyph_lists: set[int] = set()
    resource_lists: set[int] = set()
    for xref in range(1, doc.xref_length()):
        try:
            source = doc.xref_object(xref, compressed=False)
        except (RuntimeError, ValueError, _pdf.mupdf.FzErrorBase):
            continue  # a free or broken slot: nothing a reader could get from it either
        if "/JavaScript" in source or "/JS " in source or "/JS(" in source or "/JS<" in source:
            out.append(Finding(name, f"object {xref}", "JavaScript"))
        if "/EmbeddedFile" in source:
            out.append(Finding(name, f"object {xref}", "an embedded file"))
        strings = pdf_strings(_CHARSET.sub("", source))
        if strings:
            reading.texts.append((f"a string of object {xref}", "\n".join(strings)))
        named = _resource_names(source, resource_lists)
        if named:
            reading.texts.append((f"a resource name in object {xref}", "\n".join(named)))
        if _DRAWN.search(source):
            drawn.add(xref)
        for glyphs in _CHAR_PROCS.findall(source):  # a Type 3 font's glyphs are drawn too
            drawn.update(int(ref) for ref in _REF.findall(glyphs))
        glyph_lists.update(int(ref) for ref in _CHAR_PROCS_REF.findall(source))
        if doc.xref_is_stream(xref):
            streams.append((xref, source))
            if doc.xref_is_image(xref):
                _read_picture(name, doc, xref, reading)
    for xref in glyph_lists:  # a glyph list of its own, "/CharProcs 12 0 R"
        try:
            drawn.update(int(ref) for ref in _REF.findall(doc.xref_object(xref)))
        except (RuntimeError, ValueError, _pdf.mupdf.FzErrorBase):
            continue
    for xref in resource_lists:  # a page's fonts in an object of their own, "/Font 7 0 R"
        try:
            named = _decoded_names(_NAME.findall(doc.xref_object(xref)))
        except (RuntimeError, ValueError, _pdf.mupdf.FzErrorBase):
            continue
        if named:
            reading.texts.append((f"a resource name in object {xref}", "\n".join(named)))
    for xref, source in streams:
        if xref in drawn or _METADATA.search(source):
            _read_stream(name, doc, xref, source, reading)


_PICTURE_METADATA = (b"Exif\x00", b"http://ns.adobe.com/xap/", b"Photoshop 3.0", b"JFXX\x00")
_AFTER_SCAN = re.compile(rb"\xff[\xe1\xe3-\xed\xef\xfe]")
"""A segment that describes a picture (APPn but JFIF, ICC and Adobe's; a comment) after its
first scan: entropy-coded data never holds these bytes (an 0xFF in it is followed by 00 or a
restart marker), so they are segments written between or after the scans."""


def _read_picture(name: str, doc: Any, xref: int, reading: PdfReading) -> None:
    """A JPEG's segments, wherever they stand, and whatever follows its end; a JPEG 2000's
    boxes, a JPEG 2000 codestream's main header; out of the filters around the picture: its
    EXIF, XMP, IPTC, thumbnails, appended pictures, XML and UUID boxes must be gone, and its
    comments are read like any text."""
    try:
        _codec, raw = picture_file(doc, xref)
    except (RuntimeError, ValueError, _pdf.mupdf.FzErrorBase):
        return
    if not raw:
        return
    after = b""
    if raw[:2] == b"\xff\xd8":
        scan = raw.find(b"\xff\xda")
        head = raw[: scan if scan > 0 else 1 << 16]
        end = raw.find(b"\xff\xd9", scan) if scan > 0 else -1
        after = raw[end + 2 :] if end >= 0 else b""
        described = (
            any(tag in raw for tag in _PICTURE_METADATA)
            or (scan > 0 and _AFTER_SCAN.search(raw, scan) is not None)
            or bool(after.strip(b"\x00 \r\n\t"))
        )
    elif raw.startswith(CODESTREAM):
        header = codestream_header(raw)
        head = b"".join(header)
        described = any(segment[:2] == b"\xff\x64" for segment in header)
    elif raw[4:8] == b"jP  ":
        boxes = _jp2_boxes(raw)
        header = [s for kind, body in boxes if kind == b"jp2c" for s in codestream_header(body)]
        head = b"".join(body for kind, body in boxes if kind != b"jp2c") + b"".join(header)
        described = any(kind in (b"xml ", b"uuid", b"uinf") for kind, _body in boxes) or any(
            segment[:2] == b"\xff\x64" for segment in header
        )
    else:
        return
    if described:
        reading.findings.append(Finding(name, f"picture {xref}", "metadata in a picture"))
    texts = (head + after).decode("latin-1")
    reading.texts.append((f"the segments of picture {xref}", texts))


def _jp2_boxes(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, body) of a JPEG 2000 file's top-level boxes, as far as they can be read."""
    boxes: list[tuple[bytes, bytes]] = []
    at = 0
    while at + 8 <= len(data):
        size, kind, skip = int.from_bytes(data[at : at + 4], "big"), data[at + 4 : at + 8], 8
        if size == 1:
            size, skip = int.from_bytes(data[at + 8 : at + 16], "big"), 16
        size = size or len(data) - at
        if size < skip:
            break
        boxes.append((kind, data[at + skip : at + size]))
        at += size
    return boxes


def _read_stream(name: str, doc: Any, xref: int, source: str, reading: PdfReading) -> None:
    """The strings of a content stream's operands (a marked-content property list with an
    /Alt or /ActualText, text never drawn), a metadata stream's text wherever it hangs (no
    XMP may be left anywhere). Pictures, fonts and other binary streams are not text."""
    try:
        data = doc.xref_stream(xref)
    except (RuntimeError, ValueError, _pdf.mupdf.FzErrorBase):
        return
    if not data:
        return
    text = data.decode("latin-1")
    if _METADATA.search(source):
        reading.findings.append(Finding(name, f"object {xref}", "metadata"))
        reading.texts.append((f"the metadata of object {xref}", data.decode("utf-8", "replace")))
    strings = pdf_strings(text)
    if strings:
        reading.texts.append((f"a string in the stream of object {xref}", "\n".join(strings)))
    names = marking_names(text)
    if names:
        reading.texts.append((f"a marked-content name in object {xref}", "\n".join(names)))
    used = _decoded_names(_RESOURCE_USE.findall(text))
    if used:
        reading.texts.append((f"a resource name in object {xref}", "\n".join(used)))


_MARKING = re.compile(
    r"/[^\s()<>\[\]{}/%]+\s*(?:<<.*?>>\s*|/[^\s()<>\[\]{}/%]+\s*)?(?:BDC|BMC|DP|MP)"
    r"(?![^\s()<>\[\]{}/%])",
    re.S,
)
_NAME = re.compile(r"/([^\s()<>\[\]{}/%]+)")
_NAME_ESCAPE = re.compile(r"#([0-9A-Fa-f]{2})")


_RESOURCES = re.compile(
    r"/(?:Font|XObject|ExtGState|Pattern|Shading|ColorSpace|Properties)\s*(?:<<(.*?)>>|(\d+)\s+0\s+R)",
    re.S,
)
"""A page's or a form's resources of one kind, by name: written there, or in an object of
their own."""
_RESOURCE_USE = re.compile(
    r"/([^\s()<>\[\]{}/%]+)\s+(?:[-+.\d]+\s+)?(?:Tf|Do|gs|sh|cs|CS|scn|SCN)"
    r"(?![^\s()<>\[\]{}/%])"
)
"""A resource's name where a content stream uses it (`/F1 12 Tf`, `/Im0 Do`, `/GS1 gs`)."""


def _resource_names(source: str, lists: set[int]) -> list[str]:
    """The names of the resources an object's source lists (a writer names its fonts and
    pictures as it likes: `/Quartermaine`); the xrefs of the lists held apart go to `lists`."""
    found: list[str] = []
    for inline, ref in _RESOURCES.findall(source):
        if ref:
            lists.add(int(ref))
        else:
            found += _NAME.findall(inline)
    return _decoded_names(found)


def _decoded_names(names: Iterable[str]) -> list[str]:
    return [_NAME_ESCAPE.sub(lambda m: chr(int(m[1], 16)), n).replace("_", " ") for n in names]


def marking_names(content: str) -> list[str]:
    """The names of a content stream's marked content (tags, property lists), decoded
    (`/Hyacinthe#20Quartermaine`, `/Quartermaine_Quote`), but the standard's vocabulary: a
    writer's words as much as its strings are."""
    found: list[str] = []
    for marking in _MARKING.finditer(content):
        for name in _NAME.findall(marking[0]):
            decoded = _NAME_ESCAPE.sub(lambda m: chr(int(m[1], 16)), name)
            if decoded not in STANDARD_TAGS:
                found.append(decoded.replace("_", " "))
    return found


_METADATA = re.compile(r"/(?:Type\s*/Metadata|Subtype\s*/XML)(?![\w#])")
_DRAWN = re.compile(r"/(?:Subtype\s*/Form|PatternType\s*1)(?![\w#.])")
"""Streams drawn as content besides the pages': forms and tiling patterns."""
_CHAR_PROCS = re.compile(r"/CharProcs\s*<<(.*?)>>", re.S)
_CHAR_PROCS_REF = re.compile(r"/CharProcs\s*(\d+)\s+0\s+R")
_REF = re.compile(r"(\d+)\s+0\s+R")
_LITERAL = re.compile(rb"\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)", re.S)
_HEX = re.compile(r"<([0-9A-Fa-f\s]{4,})>")
_CHARSET = re.compile(r"/CharSet\s*\((?:\\.|[^\\)])*\)")
"""A font's list of glyph names ("/copyright/fi/..."): names, not text anyone wrote."""
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "(": "(", ")": ")", "\\": "\\"}


def _unescape(body: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            octal = re.match(r"[0-7]{1,3}", body[i + 1 : i + 4])
            if octal:
                out.append(chr(int(octal.group(), 8) & 0xFF))
                i += 1 + len(octal.group())
                continue
            i += 1
            continue
        out.append(char)
        i += 1
    return "".join(out)


def _decode(raw: bytes) -> str:
    if raw[:2] == b"\xfe\xff":
        return raw[2:].decode("utf-16-be", "replace")
    if raw[:3] == b"\xef\xbb\xbf":
        return raw[3:].decode("utf-8", "replace")
    return raw.decode("latin-1")


def pdf_strings(source: str) -> list[str]:
    """The text of every literal and hex string in one object's source."""
    strings: list[str] = []
    encoded = source.encode("latin-1", "replace")
    for match in _LITERAL.finditer(encoded):
        body = _unescape(match.group()[1:-1].decode("latin-1"))
        strings.append(_decode(body.encode("latin-1", "replace")))
    for hex_match in _HEX.finditer(source):
        digits = "".join(hex_match.group(1).split())
        if len(digits) % 2:
            digits += "0"
        strings.append(_decode(bytes.fromhex(digits)))
    return [s for s in strings if s.strip()]

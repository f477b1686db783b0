"""The texts a PDF gives besides the glyphs it draws, taken out of an export copy.

Marked content carries texts of its own: /ActualText (what a reader copies instead of the
glyphs), /Alt (what a screen reader says), /E (what an abbreviation stands for), written in the
content stream (`/Span <</ActualText (...)>> BDC`) or in a page's property lists (`/P /MC0
BDC`, /MC0 under /Resources /Properties); the structure tree holds them too, applied to the
page's marked content by number, and an optional-content group has a name. MuPDF's redaction
removes glyphs, not these: a name boxed out of the glyphs stayed in the ActualText around
them, a name written only there (glyphs "Q.", ActualText "Quartermaine") was under no box, and
a word map read through an ActualText put the boxes over the wrong glyphs, so the name's own
glyphs stayed in the page, in its text and in its pixels.

They go from every content stream (pages, forms, patterns, Type 3 glyphs) and every property
list before the boxes are planned, and the structure tree and the layers' settings with them,
so that the copy's text is what its pages draw and the boxes are planned on that too.

Marked content's tags and property lists are the producer's words too: Word makes a paragraph
style a tag (`/Quartermaine_Quote <</MCID 3>> BDC`), any writer may mark a point with a name
(`/Hyacinthe#20Quartermaine MP`) or put names in a property list. With the structure tree gone
they mean nothing to a reader: a tag not of the standard's vocabulary becomes /Span, and a
property list but a layer's (/OC, which decides what is shown) becomes empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from dossier.pdf.mupdf import pymupdf

_ERRORS = (RuntimeError, ValueError, pymupdf.mupdf.FzErrorBase)

_TEXT_KEYS = frozenset({"ActualText", "Alt", "E"})
_WHITE = b"\x00\t\n\x0c\r "
_DELIMITERS = b"()<>[]{}/%"
_STOPS = frozenset(_WHITE + _DELIMITERS)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_CANDIDATE = re.compile(rb"/(?:ActualText|Alt|E)(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])|#")
"""A stream or dictionary that may hold a text key (a name written with #-escapes may too)."""
_MARKING = re.compile(
    rb"(?<![^\x00\t\n\x0c\r ()<>\[\]{}/%])(?:BDC|BMC|DP|MP)(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])"
)
"""A content stream that may mark content (its tags and property lists are rewritten)."""
STANDARD_TAGS = frozenset(
    "Document DocumentFragment Part Art Sect Div Aside BlockQuote Caption TOC TOCI Index "
    "NonStruct Private P H H1 H2 H3 H4 H5 H6 Title FENote Sub L LI Lbl LBody Table TR TH TD "
    "THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP "
    "Warichu WT WP Em Strong Figure Formula Form Artifact ReversedChars Clip Tx OC".split()
)
"""The tags of the PDF standard's vocabulary (its structure types, artifacts, optional content,
form fields' text): names no one writes for a document of their own."""
_NEUTRAL_TAG = b"/Span"
_EMPTY_LIST = b"<<>>"
_S = rb"[\x00\t\n\x0c\r ]*"
_ARTIFACT_VALUE = (
    rb"(?:-?[\d.]+|/(?:Top|Bottom|Left|Right|Header|Footer|Watermark|PageNum|LineNum|Bates"
    rb"|Pagination|Layout|Page|Background|Inline)(?![^\x00\t\n\x0c\r ()<>\[\]{}/%]))"
)
_MCID_ONLY = re.compile(
    rb"<<" + _S + rb"/MCID[\x00\t\n\x0c\r ]+\d+" + _S + rb">>"
    rb"|<<(?:"
    + _S
    + rb"/(?:Attached|BBox|Subtype|Type|MCID)"
    + _S
    + rb"(?:\[(?:"
    + _S
    + _ARTIFACT_VALUE
    + rb")*"
    + _S
    + rb"\]|"
    + _ARTIFACT_VALUE
    + rb"))*"
    + _S
    + rb">>"
)
"""A property list numbering its content for the structure tree, or describing an artifact (a
page's running header, its kind, box and edges), and holding nothing else: the standard's
names and numbers, no word of the writer's."""
_TAGS = b"|".join(re.escape(t.encode()) for t in sorted(STANDARD_TAGS, key=len, reverse=True))
_PLAIN_MARKING = re.compile(
    rb"/(?:OC[\x00\t\n\x0c\r ]*/[^\x00\t\n\x0c\r ()<>\[\]{}/%]+[\x00\t\n\x0c\r ]*BDC|(?:"
    + _TAGS
    + rb")(?:[\x00\t\n\x0c\r ]*"
    + rb"(?:"
    + _MCID_ONLY.pattern
    + rb")[\x00\t\n\x0c\r ]*(?:BDC|DP)|[\x00\t\n\x0c\r ]*(?:BMC|MP)))"
    rb"(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])"
)
"""Marking left as it is (a standard tag, a layer's, a structure number): a stream whose every
marking operator is one of these is not read token by token (a tagged PDF marks each line)."""
_IMAGE_END = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r ()<>\[\]{}/%]|$)")


class _Lexer:
    """PDF tokens of a content stream or an object's source: (start, end) spans of bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def next(self) -> tuple[int, int] | None:
        data, n = self.data, len(self.data)
        i = self.pos
        while i < n:
            if data[i] in _WHITE:
                i += 1
            elif data[i] == 0x25:  # % comment, to the end of the line
                while i < n and data[i] not in b"\r\n":
                    i += 1
            else:
                break
        if i >= n:
            self.pos = n
            return None
        start, char = i, data[i]
        if char == 0x28:  # ( literal string, nested parentheses, backslash escapes
            depth = 0
            while i < n:
                c = data[i]
                if c == 0x5C:
                    i += 2
                    continue
                if c == 0x28:
                    depth += 1
                elif c == 0x29:
                    depth -= 1
                    if depth == 0:
                        i += 1
                        break
                i += 1
        elif data.startswith(b"<<", i) or data.startswith(b">>", i):
            i += 2
        elif char == 0x3C:  # <hex string>
            end = data.find(b">", i)
            i = n if end < 0 else end + 1
        elif char in b"[]{}>)":
            i += 1
        else:  # a name (its slash and what follows), a number, an operator, a keyword
            i += 1
            while i < n and data[i] not in _STOPS:
                i += 1
        self.pos = min(i, n)
        return start, self.pos

    def skip_inline_image(self) -> None:
        """After an inline image's `ID`: past its data, to the `EI` that ends it."""
        found = _IMAGE_END.search(self.data, self.pos)
        self.pos = found.end() if found else len(self.data)


def _name(token: bytes) -> str:
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), token[1:]).decode("latin-1")


def _skip_object(lexer: _Lexer, first: tuple[int, int]) -> int:
    """The end of the object starting with token `first` (arrays and dictionaries whole, an
    indirect reference `n g R` whole)."""
    data = lexer.data
    token = data[first[0] : first[1]]
    if token in (b"<<", b"["):
        closing = b">>" if token == b"<<" else b"]"
        end = first[1]
        while (span := lexer.next()) is not None:
            end = span[1]
            if data[span[0] : span[1]] == closing:
                return end
            end = _skip_object(lexer, span)
        return end
    if token.isdigit():
        saved = lexer.pos
        second, third = lexer.next(), lexer.next()
        if (
            second is not None
            and third is not None
            and data[second[0] : second[1]].isdigit()
            and data[third[0] : third[1]] == b"R"
        ):
            return third[1]
        lexer.pos = saved
    return first[1]


def dictionary_keys(source: bytes) -> list[str]:
    """The keys of the dictionary whose source (`<<...>>`) is `source`, at its top level."""
    start = source.find(b"<<")
    if start < 0:
        return []
    lexer = _Lexer(source)
    lexer.pos = start + 2
    keys: list[str] = []
    while (key := lexer.next()) is not None:
        token = source[key[0] : key[1]]
        if token == b">>" or not token.startswith(b"/"):
            break
        keys.append(_name(token))
        value = lexer.next()
        if value is None:
            break
        _skip_object(lexer, value)
    return keys


def _text_entries(data: bytes, start: int) -> tuple[list[tuple[int, int]], int]:
    """The (start, end) of every text entry (key and value) in the dictionary opening at
    `start`, at any depth, and where the dictionary ends."""
    lexer = _Lexer(data)
    lexer.pos = start + 2
    found: list[tuple[int, int]] = []
    while (key := lexer.next()) is not None:
        token = data[key[0] : key[1]]
        if token == b">>":
            return found, key[1]
        value = lexer.next()
        if value is None:
            break
        if token.startswith(b"/") and _name(token) in _TEXT_KEYS:
            found.append((key[0], _skip_object(lexer, value)))
        elif data[value[0] : value[1]] == b"<<":
            inner, end = _text_entries(data, value[0])
            found += inner
            lexer.pos = end
        else:
            _skip_object(lexer, value)
    return found, len(data)


def _cut(data: bytes, spans: list[tuple[int, int]]) -> bytes:
    return _swap(data, [(start, end, b" ") for start, end in spans])


def _swap(data: bytes, swaps: list[tuple[int, int, bytes]]) -> bytes:
    """`data` with each (start, end) span replaced by its bytes; a span inside one replaced
    already is left to it."""
    out: list[bytes] = []
    at = 0
    for start, end, written in sorted(swaps):
        if start < at:
            continue
        out += [data[at:start], written]
        at = end
    out.append(data[at:])
    return b"".join(out)


def without_texts(source: bytes) -> bytes:
    """A dictionary's source (`<<...>>`) with its text entries removed, at any depth."""
    if not _CANDIDATE.search(source) or not source.lstrip().startswith(b"<<"):
        return source
    spans, _end = _text_entries(source, source.index(b"<<"))
    return _cut(source, spans) if spans else source


def content_without_texts(data: bytes) -> bytes:
    """A content stream with the text entries of its marked-content operators' property
    lists (`BDC`, `DP`) removed, their tags of the standard's vocabulary and their property
    lists empty but a layer's; everything else byte for byte."""
    if not _CANDIDATE.search(data) and len(_MARKING.findall(data)) == len(
        _PLAIN_MARKING.findall(data)
    ):
        return data
    lexer = _Lexer(data)
    spans: list[tuple[int, int, bytes]] = []
    operands: list[tuple[int, int]] = []
    while (span := lexer.next()) is not None:
        token = data[span[0] : span[1]]
        if token in (b"<<", b"["):
            end = _skip_object(lexer, span)
            operands.append((span[0], end))
            continue
        first = token[:1]
        if first in b"/(<" or first in b"+-." or first.isdigit() or token in (b"true", b"false"):
            operands.append(span)
            continue
        if token in (b"BDC", b"DP", b"BMC", b"MP") and operands:
            spans += _marking_swaps(data, token, operands)
        elif token == b"ID":
            lexer.skip_inline_image()
        operands = []
    return _swap(data, spans) if spans else data


def _marking_swaps(
    data: bytes, operator: bytes, operands: list[tuple[int, int]]
) -> list[tuple[int, int, bytes]]:
    """What to write instead of a marking operator's operands (`operands` ends with them)."""
    with_list = operator in (b"BDC", b"DP")
    if with_list and len(operands) < 2:
        return []
    tag = operands[-2] if with_list else operands[-1]
    written = data[tag[0] : tag[1]]
    if not written.startswith(b"/"):
        return []
    swaps: list[tuple[int, int, bytes]] = []
    if _name(written) not in STANDARD_TAGS:
        swaps.append((tag[0], tag[1], _NEUTRAL_TAG))
    if with_list:
        last = operands[-1]
        if _name(written) != "OC" and not _MCID_ONLY.fullmatch(data, last[0], last[1]):
            swaps.append((last[0], last[1], _EMPTY_LIST))
        elif data.startswith(b"<<", last[0]):
            swaps += [(start, end, b" ") for start, end in _text_entries(data, last[0])[0]]
    return swaps


def _objects(doc: Any) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Every object of `doc` with its keys; one MuPDF cannot read (a dangling reference) is
    skipped: no reader gets anything from it either, and the self-check reads what remains."""
    for xref in range(1, doc.xref_length()):
        try:
            keys = doc.xref_get_keys(xref)
        except _ERRORS:
            continue
        if keys:
            yield xref, keys


def _content_streams(doc: Any) -> set[int]:
    """Every stream drawn as content: the pages', forms, tiling patterns, Type 3 glyphs."""
    found: set[int] = set()
    for page in doc:
        found.update(page.get_contents())
    for xref, keys in _objects(doc):
        try:
            if doc.xref_is_stream(xref) and (
                doc.xref_get_key(xref, "Subtype")[1] == "/Form" or "PatternType" in keys
            ):
                found.add(xref)
            if "CharProcs" in keys:
                kind, value = doc.xref_get_key(xref, "CharProcs")
                if kind == "xref":
                    value = doc.xref_object(int(value.split()[0]))
                found.update(int(ref) for ref in re.findall(r"(\d+) 0 R", value))
        except _ERRORS:
            continue
    return found


def strip_marked_texts(doc: Any) -> int:
    """Remove every marked-content text of `doc` (content streams, property lists, the
    structure tree), name its optional-content groups plainly and show all their content;
    return how many streams and objects changed."""
    changed = 0
    for xref in sorted(_content_streams(doc)):
        try:
            data = doc.xref_stream(xref) if doc.xref_is_stream(xref) else None
        except _ERRORS:
            continue
        if not data:
            continue
        cleaned = content_without_texts(data)
        if cleaned != data:
            doc.update_stream(xref, cleaned)
            changed += 1
    for xref, keys in _objects(doc):
        try:
            changed += _clean_object(doc, xref, keys)
        except _ERRORS:
            continue
    catalog = doc.pdf_catalog()
    # With the structure tree gone nothing applies its texts to the pages' marked content;
    # with the layers' settings gone every layer is shown, read and planned like the rest.
    for key in ("StructTreeRoot", "OCProperties"):
        if doc.xref_get_key(catalog, key)[0] != "null":
            doc.xref_set_key(catalog, key, "null")
            changed += 1
    return changed


def _clean_object(doc: Any, xref: int, keys: tuple[str, ...]) -> int:
    """An optional-content group named plainly; the property lists of a resource dictionary
    (`keys` holds /Resources, or /Properties when the object is one) without their texts.
    Nowhere else: a Type 3 font may well name a glyph /E."""
    changed = 0
    if doc.xref_get_key(xref, "Type")[1] == "/OCG":
        # A layer's name and its usage (creator, user names) say who made it, not what it
        # shows; the name is required, so an empty one.
        doc.xref_set_key(xref, "Name", "()")
        if "Usage" in keys:
            doc.xref_set_key(xref, "Usage", "null")
        changed += 1
    paths = ["Properties"] if "Properties" in keys else []
    if "Resources" in keys and doc.xref_get_key(xref, "Resources")[0] == "dict":
        paths.append("Resources/Properties")  # an indirect one is an object of its own
    for path in paths:
        kind, value = doc.xref_get_key(xref, path)
        if kind == "xref":
            holder, path, value = int(value.split()[0]), "", ""
            source = doc.xref_object(holder, compressed=True)
        elif kind == "dict":
            holder, source = xref, value
        else:
            continue
        spans, lists = _property_entries(source.encode("latin-1", "replace"))
        if spans:
            cleaned = _cut(source.encode("latin-1", "replace"), spans).decode("latin-1")
            if path:
                doc.xref_set_key(holder, path, cleaned)
            else:
                doc.update_object(holder, cleaned)
            changed += 1
        for ref in lists:  # a property list of its own
            if doc.xref_is_stream(ref) or doc.xref_get_key(ref, "Type")[1] in ("/OCG", "/OCMD"):
                continue
            listed = doc.xref_object(ref, compressed=True).encode("latin-1", "replace")
            cleaned_list = without_texts(listed)
            if cleaned_list != listed:
                doc.update_object(ref, cleaned_list.decode("latin-1"))
                changed += 1
    return changed


def _property_entries(source: bytes) -> tuple[list[tuple[int, int]], list[int]]:
    """In a /Properties dictionary's source: the spans of the text entries of its direct
    property lists, and the object numbers of the others."""
    spans: list[tuple[int, int]] = []
    refs: list[int] = []
    start = source.find(b"<<")
    if start < 0:
        return spans, refs
    lexer = _Lexer(source)
    lexer.pos = start + 2
    while (key := lexer.next()) is not None:
        if source[key[0] : key[1]] == b">>":
            break
        value = lexer.next()
        if value is None:
            break
        token = source[value[0] : value[1]]
        end = _skip_object(lexer, value)
        if token == b"<<":
            spans += _text_entries(source, value[0])[0]
        elif token.isdigit() and source[end - 1 : end] == b"R":
            refs.append(int(token))
    return spans, refs

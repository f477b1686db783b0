"""WordprocessingML (the XML inside a `.docx`) walked into a `Layout`.

`opc` parses the parts safely (no entity expansion); the body is walked here, element by
element, in reading order, since what a journalist needs most is what a Word object model
skips: text inside tracked insertions and deletions, content controls, footnote and comment
references.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from dossier.ingest.layout import Layout, Revision
from dossier.text.marked_text import literal, page_text, pending, plain

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_TRANSPARENT = frozenset(
    {f"{W}hyperlink", f"{W}smartTag", f"{W}fldSimple", f"{W}customXml", f"{W}sdtContent"}
)
_CHANGES = {
    f"{W}ins": "inserted",
    f"{W}del": "deleted",
    f"{W}moveTo": "inserted",
    f"{W}moveFrom": "deleted",
}
_MAX_DEPTH = 40
"""Tables in tables in content controls: deeper than this is a hostile file, not a memo."""

_MAX_FIELDS = 64
"""Fields open in fields: deeper than this is a hostile file (see `_Fields`)."""

_MAX_START = 32767
_MAX_TEMPLATE = 255
"""Word's own limits for a list level's first number and its text ("%1.%2)")."""

Element = Any
"""An lxml element (lxml has no type stubs here: see pyproject.toml)."""


@dataclass
class Numbering:
    """List formats per (numId, level) and the running counters of each list."""

    formats: dict[tuple[str, int], tuple[str, str, int]] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)

    def marker(self, num_id: str, level: int) -> str:
        fmt, template, start = self.formats.get((num_id, level), ("bullet", "•", 1))
        if fmt == "bullet" or fmt == "none":
            return "•" if fmt == "bullet" else ""
        counts = self.counters.setdefault(num_id, [0] * 9)
        level = min(level, 8)
        counts[level] = (counts[level] or start - 1) + 1
        for deeper in range(level + 1, 9):
            counts[deeper] = 0
        text = template or f"%{level + 1}."
        for n in range(9):
            value = counts[n] or self.formats.get((num_id, n), ("", "", 1))[2]
            text = text.replace(f"%{n + 1}", _number(value, self._fmt(num_id, n)))
        return text

    def _fmt(self, num_id: str, level: int) -> str:
        return self.formats.get((num_id, level), ("decimal", "", 1))[0]


def _number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while value >= number:
            out += letters
            value -= number
    return out or "0"


def read_numbering(root: Element | None) -> Numbering:
    numbering = Numbering()
    if root is None:
        return numbering
    abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
    for node in root.iter(f"{W}abstractNum"):
        levels: dict[int, tuple[str, str, int]] = {}
        for lvl in node.iter(f"{W}lvl"):
            level = _level(lvl.get(f"{W}ilvl"))
            # Clamped as Word does (0 to 32,767): a marker is then a few characters however
            # hostile the file, where a roman numeral of a trillion was a gigabyte.
            start = min(max(_int(_val(lvl, "start"), 1), 0), _MAX_START)
            template = (_val(lvl, "lvlText") or "")[:_MAX_TEMPLATE]
            levels[level] = (_val(lvl, "numFmt") or "decimal", template, start)
        abstract[node.get(f"{W}abstractNumId", "")] = levels
    for num in root.iter(f"{W}num"):
        levels = abstract.get(_val(num, "abstractNumId") or "", {})
        for level, spec in levels.items():
            numbering.formats[(num.get(f"{W}numId", ""), level)] = spec
    return numbering


@dataclass(frozen=True)
class StyleInfo:
    heading: int = 0
    num_id: str = ""
    num_level: int = 0
    hidden: bool | None = None
    """Whether the style hides its text (w:vanish, its own or a style's it is based on; for a
    paragraph style, the document's default when neither says): None when nothing says."""


DEFAULT_PARAGRAPH = ""
"""The key of the style a paragraph naming none (or an unknown one) has: Word's default."""
DEFAULT_TABLE = "\0table"
"""The key of the style a table naming none has (no style id holds a NUL: XML cannot)."""
DOCUMENT_DEFAULTS = "\0defaults"
"""The key of the document's defaults (`w:docDefaults`), under every style."""


def _family(style: Element) -> str:
    return style.get(f"{W}type") or "paragraph"  # Word's reading of a style without a type


def read_styles(root: Element | None) -> dict[str, StyleInfo]:
    """Heading level and list numbering of each paragraph style, and whether each character,
    paragraph or table style hides its text (None: it does not say), by style id."""
    styles: dict[str, StyleInfo] = {}
    if root is None:
        return styles
    hidden_runs = _resolved_vanish(root, "character")
    styles.update({sid: StyleInfo(hidden=v) for sid, v in hidden_runs.items() if v is not None})
    # Word's Font > Hidden in a paragraph style, in the default one, in a table's style or in
    # the document's defaults hides the paragraph's runs that do not say otherwise: "Quarter",
    # "zz", "maine" with only the first and last shown read "Quartermaine" on the page.
    default_mark = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}vanish")
    by_default = None if default_mark is None else _switched_on(default_mark)
    styles[DOCUMENT_DEFAULTS] = StyleInfo(hidden=by_default)
    for style_id, hidden in _resolved_vanish(root, "table").items():
        styles[style_id] = StyleInfo(hidden=hidden)
    hidden_paragraphs = _resolved_vanish(root, "paragraph")
    styles[DEFAULT_PARAGRAPH] = StyleInfo()
    for style in root.iter(f"{W}style"):
        style_id = style.get(f"{W}styleId", "")
        default = _switched_on_attribute(style.get(f"{W}default"))
        if default and _family(style) == "table" and style_id:
            styles[DEFAULT_TABLE] = styles[style_id]
        if _family(style) != "paragraph" or not style_id:
            continue
        hidden = hidden_paragraphs.get(style_id)
        if default:
            styles[DEFAULT_PARAGRAPH] = StyleInfo(hidden=hidden)
        name = (_val(style, "name") or "").casefold()
        heading = 0
        if name == "title":
            heading = 1
        elif name.startswith("heading ") and name[8:].isdigit():
            heading = int(name[8:])
        outline = _find_val(style, f"{W}pPr/{W}outlineLvl")
        if outline is not None and outline.isdigit() and int(outline) < 9:
            heading = heading or int(outline) + 1
        num_id = _find_val(style, f"{W}pPr/{W}numPr/{W}numId") or ""
        level = _level(_find_val(style, f"{W}pPr/{W}numPr/{W}ilvl"))
        styles[style_id] = StyleInfo(heading, num_id, level, hidden)
    return styles


def _switched_on_attribute(value: str | None) -> bool:
    return value is not None and value not in ("0", "false", "off")


def _resolved_vanish(root: Element, family: str) -> dict[str, bool | None]:
    """Whether each style of a family hides its text: its own w:vanish, or the first one
    set up the styles it is based on; None when none is. A table style that hides the text
    of some of its cells (its first row, its last column) is taken to hide all of them."""
    vanish: dict[str, bool | None] = {}
    based_on: dict[str, str] = {}
    for style in root.iter(f"{W}style"):
        style_id = style.get(f"{W}styleId", "")
        if _family(style) != family or not style_id:
            continue  # a style without an id is one nothing can name
        mark = style.find(f"{W}rPr/{W}vanish")
        vanish[style_id] = None if mark is None else _switched_on(mark)
        parts = style.findall(f"{W}tblStylePr/{W}rPr/{W}vanish")
        if any(_switched_on(part) for part in parts):
            vanish[style_id] = True
        based_on[style_id] = _val(style, "basedOn") or ""
    # Each chain is walked once: what a style resolves to is kept for every style on its way
    # (a chain of n styles looked up from each of them was n² steps).
    resolved: dict[str, bool | None] = {}
    for style_id in vanish:
        chain: list[str] = []
        current, seen = style_id, set()
        while (
            current not in resolved
            and vanish.get(current) is None
            and current in based_on
            and current not in seen
        ):
            seen.add(current)
            chain.append(current)
            current = based_on[current]
        value = resolved[current] if current in resolved else vanish.get(current)
        for link in chain:
            resolved[link] = value
        resolved[style_id] = value
    return resolved


class BodyWalker:
    """Turns body, header, note and comment XML into layout blocks and inline text."""

    def __init__(
        self,
        layout: Layout,
        styles: dict[str, StyleInfo],
        numbering: Numbering,
        table_hidden: bool | None = None,
    ):
        self.layout = layout
        self.styles = styles
        self.numbering = numbering
        self.table_hidden = table_hidden
        """Whether the style of the table these blocks are in hides its text (None: no
        table, or it does not say)."""
        self._fields = _Fields()
        """The fields open: a field's code may run over paragraphs, never past the end of
        its story (body, cell, header, note, comment, text box), which a field left open
        would otherwise hide to the end of the file."""
        self._joined: list[str] = []
        """Texts of paragraphs whose mark is hidden: Word shows them run into the next one
        (a list: text added to a string was copied each time, the whole document's for
        thousands of them)."""

    # -- blocks -----------------------------------------------------------------------------

    def blocks(self, container: Element, depth: int = 0) -> None:
        """Paragraphs and tables of a body, cell, header or note, into the layout."""
        for child in _flattened(container, depth):
            if child.tag == f"{W}p":
                self.paragraph(child, depth)
            elif child.tag == f"{W}tbl":
                self._end_joined()
                self.layout.table(self.table_rows(child, depth + 1))
        self._end_joined()
        self._fields = _Fields()

    def _end_joined(self) -> None:
        text, self._joined = page_text("".join(self._joined)), []
        if text:
            self.layout.paragraph(text)

    def paragraph(self, p: Element, depth: int) -> None:
        ppr = p.find(f"{W}pPr")
        style = self.styles.get(_find_val(ppr, f"{W}pStyle") or DEFAULT_PARAGRAPH) or (
            self.styles.get(DEFAULT_PARAGRAPH, StyleInfo())
        )
        if ppr is not None and ppr.find(f"{W}pageBreakBefore") is not None:
            self.layout.page_break()
        hidden = next(
            (
                said
                for said in (
                    style.hidden,
                    self.table_hidden,
                    self.styles.get(DOCUMENT_DEFAULTS, StyleInfo()).hidden,
                )
                if said is not None
            ),
            False,
        )
        text, breaks, boxes = self.inline(p, depth, hidden=hidden)
        if _mark_hidden(ppr, self.styles, hidden) and not breaks:
            # Word runs a paragraph whose mark is hidden into the next: "Quarter" ending one
            # and "maine" starting the next read "Quartermaine" on the page.
            self._joined.append(text)
            for box in boxes:
                self.layout.paragraph(box)
            return
        text, self._joined = page_text("".join([*self._joined, text])), []
        outline = _find_val(ppr, f"{W}outlineLvl")
        level = style.heading or (int(outline) + 1 if outline and outline.isdigit() else 0)
        num_id = _find_val(ppr, f"{W}numPr/{W}numId") or style.num_id
        num_level = _level(_find_val(ppr, f"{W}numPr/{W}ilvl"), style.num_level)
        if level and 0 < level < 10:
            self.layout.heading(text, level)
        elif num_id and num_id != "0" and text.strip():
            marker = self.numbering.marker(num_id, num_level)
            self.layout.paragraph(text, marker=marker, level=num_level)
        else:
            self.layout.paragraph(text)
        for box in boxes:
            self.layout.paragraph(box)
        if breaks:
            self.layout.page_break()

    def table_rows(self, tbl: Element, depth: int) -> list[list[str]]:
        rows: list[list[str]] = []
        named = _find_val(tbl, f"{W}tblPr/{W}tblStyle") or DEFAULT_TABLE
        hidden = self.styles.get(named, self.styles.get(DEFAULT_TABLE, StyleInfo())).hidden
        for tr in _flattened(tbl, depth):
            if tr.tag != f"{W}tr":
                continue
            cells: list[str] = []
            for tc in _flattened(tr, depth):
                if tc.tag == f"{W}tc":
                    cells.append(self.cell_text(tc, depth + 1, hidden))
            rows.append(cells)
        return rows

    def cell_text(self, tc: Element, depth: int, hidden: bool | None = None) -> str:
        inner = Layout()
        BodyWalker(inner, self.styles, self.numbering, hidden).blocks(tc, depth)
        self.layout.revisions += inner.revisions
        return " / ".join(block for block in inner.blocks if block.strip() and block != "\f")

    def text_of(self, container: Element) -> str:
        """A header's, note's or comment's paragraphs as one text."""
        inner = Layout()
        BodyWalker(inner, self.styles, self.numbering).blocks(container)
        self.layout.revisions += inner.revisions
        return inner.text()

    # -- inline -----------------------------------------------------------------------------

    def inline(
        self, node: Element, depth: int, *, hidden: bool = False
    ) -> tuple[str, bool, list[str]]:
        """(text, has a page break, texts of its text boxes) of a paragraph or run container;
        `hidden`: whether its style hides the runs that do not say otherwise."""
        parts: list[str] = []
        state = _Inline(hidden=hidden, fields=self._fields)
        self._inline_into(node, parts, state, depth)
        _end_word(parts, state)
        return "".join(parts), state.page_break, state.boxes

    def _inline_into(self, node: Element, parts: list[str], state: _Inline, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        for child in node:
            tag = child.tag
            if not isinstance(tag, str):
                continue  # comments and processing instructions
            if tag in (f"{W}t", f"{W}delText"):
                if state.fields.in_code():
                    # A field's code written as text ("zz" between a field's begin and its
                    # result): not on the page, kept like a deletion (see hidden text below).
                    parts.append(pending("deleted", literal(child.text or "")))
                else:
                    _word_text(parts, state, literal(child.text or ""))
            elif tag == f"{W}fldChar":
                state.fields.char(child.get(f"{W}fldCharType"))
            elif tag == f"{W}tab":
                _word_text(parts, state, "\t")
            elif tag in (f"{W}br", f"{W}cr"):
                if child.get(f"{W}type") == "page":
                    state.page_break = True
                else:
                    _word_text(parts, state, "\n")
            elif tag == f"{W}noBreakHyphen":
                _word_text(parts, state, "-")
            # A note's or comment's mark, and a ruby's annotation (set above its letters), go
            # after the word they stand in: "Quarter[comment 1]maine", which Word shows as
            # "Quartermaine", was a name no mark found.
            elif tag == f"{W}footnoteReference":
                state.after_word.append(f"[{literal(child.get(f'{W}id', ''))}]")
            elif tag == f"{W}endnoteReference":
                state.after_word.append(f"[e{literal(child.get(f'{W}id', ''))}]")
            elif tag == f"{W}commentReference":
                raw = literal(child.get(f"{W}id", ""))
                state.after_word.append(f"[comment {_comment_number(raw)}]")
            elif tag == f"{W}rt":
                annotation: list[str] = []
                self._inline_into(child, annotation, _Inline(hidden=state.hidden), depth + 1)
                if "".join(annotation).strip():
                    state.after_word.append(f"({''.join(annotation)})")
            elif tag in _CHANGES:
                self._change(child, _CHANGES[tag], parts, state, depth)
            elif tag == f"{W}r" and _hidden(child, self.styles, state.hidden):
                # Hidden text (w:vanish): in the file, not on the page; kept like a deletion,
                # so a name it splits reads whole ("Quarter[-zz-]maine") to what looks for it.
                inner: list[str] = []
                self._inline_into(child, inner, state, depth + 1)
                parts.append(pending("deleted", "".join(inner)))
            elif tag == f"{_MC}AlternateContent":
                chosen = _chosen(child)
                if chosen is not None:
                    self._inline_into(chosen, parts, state, depth + 1)
            elif tag == f"{W}txbxContent":
                state.boxes.append(self.text_of(child))
            elif tag in (f"{W}instrText", f"{W}delInstrText", f"{W}pPr", f"{W}rPr"):
                continue  # field codes and formatting, not text
            else:
                self._inline_into(child, parts, state, depth + 1)

    def _change(
        self, node: Element, kind: str, parts: list[str], state: _Inline, depth: int
    ) -> None:
        inner: list[str] = []
        self._inline_into(node, inner, state, depth + 1)
        text = "".join(inner)
        if not text:
            return
        parts.append(pending(kind, text))
        date = (node.get(f"{W}date") or "").replace("T", " ").removesuffix("Z")[:16]
        self.layout.revisions.append(
            Revision(
                kind,
                plain(node.get(f"{W}author") or ""),
                plain(date),
                " ".join(page_text(text).split()),
            )
        )


@dataclass
class _Inline:
    hidden: bool = False
    """The paragraph's style hides its runs (unless a run or its style says otherwise)."""
    fields: _Fields = field(default_factory=lambda: _Fields())
    after_word: list[str] = field(default_factory=list)
    """Marks met inside a word, written where it ends."""
    page_break: bool = False
    boxes: list[str] = field(default_factory=list)


def _word_text(parts: list[str], state: _Inline, text: str) -> None:
    """Append `text`, writing the marks waiting for the end of a word before its first
    character that is not a letter or a digit."""
    if state.after_word:
        end = next((i for i, c in enumerate(text) if not (c.isalnum() or c == "\u00ad")), None)
        if end is None:
            parts.append(text)
            return
        parts.append(text[:end])
        _end_word(parts, state)
        text = text[end:]
    parts.append(text)


def _end_word(parts: list[str], state: _Inline) -> None:
    parts += state.after_word
    state.after_word.clear()


def _hidden(run: Element, styles: dict[str, StyleInfo], paragraph: bool) -> bool:
    vanish = run.find(f"{W}rPr/{W}vanish")
    if vanish is not None:  # the run's own setting wins over its style's
        return _switched_on(vanish)
    style = _find_val(run, f"{W}rPr/{W}rStyle")
    hidden = None if style is None else styles.get(style, StyleInfo()).hidden
    return paragraph if hidden is None else hidden


@dataclass
class _Fields:
    """The fields open, innermost last: "code" until their result begins, then "result"."""

    open: list[str] = field(default_factory=list)
    deeper: int = 0
    """Fields begun inside `_MAX_FIELDS` open ones, counted: all code to the reader (a
    million begun fields were a million entries, each looked through for every text)."""

    def in_code(self) -> bool:
        return self.deeper > 0 or "code" in self.open

    def char(self, kind: str | None) -> None:
        if kind == "begin":
            if len(self.open) < _MAX_FIELDS:
                self.open.append("code")
            else:
                self.deeper += 1
        elif self.deeper:
            self.deeper -= kind == "end"
        elif kind == "separate" and self.open:
            self.open[-1] = "result"
        elif kind == "end" and self.open:
            self.open.pop()


_UNDERSTOOD = (
    "http://schemas.microsoft.com/",
    "http://schemas.openxmlformats.org/",
    "urn:schemas-microsoft-com:",
)
"""Namespaces Word reads (its own, and the standard's): a choice of markup that requires
another is one Word skips for the next or the fallback."""


def _chosen(alternatives: Element) -> Element | None:
    """The branch of `mc:AlternateContent` Word shows: the first choice whose required
    namespaces it reads, else the fallback (a choice requiring "urn:foo" holding "zz" inside
    a name showed it to us and not to Word's reader)."""
    for branch in alternatives:
        if branch.tag == f"{_MC}Fallback":
            return branch
        if branch.tag != f"{_MC}Choice":
            continue
        required = (branch.nsmap.get(prefix, "") for prefix in branch.get("Requires", "").split())
        if all(uri.startswith(_UNDERSTOOD) for uri in required):
            return branch
    return None


def _mark_hidden(ppr: Element | None, styles: dict[str, StyleInfo], paragraph: bool) -> bool:
    """Whether a paragraph's mark is hidden (its own run properties, or its paragraph's)."""
    if ppr is None:
        return paragraph
    special = ppr.find(f"{W}rPr/{W}specVanish")
    return (special is not None and _switched_on(special)) or _hidden(ppr, styles, paragraph)


def _switched_on(toggle: Element) -> bool:
    return toggle.get(f"{W}val", "true") not in ("0", "false", "off")


def _flattened(container: Element, depth: int) -> Iterator[Element]:
    """Children, looking through content controls, custom XML and tracked row wrappers."""
    if depth > _MAX_DEPTH:
        return
    for child in container:
        tag = child.tag
        if tag in (f"{W}sdt",):
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _flattened(content, depth + 1)
        elif tag in _TRANSPARENT or tag in _CHANGES:
            yield from _flattened(child, depth + 1)
        else:
            yield child


def _comment_number(raw: str) -> str:
    return str(int(raw) + 1) if raw.isdigit() else raw


def comment_label(raw: str) -> str:
    return plain(f"[comment {_comment_number(raw)}]")


def _val(node: Element, name: str) -> str | None:
    child = node.find(f"{W}{name}")
    return None if child is None else child.get(f"{W}val")


def _find_val(node: Element | None, path: str) -> str | None:
    if node is None:
        return None
    child = node.find(path)
    return None if child is None else child.get(f"{W}val")


def _level(raw: str | None, default: int = 0) -> int:
    """A list level as Word has them, 0 to 8: a level indexes the list's counters and sets
    its indent (a billion was two gigabytes of spaces)."""
    return min(max(_int(raw, default), 0), 8)


def _int(raw: str | None, default: int = 0) -> int:
    try:
        return int(raw) if raw is not None else default
    except ValueError:
        return default

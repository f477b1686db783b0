"""From redaction rules to black boxes: occurrences on a page's canonical text, one box a line.

Terms (and the names and aliases of protected people) are matched on the folded page text
(`fold`), patterns on views of it where line breaks do not cut a match (`patterns`); either way
the match is a range of canonical offsets, which the word map turns into rectangles: the words
the range touches, grouped by line, one box per line.

A name part is also found glued to other letters ("QuartermaineW"), and on a page read by OCR,
misread ("Quartermame"): see `glued`. A two-letter part ("Li") is found where it stands for the
person: see `shortnames`.

Whole words are boxed, never parts of a word: "Dupont," loses its comma too, which hides a
little more than asked and never less. Boxes are then shrunk across the line (by a quarter of
the line's height, the measured cure for boxes that wiped neighbouring lines) and clamped so
they overlap no word that is not being redacted. "Across the line" is vertical for ordinary
text and horizontal for text set sideways (rotated pages, margin stamps), as MuPDF reports word
boxes in the unrotated page's coordinates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dossier.redact.glued import GluedFinder
from dossier.redact.initials import with_initials
from dossier.redact.patterns import find_pattern
from dossier.redact.shortnames import ShortFinder, ShortPart
from dossier.text.fold import fold, fold_key
from dossier.text.model import PageText, Word
from dossier.text.readings import across_readings

Rect = tuple[float, float, float, float]

SHRINK = 0.25
"""Share of a line's height taken off its box, half at each edge."""
MIN_KEEP = 0.35
"""A box clamped against its neighbours keeps at least this share of the line's height."""
OCR_MARGIN = 0.1
"""On a page read by OCR (a scan, a photo), share of a line's height added at each edge instead
of SHRINK taken off: what sticks out of a box there stays in the picture's pixels (the tops of
a name's tall letters were left above it), where on a text page the glyphs under a box are
removed whole. Tesseract's word box reaches the ink's edges within 3% of its height on a
clean scan, and ends up to a pixel short of the last letter; a tilted photo's line moves it
by more."""


@dataclass(frozen=True)
class TermRule:
    mark_id: str
    kind: str
    """`term` or `person` (a name or alias of a person)."""
    term: str
    glued: bool = False
    """A name part: also found glued to other letters (`dossier.redact.glued`)."""
    short: ShortPart | None = None
    """A two-letter name part: found only where it stands for the person (`shortnames`)."""


@dataclass(frozen=True)
class PatternRule:
    mark_id: str
    pattern: str


@dataclass(frozen=True)
class RectRule:
    mark_id: str
    page_index: int
    rects: tuple[Rect, ...]


@dataclass(frozen=True)
class Rules:
    """Everything to hide in one document."""

    terms: tuple[TermRule, ...] = ()
    patterns: tuple[PatternRule, ...] = ()
    rects: tuple[RectRule, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.terms or self.patterns or self.rects)


@dataclass(frozen=True)
class Hit:
    """One occurrence to hide: its boxes on one page, and what found it."""

    mark_id: str
    kind: str
    """rect | term | pattern | person."""
    page_index: int
    rects: tuple[Rect, ...]
    start: int = -1
    end: int = -1
    """Canonical offsets of a text match (-1 for drawn rectangles)."""


@dataclass
class PagePlan:
    """The hits of one page and the word boxes they cover (for the invisible text layer)."""

    page_index: int
    hits: list[Hit] = field(default_factory=list)

    @property
    def rects(self) -> list[Rect]:
        return [rect for hit in self.hits for rect in hit.rects]


def text_spans(page: PageText, rules: Rules) -> list[tuple[TermRule | PatternRule, int, int]]:
    """Every (rule, start, end) the text rules find on the page, also in the readings of its
    tracked changes ("Quarter[-x-]maine" is a name)."""
    if not page.text:
        return []
    found = across_readings(page.text, lambda text: _found_in(text, rules, ocr=page.ocr))
    return _outermost([(rule, start, end) for start, end, rule in found])


def _found_in(
    text: str, rules: Rules, *, ocr: bool
) -> list[tuple[int, int, TermRule | PatternRule]]:
    found: list[tuple[int, int, TermRule | PatternRule]] = []
    if rules.terms:
        folded = fold(text)
        for rule in rules.terms:
            if rule.short is not None:
                continue
            for k0, k1 in folded.find_all(fold_key(rule.term)):
                start, end = folded.span(k0, k1)
                if rule.glued:  # a name part: its initials go under the box too ("P. Léonard")
                    start, end = with_initials(text, start, end)
                found.append((start, end, rule))
        glued = GluedFinder.of((rule.term, rule) for rule in rules.terms if rule.glued)
        if glued:
            spans = glued.find(text, folded)
            if ocr:  # the scan still shows a name its OCR misread
                spans += glued.find_misread(text, folded)
            for start, end, payload in spans:
                assert isinstance(payload, TermRule)
                found.append((*with_initials(text, start, end), payload))
        shorts = ShortFinder((rule.short, rule) for rule in rules.terms if rule.short is not None)
        for start, end, rule in shorts.find(text):
            found.append((*with_initials(text, start, end), rule))
    for pattern in rules.patterns:
        for start, end in find_pattern(pattern.pattern, text):
            found.append((start, end, pattern))
    return found


def _outermost(
    found: list[tuple[TermRule | PatternRule, int, int]],
) -> list[tuple[TermRule | PatternRule, int, int]]:
    """Drop matches lying inside a longer (or earlier equal) one: "Quartermaine" found inside
    "Wilhelmina Quartermaine" is one occurrence to hide, not two."""
    ordered = sorted(found, key=lambda m: (m[1], -(m[2] - m[1])))
    kept: list[tuple[TermRule | PatternRule, int, int]] = []
    reach = -1
    for match in ordered:
        if match[2] <= reach:
            continue
        kept.append(match)
        reach = max(reach, match[2])
    return kept


def words_between(words: Sequence[Word], start: int, end: int) -> list[int]:
    """Indexes of the words whose text overlaps [start, end)."""
    return [i for i, w in enumerate(words) if w.start < end and w.end > start]


def plan_page(page: PageText, rules: Rules) -> PagePlan:
    """All boxes to draw on `page`: drawn rectangles as given, text matches per line."""
    plan = PagePlan(page.index)
    for rect_rule in rules.rects:
        if rect_rule.page_index == page.index and rect_rule.rects:
            plan.hits.append(Hit(rect_rule.mark_id, "rect", page.index, rect_rule.rects))
    matches = text_spans(page, rules)
    if not matches:
        return plan
    covered: list[list[int]] = [words_between(page.words, s, e) for _, s, e in matches]
    hidden = {i for group in covered for i in group}
    for (rule, start, end), group in zip(matches, covered, strict=True):
        if not group:
            continue  # text without a box (should not happen): the self-check still looks
        kind = rule.kind if isinstance(rule, TermRule) else "pattern"
        rects = line_boxes(page, group, hidden)
        plan.hits.append(Hit(rule.mark_id, kind, page.index, tuple(rects), start, end))
    return plan


def plan_document(pages: Iterable[PageText], rules: Rules) -> dict[int, PagePlan]:
    plans: dict[int, PagePlan] = {}
    for page in pages:
        plan = plan_page(page, rules)
        if plan.hits:
            plans[page.index] = plan
    return plans


# -- geometry ------------------------------------------------------------------------------------


def _union(words: Iterable[Word]) -> Rect:
    boxes = list(words)
    return (
        min(w.x0 for w in boxes),
        min(w.y0 for w in boxes),
        max(w.x1 for w in boxes),
        max(w.y1 for w in boxes),
    )


def _is_vertical(page: PageText, line_words: Sequence[Word]) -> bool:
    """Whether the line runs down (or up) the unrotated page rather than across it."""
    if len(line_words) >= 2:
        xs = [(w.x0 + w.x1) / 2 for w in line_words]
        ys = [(w.y0 + w.y1) / 2 for w in line_words]
        return (max(ys) - min(ys)) > (max(xs) - min(xs))
    word = line_words[0]
    width, height = word.x1 - word.x0, word.y1 - word.y0
    sideways_page = page.rotation % 180 == 90
    long_word = word.end - word.start >= 3
    if sideways_page:
        return not (long_word and width > 2.5 * height)
    return long_word and height > 2.5 * width


def line_boxes(page: PageText, indexes: Sequence[int], hidden: set[int]) -> list[Rect]:
    """One shrunk, clamped box per line for the words at `indexes`."""
    by_line: dict[int, list[Word]] = defaultdict(list)
    for i in indexes:
        by_line[page.words[i].line].append(page.words[i])
    others = [w for i, w in enumerate(page.words) if i not in hidden]
    boxes: list[Rect] = []
    for line in sorted(by_line):
        line_words = by_line[line]
        box = _union(line_words)
        if _is_vertical(page, line_words):
            # Swap axes, work as if horizontal, swap back.
            flipped = (box[1], box[0], box[3], box[2])
            near = [Word(w.y0, w.x0, w.y1, w.x1, w.start, w.end, w.line) for w in others]
            x0, y0, x1, y1 = _shrink_and_clamp(flipped, near, page.ocr)
            boxes.append((y0, x0, y1, x1))
        else:
            boxes.append(_shrink_and_clamp(box, others, page.ocr))
    return boxes


def _shrink_and_clamp(box: Rect, others: Sequence[Word], ocr: bool = False) -> Rect:
    """Take SHRINK of the height off (half each side), then stay clear of other lines' words;
    on a page read by OCR, add OCR_MARGIN of it on every side instead (a word's box there may
    end short of its last letter too), and keep clear of nothing: the boxes Tesseract gives
    the lines around overlap the name's own letters (a table's header came down to mid-height
    of the name under it), and a stray mark read as a word can stand across it."""
    x0, y0, x1, y1 = box
    height = y1 - y0
    if ocr:
        margin = height * OCR_MARGIN
        return (x0 - margin, y0 - margin, x1 + margin, y1 + margin)
    top, bottom = y0 + height * SHRINK / 2, y1 - height * SHRINK / 2
    centre = (y0 + y1) / 2
    floor = height * MIN_KEEP
    for word in others:
        if word.x1 <= x0 or word.x0 >= x1 or word.y1 <= top or word.y0 >= bottom:
            continue
        word_centre = (word.y0 + word.y1) / 2
        if word_centre < centre and bottom - word.y1 >= floor:
            top = max(top, word.y1)
        elif word_centre >= centre and word.y0 - top >= floor:
            bottom = min(bottom, word.y0)
    return (x0, top, x1, bottom)


def unshrunk(box: Rect) -> Rect:
    """A text page's box (`SHRINK` taken off across its line) given its line's whole height
    back and `OCR_MARGIN` of it more on each side, for where it is painted into pixels over
    glyphs that were not removed (a page MuPDF could not redact, rasterized instead): the
    shrunk box left the tails of a name's 'y' and 'Q' below it. Across its line is along its
    shorter side; it grows by as much along the line (a letter's edge)."""
    x0, y0, x1, y1 = box
    line = min(x1 - x0, y1 - y0) / (1 - SHRINK)
    grow = line * (SHRINK / 2 + OCR_MARGIN)
    return (x0 - grow, y0 - grow, x1 + grow, y1 + grow)

"""Reading order of the words on one page: blocks of lines of words.

MuPDF hands out words grouped into lines and blocks in the order they were drawn, which is the
right order for almost every page: it is the order the author wrote, so a paragraph that runs
from the foot of one column to the top of the next stays together, and footnotes stay where the
producer put them. We keep that order.

One kind of page defeats it: a producer that draws a multi-column page one visual row at a time
(the IRS 1040-NR instructions do: MuPDF then builds blocks whose lines alternate between the
three columns). A sentence that wraps inside a column is cut into pieces spread over the page,
and a quote cannot be found. We recognise such a page by counting the prose lines that MuPDF
separated from the line above them in their column, and rebuild its order from geometry alone:
lines are stacked into column runs, and runs are ordered by the rule of T. M. Breuel ("High
performance document layout analysis", 2003): a run comes before another when it is above it in
the same column, or to its left with nothing spanning both in between.

Geometry is done in the page's display space (after /Rotate) so that a rotated page is read the
way it looks; the words themselves keep their unrotated coordinates. No PyMuPDF import here:
the module works on plain tuples, so it is cheap to test and to reason about.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter, itemgetter, le

RawWord = tuple[float, float, float, float, str, int, int, int]
"""One entry of `page.get_text("words")`: x0, y0, x1, y1, text, block, line, word number."""

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

_TOLERANCE = 1.0
"""Points of overlap that still count as "side by side" (glyph boxes bleed a little)."""

_MIN_PROSE_WORDS = 4
_MIN_PROSE_ASPECT = 6.0
"""A prose line holds a few words and is much wider than tall (table cells and numbers are not)."""

_MIN_CUTS = 5
_MIN_CUT_SHARE = 0.5
"""A page is interleaved when MuPDF put other prose between at least half of the pairs of prose
lines that follow each other in a column. Measured on the shared corpus: 60-100 % on the IRS
pages, at most a third on tables, forms and tables of contents elsewhere."""

_MAX_LINE_GAP = 0.6
"""Largest blank between two lines of the same column run, as a share of the line height.
Ordinary leading stays well under it; a paragraph or section break goes over it."""

_MIN_ROW_OVERLAP = 0.5
_MAX_ROW_GAP = 1.5
"""Two line pieces share a row when they overlap by half the smaller height and the gap between
them is at most one and a half line heights (a column gutter is wider)."""

_HUGE = 1e30
"""Beyond any real page coordinate; see `_group`."""

_MIN_SAME_COLUMN_OVERLAP = 0.5
_MIN_HEIGHT_RATIO = 0.6


@dataclass(slots=True)
class _Line:
    order: int
    words: list[RawWord]
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0
    width: float = field(init=False)
    height: float = field(init=False)
    """Kept, not computed at each use: stacking a page's lines reads them hundreds of times."""

    def __post_init__(self) -> None:
        self.width = self.x1 - self.x0
        self.height = self.y1 - self.y0


@dataclass(slots=True)
class _Run:
    lines: list[_Line] = field(default_factory=list)
    x0: float = float("inf")
    y0: float = float("inf")
    x1: float = float("-inf")
    y1: float = float("-inf")
    order: int = 0

    def add(self, line: _Line) -> None:
        if not self.lines:
            self.order = line.order
        self.lines.append(line)
        # min(a, b) and max(a, b) written out (a run gets every line of its column): `b if
        # b < a else a` is what min does, NaN included.
        self.order = line.order if line.order < self.order else self.order
        self.x0 = line.x0 if line.x0 < self.x0 else self.x0
        self.y0 = line.y0 if line.y0 < self.y0 else self.y0
        self.x1 = line.x1 if line.x1 > self.x1 else self.x1
        self.y1 = line.y1 if line.y1 > self.y1 else self.y1


Block = list[list[RawWord]]
"""Lines of words, each line left to right as MuPDF gave it."""


def reading_order(words: Sequence[RawWord], matrix: Matrix = IDENTITY) -> list[Block]:
    """Group words into blocks of lines in reading order.

    `matrix` maps the words' (unrotated) coordinates to display space, i.e. PyMuPDF's
    `page.rotation_matrix`; the words are returned unchanged, only their order is decided.
    """
    lines, blocks = _group(words, matrix)
    prose = [_is_prose(line) for line in lines]
    # Each cut is a pair of prose lines of one column run, and a run of n prose lines holds
    # n - 1 pairs: a page of at most `_MIN_CUTS` prose lines (a form, a table, a title page)
    # cannot be interleaved, and its lines need not be stacked to know it.
    if sum(prose) > _MIN_CUTS:
        runs = _stack_into_runs(lines)
        if _interleaved(runs, prose):
            return [[line.words for line in run.lines] for run in _order_runs(runs)]
    return [_join_row_fragments(block) for block in blocks]


def _group(words: Sequence[RawWord], matrix: Matrix) -> tuple[list[_Line], list[list[_Line]]]:
    """MuPDF's own lines and blocks, in its order, with display-space boxes."""
    by_key: dict[tuple[int, int], list[RawWord]] = {}
    # MuPDF gives a line's words one after the other: taken a line at a time, not a word.
    for key, following in groupby(words, _LINE_KEY):
        found = by_key.get(key)
        if found is None:
            by_key[key] = list(following)
        else:
            found += following
    # On an unrotated page with ordinary boxes the display box is the bounds of the words'
    # own boxes: skip the transform (most of the cost of grouping). Comparisons are false
    # for NaN, so NaN and infinite coordinates take the general path, and both paths give
    # the same boxes. A line's columns are compared in C (map, min, max), not word by word.
    upright = matrix == IDENTITY
    boxes: list[tuple[float, float, float, float]] = []
    for members in by_key.values():
        if len(members) == 1:  # a word alone on its line: a third of the corpus's lines
            box = members[0][:4]
            upright = (
                upright and -_HUGE < box[0] <= box[2] < _HUGE and -_HUGE < box[1] <= box[3] < _HUGE
            )
            boxes.append(box)
            continue
        columns = zip(*members, strict=False)  # a column at a time: only the first four
        xs0, ys0, xs1, ys1 = next(columns), next(columns), next(columns), next(columns)
        box = min(xs0), min(ys0), max(xs1), max(ys1)
        upright = (
            upright
            and -_HUGE < box[0]
            and -_HUGE < box[1]
            and box[2] < _HUGE
            and box[3] < _HUGE
            and all(map(le, xs0, xs1))
            and all(map(le, ys0, ys1))
        )
        boxes.append(box)
    lines: list[_Line] = []
    blocks: dict[int, list[_Line]] = {}
    for order, (((block, _), members), box) in enumerate(zip(by_key.items(), boxes, strict=True)):
        x0, y0, x1, y1 = box if upright else _line_box(members, matrix)
        line = _Line(order, members, x0, y0, x1, y1)
        lines.append(line)
        blocks.setdefault(block, []).append(line)
    return lines, list(blocks.values())


_LINE_KEY = itemgetter(5, 6)
"""A word's block and line numbers."""


def _line_box(members: list[RawWord], matrix: Matrix) -> tuple[float, float, float, float]:
    """The display-space box around a line's words (the bounds of their transformed boxes)."""
    boxes = [_transform(w[0], w[1], w[2], w[3], matrix) for w in members]
    xs0, ys0 = [b[0] for b in boxes], [b[1] for b in boxes]
    xs1, ys1 = [b[2] for b in boxes], [b[3] for b in boxes]
    return min(xs0), min(ys0), max(xs1), max(ys1)


def _join_row_fragments(block: list[_Line]) -> Block:
    """The block's lines, with pieces MuPDF split off the same visual line joined back.

    MuPDF starts a new line after a wide justified space or a superscript ("1" before an
    affiliation, "Barnes 3" before ", Fang-I Lu" in the corpus' MDPI article). A line that
    follows its predecessor in the block, on the same row and a short gap to its right, is
    the same line; a far gap (a running footer's left and right parts) is not.
    """
    joined: Block = []
    previous: _Line | None = None
    for line in block:
        if previous is not None and _same_row(previous, line):
            joined[-1] = joined[-1] + line.words
        else:
            joined.append(line.words)  # the line's own list, made for it by `_group`
        previous = line
    return joined


def _same_row(left: _Line, right: _Line) -> bool:
    shared = min(left.y1, right.y1) - max(left.y0, right.y0)
    if shared < _MIN_ROW_OVERLAP * min(left.height, right.height):
        return False
    gap = right.x0 - left.x1
    return -_TOLERANCE <= gap <= _MAX_ROW_GAP * max(left.height, right.height)


def _transform(x0: float, y0: float, x1: float, y1: float, m: Matrix) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    xs = (a * x0 + c * y0 + e, a * x1 + c * y1 + e)
    ys = (b * x0 + d * y0 + f, b * x1 + d * y1 + f)
    return min(xs), min(ys), max(xs), max(ys)


def _x_overlap(a: _Line | _Run, b: _Line | _Run) -> float:
    return min(a.x1, b.x1) - max(a.x0, b.x0)


def _is_prose(line: _Line) -> bool:
    return len(line.words) >= _MIN_PROSE_WORDS and line.width >= _MIN_PROSE_ASPECT * line.height


def _interleaved(runs: list[_Run], prose: list[bool]) -> bool:
    """Whether MuPDF's order cuts the page's column runs into pieces.

    Count the prose lines that continue the prose line above them in the same column, and
    among those the ones MuPDF separated from it by other prose (another column's text). On
    the IRS pages that is nearly every line; tables and tables of contents, where the cells of
    a row or the dot leaders come in between, do not count because what lies between is not
    prose. `prose`: whether each line (by its `order`) is prose.
    """
    prose_before = [0]
    for flag in prose:
        prose_before.append(prose_before[-1] + flag)
    stacked = cut = 0
    for run in runs:
        for above, below in zip(run.lines, run.lines[1:], strict=False):
            if not (prose[above.order] and prose[below.order]):
                continue
            stacked += 1
            low, high = sorted((above.order, below.order))
            if prose_before[high] - prose_before[low + 1] > 0:
                cut += 1
    return cut >= _MIN_CUTS and cut >= _MIN_CUT_SHARE * stacked


_TOP_DOWN = attrgetter("y0", "x0", "order")
"""A line's place top-down, then left to right, then in MuPDF's order."""


def _stack_into_runs(lines: list[_Line]) -> list[_Run]:
    """Stack lines top-down into column runs; each line joins the closest run ending above it
    that it continues: it sits right under the run's last line, in the same column (a line
    height apart at most, of a like height, overlapping by half the narrower line).

    The test is written out in the loop, with min and max as the expressions they are (`b if
    b < a else a`, NaN included), not called for each pair: on a page of several columns a
    line is tried against every run still open (the IRS instructions' pages: 5 ms a page)."""
    runs: list[_Run] = []
    open_runs: list[_Run] = []
    for line in sorted(lines, key=_TOP_DOWN):
        y0, x0, x1, height, width = line.y0, line.x0, line.x1, line.height, line.width
        # A run whose last line ends more than its own height above this line can take no
        # later line either (lines come top-down; see the gap and height limits below).
        open_runs = [run for run in open_runs if y0 - run.lines[-1].y1 <= run.lines[-1].height]
        best: _Run | None = None
        best_key: tuple[float, float] | None = None
        for run in open_runs:
            last = run.lines[-1]
            tallest = height if height > last.height else last.height
            if tallest <= 0 or (
                (height if height < last.height else last.height) < _MIN_HEIGHT_RATIO * tallest
            ):
                continue
            gap = y0 - last.y1
            if not -0.5 * tallest <= gap <= _MAX_LINE_GAP * tallest:
                continue
            overlap = (x1 if x1 < last.x1 else last.x1) - (x0 if x0 > last.x0 else last.x0)
            narrower = width if width < last.width else last.width
            if not overlap >= _MIN_SAME_COLUMN_OVERLAP * narrower:
                continue
            key = (gap, -overlap)
            if best_key is None or key < best_key:
                best, best_key = run, key
        if best is None:
            best = _Run()
            runs.append(best)
            open_runs.append(best)
        best.add(line)
    return runs


def _above(a: _Run, b: _Run) -> bool:
    return a.y1 <= b.y0 + _TOLERANCE


def _order_runs(runs: list[_Run]) -> list[_Run]:
    """Topological sort of Breuel's precedence; ties and cycles go by MuPDF's order.

    `a` precedes `b` when they share a column (overlap horizontally) and `a` is higher, or
    when `a` is left of `b` and no run overlapping both lies between them vertically (a
    full-width heading between two rows of columns). Horizontal overlaps are kept as bit
    masks so that looking for such a separator stays cheap on dense pages.
    """
    count = len(runs)
    overlaps = [0] * count
    for i, a in enumerate(runs):
        for j in range(i + 1, count):
            if _x_overlap(a, runs[j]) > _TOLERANCE:
                overlaps[i] |= 1 << j
                overlaps[j] |= 1 << i
    successors: list[list[int]] = [[] for _ in range(count)]
    indegree = [0] * count
    for i, a in enumerate(runs):
        for j, b in enumerate(runs):
            if i == j:
                continue
            if overlaps[i] >> j & 1:
                first = (a.y0, a.order) < (b.y0, b.order)
            else:
                first = a.x1 <= b.x0 + _TOLERANCE and not _separated(
                    a, b, overlaps[i] & overlaps[j], runs
                )
            if first:
                successors[i].append(j)
                indegree[j] += 1
    ready = [(runs[i].order, i) for i in range(count) if indegree[i] == 0]
    heapq.heapify(ready)
    done = [False] * count
    result: list[_Run] = []
    while len(result) < count:
        if not ready:
            # A cycle (overlapping oddities): release the earliest remaining run.
            i = min((runs[k].order, k) for k in range(count) if not done[k])[1]
        else:
            i = heapq.heappop(ready)[1]
            if done[i]:
                continue
        done[i] = True
        result.append(runs[i])
        for j in successors[i]:
            indegree[j] -= 1
            if indegree[j] == 0 and not done[j]:
                heapq.heappush(ready, (runs[j].order, j))
    return result


def _separated(a: _Run, b: _Run, spanning: int, runs: list[_Run]) -> bool:
    """Whether one of the runs in the `spanning` bit mask lies vertically between a and b."""
    while spanning:
        lowest = spanning & -spanning
        c = runs[lowest.bit_length() - 1]
        spanning ^= lowest
        if (_above(a, c) and _above(c, b)) or (_above(b, c) and _above(c, a)):
            return True
    return False

"""Finding a quote's key in a document's key: exactly, or following lines across layout gaps.

An exact hit is one `str.find` on the concatenated key. When that fails the quote may still be
there word for word but interrupted by layout: a running header and footer at a page break, lines
of another column interleaved by the PDF's content order, margin line numbers, an inline footnote
number. `follow_lines` walks the quote line by line and lets it jump to a later line only where
the page geometry says the skipped lines are elsewhere (another page, another column), never over
lines of the same column (that would be an omission the quote does not mark).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dossier.anchor.docindex import DocIndex
from dossier.anchor.fuzzy import candidate_regions
from dossier.anchor.normalize import KeyText
from dossier.text.rects import LineGeometry

MAX_LAYOUT_GAP = 6000
"""Key characters a quote may skip at one layout jump (a page's footnotes, header and footer)."""
MAX_OMISSION_GAP = 30000
"""Key characters an omission mark may stand for (about ten pages)."""
_SEED = 12
_MAX_CANDIDATES = 400
_FOOTNOTE_DIGITS = 3
_MARGIN_TEXT = 120
"""Key characters of same-size text a page break may skip in the quote's column: a running
header ("Federal Register / Vol. 85, No. 152 / Thursday, August 6, 2020 / Proposed Rules") or
footer, not a paragraph."""


@dataclass(frozen=True)
class KeyMatch:
    """Where a quote (or one piece of it) sits: key ranges of the document, in order."""

    ranges: tuple[tuple[int, int], ...]
    noise: bool = False
    """An inline number (footnote call, margin line number) was skipped inside the text."""

    @property
    def start(self) -> int:
        return self.ranges[0][0]

    @property
    def end(self) -> int:
        return self.ranges[-1][1]


def exact_matches(idx: DocIndex, q: str, lo: int = 0, hi: int | None = None) -> Iterator[KeyMatch]:
    """Every occurrence of `q` in [lo, hi) that starts and ends on word boundaries."""
    if not q:
        return
    key = idx.key
    hi = len(key) if hi is None else hi
    pos = key.find(q, lo, hi)
    while pos >= 0:
        end = pos + len(q)
        if idx.is_token_start(pos) and idx.is_token_end(end):
            yield KeyMatch(((pos, end),))
        pos = key.find(q, pos + 1, hi)


def find_piece(
    idx: DocIndex,
    q: str,
    lo: int = 0,
    hi: int | None = None,
    *,
    limit: int = 64,
    tokens: list[str] | None = None,
) -> list[KeyMatch]:
    """Occurrences of `q` in document order: exact ones, else ones that follow lines.

    `tokens` (the quote's words) lets the search start from the places its rarer words point
    to, for a quote whose first line on the page is too short to seed the search.
    """
    found: list[KeyMatch] = []
    for match in exact_matches(idx, q, lo, hi):
        found.append(match)
        if len(found) >= limit:
            break
    if found:
        return found
    found = following_matches(idx, q, lo, hi, limit=limit)
    if found or not tokens:
        return found
    hi = len(idx.key) if hi is None else hi
    first = tokens[0]
    for tok_lo, tok_hi in candidate_regions(idx, tokens, idx.token_at(lo), idx.token_at(hi) + 1):
        for t in range(tok_lo, min(tok_hi, idx.n_tokens)):
            start = idx.tok_start[t]
            if lo <= start < hi and idx.key.startswith(first, start):
                followed = follow_lines(idx, q, start, hi)
                if followed is not None:
                    found.append(followed)
    found.sort(key=lambda m: m.start)
    return found[:limit]


def following_matches(
    idx: DocIndex, q: str, lo: int = 0, hi: int | None = None, *, limit: int = 64
) -> list[KeyMatch]:
    key = idx.key
    hi = len(key) if hi is None else hi
    seed = q[: min(len(q), _SEED)]
    if not seed:
        return []
    found: list[KeyMatch] = []
    tried = 0
    pos = key.find(seed, lo, hi)
    while pos >= 0 and tried < _MAX_CANDIDATES and len(found) < limit:
        tried += 1
        if idx.is_token_start(pos):
            match = follow_lines(idx, q, pos, hi)
            if match is not None:
                found.append(match)
        pos = key.find(seed, pos + 1, hi)
    return found


def follow_lines(idx: DocIndex, q: str, start: int, hi: int) -> KeyMatch | None:
    """Match `q` from key offset `start`, line by line, jumping over layout gaps."""
    key = idx.key
    ranges: list[tuple[int, int]] = []
    piece_start = start
    qi, d = 0, start
    noise = False
    while True:
        if d >= hi:
            return None
        line_end = min(idx.line_end(d), hi)
        take = min(line_end - d, len(q) - qi)
        if key[d : d + take] != q[qi : qi + take]:
            skipped = _skip_inline_number(idx, q, qi, d, take)
            if skipped is None:
                return None
            qi, d = skipped
            noise = True
            continue
        qi += take
        d += take
        if qi == len(q):
            if not idx.is_token_end(d):
                return None
            ranges.append((piece_start, d))
            return KeyMatch(tuple(ranges), noise)
        if _line_matches(idx, q, qi, d):
            continue  # the next line carries on the quote: no gap
        target = _jump_target(idx, q, qi, d, hi)
        if target is None:
            target = _column_back(idx, q, qi, d, [*ranges, (piece_start, d)])
        if target is None:
            continue  # let the mismatch (or an inline number) be judged on the next line
        ranges.append((piece_start, d))
        piece_start = d = target


def _skip_inline_number(
    idx: DocIndex, q: str, qi: int, d: int, take: int
) -> tuple[int, int] | None:
    """Skip a footnote call or line number that the quote leaves out ("the Act.3 The")."""
    key = idx.key
    n = 0
    while n < take and key[d + n] == q[qi + n]:
        n += 1
    j = d + n
    if not idx.is_token_start(j) or j >= len(key):
        return None
    k = j
    while k < len(key) and k - j < _FOOTNOTE_DIGITS and key[k].isdigit():
        k += 1
    if k == j or not idx.is_token_end(k) or q[qi + n : qi + n + 1].isdigit():
        return None
    if n > 0 and not idx.is_token_end(j):
        return None
    # Only a number standing on a line of its own (margin line numbers, a footnote call set as
    # its own line) or glued to the word before it ("Act.3"): a number the quote dropped from
    # running text ("section 112 are") is an alteration.
    page_no, start, _ = idx.orig_range(j, k)
    glued = start > 0 and not idx.pages[page_no].text[start - 1].isspace()
    own_line = j in idx.line_starts_between(j, j) and idx.line_end(j) == k
    if not (glued or own_line):
        return None
    return qi + n, k


def _line_matches(idx: DocIndex, q: str, qi: int, s: int) -> bool:
    """Does the line starting at `s` carry on the quote (to its own end or the quote's)?"""
    take = min(idx.line_end(s) - s, len(q) - qi)
    return take > 0 and idx.key[s : s + take] == q[qi : qi + take]


def _jump_target(idx: DocIndex, q: str, qi: int, d: int, hi: int) -> int | None:
    """The first later line start where the quote carries on and the skip is only layout."""
    need = min(3, len(q) - qi)
    for s in idx.line_starts_between(d + 1, min(hi, d + MAX_LAYOUT_GAP)):
        take = min(idx.line_end(s) - s, len(q) - qi)
        if take < need or not idx.is_token_start(s):
            continue
        if idx.key[s : s + take] == q[qi : qi + take] and layout_gap(idx, d - 1, s):
            return s
    return None


def _column_back(idx: DocIndex, q: str, qi: int, d: int, used: list[tuple[int, int]]) -> int | None:
    """An earlier line of the same page, in another column, that carries on the quote.

    A page drawn one visual row at a time puts the top of the next column *before* the foot
    of the current one in the text.
    """
    page_no = idx.page_of(d - 1)
    a = idx.line_box(d - 1)
    if a is None:
        return None
    need = min(3, len(q) - qi)
    for s in idx.line_starts_between(idx.page_start[page_no], d - 1):
        if any(lo <= s < hi for lo, hi in used):
            continue
        take = min(idx.line_end(s) - s, len(q) - qi)
        if take < need or idx.key[s : s + take] != q[qi : qi + take]:
            continue
        b = idx.line_box(s)
        if b is not None and b[0] == page_no and not _same_column(a[1], b[1]):
            return s
    return None


def layout_gap(idx: DocIndex, last: int, resume: int) -> bool:
    """May the text between key offsets `last` (last character read) and `resume` be skipped?"""
    page_a, page_b = idx.page_of(last), idx.page_of(resume)
    a, b = idx.line_box(last), idx.line_box(resume)
    if page_a != page_b:
        if page_b != page_a + 1:
            return False
        # Footer, footnotes and header may be skipped, not the body text that ends one page
        # after the quote's line or opens the next one before it.
        return (
            a is None or _margin_only(idx, a[1], last + 1, idx.page_end(page_a), after=True)
        ) and (b is None or _margin_only(idx, b[1], idx.page_start[page_b], resume, after=False))
    if a is None or b is None:
        return False  # no geometry: cannot tell a column jump from an unmarked omission
    for s in idx.line_starts_between(last + 1, resume - 1):
        g = idx.line_box(s)
        if g is None or g[0] != page_a:
            continue
        if _same_column(a[1], g[1]) and _same_column(b[1], g[1]) and _between(a[1], g[1], b[1]):
            return False
    return True


def _margin_only(idx: DocIndex, ref: LineGeometry, lo: int, hi: int, *, after: bool) -> bool:
    """Are the lines in key range [lo, hi) margin material around the quote's line `ref`?

    `ref` is the line read last on the page before a page break (`after`) or first on the
    page after it. Lines of its column beyond it, set as large, are body text: always when
    they belong to its paragraph, and past a running header's or a page number's length.
    """
    anchor = lo - 1 if after else hi
    body = 0
    for s in idx.line_starts_between(lo, hi - 1):
        g = idx.line_box(s)
        if g is None or not _same_column(ref, g[1]) or _size(g[1]) < 0.9 * _size(ref):
            continue
        if not (_position(g[1]) > _position(ref) if after else _position(g[1]) < _position(ref)):
            continue
        if not _block_break(idx, anchor, s) if after else not _block_break(idx, s, anchor):
            return False
        body += min(idx.line_end(s), hi) - s
    return body <= _MARGIN_TEXT


def _block_break(idx: DocIndex, first: int, second: int) -> bool:
    """Is there a paragraph (block) break between key offsets `first` < `second` of a page?"""
    page_no, start, _ = idx.orig_range(first, first + 1)
    _, end, _ = idx.orig_range(second, second + 1)
    return "\n\n" in idx.pages[page_no].text[start:end]


def _size(line: LineGeometry) -> float:
    return line.box[3] - line.box[1] if line.horizontal else line.box[2] - line.box[0]


def _position(line: LineGeometry) -> float:
    """Centre of a line across its direction: lines of a column follow each other along it."""
    return (line.box[1] + line.box[3]) / 2 if line.horizontal else (line.box[0] + line.box[2]) / 2


def _same_column(a: LineGeometry, b: LineGeometry) -> bool:
    lo, hi = (0, 2) if a.horizontal else (1, 3)
    overlap = min(a.box[hi], b.box[hi]) - max(a.box[lo], b.box[lo])
    narrow = min(a.box[hi] - a.box[lo], b.box[hi] - b.box[lo])
    return narrow > 0 and overlap >= 0.5 * narrow


def _between(a: LineGeometry, g: LineGeometry, b: LineGeometry) -> bool:
    lo, hi = (1, 3) if a.horizontal else (0, 2)

    def centre(x: LineGeometry) -> float:
        return (x.box[lo] + x.box[hi]) / 2

    return min(centre(a), centre(b)) < centre(g) < max(centre(a), centre(b))


def chain_pieces(idx: DocIndex, pieces: list[KeyText]) -> list[KeyMatch] | None:
    """Pieces of a trimmed quote, each found after the previous one; the tightest chain."""
    best: list[KeyMatch] | None = None
    first_piece = pieces[0]
    for first in find_piece(idx, first_piece.key, tokens=first_piece.tokens()):
        chain = [first]
        for piece in pieces[1:]:
            pos = chain[-1].end
            hi = min(len(idx.key), pos + MAX_OMISSION_GAP)
            found = find_piece(idx, piece.key, pos, hi, limit=1, tokens=piece.tokens())
            if not found:
                break
            chain.append(found[0])
        else:
            if best is None or chain[-1].end - chain[0].start < best[-1].end - best[0].start:
                best = chain
    return best

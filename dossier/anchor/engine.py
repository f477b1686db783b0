"""Anchoring a published quote in one or several documents.

Order of attempts (cheapest and surest first): the whole quote exactly (one `str.find` on the
folded key, which already absorbs typography, case, spacing and hyphenation); the whole quote
following lines across layout gaps; for a quote with marked omissions, its pieces in order; and
last an approximate word alignment, accepted only on strong evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from dossier.anchor import verdict as vd
from dossier.anchor.docindex import DocIndex, doc_index
from dossier.anchor.fuzzy import MIN_WORDS, fuzzy_find
from dossier.anchor.match import MAX_OMISSION_GAP, KeyMatch, chain_pieces, find_piece
from dossier.anchor.model import NOT_FOUND, AnchorResult, DiffOp, Span, Verdict
from dossier.anchor.normalize import (
    build_keys,
    display_text,
    has_omission_mark,
    split_omissions,
    strip_enclosing_quotes,
)
from dossier.anchor.spans import make_span
from dossier.text.model import PageText

Prefer = Callable[[KeyMatch], float]
"""Ranks candidate places of an exact match (lower is better): used when re-anchoring."""

_PUNCT_FOLD = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "‚": "'",
        "‛": "'",
        "`": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
    }
)
_THIN = " \u00a0\u202f\u2009\u2007"


def anchor_quote(
    quote: str, pages: Sequence[PageText], *, doc_id: str | None = None
) -> AnchorResult:
    """Find where `quote` comes from in one document (its pages, canonical text + word map)."""
    return anchor_in_index(quote, doc_index(pages), doc_id=doc_id)


def anchor_in_documents(quote: str, docs: Mapping[str, Sequence[PageText]]) -> AnchorResult:
    """The best anchoring of `quote` across several documents; spans carry their doc_id.

    Found nowhere, it is the not-found result with the closest passage (names, numbers or
    nouns replaced), if any document has one: that passage is shown for information."""
    best = NOT_FOUND
    nearest = NOT_FOUND
    for doc_id, pages in docs.items():
        result = anchor_quote(quote, pages, doc_id=doc_id)
        if result.found and (result.rank, -result.score) < (best.rank, -best.score):
            best = result
        elif result.closest and result.score > nearest.score:
            nearest = result
    return best if best.found else nearest


def anchor_in_index(
    quote: str, idx: DocIndex, *, doc_id: str | None = None, prefer: Prefer | None = None
) -> AnchorResult:
    """Anchor in a prepared index; `prefer` ranks several exact places (re-anchoring)."""
    core = strip_enclosing_quotes(quote)
    pieces, trimmed = split_omissions(core)
    if not pieces:
        return NOT_FOUND
    if not trimmed:
        return _anchor_whole(idx, pieces[0], doc_id, prefer)
    # The source may carry the ellipsis itself: then the quote is simply the source.
    whole = _exact(idx, core, doc_id, prefer)
    if whole is not None and any(has_omission_mark(s.text) for s in whole.spans):
        return whole
    chain = chain_pieces(idx, [build_keys(p) for p in pieces])
    if chain is not None:
        return _trimmed_result(idx, pieces, chain, doc_id)
    approx = _approximate_chain(idx, pieces, doc_id)
    if approx is not None:
        return approx
    return _approximate(idx, " ".join(pieces), doc_id)


def _anchor_whole(
    idx: DocIndex, text: str, doc_id: str | None, prefer: Prefer | None
) -> AnchorResult:
    exact = _exact(idx, text, doc_id, prefer)
    return exact if exact is not None else _approximate(idx, text, doc_id)


def _exact(
    idx: DocIndex, text: str, doc_id: str | None, prefer: Prefer | None
) -> AnchorResult | None:
    keys = build_keys(text)
    if not keys.key:
        return None
    limit = 64 if prefer is not None else 1
    found = find_piece(idx, keys.key, limit=limit, tokens=keys.tokens())
    if not found:
        return None
    match = min(found, key=prefer) if prefer is not None else found[0]
    plain = _extend_punctuation(idx, text, _ranges_to_spans(idx, match.ranges))
    verdict: Verdict = "normalized"
    for ranges in (_extend_inner(idx, plain), plain):
        raw = " ".join(idx.pages[p].text[start:end] for p, start, end in ranges)
        if vd.judge_exact(text, raw, match.noise) == "verbatim":
            verdict = "verbatim"
            break
    built = _build_spans(idx, ranges, doc_id)
    source = " ".join(display_text(s.text) for s in built)
    return AnchorResult(
        verdict=verdict,
        score=1.0,
        spans=built,
        diff=vd.equal_diff(text, source),
        doc_id=doc_id,
    )


def _approximate(
    idx: DocIndex, text: str, doc_id: str | None, tok_lo: int = 0, tok_hi: int | None = None
) -> AnchorResult:
    qkeys = build_keys(text)
    alignment = fuzzy_find(idx, qkeys.tokens(), tok_lo, tok_hi)
    if alignment is None:
        return NOT_FOUND
    ks, ke = idx.tok_start[alignment.tok_lo], idx.tok_end[alignment.tok_hi - 1]
    spans = _build_spans(idx, _ranges_to_spans(idx, [(ks, ke)]), doc_id)
    if all(op[0] == "equal" for op in alignment.ops):
        # Every word in place, only marks between digits differ ("2007, 96" / "2007 96").
        source = " ".join(display_text(s.text) for s in spans)
        return AnchorResult("normalized", 1.0, spans, vd.equal_diff(text, source), doc_id)
    if vd.content_replaced(idx, qkeys, text, alignment):
        diff = vd.alignment_diff(idx, qkeys, text, alignment)
        return AnchorResult("not_found", alignment.score, (), diff, doc_id, closest=spans)
    return AnchorResult(
        verdict="altered",
        score=alignment.score,
        spans=spans,
        diff=vd.alignment_diff(idx, qkeys, text, alignment),
        doc_id=doc_id,
    )


def _trimmed_result(
    idx: DocIndex, pieces: list[str], chain: list[KeyMatch], doc_id: str | None
) -> AnchorResult:
    spans: list[Span] = []
    sources: list[str] = []
    for piece, match in zip(pieces, chain, strict=True):
        ranges = _extend_punctuation(idx, piece, _ranges_to_spans(idx, match.ranges))
        built = _build_spans(idx, _extend_inner(idx, ranges), doc_id)
        spans.extend(built)
        sources.append(" ".join(display_text(s.text) for s in built))
    return AnchorResult(
        verdict="trimmed",
        score=1.0,
        spans=tuple(spans),
        diff=vd.trimmed_diff(idx, pieces, chain, sources),
        doc_id=doc_id,
    )


def _approximate_chain(idx: DocIndex, pieces: list[str], doc_id: str | None) -> AnchorResult | None:
    """Pieces of a trimmed quote where some pieces were also reworded: verdict altered."""
    spans: list[Span] = []
    diff: list[DiffOp] = []
    weighted = 0.0
    words = 0
    pos = 0
    for i, piece in enumerate(pieces):
        hi = len(idx.key) if i == 0 else min(len(idx.key), pos + MAX_OMISSION_GAP)
        keys = build_keys(piece)
        found = find_piece(idx, keys.key, pos, hi, limit=1, tokens=keys.tokens())
        n = max(1, len(keys.tok_start))
        if found:
            match = found[0]
            result = _result_for_match(idx, piece, match, doc_id)
            start, end = match.start, match.end
        else:
            if n < MIN_WORDS:
                return None
            result = _approximate(idx, piece, doc_id, idx.token_at(pos), idx.token_at(hi) + 1)
            if not result.found:
                return None
            start, end = _key_extent(idx, result.spans)
        if i:
            diff.append(DiffOp("delete", vd.OMISSION, vd.gap_text(idx, pos, start)))
        spans.extend(result.spans)
        diff.extend(result.diff)
        weighted += result.score * n
        words += n
        pos = end
    return AnchorResult("altered", weighted / words, tuple(spans), tuple(diff), doc_id)


def _result_for_match(
    idx: DocIndex, piece: str, match: KeyMatch, doc_id: str | None
) -> AnchorResult:
    built = _build_spans(idx, _ranges_to_spans(idx, match.ranges), doc_id)
    source = " ".join(display_text(s.text) for s in built)
    return AnchorResult("normalized", 1.0, built, vd.equal_diff(piece, source), doc_id)


def _key_extent(idx: DocIndex, spans: Sequence[Span]) -> tuple[int, int]:
    """Key offsets of the first and last character of spans (to continue a chain after them)."""
    first, last = spans[0], spans[-1]
    pages = [p.index for p in idx.pages]
    first_no, last_no = pages.index(first.page_index), pages.index(last.page_index)
    return (
        idx.page_start[first_no] + _key_offset(idx, first_no, first.start),
        idx.page_start[last_no] + _key_offset(idx, last_no, last.end),
    )


def _key_offset(idx: DocIndex, page_no: int, orig: int) -> int:
    keytext = idx.keys[page_no]
    lo, hi = 0, len(keytext.key)
    while lo < hi:
        mid = (lo + hi) // 2
        if keytext.orig_start(mid) < orig:
            lo = mid + 1
        else:
            hi = mid
    return lo


# --- spans -------------------------------------------------------------------------------------

PageRange = tuple[int, int, int]
"""(page number in the index, start, end) in that page's text."""


def _ranges_to_spans(idx: DocIndex, ranges: Sequence[tuple[int, int]]) -> list[PageRange]:
    out: list[PageRange] = []
    for ks, ke in ranges:
        for lo, hi in idx.split_by_page(ks, ke):
            out.append(idx.orig_range(lo, hi))
    return out


def _build_spans(
    idx: DocIndex, ranges: Sequence[PageRange], doc_id: str | None
) -> tuple[Span, ...]:
    return tuple(
        make_span(idx.pages[page_no], start, end, layout=idx.words_of(page_no), doc_id=doc_id)
        for page_no, start, end in ranges
    )


def _extend_inner(idx: DocIndex, ranges: list[PageRange]) -> list[PageRange]:
    """Where a quote is cut in pieces (page break, column jump), the punctuation that ends one
    piece or opens the next ("ans," / "« Nous") belongs to it."""
    out = list(ranges)
    for i, (page_no, start, end) in enumerate(out):
        text = idx.pages[page_no].text
        if i + 1 < len(out):
            j = end
            while j < len(text) and text[j] in _THIN:
                j += 1  # French spacing: "service »", "nombreuses :"
            k = j
            while k < len(text) and not text[k].isspace() and not text[k].isalnum():
                k += 1
            end = k if k > j else end
        if i > 0:
            j = start
            while j > 0 and text[j - 1] in _THIN:
                j -= 1
            k = j
            while k > 0 and not text[k - 1].isspace() and not text[k - 1].isalnum():
                k -= 1
            start = k if k < j else start
        out[i] = (page_no, start, end)
    return out


def _extend_punctuation(idx: DocIndex, text: str, ranges: list[PageRange]) -> list[PageRange]:
    """Take the quote's opening and closing punctuation into the span when the source has it."""
    if not ranges:
        return ranges
    first_alnum = next((i for i, c in enumerate(text) if c.isalnum()), 0)
    last_alnum = max((i for i, c in enumerate(text) if c.isalnum()), default=len(text) - 1)
    lead, tail = text[:first_alnum], text[last_alnum + 1 :]
    page_no, start, end = ranges[-1]
    if tail.strip():
        page = idx.pages[page_no].text
        j = end
        for char in tail:
            if char.isspace():
                continue
            k = _skip_space(page, j, 1)
            width = _mark_width(page[k : k + 2], char)
            if not width:
                break
            j = k + width
        ranges[-1] = (page_no, start, j)
    page_no, start, end = ranges[0]
    if lead.strip():
        page = idx.pages[page_no].text
        j = start
        for char in reversed(lead):
            if char.isspace():
                continue
            k = _skip_space(page, j, -1)
            width = _mark_width(page[max(0, k - 2) : k][::-1], char)
            if not width:
                break
            j = k - width
        ranges[0] = (page_no, j, end)
    return ranges


_DOUBLED = {"’’", "‘‘", "''", "``"}
"""Two single quotes set as a double one (the Federal Register's ‘‘pitch attitude.’’)."""


def _mark_width(source: str, mark: str) -> int:
    """How many characters at the head of `source` spell the punctuation `mark` (0: none)."""
    folded = mark.translate(_PUNCT_FOLD)
    if source[:2] in _DOUBLED and folded == '"':
        return 2
    if source[:1] and source[0].translate(_PUNCT_FOLD) == folded:
        return 1
    return 0


def _skip_space(page: str, pos: int, step: int) -> int:
    """Past the spaces (and at most one line break) after `pos` (step 1) or before it (-1)."""
    breaks = 0
    while 0 <= (pos if step > 0 else pos - 1) < len(page):
        char = page[pos] if step > 0 else page[pos - 1]
        if char == "\n" and breaks == 0:
            breaks = 1
        elif char not in _THIN:
            break
        pos += step
    return pos

"""Approximate anchoring: where is a quote whose words were changed, added or dropped?

Candidate places come from the quote's rarer words (their positions in the document vote for a
diagonal, as in seed-and-extend aligners); each candidate is aligned word by word (edit distance
with free ends in the document, so the quote may sit anywhere in the window) and scored; a word
that differs by a typo or an OCR slip earns partial credit (rapidfuzz Indel similarity). The
acceptance rule is deliberately strict: a quote made of words the document merely happens to use
must come back `not_found`, never as a weak guess.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from dossier.anchor.docindex import DocIndex

MIN_WORDS = 4
"""Shorter quotes are anchored exactly or not at all: four words are too few to tell an
altered quote from a coincidence."""
MIN_SCORE = 0.7
"""Similarity (2 x words matched / (quote words + source words)) below which a place is not
the quote's source. Calibrated with bench/bench_anchor.py: one or two words changed, added or
dropped in a 10-30 word quote score 0.8-0.95; quotes absent from the document stay below."""
MIN_SHARED = 0.55
"""Fraction of the quote's words that must be found in place, in order."""
MIN_EVIDENCE = 12.0
"""Summed rarity (idf, natural log) of the words found in place."""
_RUN_WORDS = 4
_RUN_SHARE = 0.3
"""The longest stretch of words found in place must reach 30 % of the quote (at most four
words needed): measured, shuffled quotes keep at most 20 %, altered ones at least 32 %."""
TYPO = 0.75
"""Similarity from which a different word is a typo or an OCR slip of the other."""
_CANDIDATES = 4
_COMMON = 0.003
"""Words above this share of the document's words do not seed candidates."""
_MAX_SEEDS = 10


@dataclass(frozen=True)
class Alignment:
    score: float
    tok_lo: int
    """First document token of the aligned region."""
    tok_hi: int
    """One past the last document token of the region."""
    ops: tuple[tuple[str, int, int, int, int], ...]
    """(tag, quote_lo, quote_hi, doc_lo, doc_hi): word-level edit script, document indexes
    absolute."""


def fuzzy_find(
    idx: DocIndex,
    quote_tokens: list[str],
    tok_lo: int = 0,
    tok_hi: int | None = None,
) -> Alignment | None:
    """Best acceptable approximate place of the quote in tokens [tok_lo, tok_hi)."""
    n = len(quote_tokens)
    total = idx.n_tokens
    tok_hi = total if tok_hi is None else min(tok_hi, total)
    if n < MIN_WORDS or total == 0 or tok_lo >= tok_hi:
        return None
    postings = idx.postings
    idf = {t: math.log(total / len(postings[t])) for t in set(quote_tokens) if t in postings}
    if not idf:
        return None
    best: Alignment | None = None
    for lo, hi in candidate_regions(idx, quote_tokens, tok_lo, tok_hi, idf):
        alignment = _align(idx, quote_tokens, lo, hi, idf)
        if alignment is not None and (best is None or alignment.score > best.score):
            best = alignment
    return best


def candidate_regions(
    idx: DocIndex,
    quote: list[str],
    tok_lo: int = 0,
    tok_hi: int | None = None,
    idf: dict[str, float] | None = None,
) -> list[tuple[int, int]]:
    """Token ranges where the quote's rarer words cluster, most promising first."""
    n = len(quote)
    postings = idx.postings
    total = idx.n_tokens
    tok_hi = total if tok_hi is None else min(tok_hi, total)
    if idf is None:
        idf = {t: math.log(total / len(postings[t])) for t in set(quote) if t in postings}
    common = max(64, int(_COMMON * total))
    # Only rare words seed: a quote sharing only everyday words with the document gives no
    # evidence of anything (and would make every stretch of text a candidate).
    rare = sorted((t for t in idf if len(postings[t]) <= common), key=lambda t: -idf[t])
    where: dict[str, list[int]] = {}
    for qi, token in enumerate(quote):
        where.setdefault(token, []).append(qi)
    width = max(16, n)
    votes: dict[int, dict[int, float]] = {}
    diagonals: dict[int, list[int]] = {}
    for token in rare[:_MAX_SEEDS]:
        positions = postings[token]
        weight = idf[token]
        for p in positions[bisect_left(positions, tok_lo) : bisect_left(positions, tok_hi)]:
            for qi in where[token]:
                diag = p - qi
                bucket = diag // width
                votes.setdefault(bucket, {})[qi] = weight
                diagonals.setdefault(bucket, []).append(diag)
    own = sorted(votes, key=lambda b: -sum(votes[b].values()))[: 8 * _CANDIDATES]
    scored: list[tuple[float, int]] = []
    for bucket in own:
        merged: dict[int, float] = {}
        for b in (bucket - 1, bucket, bucket + 1):
            merged.update(votes.get(b, {}))
        scored.append((sum(merged.values()), bucket))
    scored.sort(reverse=True)
    regions: list[tuple[int, int]] = []
    for vote, bucket in scored[:_CANDIDATES]:
        if vote < MIN_EVIDENCE / 2:
            break
        diags = sorted(d for b in (bucket - 1, bucket, bucket + 1) for d in diagonals.get(b, []))
        centre = diags[len(diags) // 2]
        lo = max(tok_lo, max(diags[0], centre - n) - 4)
        hi = min(tok_hi, min(diags[-1], centre + n) + n + 4)
        if any(lo < r_hi and r_lo < hi for r_lo, r_hi in regions):
            continue
        regions.append((lo, hi))
    return regions


def _align(
    idx: DocIndex, quote: list[str], lo: int, hi: int, idf: dict[str, float]
) -> Alignment | None:
    n = len(quote)
    source = idx.token_slice(lo, hi)
    shared = set(quote) & set(source)
    if len(shared) < 2:
        return None
    ops = semiglobal(quote, source)
    if not ops:
        return None
    matched = 0.0
    evidence = 0.0
    exact = 0
    for tag, q_lo, q_hi, s_lo, s_hi in ops:
        if tag == "equal":
            exact += q_hi - q_lo
            matched += q_hi - q_lo
            evidence += sum(idf.get(t, 0.0) for t in quote[q_lo:q_hi])
        elif tag == "replace":
            for a, b in zip(quote[q_lo:q_hi], source[s_lo:s_hi], strict=False):
                similarity = Indel.normalized_similarity(a, b)
                if similarity >= TYPO:
                    matched += similarity  # OCR slips and spelling variants count, in part
    first, last = ops[0][3], ops[-1][4]
    aligned = max(0, last - first)
    score = 2 * matched / (n + aligned) if n + aligned else 0.0
    if score < MIN_SCORE or exact < MIN_SHARED * n or evidence < MIN_EVIDENCE:
        return None
    # Reworded quotes keep whole stretches of their source; the same words shuffled do not.
    longest = max((q_hi - q_lo for tag, q_lo, q_hi, _, _ in ops if tag == "equal"), default=0)
    if longest < min(_RUN_WORDS, max(2, math.ceil(_RUN_SHARE * n))):
        return None
    absolute = tuple((t, a, b, c + lo, d + lo) for t, a, b, c, d in ops)
    return Alignment(score=score, tok_lo=lo + first, tok_hi=lo + last, ops=absolute)


Op = tuple[str, int, int, int, int]
_DIAG, _UP, _LEFT = 0, 1, 2
_EDIT, _MATCH = 10, -1
"""Each changed, added or dropped word costs an edit; among alignments with as few edits, the
one keeping the most words in place wins ("section 112 are" vs "section are": "112" dropped,
not "section" changed into "112")."""


def semiglobal(quote: list[str], source: list[str]) -> list[Op]:
    """Word alignment of the whole quote against the best-matching stretch of `source`.

    Edit distance with free source ends (a quote is a piece of a longer text). Returns opcodes
    in rapidfuzz's convention with the quote as the first sequence: "delete" = a quote word
    absent from the source, "insert" = a source word the quote dropped.
    """
    ids: dict[str, int] = {}
    q = [ids.setdefault(t, len(ids)) for t in quote]
    s = [ids.setdefault(t, len(ids)) for t in source]
    n, m = len(q), len(s)
    if not n or not m:
        return []
    prev = [0] * (m + 1)  # an empty quote aligns anywhere for free
    moves: list[bytearray] = [bytearray(m + 1)]
    for i in range(1, n + 1):
        qi = q[i - 1]
        cur = [i * _EDIT] * (m + 1)
        row = bytearray(m + 1)
        row[0] = _UP
        for j in range(1, m + 1):
            diag = prev[j - 1] + (_EDIT if qi != s[j - 1] else _MATCH)
            up = prev[j] + _EDIT
            left = cur[j - 1] + _EDIT
            if diag <= up and diag <= left:
                cur[j], row[j] = diag, _DIAG
            elif up <= left:
                cur[j], row[j] = up, _UP
            else:
                cur[j], row[j] = left, _LEFT
        moves.append(row)
        prev = cur
    j = min(range(m + 1), key=lambda k: (prev[k], k))
    i = n
    steps: list[Op] = []
    while i > 0:
        move = moves[i][j]
        if move == _DIAG:
            tag = "equal" if q[i - 1] == s[j - 1] else "replace"
            steps.append((tag, i - 1, i, j - 1, j))
            i, j = i - 1, j - 1
        elif move == _UP:
            steps.append(("delete", i - 1, i, j, j))
            i -= 1
        else:
            steps.append(("insert", i, i, j - 1, j))
            j -= 1
    steps.reverse()
    ops: list[Op] = []
    for step in steps:
        if ops and ops[-1][0] == step[0]:
            tag, q_lo, _, s_lo, _ = ops[-1]
            ops[-1] = (tag, q_lo, step[2], s_lo, step[4])
        else:
            ops.append(step)
    return ops

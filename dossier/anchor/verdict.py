"""The fidelity verdict and the word-level diff a journalist reads.

- verbatim: the quote reads exactly like the source (line breaks, spacing, soft hyphens and
  ligature glyphs aside);
- normalized: the same words, only typography, case or punctuation differ;
- trimmed: the pieces around marked omissions are each in the source, in order;
- altered: found approximately (words changed, added or dropped), with a score and a diff;
- not_found: nowhere; or the closest passage replaces names, numbers or nouns of the quote by
  others, which makes it another sentence, not a misquote (that passage comes back for
  information).
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Indel

from dossier.anchor import content
from dossier.anchor.docindex import DocIndex
from dossier.anchor.fuzzy import TYPO, Alignment
from dossier.anchor.match import KeyMatch
from dossier.anchor.model import DiffKind, DiffOp, Verdict
from dossier.anchor.normalize import KeyText, display_text, same_layout
from dossier.text.fold import fold_key

OMISSION = "[…]"
_GAP_SHOWN = 160
"""Characters of an omitted passage shown in a diff (its start and its end)."""


def source_text(idx: DocIndex, ks: int, ke: int) -> str:
    """The document text of a key range, whitespace collapsed (pages joined by a space)."""
    parts: list[str] = []
    for lo, hi in idx.split_by_page(ks, ke):
        page_no, start, end = idx.orig_range(lo, hi)
        parts.append(idx.pages[page_no].text[start:end])
    return " ".join(display_text(part) for part in parts)


def match_text(idx: DocIndex, match: KeyMatch) -> str:
    return " ".join(source_text(idx, lo, hi) for lo, hi in match.ranges)


def judge_exact(published: str, source: str, noise: bool) -> Verdict:
    if not noise and same_layout(published, source):
        return "verbatim"
    return "normalized"


def equal_diff(published: str, source: str) -> tuple[DiffOp, ...]:
    return (DiffOp("equal", published, source),)


def gap_text(idx: DocIndex, ks: int, ke: int) -> str:
    """An omitted passage, shortened in the middle when long."""
    text = source_text(idx, ks, ke) if ke > ks else ""
    if len(text) <= 2 * _GAP_SHOWN:
        return text
    return f"{text[:_GAP_SHOWN].rstrip()} … {text[-_GAP_SHOWN:].lstrip()}"


def trimmed_diff(
    idx: DocIndex, pieces: list[str], chain: list[KeyMatch], sources: list[str]
) -> tuple[DiffOp, ...]:
    ops: list[DiffOp] = []
    for i, (piece, match, source) in enumerate(zip(pieces, chain, sources, strict=True)):
        if i:
            ops.append(DiffOp("delete", OMISSION, gap_text(idx, chain[i - 1].end, match.start)))
        ops.append(DiffOp("equal", piece, source))
    return tuple(ops)


def quote_words(qkeys: KeyText, quote: str, lo: int, hi: int) -> str:
    """The published text of quote tokens [lo, hi), punctuation between them included."""
    if hi <= lo:
        return ""
    start = qkeys.orig_start(qkeys.tok_start[lo])
    end = qkeys.orig_end(qkeys.tok_end[hi - 1], quote)
    return " ".join(quote[start:end].split())


def doc_words(idx: DocIndex, lo: int, hi: int) -> str:
    if hi <= lo:
        return ""
    return source_text(idx, idx.tok_start[lo], idx.tok_end[hi - 1])


_TAGS: dict[str, DiffKind] = {
    "equal": "equal",
    "replace": "replace",
    "delete": "insert",  # a published word the source does not have
    "insert": "delete",  # a source word the quote dropped
}


def alignment_diff(
    idx: DocIndex, qkeys: KeyText, quote: str, alignment: Alignment
) -> tuple[DiffOp, ...]:
    ops: list[DiffOp] = []
    for tag, q_lo, q_hi, s_lo, s_hi in alignment.ops:
        ops.append(
            DiffOp(_TAGS[tag], quote_words(qkeys, quote, q_lo, q_hi), doc_words(idx, s_lo, s_hi))
        )
    return tuple(ops)


_PHRASE_END = re.compile(r"[,.;:!?()\[\]]")


def content_replaced(idx: DocIndex, qkeys: KeyText, quote: str, alignment: Alignment) -> bool:
    """Whether the alignment replaces a content word of the quote (or of the source) by another
    word: a number (in figures or in words), a month or a day, a name, or a noun (see
    `content`). Then the quote says something else; it is not a misquote of this passage. A
    near-spelling (an OCR slip, a typo) is not a replacement, nor is a number written the other
    way ("3" for "trois"); added, dropped and other changed words are misquotes."""
    tokens = qkeys.tokens()
    english = content.reads_english(tokens)
    for q, s in _facing_words(idx, len(tokens), alignment):
        published = quote_words(qkeys, quote, q, q + 1)
        written = doc_words(idx, s, s + 1)
        before, after = fold_key(published), fold_key(written)
        if content.is_number(published) or content.is_number(written):
            value = content.number_value(before)
            if value is None or value != content.number_value(after):
                return True  # a number differs by one digit as much as by all of them
            continue  # "3" for "trois"
        if Indel.normalized_similarity(before, after) >= TYPO:
            continue
        if content.number_value(before) or content.number_value(after):
            return True  # "trois" for "quatre", or for "plusieurs"
        if content.is_date_word(before) or content.is_date_word(after):
            return True  # "en mars" for "en avril"
        if content.is_name(published, first=q == 0) or content.is_name(written, first=q == 0):
            return True
        if _nouns(idx, qkeys, quote, q, s, english=english):
            return True
    return False


def _nouns(idx: DocIndex, qkeys: KeyText, quote: str, q: int, s: int, *, english: bool) -> bool:
    """Whether quote token `q` and document token `s` are both nouns, each in its own text."""
    tokens = qkeys.tokens()
    after = quote_words(qkeys, quote, q, min(q + 2, len(tokens)))
    before = quote_words(qkeys, quote, max(0, q - 2), q)
    if not content.is_noun(
        tokens,
        q,
        english=english,
        phrase_ends=bool(_PHRASE_END.search(after)),
        clause_starts=bool(_PHRASE_END.search(before)),
    ):
        return False
    lo = max(0, s - 1 - content.MODIFIERS)
    around = idx.token_slice(lo, min(idx.n_tokens, s + 3))  # an article after a verb
    after = doc_words(idx, s, min(s + 2, idx.n_tokens))
    before = doc_words(idx, max(0, s - 2), s)
    return content.is_noun(
        around,
        s - lo,
        english=english,
        phrase_ends=bool(_PHRASE_END.search(after)),
        clause_starts=bool(_PHRASE_END.search(before)),
    )


def _facing_words(idx: DocIndex, n: int, alignment: Alignment) -> list[tuple[int, int]]:
    """(quote token, document token) pairs that stand in each other's place: the words of a
    replaced run, and the quote's unmatched first or last words against the document words just
    outside the aligned region (free ends align "April 3" to "April" rather than "April 1")."""
    pairs: list[tuple[int, int]] = []
    for tag, q_lo, q_hi, s_lo, s_hi in alignment.ops:
        if tag == "replace":
            pairs.extend(zip(range(q_lo, q_hi), range(s_lo, s_hi), strict=False))
    tag, q_lo, q_hi, _, _ = alignment.ops[-1]
    if tag == "delete" and q_hi == n:
        outside = range(alignment.tok_hi, min(idx.n_tokens, alignment.tok_hi + q_hi - q_lo))
        pairs.extend(zip(range(q_lo, q_hi), outside, strict=False))
    tag, q_lo, q_hi, _, _ = alignment.ops[0]
    if tag == "delete" and q_lo == 0:
        before = range(alignment.tok_lo - 1, max(-1, alignment.tok_lo - 1 - q_hi), -1)
        pairs.extend(zip(range(q_hi - 1, -1, -1), before, strict=False))
    return pairs

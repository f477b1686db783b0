"""Folding: the one way Dossier compares text, case-, accent-, ligature- and layout-insensitive.

Every comparison of words goes through `fold_char`: NFKC (ligatures "ﬁ" -> "fi"), case folding
("ß" -> "ss"), accents dropped ("é" -> "e"), letters NFKD does not decompose spelled out ("œ" ->
"oe", "æ" -> "ae"), and anything that is not a letter or a digit dropped. The search index, the
highlights, quote anchoring, redaction marks and their self-check, and people's names all fold
this way, so a word one of them finds, the others find too
(`tests/core/text/test_fold_agreement.py`).

`fold_key` folds a word or a term. `fold` folds a whole text and keeps the map back: the text is
reduced to its letters and digits, with every space, punctuation mark, soft hyphen and line break
removed, so "Du-\\npont", "DUPONT", "Dupont" set with a ligature glyph and "Du\\u00adpont" all
fold to "dupont". Beside the key we keep where each word ("token") starts and ends: a match must
begin at a token start and end at a token end, so "Ali" never matches inside "politique" while
"Jean-Pierre" still matches "Jean Pierre" and a word hyphenated across two lines; where letters
meet digits is a boundary too, so "Quartermaine" is found in "Quartermaine2024".
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

_EXTRA_FOLDS = {
    "œ": "oe",
    "æ": "ae",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
}
"""Letters that keep no accent to drop under NFKD, spelled the way a French or English reader
would type them. ("ß" needs no entry: case folding already gives "ss".)"""
_GLUE_CATEGORIES = frozenset({"Mn", "Me", "Cf"})
"""Combining marks and format characters (soft hyphen, zero-width joiners) never split a word."""


@lru_cache(maxsize=16384)
def fold_char(char: str) -> str:
    """The folded letters/digits of one character ('' for spaces, punctuation, soft hyphens)."""
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    folded = unicodedata.normalize("NFKC", char).casefold()
    out: list[str] = []
    for piece in unicodedata.normalize("NFKD", folded):
        if unicodedata.category(piece) == "Mn":
            continue
        piece = _EXTRA_FOLDS.get(piece, piece)
        if piece.isalnum():
            out.append(piece)
    return "".join(out)


def fold_run(run: str, start: int) -> tuple[str, tuple[int, ...] | None]:
    """The key of a run of letters and digits found at `start` in a text, and the original
    offset of each key character when folding did not keep one character for one (else None)."""
    if run.isascii():
        return run.lower(), None
    parts: list[str] = []
    offsets: list[int] = []
    for offset, char in enumerate(run, start):
        folded = fold_char(char)
        parts.append(folded)
        offsets.extend([offset] * len(folded))
    if offsets == list(range(start, start + len(run))):
        return "".join(parts), None
    return "".join(parts), tuple(offsets)


def _is_glue(char: str) -> bool:
    return unicodedata.category(char) in _GLUE_CATEGORIES


@dataclass(frozen=True)
class Folded:
    """The key of a text, where its tokens start and end, and how to map it back."""

    key: str
    starts: frozenset[int]
    """Key offsets where a token begins."""
    ends: frozenset[int]
    """Key offsets where a token ends (exclusive)."""
    run_keys: tuple[int, ...]
    """Key offset of each run of letters and digits..."""
    run_texts: tuple[int, ...]
    """...its offset in the original text..."""
    run_maps: tuple[tuple[int, ...] | None, ...]
    """...and, for runs whose folding is not one character for one, each key character's
    original offset (None: one for one)."""

    def origin(self, k: int) -> int:
        """Offset in the original text of the character key[k] came from."""
        run = bisect_right(self.run_keys, k) - 1
        mapping = self.run_maps[run]
        if mapping is None:
            return self.run_texts[run] + k - self.run_keys[run]
        return mapping[k - self.run_keys[run]]

    def span(self, k0: int, k1: int) -> tuple[int, int]:
        """Original [start, end) of the key range [k0, k1)."""
        return self.origin(k0), self.origin(k1 - 1) + 1

    def _starts_at(self, k: int) -> bool:
        # A name glued to digits ("Quartermaine2024", "2024Quartermaine") is still the name:
        # the change between letters and digits is a boundary too.
        return k in self.starts or self.key[k - 1].isdigit() != self.key[k].isdigit()

    def _ends_at(self, k: int) -> bool:
        return k in self.ends or self.key[k - 1].isdigit() != self.key[k].isdigit()

    def find_all(self, needle: str) -> list[tuple[int, int]]:
        """Key ranges where `needle` (a folded key) occurs on token boundaries."""
        found: list[tuple[int, int]] = []
        if not needle:
            return found
        at = self.key.find(needle)
        while at >= 0:
            end = at + len(needle)
            if self._starts_at(at) and self._ends_at(end):
                found.append((at, end))
            at = self.key.find(needle, at + 1)
        return found


_RUN = re.compile(r"[^\W_]+")
"""Runs of letters and digits; what lies between two runs decides whether they are one word."""

WORD = re.compile(r"(?:[^\W_\u02bc]|[\u0300-\u036f\u00ad])+")
"""A word where text is cut into words (index terms, highlights in plain text): letters and
digits (not "_", not the modifier-letter apostrophe), with any combining accents and soft
hyphens inside it. Apostrophes and hyphens separate words."""


def _joins(gap: str) -> bool:
    """Whether two runs separated by `gap` belong to one word (only glue between them)."""
    return not gap.isascii() and all(_is_glue(c) for c in gap)


def fold(text: str) -> Folded:
    """Fold `text`; token boundaries fall wherever a non-glue, non-letter character stood."""
    keys: list[str] = []
    starts: set[int] = set()
    ends: set[int] = set()
    run_keys: list[int] = []
    run_texts: list[int] = []
    run_maps: list[tuple[int, ...] | None] = []
    in_token = False
    length = 0
    previous_end = 0
    for match in _RUN.finditer(text):
        start, end = match.span()
        if in_token and not _joins(text[previous_end:start]):
            ends.add(length)
            in_token = False
        previous_end = end
        piece, mapping = fold_run(match.group(), start)
        if not piece:
            continue
        if not in_token:
            starts.add(length)
            in_token = True
        run_keys.append(length)
        run_texts.append(start)
        run_maps.append(mapping)
        keys.append(piece)
        length += len(piece)
    if in_token:
        ends.add(length)
    return Folded(
        "".join(keys),
        frozenset(starts),
        frozenset(ends),
        tuple(run_keys),
        tuple(run_texts),
        tuple(run_maps),
    )


def fold_key(term: str) -> str:
    """The key a word or term is searched by ('' when it holds no letter or digit)."""
    if term.isascii() and term.isalnum():
        return term.lower()  # most words: no table to look anything up in
    return "".join(fold_char(char) for char in term)


def contains_term(text: str, term: str) -> bool:
    """Whether `term` occurs in `text` on word boundaries, whatever its case, accents or layout."""
    key = fold_key(term)
    return bool(key) and bool(fold(text).find_all(key))

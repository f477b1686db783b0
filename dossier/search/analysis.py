"""How text becomes index terms, the same way at index time and at query time.

Words are cut from the original text (so offsets point into it), then each word is folded the way
all of Dossier folds (`dossier.text.fold`): NFKC (ligatures: "ﬁ" -> "fi"), case folding, accents
removed ("é" -> "e", "œ" -> "oe"), soft hyphens dropped. Apostrophes, straight or curly, separate
words: "l'utilisation" gives "l" and "utilisation" (one-letter words are kept, so a quoted
"l'utilisation" still matches as a phrase). Folding comes before stemming (stemming first gave
another term for 11% of accented words typed without their accents), and the stemmers are
Snowball's French and English (PyStemmer): Whoosh's Porter stemmer misses "investigate" vs
"investigating".

The index holds the folded words with positions (`exact`), for words, phrases, prefixes,
wildcards and fuzzy terms; a typed word is looked up under every indexed word sharing its French
or English stem (`stems.py`), and words written several ways get a joined form (`variants.py`).
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import Stemmer
from whoosh.analysis import Analyzer, Token
from whoosh.system import pack_uint

from dossier.text.fold import WORD, fold_char, fold_key

APOSTROPHES = "'’‘ʼ′`´"
_FOLD_CACHE: dict[str, str] = {}
_FOLD_CACHE_MAX = 200_000
LANGUAGES = ("fr", "en")
_STEMMER_NAMES = {"fr": "french", "en": "english"}


def fold(word: str) -> str:
    """The folded form of one word as the tokenizer cut it ("" if nothing is left)."""
    folded = _FOLD_CACHE.get(word)
    if folded is None:
        folded = fold_key(word)
        if len(_FOLD_CACHE) >= _FOLD_CACHE_MAX:
            # A vocabulary this large is rare; starting over is cheaper than an LRU.
            _FOLD_CACHE.clear()
        _FOLD_CACHE[word] = folded
    return folded


def fold_pattern(text: str) -> str:
    """Fold a wildcard or fuzzy term typed by the user, keeping `*` and `?`.

    An elided article in front ("l'utilis*") is dropped: index terms never hold an apostrophe.
    """
    for mark in APOSTROPHES:
        text = text.replace(mark, "'")
    text = text.rsplit("'", 1)[-1]
    return "".join(char if char in "*?" else fold_char(char) for char in text)


def iter_words(text: str) -> Iterator[tuple[str, int, int]]:
    """(folded word, start, end) for every word of `text`; offsets index the original text."""
    for match in WORD.finditer(text):
        folded = fold(match.group())
        if folded:
            yield folded, match.start(), match.end()


def folded_words(text: str) -> list[str]:
    # The words as strings (`findall`), not as match objects read one by one: a fifth less.
    return [w for w in map(fold, WORD.findall(text)) if w]


_local = threading.local()


def _stemmer(language: str) -> Any:
    # PyStemmer objects are not thread-safe: one per thread and language.
    stemmers: dict[str, Any] | None = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    stemmer = stemmers.get(language)
    if stemmer is None:
        stemmer = stemmers[language] = Stemmer.Stemmer(_STEMMER_NAMES[language])
    return stemmer


def language_code(language: str | None) -> str | None:
    """ "fr", "en" or None (unknown or another language: both stemmers are used)."""
    if not language:
        return None
    code = language.strip().lower()[:2]
    return code if code in LANGUAGES else None


def stem_words(words: list[str], language: str) -> list[str]:
    result: list[str] = _stemmer(language).stemWords(words)
    return result


def index_stems(words: list[str], language: str | None) -> str:
    """The `content` field of a text: its stems, space-separated, in the text's language."""
    code = language_code(language)
    if code is not None:
        return " ".join(stem_words(words, code))
    french, english = stem_words(words, "fr"), stem_words(words, "en")
    return " ".join(f if f == e else f"{f} {e}" for f, e in zip(french, english, strict=True))


def query_stems(word: str) -> list[str]:
    """Stems to look a folded query word up under, French first, without duplicates."""
    stems: list[str] = []
    for code in LANGUAGES:
        stem = stem_words([word], code)[0]
        if stem not in stems:
            stems.append(stem)
    return stems


class FoldingAnalyzer(Analyzer):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh analyzer of the `exact` field: words folded, not stemmed, positions kept."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Any]:
        # One Token object reused for every word, as Whoosh's own tokenizers do.
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        if mode == "index" and not chars:
            # At index time the value is already folded (`variants.exact_value`): words apart
            # by spaces, each with its joined alternatives after "|", at the same position.
            for pos, group in enumerate(value.split(" "), start_pos):
                for word in group.split("|"):
                    if word:
                        token.text = word
                        token.pos = pos
                        yield token
            return
        if not tokenize:
            # Wildcard and fuzzy terms arrive whole, with their `*` and `?`.
            token.text = fold_pattern(value)
            if keeporiginal:
                token.original = value
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        pos = start_pos
        for folded, start, end in iter_words(value):
            token.text = folded
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            pos += 1
            yield token


def index_postings(value: str, field_boost: float) -> list[tuple[bytes, int, float, bytes]]:
    """What Whoosh's `field.index(value)` yields for a field of `FoldingAnalyzer` words with
    positions (`formats.Positions`): (term, frequency, weight, encoded positions) per word, in
    the order words first appear, the same bytes. Read here from the folded value directly:
    Whoosh's path (a token object per word, generators, the format's per-word encoder) was a
    third of analysing a page and most of analysing a short one."""
    positions: dict[str, list[int]] = {}
    for position, group in enumerate(value.split(" ")):
        words = group.split("|") if "|" in group else (group,)
        for word in words:
            if word:
                seen = positions.get(word)
                if seen is None:
                    positions[word] = [position]
                else:
                    seen.append(position)
    postings = []
    for word, seen in positions.items():
        count = len(seen)
        # Positions are written as the gaps between them, as `formats.Positions.encode` does.
        gaps = [seen[0], *(b - a for a, b in pairwise(seen))] if count > 1 else seen
        encoded = pack_uint(count) + pickle.dumps(gaps, 2)
        postings.append((word.encode("utf-8"), count, float(count) * field_boost, encoded))
    return postings

"""The language guess and the function-word count give what a word-by-word reading gives.

They run on every document imported (a page sample, a message, a file of notes): reading word
by word in Python was a tenth of importing a folder of small text files. The counts are now
taken in bulk; these properties hold them to the plain definition, written out here, on text
made of what matters to them (function words of both languages, elisions and their look-alikes,
apostrophes, capitals, digits, letters of other scripts).
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.text import lang
from tests.pdfgen import ENGLISH_PARAGRAPHS, FRENCH_PARAGRAPHS

_PLAIN_WORD = re.compile(r"[^\W\d_]+")
_PLAIN_ELISION = re.compile(r"\b(?:l|d|qu|j|n|s|c)'\w")


def plain_counts(text: str) -> tuple[int, int, int]:
    """(French function words with elisions, English ones, words), one word at a time."""
    sample = text[: lang._MAX_CHARS].lower().replace("’", "'")
    french = english = words = 0
    for match in _PLAIN_WORD.finditer(sample):
        words += 1
        if match.group() in lang._FRENCH:
            french += 1
        elif match.group() in lang._ENGLISH:
            english += 1
    return french + len(_PLAIN_ELISION.findall(sample)), english, words


def plain_guess(text: str) -> str | None:
    french, english, words = plain_counts(text)
    if french + english < max(lang._MIN_HITS, lang._MIN_SHARE * words):
        return None
    if french >= lang._MIN_RATIO * english:
        return "fr"
    if english >= lang._MIN_RATIO * french:
        return "en"
    return None


_ELISIONS = ["l'", "d'", "qu'", "j'", "n'", "s'", "c'", "L’", "QU'", "xl'", "aqu'", "'", "’", "''"]
_OTHERS = ["avis", "euros", "a", "é", "Été", "3", "_", "-", " ", "\n", "ß", "ǅ", "中文", "x1"]
_OTHERS += ["\u00a0", "\u2028", "\x1c", "\x85", "²", "½", "e\u0301", "\u00ad", "٣", "ﬁ", "Ⅻ"]
_OTHERS += ["ΟΔΟΣ", "Σ", "İ"]
"""Spaces Python splits on, numerals that are not digits, a combining accent, a soft hyphen,
letters whose lower case depends on what follows (a final sigma) or is two characters."""
_PIECES = st.sampled_from([*sorted(lang._FRENCH | lang._ENGLISH), *_ELISIONS, *_OTHERS])
_TEXT = st.lists(_PIECES, max_size=80).map("".join) | st.text(max_size=200)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_counts_match_a_word_by_word_reading(text: str) -> None:
    french, english, _ = plain_counts(text)
    assert lang.function_words(text) == french + english
    assert lang.guess_language(text) == plain_guess(text)


def test_overlapping_elisions_count_once_each_as_read_from_the_left() -> None:
    # "l'd'accord": "l'd" is one elision; the "d" it used cannot start another.
    for text in ("l'd'accord", "qu'l'a", "c'qu'il", "l'l'l'l", "d’'a", "l''a"):
        assert lang.function_words(text) == plain_counts(text)[0] + plain_counts(text)[1], text


def test_only_the_first_characters_are_read() -> None:
    prose = "le chat et la souris " * 20_000
    assert len(prose) > lang._MAX_CHARS
    assert lang.function_words(prose + "the " * 100) == lang.function_words(prose)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_the_words_counted_are_the_pattern_s_words(text: str) -> None:
    # Each distinct piece between spaces is lowered on its own: as the whole text would be.
    assert lang._counts(text) == plain_counts(text)


_WORDS = st.sampled_from([*sorted(lang._FRENCH | lang._ENGLISH), "table", "élus", "x1", "l'avis"])
_SPACES = st.sampled_from([" ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u2028"])
_RUN = st.lists(st.tuples(_WORDS, _SPACES), min_size=20, max_size=200).map(
    lambda pairs: "".join(word + space for word, space in pairs)
)


@settings(max_examples=200, deadline=None)
@given(_RUN, st.integers(6_000, 250_000), st.booleans())
def test_a_long_text_s_sample_holds_whole_words_of_it(run: str, size: int, glued: bool) -> None:
    # A stretch cut inside a word must leave the piece out: "le" of "table" is a function word.
    text = (run * (size // len(run) + 1))[:size]
    if glued:
        text = text.replace(" ", "")
    words = set(text[: lang._MAX_CHARS].split())
    taken = lang.sample(text).split()
    assert set(taken) <= words
    assert len(lang.sample(text)) <= lang._SAMPLE_WINDOWS * (lang._SAMPLE_WINDOW + 1)


def test_a_long_text_is_guessed_from_all_of_it_not_its_start() -> None:
    english = " ".join(ENGLISH_PARAGRAPHS) + "\n\n"
    french = "\n\n".join(FRENCH_PARAGRAPHS * 40)
    # An English abstract before a French report; the report's English appendix after it.
    report = english * 6 + french + english * 6
    assert lang.guess_language(report) == plain_guess(report) == "fr"
    # Half and half: neither clearly dominates, read whole or sampled.
    halves = french + "\n\n" + english * 40
    assert lang.guess_language(halves) is plain_guess(halves) is None
    assert len(halves) > 4 * lang._SAMPLE_WINDOWS * lang._SAMPLE_WINDOW

"""The parts of a protected person's names that identify them, each to be masked on its own.

"Wilhelmina Quartermaine" is identified by "Quartermaine" alone in "Memo from Quartermaine":
masking only full forms leaks surnames, first names and hyphenated halves. A part is each word
of three letters or more of a name or alias (hyphenated names give their halves as well as the
whole), except particles, titles and the common words of French and English that appear in
names ("de la", "van", "Madame") and would otherwise blank out ordinary prose. A word of two
letters ("Li", "Bâ", "Lê") is a part too, found only where it stands for the person
(`shortnames`): these are not in `name_parts`, whose every string is masked wherever it occurs.

Exports (the disclosure gate), the screen and the independent self-check all ask this module
which strings stand for a person, so that what is masked in one place is masked in all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dossier.text.fold import fold_key

MIN_PART_LETTERS = 3
"""Letters a word of a name needs to be masked wherever it occurs; two-letter words are
`shortnames`' (one letter is an initial: `initials`)."""

TITLES = frozenset(
    """
    mme mlle madame mademoiselle monsieur messieurs mesdames docteur professeur maitre
    mrs miss mister sir lord lady dame doctor professor
    brigadier brigadiere gardien gardienne agent agente officier officiere capitaine
    lieutenant commandant commissaire inspecteur inspectrice adjudant sergent caporal
    colonel general generale major gendarme prefet prefete juge procureur procureure
    depute deputee senateur senatrice maire ministre president presidente directeur
    directrice captain sergeant officer detective inspector constable judge mayor
    """.split()
)
"""Folded titles and ranks written before a name ("Madame", "le juge")."""

COMMON_WORDS = TITLES | frozenset(
    """
    les des del della dos das van von der den ter ten het bin ben ibn abu bou ould
    dit dite and the las los saint sainte san santa sao
    pere mere frere soeur fils fille junior senior jr sr
    """.split()
)
"""Folded words never taken alone as a name part, even when a name contains them."""

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)


def _fold(words: str) -> str:
    """The key two forms of a name share when they are the same to a reader (and to the marks,
    which match by `dossier.text.fold` too)."""
    return " ".join(key for key in map(fold_key, words.split()) if key)


def _letters(word: str) -> int:
    return sum(1 for c in word if c.isalpha())


def is_part(word: str) -> bool:
    """Whether the word `word` of a name is masked wherever it occurs."""
    return _letters(word) >= MIN_PART_LETTERS and _fold(word) not in COMMON_WORDS


def is_short(word: str) -> bool:
    """Whether `word` is one word of two letters in a script with capitals: a short part
    (`shortnames`, whose rule reads capitals). In a script without them (Devanagari, Arabic,
    Han), a name of two letters is masked as a full form, and a part needs three."""
    return (
        _letters(word) == MIN_PART_LETTERS - 1
        and _WORD.fullmatch(word) is not None
        and word[0].lower() != word[0].upper()
    )


def name_words(name: str) -> list[str]:
    """The words of `name` each masked on its own (`name_parts`, `shortnames`): each word and,
    of a hyphenated or elided one, each piece ("Anne-Marie", "Anne", "Marie")."""
    found: list[str] = []
    for match in _WORD.finditer(" ".join(name.split())):
        word = match.group(0)
        found += [word, *re.split(r"[-'’]", word)] if re.search(r"[-'’]", word) else [word]
    return found


def name_parts(names: Iterable[str]) -> list[str]:
    """Every string that stands for the person: the full forms first, then the distinctive
    words, longest first (so that a masker replaces "Marie-Anne Curie" before "Curie")."""
    full: dict[str, str] = {}
    parts: dict[str, str] = {}
    for name in names:
        cleaned = " ".join(name.split())
        if not cleaned or is_short(cleaned):
            continue  # a name of two letters is a short part (`shortnames`)
        full.setdefault(_fold(cleaned), cleaned)
        for piece in name_words(cleaned):
            if is_part(piece):
                parts.setdefault(_fold(piece), piece)
    ordered = sorted(full.values(), key=len, reverse=True)
    ordered += sorted((p for k, p in parts.items() if k not in full), key=len, reverse=True)
    return ordered

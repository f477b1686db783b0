"""The parts of a protected person's names that identify them, each to be masked on its own.

"Wilhelmina Quartermaine" is identified by "Quartermaine" alone in "Memo from Quartermaine":
masking only full forms leaks surnames, first names and hyphenated halves. A part is each word
of three letters or more of a name or alias (hyphenated names give their halves as well as the
whole), except particles, titles and the common words of French and English that appear in
names ("de la", "van", "Madame") and would otherwise blank out ordinary prose.

Exports (the disclosure gate), the screen and the independent self-check all ask this module
which strings stand for a person, so that what is masked in one place is masked in all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dossier.text.fold import fold_key

MIN_PART_LETTERS = 3

COMMON_WORDS = frozenset(
    """
    les des del della dos das van von der den ter ten het bin ben ibn abu bou ould
    dit dite and the las los saint sainte san santa sao
    mme mlle madame mademoiselle monsieur messieurs mesdames docteur professeur maitre
    mrs miss mister sir lord lady dame doctor professor
    pere mere frere soeur fils fille junior senior jr sr
    brigadier brigadiere gardien gardienne agent agente officier officiere capitaine
    lieutenant commandant commissaire inspecteur inspectrice adjudant sergent caporal
    colonel general generale major gendarme prefet prefete juge procureur procureure
    depute deputee senateur senatrice maire ministre president presidente directeur
    directrice captain sergeant officer detective inspector constable judge mayor
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


def name_parts(names: Iterable[str]) -> list[str]:
    """Every string that stands for the person: the full forms first, then the distinctive
    words, longest first (so that a masker replaces "Marie-Anne Curie" before "Curie")."""
    full: dict[str, str] = {}
    parts: dict[str, str] = {}
    for name in names:
        cleaned = " ".join(name.split())
        if not cleaned:
            continue
        full.setdefault(_fold(cleaned), cleaned)
        for match in _WORD.finditer(cleaned):
            word = match.group(0)
            pieces = [word, *re.split(r"[-'’]", word)] if re.search(r"[-'’]", word) else [word]
            for piece in pieces:
                key = _fold(piece)
                if _letters(piece) < MIN_PART_LETTERS or key in COMMON_WORDS:
                    continue
                parts.setdefault(key, piece)
    ordered = sorted(full.values(), key=len, reverse=True)
    ordered += sorted((p for k, p in parts.items() if k not in full), key=len, reverse=True)
    return ordered

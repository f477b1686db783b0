"""Two-letter parts of protected names ("Li", "Wu", "Ng", "Bâ", "Lê"): where one stands for the
person.

Many surnames have two letters, and "M. Li a confirmé", "LI" or "Li's office" names Wei Li as
surely as "Wei Li" does. But some are also words ("Le", "Ma", "Do", "On"), on every page, and
any two letters in lower case are everywhere ("li" is an HTML tag). So a two-letter word of a
name (one written small in a name that has capitals, "de", "le", is a particle, not a part) is
masked where it stands as a whole word, compared as `fold` compares (case and accents aside),
and:

1. it begins with a capital ("Li", "LI", "Lê"; never "li");
2. it is not an ordinary word (`ORDINARY`: "Li", "Wu", "Ng", "Bâ" go wherever capitalised), or,
   being one ("Le", "Ma", "Do"):
   - it is written with the name's own accent ("Lê" for Thi Lê, where "Le" is the article);
   - or a title or an initial of the person comes right before it ("M. Le", "Mme Le", "Dr Do",
     "T. Le");
   - or another word of the person's names, capitalised, stands right beside it ("Minh Le",
     "Le Bras", "LE, Minh");
   - or it ends one of the person's names (a surname that may stand alone, as in "Minh Le";
     not the particle of "Le Bras"), no sentence starts with it ("selon Le, le contrat" but
     not "Le contrat"), and it is not a word of a line in capitals ("LE RAPPORT").

The initials beside it go with it (`initials`). The gate (`masking`), the marks (`marks`), the
screen and the self-check (`bundlecheck`) all ask `ShortFinder.find`, so they cannot disagree
on what a two-letter part is and where it names the person. The self-check thus proves only
what this rule sees, and of the last case (the place in a sentence) nothing, since a bundle's
files cut sentences into cells and tags. Not seen: a part in lower case ("wei.li@…", a note
typed in a hurry), an ordinary word opening a sentence or a line alone ("Le a signé" for Minh
Le), a particle away from the rest of the name: these stay in the bundle unless boxed by hand.
An ordinary word standing for nobody may be masked ("dans Le Monde" while a Minh Le is
protected): the safe side.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from dossier.redact.names import TITLES, is_short, name_words
from dossier.text.fold import fold_key

T = TypeVar("T")

ORDINARY = frozenset(
    """
    ai au ca ce ci de du en es et eu ex il je la le lu ma me mi ne ni nu on or os ou pu sa
    se si su ta te tu un us va vu
    ad ah am an as at be by do eh go ha he hi id if in is it lo my no of oh ok ow ox pa pi
    re so to uh um up we ye yo
    al da di ed el em io na ti vi ya ao ab er im ja wo zu
    st mr ms dr pm
    """.split()
)
"""Folded two-letter words of French and English (and of Spanish, Italian, Portuguese and
German, which journalists quote), and abbreviations written capitalised."""

_ABBREVIATED = frozenset("m mm mme mmes mlle mlles mr mrs ms mx dr pr me prof".split())
"""Titles shortened before a name ("M. Li", "Dr Do"), written with a capital; "M" with its full
stop (a bare "M" is an initial)."""

_GLUE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
"""Soft hyphens and invisible joiners: inside a word, as `fold` reads them."""
_LETTER = rf"(?:[^\W\d_]|[\u0300-\u036f{_GLUE}])"


_MATH_LETTERS = (0x1D400, 0x1D800)
"""Mathematical bold, italic, script… letters, which social media posts set names in ("𝐋𝐢")
and `fold` reads as the Latin ones."""


@lru_cache(maxsize=64)
def _words_from(initials: frozenset[str]) -> re.Pattern[str]:
    """Whole words as `fold` cuts words (letters, with combining accents and invisible glue) of
    two to six characters (two letters, accents combined and glue inside) begun by a capital
    that folds to one of `initials`: the regex engine passes over every other word."""
    capitals = "".join(
        re.escape(c)
        for c in map(chr, [*range(0x10000), *range(*_MATH_LETTERS)])
        if c.isupper() and fold_key(c)[:1] in initials
    )
    if not capitals:
        return re.compile(r"(?!)")  # no capital folds to them: nothing to find
    return re.compile(rf"(?<!{_LETTER})[{capitals}]{_LETTER}{{1,5}}(?!{_LETTER})")


_BEFORE = re.compile(r"(?<![^\W\d_])([^\W\d_]+)(\.?)(\s*[-\u2010\u2011,]\s*|\s+)\Z")
_AFTER = re.compile(r"(?:\s*[-\u2010\u2011,]\s*|\s+)([^\W\d_]+)")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[^\w\n]*\Z")
_WORD_AFTER = re.compile(r"[^\w\n]*([^\W\d_]+)")
_REACH = 48
_SENTENCE_END = ".!?…:;"
_OPENING = " \t\u00a0\u202f«“„\"'‘([—–-|•·*>"
"""Spaces, opening marks, bullets and cell edges between a sentence's start and its first
word."""


@dataclass(frozen=True)
class ShortPart:
    """One two-letter word of a person's names, with what makes it stand for them."""

    written: str
    """As in the name: "Lê"."""
    key: str
    """Folded: "le"."""
    ordinary: bool
    """Also an ordinary word (`ORDINARY`)."""
    ends_a_name: bool
    """The last word of one of the person's names: a surname that may stand alone."""
    beside: frozenset[str]
    """Folded words of the person's names it may stand beside."""

    @property
    def accented(self) -> str:
        """The name's own accented form, compared case aside ('' when it has no accent)."""
        shown = _as_shown(self.written)
        return shown if shown != self.key else ""


def _as_shown(word: str) -> str:
    return unicodedata.normalize("NFC", "".join(c for c in word if c not in _GLUE)).casefold()


def short_parts(names: Iterable[str]) -> list[ShortPart]:
    """The two-letter parts of one person's names and aliases."""
    found: dict[str, ShortPart] = {}
    cleaned = [" ".join(name.split()) for name in names if name.strip()]
    every = {fold_key(w) for name in cleaned for w in name_words(name)} - {""}
    for name in cleaned:
        words = name_words(name)
        capitals = any(c.isupper() for c in name)
        last = fold_key(words[-1]) if words else ""
        for word in words:
            if not is_short(word) or (capitals and not word[0].isupper()):
                continue  # a particle written small ("de", "le") is no part
            key = fold_key(word)
            kept = found.get(key)
            part = ShortPart(
                written=word if kept is None or not kept.accented else kept.written,
                key=key,
                ordinary=key in ORDINARY,
                ends_a_name=key == last or (kept is not None and kept.ends_a_name),
                beside=frozenset(every - {key}),
            )
            found[key] = part
    return list(found.values())


class ShortFinder(Generic[T]):
    """Where two-letter parts (each with its payload) stand for their person in a text."""

    def __init__(self, parts: Iterable[tuple[ShortPart, T]], *, in_sentence: bool = True) -> None:
        """`in_sentence`: also where an ordinary word is the surname by its place in a
        sentence; the self-check leaves it out (see `ShortFinder.find`)."""
        self.in_sentence = in_sentence
        self._by_key: dict[str, list[tuple[ShortPart, T]]] = {}
        for part, payload in parts:
            self._by_key.setdefault(part.key, []).append((part, payload))
        initials = frozenset(key[:1] for key in self._by_key)
        self._words = _words_from(initials) if initials else None

    def __bool__(self) -> bool:
        return bool(self._by_key)

    def find(self, text: str) -> list[tuple[int, int, T]]:
        """(start, end, payload) of each occurrence standing for its person, in order.

        Without `in_sentence`, an ordinary word that stands for a surname only by its place
        in a sentence ("selon Le, le contrat" for Minh Le) is not found: in a bundle's
        files, what comes before a text the gate masked is a cell, a tag or a word of
        Dossier's own ("with Le rapport.txt"), not the sentence the gate read, and a check
        reading it as one would refuse exports the gate had let through rightly."""
        found: list[tuple[int, int, T]] = []
        if self._words is None or not text:
            return found
        for match in self._words.finditer(text):
            word = match.group(0)
            for part, payload in self._by_key.get(fold_key(word), ()):
                if stands_for(text, match.start(), match.end(), part, in_sentence=self.in_sentence):
                    found.append((match.start(), match.end(), payload))
        return found


def stands_for(
    text: str, start: int, end: int, part: ShortPart, *, in_sentence: bool = True
) -> bool:
    """Whether the word `text[start:end]`, capitalised and folding to `part.key`, names the
    person (the rule of this module); `in_sentence`: also by its place in a sentence."""
    if not part.ordinary or (part.accented and _as_shown(text[start:end]) == part.accented):
        return True
    before = _BEFORE.search(text, max(0, start - _REACH), start)
    if before is not None:
        word, stop, gap = before.groups()
        key = fold_key(word)
        if word[0].isupper() and key in part.beside:
            return True
        if gap.isspace() and _titles(word, key, stop, part):
            return True
    after = _AFTER.match(text, end)
    if (
        after is not None
        and after.group(1)[0].isupper()
        and fold_key(after.group(1)) in part.beside
    ):
        return True
    if not (in_sentence and part.ends_a_name):
        return False
    return not _opens_sentence(text, start) and not _in_capitals(text, start, end)


def _titles(word: str, key: str, stop: str, part: ShortPart) -> bool:
    """Whether `word` (then `stop`, a full stop or nothing) is a title or an initial of the
    person's: "M.", "Mme", "Dr", "le juge", "T."; a word of a title then a full stop ends a
    sentence ("…la ministre. Le parquet")."""
    if key in TITLES:
        return not stop
    if not word[0].isupper():
        return False
    if key in _ABBREVIATED and (stop or key != "m"):
        return True
    return len(word) == 1 and bool(stop) and any(k[0] == key for k in part.beside)


def _opens_sentence(text: str, start: int) -> bool:
    """Whether a sentence or a line starts here (a line may be a heading, a list item, a cell:
    "Le" there is the article more often than a sentence wrapped before a name)."""
    i = start - 1
    while i >= 0 and text[i] in _OPENING:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END or text[i].isspace()


def _in_capitals(text: str, start: int, end: int) -> bool:
    """Whether the word is written in capitals beside a word in capitals ("LE RAPPORT")."""
    if not text[start:end].isupper():
        return False
    before = _WORD_BEFORE.search(text, max(0, start - _REACH), start)
    after = _WORD_AFTER.match(text, end)
    return any(
        m is not None and len(m.group(1)) > 1 and m.group(1).isupper() for m in (before, after)
    )

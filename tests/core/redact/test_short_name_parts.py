"""Two-letter parts of names (`shortnames`): found where they stand for the person, left where
they are words, and found alike by the gate, the marks, the screen and the self-check.

The class of failure: three readers of "what is a name part", each with its own rule (a part
needed three letters in `names`, and three in the self-check's own constant), so that a
change to one leaves the others behind; a two-letter surname was masked by none of them.
"""

from __future__ import annotations

import pytest

from dossier.redact.beside import addresses_beside, phones_beside
from dossier.redact.bundlecheck import Watchlist, needles
from dossier.redact.marks import Rules, text_spans
from dossier.redact.masking import TextMasker
from dossier.redact.names import name_parts
from dossier.redact.shortnames import ShortFinder, short_parts
from dossier.services.export.redactions import person_rules
from dossier.services.people.dto import ScreenMask
from dossier.text.model import PageText

PEOPLE = ("Wei Li", "Thi Lê", "Amadou Bâ", "Minh Le", "Jean Le Bras", "Anh Do", "Thu Ma")

BY_PLACE = "Le contrat, selon Le, est faux."
"""A surname that is a word, named by its place in a sentence only: the self-check cannot see
a sentence in a bundle's cells and tags, and does not look (`ShortFinder.find`)."""
NAMED = {
    "M. Li a confirmé le versement.": ["M. Li"],
    "LI EST PARTI HIER.": ["LI"],
    "Li’s office called.": ["Li"],
    "Le témoin principal reste Li\net il parlera.": ["Li"],
    "Selon Lê, rien n’est signé.": ["Lê"],
    "LÊ a signé.": ["LÊ"],
    "Mme Le a refusé de répondre.": ["Le"],
    "Bâ est venu, BA aussi, et Ba encore.": ["Bâ", "BA", "Ba"],
    "Minh Le a signé le contrat.": ["Minh Le"],
    BY_PLACE: ["Le"],
    "Le Bras a parlé hier.": ["Le", "Bras"],
    "Dr Do a opéré lundi.": ["Do"],
    "T. Ma a écrit.": ["T. Ma"],
    "Nguyen, LE, Minh.": ["LE", "Minh"],
}
"""Sentences and the words of them that name one of `PEOPLE` (masked with any initial)."""

WORDS = (
    "Le rapport est arrivé. Ma mère l’a lu. Do you know? On ne sait pas. Un homme est venu.",
    "Or le maire a dit : Le port ferme. As it happens. Do not enter.",
    "<ul><li>le li du texte</li></ul>",
    "LE RAPPORT DU MAIRE EST PUBLIÉ",
    "Le président du port. Lu et approuvé.",
    "« Le marché est signé », dit-il.\nLe lendemain, rien.",
)
"""Prose holding the parts that are words, none of them a name."""


def _masker() -> TextMasker:
    names = [(part, f"Source {i}") for i, p in enumerate(PEOPLE) for part in name_parts([p])]
    shorts = [(s, f"Source {i}") for i, p in enumerate(PEOPLE) for s in short_parts([p])]
    return TextMasker(names=names, short=shorts)


def _covered(spans: list[tuple[int, int]]) -> set[int]:
    return {i for start, end in spans for i in range(start, end)}


def test_two_letter_words_of_a_name_are_parts_and_particles_are_not() -> None:
    (li,) = short_parts(["Wei Li"])
    assert (li.written, li.key, li.ordinary, li.ends_a_name) == ("Li", "li", False, True)
    (le,) = short_parts(["Thi Lê", "Thi Le"])
    assert (le.written, le.accented, le.ordinary) == ("Lê", "lê", True)
    (particle,) = short_parts(["Jean Le Bras"])
    assert not particle.ends_a_name and {"jean", "bras"} <= particle.beside
    assert short_parts(["Anne-Marie de la Tour", "Paul du Pont"]) == []
    # A name of two letters alone is a short part, never a term masked wherever it occurs.
    assert name_parts(["Li"]) == [] and [p.key for p in short_parts(["Li"])] == ["li"]


@pytest.mark.parametrize("text", NAMED, ids=range(len(NAMED)))
def test_a_two_letter_part_standing_for_the_person_is_masked(text: str) -> None:
    masker = _masker()
    found = [text[start:end] for start, end, _ in masker.spans(text)]
    assert found == NAMED[text]


@pytest.mark.parametrize("text", WORDS, ids=range(len(WORDS)))
def test_a_two_letter_part_that_is_a_word_is_left_in_prose(text: str) -> None:
    assert _masker().mask(text) == text


@pytest.mark.parametrize("text", [*NAMED, *WORDS], ids=range(len(NAMED) + len(WORDS)))
def test_gate_marks_screen_and_self_check_agree(text: str) -> None:
    masker = _masker()
    gate = _covered([(s, e) for s, e, _ in masker.spans(text)])
    rules = Rules(terms=tuple(r for p in PEOPLE for r in person_rules(f"person:{p}", [p])))
    marks = _covered([(s, e) for _, s, e in text_spans(PageText(0, text), rules)])
    assert marks == gate
    screen = ScreenMask(
        "case",
        False,
        {},
        parts=tuple(_pairs()),
        shorts=tuple((s, f"Source {i}") for i, p in enumerate(PEOPLE) for s in short_parts([p])),
    )
    assert _covered(screen.spans(text)) == gate
    check = needles(Watchlist(people=[(p, [p]) for p in PEOPLE]), lambda doc: [])
    assert bool(check.search(text)) == (bool(gate) and text != BY_PLACE)
    assert check.search(masker.mask(text)) == []


def _pairs() -> list[tuple[str, str]]:
    return [(part, f"Source {i}") for i, p in enumerate(PEOPLE) for part in name_parts([p])]


def test_an_address_beside_a_two_letter_name_is_the_persons() -> None:
    finder = ShortFinder((s, name) for name in ("Wei Li", "Minh Le") for s in short_parts([name]))
    text = "From: Li <w.l@exemple.org>\nTo: Le maire <maire@ville.fr>\nCc: li <x@y.org>"
    assert addresses_beside(text, {}, finder) == {"w.l@exemple.org": "Wei Li"}
    assert phones_beside("Li, tél. 06 12 34 56 78", {}, finder) != {}


def test_a_name_of_two_letters_in_a_script_without_capitals_is_masked_as_before() -> None:
    # Devanagari "राम" has two letters (its vowel signs are marks): no capital tells the name
    # from a word, so it stays a full form masked wherever it occurs, as it was.
    assert short_parts(["राम"]) == [] and name_parts(["राम"]) == ["राम"]
    assert TextMasker(names=[("राम", "Source A")]).mask("राम ने कहा") == "Source A ने कहा"
    # Letters set in mathematical bold are read as the Latin ones, as `fold` reads them.
    assert [s for s, _e, _p in _finder().find("𝐋𝐢 a dit")] == [0]


def _finder() -> ShortFinder[str]:
    return ShortFinder((s, p) for p in PEOPLE for s in short_parts([p]))

"""No letter standing for a protected person is left beside the mask, whatever separates it
from the name and on whichever side it stands.

Found by attack: 'P.' at the end of a line and 'Léonard' at the start of the next (a PDF's
text, a letter's address block) came out as 'P' beside the pseudonym (the mask began at the
full stop); a French narrow no-break space, 'P.M. Léonard', and the initial written after
the name ('LÉONARD P.', 'Léonard, P. (2021)', 'Patrick L.') kept their letters. The exported
PDF's case is in tests/core/export/test_name_initials.py.
"""

from __future__ import annotations

from dossier.redact.initials import with_initials
from dossier.redact.masking import TextMasker

NAMES = [("Patrick", "Source A"), ("Léonard", "Source A")]

MASKED = {
    # Before the name, any space between.
    "Selon P.\nLéonard, oui": "Selon Source A, oui",
    "Selon P.\r\nLéonard, oui": "Selon Source A, oui",
    "Selon P.\u202fLéonard, oui": "Selon Source A, oui",
    "Selon P.\u2009Léonard, oui": "Selon Source A, oui",
    "Selon P.\u200bLéonard, oui": "Selon Source A, oui",
    "Selon J.-\nP. Léonard, oui": "Selon Source A, oui",
    "Selon P.M. Léonard, oui": "Selon Source A, oui",
    "Selon Ж. Léonard, oui": "Selon Source A, oui",
    # After the name: lists, citations, a first name and the surname's initial.
    "LÉONARD P. a signé": "Source A a signé",
    "LÉONARD P.\nDUPONT J.": "Source A\nDUPONT J.",
    "Léonard, P. (2021)": "Source A (2021)",
    "Léonard (P.) a signé": "Source A a signé",
    "Léonard J.-P., témoin": "Source A, témoin",
    "Patrick L. a signé": "Source A a signé",
    "Patrick\nL.": "Source A",
}

KEPT = {
    # Words, lower-case letters, a new sentence: not initials.
    "Le maire Léonard arrive.": "Le maire Source A arrive.",
    "UN Léonard": "UN Source A",  # an acronym, as 'PM Léonard' may be
    "a Léonard": "a Source A",
    "Léonard Pierre": "Source A Pierre",
    "Léonard a signé": "Source A a signé",
    "Léonard. Puis il part": "Source A. Puis il part",
    "Léonard. P. Martin vient": "Source A. P. Martin vient",
    "Léonard, Pierre": "Source A, Pierre",
}


def test_no_initial_is_left_beside_the_mask() -> None:
    masker = TextMasker(names=NAMES)
    for text, masked in {**MASKED, **KEPT}.items():
        assert masker.mask(text) == masked, text


def test_the_span_of_a_name_is_its_initials_on_both_sides() -> None:
    text = "vu par LÉONARD P.\nensuite"
    start = text.index("LÉONARD")
    assert with_initials(text, start, start + 7) == (start, text.index("\nensuite"))

"""Finding what to redact in text: folding, term boundaries, patterns and their checksums."""

from __future__ import annotations

import pytest

from dossier.redact.masking import REDACTED, TextMasker
from dossier.redact.patterns import find_pattern, iban_valid, nir_valid
from dossier.text.fold import contains_term, fold, fold_key


def found(kind: str, text: str) -> list[str]:
    return [text[s:e] for s, e in find_pattern(kind, text)]


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Le témoin DUPONT a parlé.", "dupont"),
        ("l’aﬀaire Moreau", "affaire"),  # ff ligature code point
        ("une aﬀaire", "AFFAIRE"),
        ("Jean-Baptiste était là", "Jean Baptiste"),
        ("Jean Baptiste était là", "Jean-Baptiste"),
        ("Élodie", "elodie"),
        ("le circumven-\ntion act", "circumvention"),  # line-end hyphenation
        ("knowl\u00ad\nedge", "knowledge"),  # soft hyphen at a line end
        ("pseudo\u00adAvicenne", "pseudoavicenne"),
        ("Marie\nCurie", "Marie Curie"),  # across a line break
        ("cœur", "coeur"),
    ],
)
def test_terms_match_whatever_the_typography(text: str, term: str) -> None:
    assert contains_term(text, term)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("la politique locale", "Ali"),  # inside a word
        ("Dupontel joue", "Dupont"),  # a longer word
        ("Curie", "Marie Curie"),
    ],
)
def test_terms_never_match_inside_other_words(text: str, term: str) -> None:
    assert not contains_term(text, term)


def test_folded_offsets_point_back_into_the_original() -> None:
    text = "Voir l’aﬀaire\nDu-\npont."
    folded = fold(text)
    ((k0, k1),) = folded.find_all(fold_key("Dupont"))
    start, end = folded.span(k0, k1)
    assert text[start:end] == "Du-\npont"
    ((k0, k1),) = folded.find_all(fold_key("affaire"))
    start, end = folded.span(k0, k1)
    assert text[start:end] == "aﬀaire"


def test_emails_even_when_cut_by_a_line_break() -> None:
    text = "Écrire à jean.dupont@\nexemple.fr ou à marie-curie@labo.example.org."
    assert found("email", text) == ["jean.dupont@\nexemple.fr", "marie-curie@labo.example.org"]


@pytest.mark.parametrize(
    "number",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "0612345678",
        "01-23-45-67-89",
        "+33 6 12 34 56 78",
        "+33 (0)1 23 45 67 89",
        "0033 1 23 45 67 89",
        "+44 20 7946 0958",
        "+1 (555) 123-4567",
        "06 12 34\n56 78",
    ],
)
def test_phone_numbers_french_and_international(number: str) -> None:
    assert found("phone", f"Tél. {number}, merci.") == [number]


@pytest.mark.parametrize("text", ["en 2023 et 2024", "1 200 000 euros", "page 12 34", "+3 12"])
def test_ordinary_numbers_are_not_phones(text: str) -> None:
    assert found("phone", text) == []


def test_iban_needs_a_valid_checksum() -> None:
    assert iban_valid("FR76 3000 6000 0112 3456 7890 189")
    assert iban_valid("GB82WEST12345698765432")
    assert not iban_valid("FR76 3000 6000 0112 3456 7890 188")
    text = "Virement FR76 3000 6000 0112 3456 7890 189 PARIS et FR76 3000 6000 0112 3456 7890 188."
    assert found("iban", text) == ["FR76 3000 6000 0112 3456 7890 189"]


def test_nir_needs_its_key_corsica_included() -> None:
    assert nir_valid("1 85 05 78 006 084 91")
    assert not nir_valid("1 85 05 78 006 084 92")
    assert nir_valid("2 69 05 2A 123 456 88")
    text = "NIR 1 85 05 78 006 084 91, faux 1 85 05 78 006 084 92, corse 269052A12345688."
    assert found("nir", text) == ["1 85 05 78 006 084 91", "269052A12345688"]


def test_licence_plates_new_and_old() -> None:
    text = "Voitures AB-123-CD, EF 456 GH, 123 ABC 75 et 1234 AB 2A; renvoi 12 A 34."
    assert found("plate", text) == ["AB-123-CD", "EF 456 GH", "123 ABC 75", "1234 AB 2A"]


def test_masker_uses_pseudonyms_and_hides_terms_and_patterns() -> None:
    masker = TextMasker(
        names=[("Marie Curie", "Source A"), ("La Chimiste", "Source A")],
        terms=["polonium"],
        patterns=["email"],
    )
    text = "MARIE CURIE, « la chimiste », a trouvé le Polonium : m.curie@\nradium.fr."
    assert masker(text) == f"Source A, « Source A », a trouvé le {REDACTED} : {REDACTED}."
    assert masker("Rien à masquer.") == "Rien à masquer."

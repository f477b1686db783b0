"""A changed verb is a misquote even where it sits like a noun: after a French object pronoun
(le, la, les, leur: "je le confirme", "il ne les accuse pas", "le maire les accuse") or after an
English subject that an article opens ("the minister signed the decree"). So is a changed
adjective ("the red car" / "the blue car"). Only its names, numbers and nouns make a quote
another sentence (not found), in English even where the noun is a French word ("car", "son");
a number written in words counts as a number ("trois" / "quatre"), and so does a month or a day
("en mars" / "en avril", "lundi" / "mardi")."""

from __future__ import annotations

import pytest

from dossier.anchor import anchor_quote
from dossier.text.model import PageText

_AROUND = {
    "fr": "Le conseil municipal s'est réuni jeudi soir pour examiner le budget de la ville. ",
    "en": "The city council met on Thursday evening to review the annual budget of the town. ",
}

CHANGED_VERBS = [
    ("fr", "Je le confirme devant la commission.", "Je le reconnais devant la commission."),
    ("fr", "Il ne les accuse pas de négligence.", "Il ne les soupçonne pas de négligence."),
    (
        "fr",
        "Elle leur donne raison sur toute la ligne.",
        "Elle leur accorde raison sur toute la ligne.",
    ),
    ("fr", "Il la regarde partir sans dire un mot.", "Il la voit partir sans dire un mot."),
    # A noun subject before the pronoun, as a subject pronoun before it.
    ("fr", "Le maire les accuse de négligence grave.", "Le maire les dénonce de négligence grave."),
    (
        "fr",
        "La ministre la soutient depuis des années.",
        "La ministre la défend depuis des années.",
    ),
    (
        "fr",
        "Le juge leur donne raison sur toute la ligne.",
        "Le juge leur accorde raison sur toute la ligne.",
    ),
    (
        "fr",
        "Selon nos sources, le préfet ne les reçoit jamais.",
        "Selon nos sources, le préfet ne les écoute jamais.",
    ),
    (
        "en",
        "The minister signed the decree without his cabinet.",
        "The minister approved the decree without his cabinet.",
    ),
    (
        "en",
        "Our lawyers reviewed the contract and found nothing.",
        "Our lawyers checked the contract and found nothing.",
    ),
    (
        "en",
        "The board approved the merger after a long debate.",
        "The board rejected the merger after a long debate.",
    ),
    (
        "en",
        "His lawyers dispute the ruling of the court.",
        "His lawyers contest the ruling of the court.",
    ),
]

SWAPPED_NOUNS = [
    ("fr", "Le maire les accuse de négligence grave.", "Le préfet les accuse de négligence grave."),
    (
        "fr",
        "Il a signé le décret sans consulter son cabinet.",
        "Il a signé le contrat sans consulter son cabinet.",
    ),
    (
        "en",
        "The minister signed the decree without his cabinet.",
        "The minister signed the contract without his cabinet.",
    ),
    (
        "en",
        "The minister signed the decree without his cabinet.",
        "The secretary signed the decree without his cabinet.",
    ),
]


PARTICIPLES = [
    (
        "en",
        "An internal memo seen by this newspaper shows the delay.",
        "An internal memo obtained by this newspaper shows the delay.",
    ),
    (
        "en",
        "The decree signed by the minister was published.",
        "The decree approved by the minister was published.",
    ),
]

CHANGED_ADJECTIVES = [
    (
        "en",
        "Witnesses saw the red car leave the scene.",
        "Witnesses saw the blue car leave the scene.",
    ),
    ("en", "They found the red car near the bridge.", "They found the blue car near the bridge."),
    (
        "en",
        "He called it a serious error in the report.",
        "He called it a grave error in the report.",
    ),
    (
        "fr",
        "Il dénonce une erreur grave dans le rapport.",
        "Il dénonce une erreur sérieuse dans le rapport.",
    ),
]

ENGLISH_NOUNS = [
    ("en", "They found the red car near the bridge.", "They found the red van near the bridge."),
    ("en", "They found the red van near the bridge.", "They found the red car near the bridge."),
    (
        "en",
        "Witnesses saw the red car leave the scene.",
        "Witnesses saw the red truck leave the scene.",
    ),
    (
        "en",
        "He called it a serious error in the report.",
        "He called it a serious mistake in the report.",
    ),
    ("en", "It was a serious error.", "It was a serious mistake."),
    (
        "en",
        "She met the son of the mayor last week.",
        "She met the daughter of the mayor last week.",
    ),
    ("en", "The red car was found near the bridge.", "The red van was found near the bridge."),
]


NUMBERS_AND_DATES = [
    ("fr", "Nous avons reçu trois plaintes en mars.", "Nous avons reçu quatre plaintes en mars."),
    ("en", "We received three complaints in March.", "We received four complaints in March."),
    ("en", "The company paid twelve million dollars.", "The company paid twenty million dollars."),
    (
        "fr",
        "La société a versé douze millions d'euros.",
        "La société a versé vingt millions d'euros.",
    ),
    (
        "fr",
        "Nous avons reçu trois plaintes en mars.",
        "Nous avons reçu plusieurs plaintes en mars.",
    ),
    ("fr", "Nous avons reçu trois plaintes en mars.", "Nous avons reçu trois plaintes en avril."),
    ("fr", "La réunion a eu lieu lundi à la mairie.", "La réunion a eu lieu mardi à la mairie."),
    ("en", "The meeting was held on tuesday at noon.", "The meeting was held on friday at noon."),
    (
        "en",
        "The report was published by the ministry of health.",
        "The report was published by the ministry of finance.",
    ),
]

SAME_NUMBER = [
    ("fr", "Nous avons reçu trois plaintes en mars.", "Nous avons reçu 3 plaintes en mars."),
    ("en", "We received 12 complaints in March.", "We received twelve complaints in March."),
]


def _verdict(lang: str, source: str, quote: str) -> str:
    text = _AROUND[lang] * 3 + source + " " + _AROUND[lang] * 3
    return anchor_quote(quote, [PageText(index=0, text=text)]).verdict


@pytest.mark.parametrize(("lang", "source", "quote"), CHANGED_VERBS + PARTICIPLES)
def test_a_changed_verb_is_a_misquote(lang: str, source: str, quote: str) -> None:
    assert _verdict(lang, source, quote) == "altered"


@pytest.mark.parametrize(("lang", "source", "quote"), CHANGED_ADJECTIVES)
def test_a_changed_adjective_is_a_misquote(lang: str, source: str, quote: str) -> None:
    assert _verdict(lang, source, quote) == "altered"


@pytest.mark.parametrize(
    ("lang", "source", "quote"), SWAPPED_NOUNS + ENGLISH_NOUNS + NUMBERS_AND_DATES
)
def test_a_swapped_noun_is_still_another_sentence(lang: str, source: str, quote: str) -> None:
    assert _verdict(lang, source, quote) == "not_found"


@pytest.mark.parametrize(("lang", "source", "quote"), SAME_NUMBER)
def test_a_number_in_figures_or_in_words_is_the_same_number(
    lang: str, source: str, quote: str
) -> None:
    assert _verdict(lang, source, quote) == "altered"

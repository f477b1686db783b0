"""Content words: the names, numbers and nouns that make a sentence say what it says.

A quote whose content word was replaced by another is another sentence; one whose other words
changed (an adverb, a verb, a dropped article) is a misquote. No tagger is needed to tell them
apart well enough: numbers have digits or are number words ("trois", "twelve"), months and
days date what is said, names are capitalised past the first word, and a noun follows an
article or a possessive ("la commission", "their counsel") or, in English, "of" ("the ministry
of health"). Words compared here are
folded keys (dossier.text.fold), so the lists are written without accents.
"""

from __future__ import annotations

from collections.abc import Sequence

_FRENCH_ARTICLES = frozenset(
    """
    le la les l un une des du au aux ce cet cette ces son sa ses leur leurs mon ma mes ton ta
    tes notre nos votre vos chaque
    """.split()
)
_ENGLISH_ARTICLES = frozenset(
    "the an this these those his her its their our my your each every another".split()
)
_FRENCH_ONLY = frozenset(
    """
    le la les et est sont dans pour pas que qui ne sur avec il elle ils elles nous vous ont
    avait etait ete etre une des du au aux
    """.split()
)
_ENGLISH_ONLY = frozenset(
    """
    the and of to is are was were in for that with on it by be from at or not which have has
    had but they their been would will shall can could should we you he she
    """.split()
)
FUNCTION_WORDS = (
    _FRENCH_ARTICLES
    | _ENGLISH_ARTICLES
    | _FRENCH_ONLY
    | _ENGLISH_ONLY
    | frozenset(
        """
        a de d en y ou mais donc or ni car si se s qu que quand comme tout tous toute toutes
        plus moins tres aussi meme dont ou par sans sous entre vers chez lui leur eux on
        as an if so than then there here what when where who whom whose why how all any some
        no nor only own same such too very can just into about over after before under again
        may might must other without within during against among through across behind
        beyond since until upon despite toward towards onto because while although though
        whether
        """.split()
    )
)
"""French and English function words: never content words, whatever precedes them."""


def reads_english(tokens: Sequence[str]) -> bool:
    """Whether a quote reads English rather than French (it decides what "a" is: an article in
    English, a verb in French, "il a signé")."""
    english = sum(token in _ENGLISH_ONLY for token in tokens)
    return english > sum(token in _FRENCH_ONLY for token in tokens)


_FRENCH_NUMBERS = (
    "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize".split()
)
_ENGLISH_NUMBERS = (
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_NUMBER_VALUES = {
    **{word: value for value, word in enumerate(_FRENCH_NUMBERS, start=2)},
    **{word: value for value, word in enumerate(_ENGLISH_NUMBERS, start=2)},
    **dict(zip("vingt trente quarante cinquante soixante".split(), range(20, 70, 10), strict=True)),
    **dict(
        zip(
            "twenty thirty forty fifty sixty seventy eighty ninety".split(),
            range(20, 100, 10),
            strict=True,
        )
    ),
    **dict.fromkeys(("cent", "cents", "hundred"), 100),
    **dict.fromkeys(("mille", "thousand"), 10**3),
    **dict.fromkeys(("million", "millions"), 10**6),
    **dict.fromkeys(("milliard", "milliards", "billion", "billions"), 10**9),
}
"""Numbers written as one word ("un", "one" and "a" are articles too: not counted)."""
_NUMBER_WORDS = frozenset(_NUMBER_VALUES)
DATE_WORDS = frozenset(
    """
    janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
    lundi mardi mercredi jeudi vendredi samedi dimanche
    january february april june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    """.split()
)
"""Months and days, which date what a sentence says ("may" and "march" are English verbs too)."""


def is_number(word: str) -> bool:
    return any(char.isdigit() for char in word)


def number_value(key: str) -> int | None:
    """The value of a folded word that is a number in figures or in one word, else None."""
    if key.isdigit():
        return int(key)
    return _NUMBER_VALUES.get(key)


def is_date_word(key: str) -> bool:
    return key in DATE_WORDS


def _counts(token: str) -> bool:
    """A number before a noun ("14 arrêtés", "quatorze arrêtés")."""
    return is_number(token) or token in _NUMBER_WORDS


def is_name(word: str, *, first: bool) -> bool:
    """Capitalised and not the quote's first word (which any sentence capitalises)."""
    return not first and word[:1].isupper()


_PASSED = frozenset("same other such own only all any some no more most".split())
"""Function words that sit between an English article and its noun ("the same instrument")."""
MODIFIERS = 2
"""Adjectives or noun modifiers allowed between an English article and its noun."""


_FRENCH_CLITICS = frozenset("le la les leur".split())
"""Articles that are also object pronouns before a verb ("je le confirme", "il leur donne")."""
_FRENCH_SUBJECTS = frozenset(
    "je j tu il elle on nous vous ils elles ne n me m te t se s qui".split()
)


def _french_object_pronoun(tokens: Sequence[str], i: int, *, clause_starts: bool) -> bool:
    """Whether token `i - 1` is an object pronoun, so token `i` a verb: a subject pronoun or a
    negation sits before it ("je le confirme", "ne les accuse"), or a noun subject its article
    opens ("le maire les accuse"), unless a punctuation mark ends a phrase between that noun and
    the pronoun (`clause_starts`: "la ville. Les habitants")."""
    if i < 2 or tokens[i - 1] not in _FRENCH_CLITICS:
        return False
    if tokens[i - 2] in _FRENCH_SUBJECTS:
        return True
    return (
        not clause_starts
        and i >= 3
        and tokens[i - 3] in _FRENCH_ARTICLES
        and tokens[i - 2].isalpha()
        and tokens[i - 2] not in FUNCTION_WORDS
    )


def _english_determiner(token: str) -> bool:
    return token in _ENGLISH_ARTICLES or token == "a"


_ENGLISH_NOUNS = frozenset("car son ton plus pas".split())
"""French function words that are English nouns ("the red car", "the son of the mayor")."""
_ENGLISH_FUNCTION_WORDS = FUNCTION_WORDS - _ENGLISH_NOUNS


def is_noun(
    tokens: Sequence[str],
    i: int,
    *,
    english: bool,
    phrase_ends: bool = False,
    clause_starts: bool = False,
) -> bool:
    """Whether token `i` is a noun: in French the word right after an article or a possessive
    ("la commission"), unless that article is an object pronoun (`_french_object_pronoun`); in
    English the last word of what follows one ("an emergency grant": grant, not emergency,
    which is an adjective; adjectives, like verbs, are misquotes), which a function word or a
    punctuation mark (`phrase_ends`) follows. `clause_starts`: a punctuation mark sits between
    tokens `i - 2` and `i - 1`."""
    token = tokens[i]
    function_words = _ENGLISH_FUNCTION_WORDS if english else FUNCTION_WORDS
    if len(token) < 3 or not token.isalpha() or token in function_words:
        return False
    if not english:
        return (
            i > 0
            and (tokens[i - 1] in _FRENCH_ARTICLES | _ENGLISH_ARTICLES or _counts(tokens[i - 1]))
            and not _french_object_pronoun(tokens, i, clause_starts=clause_starts)
        )
    # A word an article follows is a verb, the words before it its subject ("the minister
    # signed the decree"): the subject ends before it.
    verb_next = i + 2 < len(tokens) and _english_determiner(tokens[i + 2])
    if (
        not phrase_ends
        and not verb_next
        and i + 1 < len(tokens)
        and tokens[i + 1] not in function_words
    ):
        return False  # a modifier of the word after it
    if i + 1 < len(tokens) and tokens[i + 1] == "by" and token.endswith(("ed", "en")):
        return False  # a past participle: "a memo seen by", "the decree signed by"
    if i > 0 and tokens[i - 1] == "of" and not token.endswith("ing"):
        return True  # "the ministry of health" (not a verb: "accused of lying")
    for j in range(i - 1, max(-1, i - 2 - MODIFIERS), -1):
        if _english_determiner(tokens[j]) or _counts(tokens[j]):
            # Words between the article and this one, and an article after it in the same
            # phrase: the subject and its verb, not a noun.
            return (
                j == i - 1
                or phrase_ends
                or i + 1 >= len(tokens)
                or not _english_determiner(tokens[i + 1])
            )
        if tokens[j] in _PASSED:
            continue
        if tokens[j] in function_words or not tokens[j].isalpha():
            return False
    return False

"""Words written several ways: compounds, grouped numbers and dates find each other.

A reporter types `email` for a page that says `e-mail`, `1000000` for `1 000 000`, `20/11/2023`
for `20 novembre 2023`. At index time each such group of words also gets one joined term, at
the position of its first word (so phrases through it still match): `e-mail` gives `e`, `mail`
and `email`; `1 000 000` gives `1000000`; any written date (`20th November 2023`, `11/20/2023`
too) gives `20231120`; a number times a scale word gets its value (`un million`, `2,5
millions`: `1000000`, `2500000`), and so does an amount with its scale abbreviated before or
after its currency (`2,5 M€`, `40 k€`, `1,2 Md€`, `€3.5m`, `$1.2bn`); a currency sign or code
is indexed as its word (`€`, `EUR`: `euros`; `$`, `USD`: `dollars`); a capitalised word or an
initial before a capitalised word is also indexed as its initial (`Pierre Léonard`: `p.` at
`pierre`). At search time the typed forms are rewritten the
same way (`rewrite_query`): a typed compound looks for its parts as a phrase or its joined
form, a typed number or date for its joined form; an initial (`P. Léonard`) is looked for as
that phrase (`p. leonard`) or the name alone, the phrase ranking first, and a typed first
name and name (`Pierre Léonard`) also as the initial and name (`"P Léonard"`); a name's
particle (`de Villepin`, `van Gogh`) or an elided article (`d’euros`, `l’enquête`) is dropped
rather than required as a word: "Villepin" alone is how a page may name him.

The index value of the `exact` field is made here: folded words separated by spaces, each word
followed by its joined alternatives after a `|` (`FoldingAnalyzer` reads it back at index time).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from dossier.search.analysis import fold, folded_words
from dossier.text.fold import WORD

ALTERNATIVE = "|"

_HYPHENS = "\\-\u2010\u2011"
_COMPOUND = re.compile(rf"(?<![\w{_HYPHENS}])\w+(?:[{_HYPHENS}]\w+)+(?![\w{_HYPHENS}])")
_HYPHEN = re.compile(rf"[{_HYPHENS}](?<=\w.)(?=\w)")
"""The hyphen first: a pattern that starts with a look-behind is tried at every character."""
_WORD_BEFORE = re.compile(r"\w+$")
# The first digit first, what may not stand before it looked at behind it: a pattern that
# starts with a look-behind is tried at every character, one that starts with a digit only at
# digits (a page's grouped numbers and years were looked for in 38 µs, now 11).
_GROUPED_NUMBER = re.compile(
    r"\d(?<!\d\d)(?<!\d[ \u00a0\u202f.,]\d)\d{0,2}(?:[ \u00a0\u202f.,]\d{3})+(?!\d)"
)
_MONTHS = {
    **dict.fromkeys(("janvier", "january", "jan", "janv"), 1),
    **dict.fromkeys(("fevrier", "february", "feb", "fev", "fevr"), 2),
    **dict.fromkeys(("mars", "march", "mar"), 3),
    **dict.fromkeys(("avril", "april", "apr", "avr"), 4),
    **dict.fromkeys(("mai", "may"), 5),
    **dict.fromkeys(("juin", "june", "jun"), 6),
    **dict.fromkeys(("juillet", "july", "jul", "juil"), 7),
    **dict.fromkeys(("aout", "august", "aug"), 8),
    **dict.fromkeys(("septembre", "september", "sep", "sept"), 9),
    **dict.fromkeys(("octobre", "october", "oct"), 10),
    **dict.fromkeys(("novembre", "november", "nov"), 11),
    **dict.fromkeys(("decembre", "december", "dec"), 12),
}
_ACCENTED_MONTHS = ("février", "févr", "août", "décembre", "déc", "fév")
_MONTH_WORD = (
    "(?i:" + "|".join(sorted({*_MONTHS, *_ACCENTED_MONTHS}, key=len, reverse=True)) + r")\.?"
)
"""Month names and their usual abbreviations, French and English (a word that is no month
must not start a date: matching any word made this the costliest pattern)."""
_ORDINAL = r"(?:er|re|st|nd|rd|th)?"
_DATES = (
    # 20 novembre 2023, 1er mai 2024, 20 Nov. 2023, 20th November 2023
    (re.compile(rf"\b(\d{{1,2}}){_ORDINAL}\s+({_MONTH_WORD})\s+(\d{{4}})\b"), "dmy"),
    # November 20, 2023, May 1st 2024
    (re.compile(rf"\b({_MONTH_WORD})\s+(\d{{1,2}}){_ORDINAL},?\s+(\d{{4}})\b"), "mdy"),
    # 20/11/2023, 20.11.2023, 20-11-2023 (11/20/2023 too: no month is 20)
    (re.compile(r"\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4})\b"), "dmy"),
    # 2023-11-20, 2023/11/20
    (re.compile(r"\b(\d{4})([/.-])(\d{1,2})\2(\d{1,2})\b"), "ymd"),
)
_TYPED_COMPOUND = re.compile(rf"(?<![\w{_HYPHENS}*?~])\w+(?:[{_HYPHENS}]\w+)+(?![\w{_HYPHENS}*?~])")
"""A compound as typed: not part of a prefix, wildcard or fuzzy term."""
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"\d(?<!\d\d)\d{3}(?!\d)")
"""Four digits alone (the first digit first, as `_GROUPED_NUMBER`)."""
_DATE_REACH = 24
"""Characters around a year where the rest of its date may be ("20 septembre 2023")."""
_NUMBER_WORDS = {
    **dict.fromkeys(("un", "une", "one", "a"), 1),
    **dict.fromkeys(("deux", "two"), 2),
    **dict.fromkeys(("trois", "three"), 3),
    **dict.fromkeys(("quatre", "four"), 4),
    **dict.fromkeys(("cinq", "five"), 5),
    **dict.fromkeys(("six",), 6),
    **dict.fromkeys(("sept", "seven"), 7),
    **dict.fromkeys(("huit", "eight"), 8),
    **dict.fromkeys(("neuf", "nine"), 9),
    **dict.fromkeys(("dix", "ten"), 10),
    **dict.fromkeys(("cent", "cents", "hundred"), 100),
}
_SCALES = {
    **dict.fromkeys(("mille", "thousand"), 10**3),
    **dict.fromkeys(("million", "millions"), 10**6),
    # A French "billion" is 10^12, but French writes "milliard": "billion" is the English one.
    **dict.fromkeys(("milliard", "milliards", "billion", "billions"), 10**9),
}
_SCALED = re.compile(
    r"(?i)(?<![\w.,])(\d+(?:[.,]\d+)?|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")[ \u00a0\u202f]+("
    + "|".join(sorted(_SCALES, key=len, reverse=True))
    + r")\b"
)
"""A number in words or figures times a scale word: "un million", "2,5 milliards", "ten
thousand". Its value is a joined form ("1000000"), so it finds "1 000 000" and back."""
SIGN_WORDS = (("€", "euros"), ("$", "dollars"), ("EUR", "euros"), ("USD", "dollars"))
"""Signs and currency codes indexed as the word a reporter types: "1 000 000 €" and "75 000
EUR" are found by "euros". A code is one as a whole word only ("EUROPE" holds no euro)."""
_CODES = {
    sign: re.compile(rf"(?<![^\W\d_]){sign}(?![^\W\d_])")
    for sign, _word in SIGN_WORDS
    if sign.isalpha()
}
_SCALE_LETTERS = {
    **dict.fromkeys(("k", "K"), 10**3),
    **dict.fromkeys(("M", "m", "Mn", "mn"), 10**6),
    **dict.fromkeys(("Md", "Mds", "Mrd", "Mrds", "bn"), 10**9),
}
_LETTER = "|".join(sorted(_SCALE_LETTERS, key=len, reverse=True))
_MONEY = r"(?:€|\$|(?<![^\W\d_])(?:EUR|USD|euros|dollars)(?![^\W\d_]))"
_ABBREVIATED = re.compile(
    rf"(?<![\w.,])(\d+(?:[.,]\d+)?)[ \u00a0\u202f]?({_LETTER})[ \u00a0\u202f]*({_MONEY})"
    rf"|({_MONEY})[ \u00a0\u202f]*(\d+(?:[.,]\d+)?)[ \u00a0\u202f]?({_LETTER})(?![^\W_])"
)
"""An amount whose scale is a letter beside its currency, in a text or after
`with_words_for_signs`: "2,5 M€", "40 k€", "1,2 Md€" (French), "€3.5m", "$1.2bn" (English). A
scale letter without a currency is no amount ("2,5 m de haut")."""
_MONEY_HINTS = ("€", "$", "EUR", "USD", "euros", "dollars")
_ELIDED = re.compile(r"(?i)(?<![\w'’‘ʼ])(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’‘ʼ](?=\w)")
"""An elided French article or pronoun as typed ("d’", "l'", "qu’"): not a word to require."""
_INITIALS = r"(?<![\w.-])(?:[^\W\d_]\.-?)*([^\W\d_])\.\s+"
"""Initials typed before a name ("P. Léonard", "J.-L. Mélenchon"); the last one is kept."""
_INITIAL = re.compile(_INITIALS + r"(?=[^\W\d_]{2})")
_INITIAL_AND_NAME = re.compile(_INITIALS + r"([^\W\d_]{2,})")
_PARTICLES = "de|du|des|van|von|der|den|da|di|del|della|dos|das|ten|ter"
_PARTICLE = re.compile(rf"(?<![\w'’‘ʼ-])(?:(?:{_PARTICLES})\s+)+(?=\w)")
"""A name's particle as typed, in lower case before a capitalised word ("de Villepin", "van
der Meer"): pages name people with and without it."""
_OPERATORS = {"AND", "OR", "NOT", "ET", "OU", "SAUF", "ANDMAYBE", "ANDNOT", "REQUIRE"}
_LOWER_OPERATORS = {word.lower() for word in _OPERATORS}
"""Words that are no operator in lower case but read as one joined to nothing ("et", "ou")."""
_UPPER = "A-ZÀ-ÖØ-Þ"
_NAMED = re.compile(
    rf"([{_UPPER}])(?<![\w'’].)[^\W\d_]*\.?[ \u00a0]+(?:({_PARTICLES})[ \u00a0]+)*"
    rf"(?=[{_UPPER}][^\W\d_]*[a-zß-öø-ÿ])"
)
"""A capitalised word or an initial before a capitalised word, maybe with particles between:
a first name before a name ("Pierre Léonard", "P. Léonard", "Dominique de Villepin"), indexed
also as its initial (`INITIAL_MARK`) at the word just before the name (the last particle if
any), as a typed "D. de Villepin" is looked for (its particle dropped)."""
_FIRST_NAME = re.compile(
    rf"(?<![\w.'’‘ʼ\"-])([{_UPPER}][^\W\d_]*[a-zß-öø-ÿ][^\W\d_]*)\s+"
    rf"([{_UPPER}][^\W\d_]*[a-zß-öø-ÿ][^\W\d_]*)(?![\w.'’‘ʼ\"*?~-])"
)
"""Two capitalised words typed one after the other: a first name and a name."""
INITIAL_MARK = "."
"""Follows the letter of an initial's term ("p."), which no word of a text folds to."""


def _month(word: str) -> int | None:
    return _MONTHS.get(fold(word.rstrip(".")))


def _date_key(groups: tuple[str, ...], order: str) -> str | None:
    # Numeric dates carry their separator as a group, between the month and the day.
    parts = [g for g in groups if g not in ("/", ".", "-")]
    if order == "dmy":
        day, month_text, year = parts
    elif order == "mdy":
        month_text, day, year = parts
    else:
        year, month_text, day = parts
    if order == "dmy" and month_text.isdigit() and int(month_text) > 12 and int(day) <= 12:
        day, month_text = month_text, day  # written month first, as in the United States
    month = int(month_text) if month_text.isdigit() else _month(month_text)
    if month is None or not 1 <= month <= 12 or not 1 <= int(day) <= 31:
        return None
    return f"{int(year):04d}{month:02d}{int(day):02d}"


def _scaled_value(number: str, scale: str) -> str | None:
    """The digits of `number` (figures or a word) times `scale`, or None if not a whole number."""
    word = number.casefold()
    if word in _NUMBER_WORDS:
        value = Decimal(_NUMBER_WORDS[word])
    else:
        try:
            value = Decimal(number.replace(",", "."))
        except InvalidOperation:
            return None
    factor = _SCALE_LETTERS[scale] if scale in _SCALE_LETTERS else _SCALES[scale.casefold()]
    total = value * factor
    if total != total.to_integral_value():
        return None
    return str(int(total))


def _abbreviated(match: re.Match[str]) -> tuple[str, str, str | None]:
    """(currency as written, how it stands in the match, value) of an `_ABBREVIATED` match:
    "before" ("€3.5m") or "after" ("2,5 M€")."""
    if match.group(3) is not None:
        return match.group(3), "after", _scaled_value(match.group(1), match.group(2))
    return match.group(4), "before", _scaled_value(match.group(5), match.group(6))


def with_words_for_signs(text: str) -> str:
    """`text` with currency signs and codes written as the words they stand for."""
    for sign, word in SIGN_WORDS:
        if sign in text:
            code = _CODES.get(sign)
            text = code.sub(f" {word} ", text) if code else text.replace(sign, f" {word} ")
    return text


def currency_marks(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of every currency sign or code of `text`, with the word it stands for."""
    found: list[tuple[int, int, str]] = []
    for sign, word in SIGN_WORDS:
        if sign in text:
            code = _CODES.get(sign) or re.compile(re.escape(sign))
            found += [(match.start(), match.end(), word) for match in code.finditer(text)]
    return found


def hyphens(text: str) -> Iterator[re.Match[str]]:
    """Every hyphen of `text` between two word characters."""
    return _HYPHEN.finditer(text)


def _compounds(text: str) -> Iterator[re.Match[str]]:
    """The compounds of `text`, looked for from its hyphens (trying the pattern at every word
    cost a tenth of a millisecond a page)."""
    done = 0
    for hyphen in hyphens(text):
        if hyphen.start() < done:
            continue  # inside the compound just found
        start = hyphen.start()
        while start > done and (text[start - 1].isalnum() or text[start - 1] == "_"):
            start -= 1
        match = _COMPOUND.match(text, start)
        if match is None:  # a word with a combining accent: let the pattern find its start
            before = _WORD_BEFORE.search(text, max(done, start - 80), hyphen.start())
            match = _COMPOUND.match(text, before.start()) if before else None
        if match is not None:
            done = match.end()
            yield match


def joined_forms(
    text: str, *, numbers: bool = True, initials: bool = True
) -> list[tuple[int, int, str]]:
    """(start, end, joined term) of every compound, grouped number and date of `text`, and
    (start, start + 1, initial term) of every first name or initial before a name; without
    `numbers` or `initials`, compounds only, or no initials."""
    found: list[tuple[int, int, str]] = []
    # Cheap tests first: most pages have no hyphen between words, many have no year.
    if any(hyphen in text for hyphen in "-\u2010\u2011"):
        for match in _compounds(text):
            if any(char.isalpha() for char in match.group()):
                joined = "".join(fold(part) for part in WORD.findall(match.group()))
                found.append((match.start(), match.end(), joined))
    if numbers and any(scale in text for scale in ("mill", "MILL", "Mill", "thousand", "billion")):
        for match in _SCALED.finditer(text):
            value = _scaled_value(match.group(1), match.group(2))
            if value is not None:
                found.append((match.start(), match.end(), value))
    if numbers and any(hint in text for hint in _MONEY_HINTS):
        for match in _ABBREVIATED.finditer(text):
            value = _abbreviated(match)[2]
            if value is not None:
                found.append((match.start(), match.end(), value))
    if initials:
        for match in _NAMED.finditer(text):
            at = match.start(2) if match.group(2) else match.start()
            found.append((at, at + 1, initial_term(match.group(1))))
    if not numbers or _DIGIT.search(text) is None:
        return found
    for match in _GROUPED_NUMBER.finditer(text):
        found.append((match.start(), match.end(), re.sub(r"\D", "", match.group())))
    # A date holds a year: look for dates only around four-digit numbers.
    seen: set[tuple[int, int]] = set()
    for year in _YEAR.finditer(text):
        lo, hi = max(0, year.start() - _DATE_REACH), min(len(text), year.end() + _DATE_REACH)
        for pattern, order in _DATES:
            for match in pattern.finditer(text, lo, hi):
                key = _date_key(match.groups(), order)
                where = (match.start(), match.end())
                if key is not None and where not in seen:
                    seen.add(where)
                    found.append((*where, key))
    return found


def initial_term(letter: str) -> str:
    """The term a first name or an initial starting with `letter` is also indexed as."""
    return fold(letter) + INITIAL_MARK


def exact_value(text: str) -> str:
    """The `exact` field's value for `text`: folded words, with joined forms as alternatives."""
    text = with_words_for_signs(text)
    joined = sorted(joined_forms(text))
    if not joined:  # most pages: the folded words alone, without tracking where they start
        return " ".join(folded_words(text))
    words: list[str] = []
    starts: list[int] = []
    for match in WORD.finditer(text):
        folded = fold(match.group())
        if folded:
            words.append(folded)
            starts.append(match.start())
    extra: dict[int, list[str]] = {}
    position = 0
    for start, _end, form in joined:
        while position < len(starts) and starts[position] < start:
            position += 1
        if position < len(words) and form and form != words[position]:
            extra.setdefault(position, []).append(form)
    return " ".join(
        ALTERNATIVE.join([word, *extra[number]]) if number in extra else word
        for number, word in enumerate(words)
    )


_TWO_WORDS = re.compile(r"\s*([^\W\d_A-ZÀ-ÖØ-Þ][^\W\d_]+)\s+([^\W\d_A-ZÀ-ÖØ-Þ][^\W\d_]+)\s*")
"""A search of two words in lower case ("vidéo surveillance"), which a page may write joined."""


def rewrite_query(text: str) -> str:
    """What the user typed, with dates, grouped numbers and compounds outside quotes made to
    find their other spellings, and initials dropped; two words typed alone also find the word
    they make joined ("vidéo surveillance": "vidéosurveillance")."""
    parts = re.split(r'("[^"]*"(?:~\d*)?)', text)
    rewritten = "".join(part if part.startswith('"') else _rewrite_words(part) for part in parts)
    two = _TWO_WORDS.fullmatch(text)
    if rewritten == text and two is not None and not set(two.groups()) & _LOWER_OPERATORS:
        first, second = two.groups()
        return f"(({first} {second}) OR {first}{second})"
    return rewritten


def _rewrite_words(text: str) -> str:
    text = _ELIDED.sub("", with_words_for_signs(text))
    text = _ABBREVIATED.sub(_typed_amount, text)
    text = _SCALED.sub(lambda m: _scaled_value(m.group(1), m.group(2)) or m.group(), text)
    for pattern, order in _DATES:

        def date(match: re.Match[str], order: str = order) -> str:
            return _date_key(match.groups(), order) or match.group()

        text = pattern.sub(date, text)
    text = _GROUPED_NUMBER.sub(lambda m: re.sub(r"\D", "", m.group()), text)

    def compound(match: re.Match[str]) -> str:
        written = match.group()
        if not any(char.isalpha() for char in written):
            return written
        joined = "".join(WORD.findall(written))
        return f'("{" ".join(WORD.findall(written))}" OR {joined})'

    text = _TYPED_COMPOUND.sub(compound, text)
    text = _FIRST_NAME.sub(_or_initial, _without_particles(text))
    return _INITIAL.sub("", text)


def _typed_amount(match: re.Match[str]) -> str:
    """ "2,5 M euros" typed is looked for as "2500000 euros"."""
    currency, where, value = _abbreviated(match)
    if value is None:
        return match.group()
    return f"{value} {currency}" if where == "after" else f"{currency} {value}"


def _or_initial(match: re.Match[str]) -> str:
    """ "Pierre Léonard" typed also finds "P. Léonard" (a page's initial is the word "p")."""
    first, name = match.group(1), match.group(2)
    if first in _OPERATORS or name in _OPERATORS:
        return match.group()
    return f'(({first} {name}) OR "{first[0]} {name}")'


def _without_particles(text: str) -> str:
    def drop(match: re.Match[str]) -> str:
        name = text[match.end() :].split(maxsplit=1)[0]
        return "" if name[0].isupper() and name not in _OPERATORS else match.group()

    return _PARTICLE.sub(drop, text)


def typed_initials(text: str) -> list[tuple[str, str]]:
    """(folded initial, folded name) of every initial typed before a name outside quotes
    ("P. Léonard": ("p", "leonard")), for the snippet to mark the first name it stands for."""
    parts = re.split(r'("[^"]*"(?:~\d*)?)', text)
    return [
        (fold(match.group(1)), fold(match.group(2)))
        for part in parts
        if not part.startswith('"')
        for match in _INITIAL_AND_NAME.finditer(_without_particles(part))
    ]

"""Patterns that identify people: e-mail, phone, IBAN, French NIR, French licence plates.

Each finder returns (start, end) offsets into the text it is given. They run on a *view* of a
page's canonical text in which line breaks are spaces (so a phone number or an IBAN that wraps
to the next line is still one match), and e-mail addresses also on a view where a line break
next to "@", ".", "-" or "_" is removed (an address split after its "@" is still one match);
`views()` builds both with maps back to the canonical offsets.

Checksums keep the false positives down where the format has one: IBAN (ISO 13616 mod 97) and
NIR (the 2-digit key, Corsica's 2A/2B included). Phone numbers and plates have none: they are
matched on their printed shapes only, and a false positive means one more black box, never a
leak.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

PATTERN_KINDS = ("email", "phone", "iban", "nir", "plate")

Span = tuple[int, int]

_EMAIL = re.compile(
    r"(?<![\w.%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w@])"
)

_SEP = r"(?:[ \u00a0\u202f.\-–/]{1,2})"
_FR_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?33" + _SEP + r"?(?:\(0\)" + _SEP + r"?)?[1-9]|0[1-9])"
    r"(?:" + _SEP + r"?\d{2}){4}(?!\d)"
)
_INTL_PHONE = re.compile(
    r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}"
    r"(?:" + _SEP + r"?(?:\(\d{1,4}\)|\d{1,5})){2,7}(?!\d)"
)
_MIN_INTL_DIGITS = 8
_MAX_INTL_DIGITS = 15

_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]{1,4}){3,8}(?![A-Za-z0-9])")
_IBAN_MIN, _IBAN_MAX = 15, 34

_NIR = re.compile(
    r"(?<![\w])([1-478])[ \u00a0.]?(\d{2})[ \u00a0.]?(0[1-9]|1[0-2]|[2-9]\d)[ \u00a0.]?"
    r"(\d{2}|2[AaBb])[ \u00a0.]?(\d{3})[ \u00a0.]?(\d{3})[ \u00a0.]?(\d{2})(?![\w])"
)

_PLATE_SIV = re.compile(
    r"(?<![\w])[A-HJ-NP-TV-Z]{2}[ \-\u00a0]?\d{3}[ \-\u00a0]?[A-HJ-NP-TV-Z]{2}(?![\w])"
)
_PLATE_FNI = re.compile(
    r"(?<![\w])\d{1,4}[ \-\u00a0]?[A-Z]{1,3}[ \-\u00a0]?(?:97[1-6]|2[AB]|\d{2})(?![\w])"
)
_FNI_MIN_LEN = 6
"""The old (FNI, before 2009) plates: 1-4 digits, 1-3 letters, the department; at least six
characters in all, which keeps "12 A 34"-like references out."""


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def iban_valid(candidate: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to numbers, mod 97 == 1."""
    compact = "".join(candidate.split()).upper()
    if not (_IBAN_MIN <= len(compact) <= _IBAN_MAX) or not compact.isalnum():
        return False
    rotated = compact[4:] + compact[:4]
    number = "".join(str(int(c, 36)) for c in rotated)
    return int(number) % 97 == 1


def nir_valid(candidate: str) -> bool:
    """French social security number: key = 97 - (first 13 characters mod 97)."""
    compact = "".join(c for c in candidate if c.isalnum()).upper()
    if len(compact) != 15:
        return False
    body, key = compact[:13], compact[13:]
    # Corsica: department 2A counts as 19, 2B as 18 in the key computation.
    body = body.replace("2A", "19", 1) if compact[5:7] == "2A" else body
    body = body.replace("2B", "18", 1) if compact[5:7] == "2B" else body
    if not body.isdigit() or not key.isdigit():
        return False
    return 97 - int(body) % 97 == int(key)


def find_emails(text: str) -> list[Span]:
    return [m.span() for m in _EMAIL.finditer(text)]


def find_phones(text: str) -> list[Span]:
    spans = [m.span() for m in _FR_PHONE.finditer(text)]
    for match in _INTL_PHONE.finditer(text):
        number = match.group()
        # "00" is the dialling prefix, not part of the number: count what follows it.
        count = len(_digits(number)) - (2 if number.startswith("00") else 0)
        if _MIN_INTL_DIGITS <= count <= _MAX_INTL_DIGITS:
            spans.append(match.span())
    return _merge(spans)


def find_ibans(text: str) -> list[Span]:
    spans: list[Span] = []
    for match in _IBAN.finditer(text):
        # The regex is greedy over space-separated groups: a following word of capitals or
        # digits may have been swallowed. Drop trailing groups until the checksum holds.
        groups = match.group().split()
        while groups:
            candidate = " ".join(groups)
            if iban_valid(candidate):
                start = match.start()
                spans.append((start, start + len(candidate)))
                break
            groups.pop()
    return spans


def find_nirs(text: str) -> list[Span]:
    return [m.span() for m in _NIR.finditer(text) if nir_valid(m.group())]


def find_plates(text: str) -> list[Span]:
    spans = [m.span() for m in _PLATE_SIV.finditer(text)]
    for match in _PLATE_FNI.finditer(text):
        compact = "".join(c for c in match.group() if c.isalnum())
        if len(compact) >= _FNI_MIN_LEN:
            spans.append(match.span())
    return _merge(spans)


FINDERS: dict[str, Callable[[str], list[Span]]] = {
    "email": find_emails,
    "phone": find_phones,
    "iban": find_ibans,
    "nir": find_nirs,
    "plate": find_plates,
}


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# -- views of a text in which line breaks do not cut a pattern ---------------------------------

_EMAIL_JOINERS = frozenset("@.-_")


@dataclass(frozen=True)
class View:
    text: str
    origin: tuple[int, ...]
    """Offset in the source text of every character of the view."""

    def span(self, start: int, end: int) -> Span:
        return self.origin[start], self.origin[end - 1] + 1


def spaced_view(text: str) -> View:
    """Line breaks read as spaces, soft hyphens dropped; one-to-one with the source otherwise."""
    chars: list[str] = []
    origin: list[int] = []
    for offset, char in enumerate(text):
        if char == "\u00ad":
            continue
        chars.append(" " if char in "\n\r\t" else char)
        origin.append(offset)
    return View("".join(chars), tuple(origin))


def joined_view(text: str) -> View:
    """Like `spaced_view`, but a line break next to "@", ".", "-" or "_" disappears, so an
    e-mail address cut after its "@" or one of its dots reads as one string again."""
    chars: list[str] = []
    origin: list[int] = []
    length = len(text)
    for offset, char in enumerate(text):
        if char == "\u00ad":
            continue
        if char == "\n":
            before = text[offset - 1] if offset else ""
            after = text[offset + 1] if offset + 1 < length else ""
            if before in _EMAIL_JOINERS or after in _EMAIL_JOINERS:
                continue
        chars.append(" " if char in "\n\r\t" else char)
        origin.append(offset)
    return View("".join(chars), tuple(origin))


def find_pattern(kind: str, text: str) -> list[Span]:
    """Spans of `kind` in `text` (source offsets), across line breaks."""
    finder = FINDERS[kind]
    found: list[Span] = []
    views = [spaced_view(text)]
    if kind == "email":
        views.append(joined_view(text))
    for view in views:
        found.extend(view.span(s, e) for s, e in finder(view.text) if e > s)
    return _merge(found)


_FRENCH_NATIONAL = re.compile(r"0([1-9]\d{8})")
_FRENCH_INTERNATIONAL = re.compile(r"(?:00)?330?([1-9]\d{8})")


def phone_forms(number: str) -> list[str]:
    """`number` and the other forms a French number is written in: "06 12 34 56 78",
    "+33 6 12 34 56 78", "+33 (0)6 12 34 56 78", "0033 6 12 34 56 78", "6 12 34 56 78"
    (matching folds away spaces and punctuation, so one spelling per form is enough). Other
    countries' numbers are taken as written."""
    digits = "".join(c for c in number if c.isdigit())
    plus = number.lstrip().startswith("+")
    national = _FRENCH_NATIONAL.fullmatch(digits) if not plus else None
    international = _FRENCH_INTERNATIONAL.fullmatch(digits) if plus or digits[:2] == "00" else None
    found = national or international
    if found is None:
        return [number]
    rest = found.group(1)
    # The nine digits alone too: "6 12 34 56 78" in a table whose "+33" stands in another cell.
    forms = [number, f"0{rest}", f"+33 {rest}", f"+33 (0){rest}", f"0033{rest}", rest]
    return list(dict.fromkeys(forms))


def email_forms(address: str) -> list[str]:
    """`address` and the ways it is written to keep it from robots: "hq [at] exemple [dot]
    org", "hq(at)exemple.org", "hq arobase exemple point org" (matching folds away brackets and
    punctuation, so one spelling per form is enough)."""
    local, _at, domain = address.partition("@")
    if not (local and domain):
        return [address]
    forms = [address]
    for at in ("at", "arobase"):
        for dot in (".", " dot ", " point "):
            forms.append(f"{local} {at} {domain.replace('.', dot)}")
    return forms

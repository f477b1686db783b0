"""E-mail addresses and phone numbers written beside a name: the way mail and signatures show
whose they are.

"From: Hyacinthe Quartermaine <hq@exemple.org>", `"Quartermaine, Hyacinthe"
[mailto:hq@exemple.org]`, "hq@exemple.org (H. Quartermaine)", "Quartermaine, hq@exemple.org":
a reader who sees the name boxed still sees the address, and the address names the source to
anyone who can ask its provider. An export learns a protected person's addresses here, from the
case's own pages, and hides them everywhere like the name (the journalist's reply, "To:
hq@exemple.org", holds no name at all).

Only an address on the same line as the name with nothing but brackets, quotes, spaces and
punctuation between counts: "Quartermaine a écrit à contact@mairie.fr" leaves the town hall's
address alone. A phone number likewise, a label allowed between ("Quartermaine, tél. 06 ...",
a signature's "Tél. : 06 ..." on the line after the name or after her role and address
lines), and the numbers that follow one of hers ("06 ... / 07 ...", "Fixe : 01 ..." on the
next line), learnt in every form it is dialled in ("+33 6 ...", "06.12...").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping
from typing import Generic, TypeVar

from dossier.redact.patterns import email_forms, find_pattern, phone_forms
from dossier.redact.shortnames import ShortFinder
from dossier.text.fold import fold

T = TypeVar("T")

_REACH = 120
"""Characters looked at either side of an address."""
_WRAP = r"(?:[ \t]*\r?\n[ \t>]*)?"
"""One line break (a quoted reply's markers after it), as a mail client wraps or folds a line."""
_BEFORE = re.compile(
    rf"[ \t\u00a0\"'“”«»‹›,;:–—-]*(?:{_WRAP}[<\[(][ \t]*(?:{_WRAP}mailto:)?{_WRAP}[ \t]*)?\Z",
    re.I,
)
"""What may stand between a name and the address after it: `Name <`, `"Name" [mailto:`; a
line break only beside the bracket (`Name <` wrapped before the address, a header folded
before `<address>`): a bare address on the line after a name may be anyone's."""
_AFTER = re.compile(r"[ \t\u00a0]*[>\]]?[ \t\u00a0]*[(\[]([^()\[\]\n]{1,80})[)\]]")
"""A name in brackets after an address: `address (H. Quartermaine)`, `<address> (Name)`."""


_PHONE_LABEL = (
    r"(?:t[ée]l(?:[ée]phone)?|tel|phone|mobile|portable|port|gsm|cell(?:ulaire)?|fixe"
    r"|ligne directe|n°|no|num[ée]ro)\.?"
)
_PHONE_BEFORE = re.compile(
    rf"[ \t\u00a0\"'“”«»‹›,;:–—/()|·•-]*(?:(?:ou|or|et|and)[ \t\u00a0]+)?"
    rf"(?:(?:\r?\n[ \t>]*)?{_PHONE_LABEL}[ \t\u00a0.:/()-]*)?[(\[<]?[ \t\u00a0]*\Z",
    re.I,
)
"""What may stand between a name, or a number learnt as its owner's, and a phone number after
it: punctuation, a label ("tél. :", "portable"), a bracket, "ou"; a line break only before a
label (a signature: the name, then "Tél. : ..." on the next line; "Portable : 06 ..." then
"Fixe : 01 ..."). "Quartermaine a appelé le 01 ..." is not her number."""
_SIGNATURE_BEFORE = re.compile(
    rf"[ \t\u00a0,;:–—|-]*(?:\r?\n[ \t>]*[^\s>\d][^\n\d]{{0,79}}){{1,3}}"
    rf"\r?\n[ \t>]*{_PHONE_LABEL}[ \t\u00a0.:/()-]*[(\[<]?[ \t\u00a0]*\Z",
    re.I,
)
"""A signature: the name, up to three lines without a digit (her role, her paper, her
address), then "Tél. : ...". A line with a number between is someone else's contact, or a
street address: not a signature's."""
_SIGNATURE_REACH = 400


def _name_edges(
    text: str, names: Mapping[str, T], short: ShortFinder[T] | None
) -> tuple[dict[int, T], dict[int, T]]:
    """Where each of `names`, and each two-letter part standing for its person (`short`), ends
    and starts in `text`."""
    ends: dict[int, T] = {}
    starts: dict[int, T] = {}
    folded = fold(text)
    spans = [
        (*folded.span(k0, k1), p) for key, p in names.items() for k0, k1 in folded.find_all(key)
    ]
    for start, end, payload in [*spans, *(short.find(text) if short else ())]:
        ends.setdefault(end, payload)
        starts.setdefault(start, payload)
    return ends, starts


def phones_beside(
    text: str, names: Mapping[str, T], short: ShortFinder[T] | None = None
) -> dict[str, T]:
    """Every phone number of `text` written beside one of `names` or of the two-letter parts
    `short` finds (`Name : 06 ...`, `Name, tél. 06 ...`, `Name` then `Tél. : 06 ...` on the
    next line, `06 ... (Name)`), in each of the forms it is written in
    (`patterns.phone_forms`), with that name's payload."""
    if not (names or short):
        return {}
    numbers = find_pattern("phone", text)
    if not numbers:
        return {}
    ends, starts = _name_edges(text, names, short)
    found: dict[str, T] = {}
    name_ends = sorted(ends)
    learnt: dict[int, T] = {}  # where a number learnt as someone's ends
    for start, end in numbers:
        number = " ".join(text[start:end].split())
        owner = _owner_before(text, start, ends, name_ends, learnt)
        if owner is None:
            after = _AFTER.match(text, end, min(end + _REACH, len(text)))
            inside = [starts[i] for i in range(*after.span(1)) if i in starts] if after else []
            owner = inside[0] if inside else None
        if owner is not None:
            learnt[end] = owner
            for form in phone_forms(number):
                found.setdefault(form, owner)
    return found


def _owner_before(
    text: str, start: int, ends: dict[int, T], name_ends: list[int], learnt: dict[int, T]
) -> T | None:
    """Whose is the number at `start`, by what is written before it: a name or a number
    learnt as someone's, then `_PHONE_BEFORE`; or a name, then `_SIGNATURE_BEFORE`."""
    line_start = max(text.rfind("\n", 0, max(text.rfind("\n", 0, start), 0)) + 1, 0)
    before = _PHONE_BEFORE.search(text, max(line_start, start - _REACH), start)
    if before is not None:
        owner = ends.get(before.start(), learnt.get(before.start()))
        if owner is not None:
            return owner
    for edge in name_ends[bisect_left(name_ends, start - _SIGNATURE_REACH) :]:
        if edge >= start:
            break
        if _SIGNATURE_BEFORE.fullmatch(text, edge, start):
            return ends[edge]
    return None


def addresses_beside(
    text: str, names: Mapping[str, T], short: ShortFinder[T] | None = None
) -> dict[str, T]:
    """Every e-mail address of `text` written beside one of `names` (folded keys of names and
    name parts) or of the two-letter parts `short` finds, with that name's payload."""
    if "@" not in text or not (names or short):
        return {}
    ends, starts = _name_edges(text, names, short)
    found: dict[str, T] = {}
    for start, end in find_pattern("email", text):
        address = " ".join(text[start:end].split())
        # From the line before: a wrap may stand between the bracket and the address.
        line_start = max(text.rfind("\n", 0, max(text.rfind("\n", 0, start), 0)) + 1, 0)
        line_start = max(line_start, start - _REACH)
        before = _BEFORE.search(text, line_start, start)
        if before is not None and before.start() in ends:
            found.setdefault(address, ends[before.start()])
            continue
        after = _AFTER.match(text, end, min(end + _REACH, len(text)))
        if after is not None:
            inside = [starts[i] for i in range(*after.span(1)) if i in starts]
            if inside:
                found.setdefault(address, inside[0])
    return found


class AddressBook(Generic[T]):
    """The addresses and phone numbers written beside `names` (folded key -> owner) and the
    two-letter parts of names (`short`, `shortnames`) in every text read."""

    def __init__(self, names: Mapping[str, T], short: ShortFinder[T] | None = None) -> None:
        self.names = dict(names)
        self.short = short
        self._found: dict[T, dict[str, None]] = {}

    def __bool__(self) -> bool:
        """Whether there is any name to read addresses beside."""
        return bool(self.names or self.short)

    def read(self, text: str) -> None:
        found = {
            form: owner
            for address, owner in addresses_beside(text, self.names, self.short).items()
            for form in email_forms(address)
        }
        found.update(phones_beside(text, self.names, self.short))
        for contact, owner in found.items():
            self._found.setdefault(owner, {})[contact] = None

    def of(self, owner: T) -> tuple[str, ...]:
        return tuple(self._found.get(owner, ()))

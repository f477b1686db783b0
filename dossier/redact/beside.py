"""E-mail addresses written beside a name: the way mail shows whose address it is.

"From: Hyacinthe Quartermaine <hq@exemple.org>", `"Quartermaine, Hyacinthe"
[mailto:hq@exemple.org]`, "hq@exemple.org (H. Quartermaine)", "Quartermaine, hq@exemple.org":
a reader who sees the name boxed still sees the address, and the address names the source to
anyone who can ask its provider. An export learns a protected person's addresses here, from the
case's own pages, and hides them everywhere like the name (the journalist's reply, "To:
hq@exemple.org", holds no name at all).

Only an address on the same line as the name with nothing but brackets, quotes, spaces and
punctuation between counts: "Quartermaine a écrit à contact@mairie.fr" leaves the town hall's
address alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Generic, TypeVar

from dossier.redact.patterns import find_pattern
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


def addresses_beside(text: str, names: Mapping[str, T]) -> dict[str, T]:
    """Every e-mail address of `text` written beside one of `names` (folded keys of names and
    name parts), with that name's payload."""
    if "@" not in text or not names:
        return {}
    folded = fold(text)
    ends: dict[int, T] = {}
    starts: dict[int, T] = {}
    for key, payload in names.items():
        for k0, k1 in folded.find_all(key):
            start, end = folded.span(k0, k1)
            ends.setdefault(end, payload)
            starts.setdefault(start, payload)
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
    """The addresses written beside `names` (folded key -> owner) in every text read."""

    def __init__(self, names: Mapping[str, T]) -> None:
        self.names = dict(names)
        self._found: dict[T, dict[str, None]] = {}

    def read(self, text: str) -> None:
        for address, owner in addresses_beside(text, self.names).items():
            self._found.setdefault(owner, {})[address] = None

    def of(self, owner: T) -> tuple[str, ...]:
        return tuple(self._found.get(owner, ()))

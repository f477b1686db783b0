"""JSON written outside Dossier (a bundle's manifest, a page's JSON-LD, a list of quotes).

Python's reader has two surprises for such input. It keeps an escaped lone surrogate
(`"\\udc80"`) as it is, a string that cannot be encoded, so storing or printing it fails
later, far from the input; and it raises RecursionError, not ValueError, for arrays nested a
few thousand deep. Here both are what any other bad input is: the strings are made valid
text (`clean.valid_text`), and too deep a nesting is a ValueError like any malformed JSON.
"""

from __future__ import annotations

import json
from typing import Any

from dossier.text.clean import valid_text


def loads(text: str) -> Any:
    """The value of the JSON `text`, every string valid; ValueError if it is not JSON."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    return _valid(value)


def _valid(value: Any) -> Any:
    if isinstance(value, str):
        return valid_text(value)
    if not isinstance(value, (list, dict)):
        return value
    root: list[Any] = [value]
    # A stack, not recursion: the reader accepts nesting deeper than a recursive walk could.
    stack: list[tuple[Any, Any]] = [(root, 0)]
    while stack:
        holder, key = stack.pop()
        item = holder[key]
        if isinstance(item, str):
            holder[key] = valid_text(item)
        elif isinstance(item, list):
            stack.extend((item, index) for index in range(len(item)))
        elif isinstance(item, dict):
            if any(not _encodable(k) for k in item):
                cleaned = {valid_text(k): v for k, v in item.items()}
                item.clear()
                item.update(cleaned)
            stack.extend((item, k) for k in item)
    return root[0]


def _encodable(text: str) -> bool:
    return valid_text(text) is text

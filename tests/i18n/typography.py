"""French typography, as a checker the catalog tests and the screen tests share.

Before : ; ! ? a no-break space (U+00A0) or a narrow no-break space (U+202F); inside « » one of
them too; a normal space in any of those places is a fault (a line may break there, leaving the
colon alone at the start of a line).
"""

from __future__ import annotations

import re

NO_BREAK = "\u00a0\u202f"
# A sign is punctuation, not part of a URL or a time (12:30), when what follows ends the phrase.
_ENDS = " \u00a0\u202f\n\t\"”»)’'.,"


def _without_fields(text: str) -> str:
    """`text` with every {placeholder:spec} and {"json": ...} sample as one letter: what is
    inside braces is code, not French."""
    while True:
        shorter = re.sub(r"\{[^{}]*\}", "X", text)
        if shorter == text:
            return text
        text = shorter


def faults(text: str) -> list[str]:
    """What is wrong with the French typography of `text`: one short phrase per fault."""
    text = _without_fields(text)
    found = []
    for i, char in enumerate(text):
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        context = text[max(0, i - 12) : i + 2]
        if char in ":;!?":
            if before == " ":
                found.append(f"a normal space before {char!r}: {context!r}")
            elif (after == "" or after in _ENDS) and before not in NO_BREAK + "!?" and i > 0:
                found.append(f"no no-break space before {char!r}: {context!r}")
        elif char == "«" and after not in NO_BREAK:
            found.append(f"no no-break space after «: {text[i : i + 12]!r}")
        elif char == "»" and before not in NO_BREAK:
            found.append(f"no no-break space before »: {text[max(0, i - 12) : i + 1]!r}")
    return found

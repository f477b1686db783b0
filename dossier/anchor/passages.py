"""The quoted passages of an article, for the pre-publication check.

Only the outermost passages are returned: a quotation nested inside another one belongs to it.
French usage is understood: a quotation running over several paragraphs reopens each paragraph
with « and closes only once. Apostrophes (’) are never taken for quotation marks.
"""

from __future__ import annotations

import re

_CLOSERS = {"«": "»", "“": "”", "„": "“”", '"': '"', "‹": "›"}
_HAS_WORD = re.compile(r"[^\W_]")


def extract_quoted_passages(text: str, *, min_words: int = 1) -> list[str]:
    """Passages inside « », “ ”, „ “ and " " of `text`, in order, stripped."""
    passages: list[str] = []
    opener = ""
    depth = 0
    start = 0
    pieces: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if not opener:
            if char in _CLOSERS:
                opener, depth, start, pieces = char, 1, i + 1, []
        elif char in _CLOSERS[opener] and (opener != '"' or depth == 1):
            depth -= 1
            if depth == 0:
                pieces.append(text[start:i])
                _keep(passages, "".join(pieces), min_words)
                opener = ""
        elif char == opener and opener != '"':
            if _reopens_paragraph(text, i):
                pieces.append(text[start:i])  # « at the head of a continued paragraph
                start = i + 1
            else:
                depth += 1
        i += 1
    return passages


def _reopens_paragraph(text: str, i: int) -> bool:
    line_start = text.rfind("\n", 0, i)
    return line_start >= 0 and not text[line_start + 1 : i].strip()


def _keep(passages: list[str], passage: str, min_words: int) -> None:
    cleaned = " ".join(passage.split())
    if _HAS_WORD.search(cleaned) and len(cleaned.split()) >= min_words:
        passages.append(cleaned)

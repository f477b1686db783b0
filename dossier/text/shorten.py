"""A text shortened for a title or a list: its spaces made single, cut between words.

A cut inside a word would leave part of it, and what is shortened is often masked afterwards
(a quote's title in the timeline, in search results): the screen mask finds a protected name
only whole, so 'Zorglub…' of a cut 'Zorglubinski' would show. The word the limit falls in is
left out, even when it is the only one.
"""

from __future__ import annotations

ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    space = text.rfind(" ", 0, limit)  # the character at `limit - 1` gives way to the ellipsis
    return text[:space].rstrip() + ELLIPSIS if space > 0 else ELLIPSIS

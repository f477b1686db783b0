"""Which titles a file states about itself are real titles.

Office programs and scanners fill the title field with their own name, a template's name or
the file name ("Microsoft Word - Document1", "Adobe Photoshop PDF", "scan0001.tif"); shown as
the title of a source, that is noise at best and misleading at worst. Such a title is dropped,
and the first heading or line of the text, then the file name, stand in for it.
"""

from __future__ import annotations

import re

_PLACEHOLDERS = re.compile(
    r"""^(?:
        (?:microsoft\s+)?(?:word|excel|powerpoint)\s*-\s*.*
      | adobe\s+\w+(?:\s+\w+)?\s+(?:pdf|document|file)
      | (?:untitled|sans\s+titre|document|doc|docume?nt\d*|title|titre|new\s+document
         |nouveau\s+document|presentation|présentation|slide\s*\d*|untitled\s+document)\s*\d*
      | (?:img|dsc|dscn|dcim|scan|image|photo|pxl|screenshot|capture)[\s_-]*\d[\w-]*
      | .*\.(?:pdf|docx?|odt|rtf|txt|jpe?g|png|tiff?|heic|webp|gif|bmp|eml|msg|html?)
      | [\W\d_]*
    )$""",
    re.I | re.X,
)
_MAX_TITLE = 300


def plausible_title(value: str | None) -> str | None:
    """`value` cleaned if it can stand as a document's title, else None."""
    if not value:
        return None
    title = " ".join(value.split())
    if len(title) < 2 or len(title) > _MAX_TITLE or _PLACEHOLDERS.match(title):
        return None
    return title


def first_line_title(text: str, *, limit: int = 120) -> str | None:
    """The first line of `text` that reads as a title (not a date, number or rule)."""
    for line in text.splitlines()[:40]:
        candidate = plausible_title(line.strip(" \t#=-*•|"))
        if candidate is not None and len(candidate) >= 3:
            if len(candidate) > limit:
                cut = candidate[:limit].rsplit(" ", 1)[0]
                return f"{cut}…"
            return candidate
    return None

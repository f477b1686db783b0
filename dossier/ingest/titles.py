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


_WORD = re.compile(r"[^\W\d_]{3,}")
_TOKEN = re.compile(r"\W*+\w[\w’'.\-/:%$€@]*+\W*+")
"""A token as printed text has them: letters or digits, with punctuation only around them or
joining them (a URL, an amount, "l’enquête"); OCR of a scene without text gives "a=", "¥", "|".
Each run taken whole (possessive), the same tokens as `\\W*[...]*\\w[...]*\\W*`, which tried
every split of a token of punctuation (10,000 apostrophes: over 2 CPU-s)."""


def reads_as_words(line: str) -> bool:
    """Whether an OCR'd line reads as words rather than as what OCR makes of a picture without
    text (a desk, a face, a street: "LA,", "ee LR", "apd SS ."): two real words, one of four
    letters or more, among mostly well-formed tokens; or one word of six letters alone."""
    tokens = line.split()
    good = [t for t in tokens if _TOKEN.fullmatch(t)]
    words = [w for t in good for w in _WORD.findall(t)]
    if len(tokens) == 1 and words and len(words[0]) >= 6 and len(words[0]) >= len(line) - 1:
        return True
    return len(words) >= 2 and len(good) >= 0.7 * len(tokens) and any(len(w) >= 4 for w in words)


def first_line_title(text: str, *, limit: int = 120, read_by_ocr: bool = False) -> str | None:
    """The first line of `text` that reads as a title (not a date, number or rule); in text read
    by OCR, only a line that reads as words."""
    for line in text.splitlines()[:40]:
        candidate = plausible_title(line.strip(" \t#=-*•|"))
        if candidate is not None and read_by_ocr and not reads_as_words(candidate):
            continue
        if candidate is not None and len(candidate) >= 3:
            if len(candidate) > limit:
                cut = candidate[:limit].rsplit(" ", 1)[0]
                return f"{cut}…"
            return candidate
    return None

"""Canonical page text and word map, built from words in reading order.

The joiners are fixed so that the same words always give the same text: one space between the
words of a line, a line break between lines, a blank line between blocks. Each word is
normalised to NFC on its own; no separator can compose with a neighbouring character, so this
equals normalising the whole page, and the offsets are exact by construction:
`text[w.start:w.end]` is the word.

What is deliberately *not* done here, so that the text stays faithful to the page:
- no dehyphenation: "knowl-" / "edge" stay two words on two lines;
- soft hyphens (U+00AD) are kept where the text layer has them, at line ends ("knowl\\u00ad")
  and inside words (the corpus' Ferrario review even uses them for visible hyphens:
  "pseudo\\u00adAvicenne"); search and quote anchoring normalise them, with the rest of
  line-end hyphenation;
- no case, quote or dash folding.
Ligatures are expanded to letters earlier, by MuPDF (no TEXT_PRESERVE_LIGATURES).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from dossier.pdf.layout import Block
from dossier.text.model import Word, make_word, pack_record

T = TypeVar("T")

WORD_JOINER = " "
LINE_JOINER = "\n"
BLOCK_JOINER = "\n\n"

_DROPPED_CATEGORIES = frozenset({"Cc", "Cs"})
"""Control characters and lone surrogates: never meaningful text, and a lone surrogate cannot
even be encoded to UTF-8 for storage. MuPDF already splits words on C0 controls; C1 controls
(U+0080-U+009F) from broken encodings can remain."""


def clean_word(text: str) -> str:
    """A word as it enters the canonical text: NFC, without control characters."""
    text = unicodedata.normalize("NFC", text)
    if text.isprintable():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) not in _DROPPED_CATEGORIES)


def build_canonical(blocks: Sequence[Block]) -> tuple[str, list[Word]]:
    """Page text and its word map from blocks of lines of `get_text("words")` tuples.

    Word boxes are kept as MuPDF gives them (unrotated page coordinates); `Word.line` counts
    the lines actually written, page-wide, from 0.
    """
    parts: list[str] = []
    words = _placed(blocks, parts, _word)
    return "".join(parts), words


def build_canonical_records(blocks: Sequence[Block]) -> tuple[str, bytes]:
    """`build_canonical` with the word map as the catalog stores it (`word_records`), made
    without a `Word` for each word: an import stores the map at once and reads none of it."""
    parts: list[str] = []
    records = b"".join(_placed(blocks, parts, pack_record))
    return "".join(parts), records


def _word(*values: Any) -> Word:
    return make_word(values)


_WORD_GAP, _LINE_GAP, _BLOCK_GAP = len(WORD_JOINER), len(LINE_JOINER), len(BLOCK_JOINER)


def _placed(blocks: Sequence[Block], parts: list[str], make: Callable[..., T]) -> list[T]:
    """`make` of each word's values in `Word`'s order, as the page text is written into
    `parts`. A plain loop filling a list, each word's joiner chosen as its line opens: a
    generator's resumption, and a tuple of values for each word that `starmap` took apart
    again, were a sixth of making an imported page's text and records."""
    made: list[T] = []
    keep = made.append
    position = 0
    line_number = -1
    for block in blocks:
        block_open = False
        for line in block:
            line_open = False
            for raw in line:
                text = raw[4]
                # Printable ASCII is already clean (NFC leaves it alone): most words are.
                if not (text and text.isascii() and text.isprintable()):
                    text = clean_word(text)
                    if not text:
                        continue
                if line_open:
                    parts.append(WORD_JOINER)
                    start = position + _WORD_GAP
                else:
                    line_open = True
                    line_number += 1
                    if block_open:
                        parts.append(LINE_JOINER)
                        start = position + _LINE_GAP
                    elif parts:
                        parts.append(BLOCK_JOINER)
                        start = position + _BLOCK_GAP
                    else:
                        start = position
                    block_open = True
                position = start + len(text)
                parts.append(text)
                # The box as MuPDF gives it (floats).
                keep(make(raw[0], raw[1], raw[2], raw[3], start, position, line_number))
    return made

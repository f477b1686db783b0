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
from collections.abc import Iterator, Sequence
from itertools import starmap

from dossier.pdf.layout import Block
from dossier.text.model import Word, WordValues, make_word, pack_record

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
    words = list(map(make_word, _placed(blocks, parts)))
    return "".join(parts), words


def build_canonical_records(blocks: Sequence[Block]) -> tuple[str, bytes]:
    """`build_canonical` with the word map as the catalog stores it (`word_records`), made
    without a `Word` for each word: an import stores the map at once and reads none of it."""
    parts: list[str] = []
    records = b"".join(starmap(pack_record, _placed(blocks, parts)))
    return "".join(parts), records


def _placed(blocks: Sequence[Block], parts: list[str]) -> Iterator[WordValues]:
    """Each word's values in `Word`'s order, as the page text is written into `parts`."""
    position = 0
    line_number = -1
    for block in blocks:
        block_open = False
        for line in block:
            line_open = False
            for raw in line:
                text = raw[4]
                # Printable ASCII is already clean (NFC leaves it alone): most words are.
                if not (text.isascii() and text.isprintable()):
                    text = clean_word(text)
                if not text:
                    continue
                if line_open:
                    joiner = WORD_JOINER
                elif block_open:
                    joiner = LINE_JOINER
                elif parts:
                    joiner = BLOCK_JOINER
                else:
                    joiner = ""
                if not line_open:
                    line_number += 1
                line_open = block_open = True
                start = position + len(joiner)
                position = start + len(text)
                parts.append(joiner)
                parts.append(text)
                # The box as MuPDF gives it (floats).
                yield (raw[0], raw[1], raw[2], raw[3], start, position, line_number)

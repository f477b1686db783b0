"""The words of a typeset text's PDF spelt as the text they set, where MuPDF reads them as
other characters.

MuPDF typesets Arabic and Devanagari with the shapes a word takes in context, and names some of
those shapes wrongly in the font's /ToUnicode map: "العلي" reads back "ﺍǄﻌǁﻲ", "शर्मा" "श ù मा".
The export plans its marks on what it reads back from the PDF it typeset (`textpdf`), so a name
in those scripts was never found, and the page showed it whole. Every word of the text is set
once and in order, so the words read back are paired with the words of the text, and a word
read as other letters is given the text's spelling, at the place the PDF draws it.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from collections.abc import Sequence

from dossier.text.model import PageText, Word

_WORD = re.compile(r"\S+")


def _key(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold()


def spelt_as_written(read: Sequence[PageText], written: Sequence[str]) -> list[PageText]:
    """`read` (the pages read back from the PDF typeset from the texts `written`) with the
    words read as other letters than the text's made one word per line, where the PDF draws
    them, spelt as the text has them: a mark that finds any of it boxes all of it."""
    drawn = [(index, word) for index, page in enumerate(read) for word in page.words]
    drawn_keys = [_key(read[index].text[w.start : w.end]) for index, w in drawn]
    source = [word for text in written for word in _WORD.findall(text)]
    source_keys = [_key(word) for word in source]
    if drawn_keys == source_keys:
        return list(read)
    misread: dict[int, tuple[int, int, int]] = {}
    matcher = difflib.SequenceMatcher(None, source_keys, drawn_keys, autojunk=False)
    for op, s0, s1, d0, d1 in matcher.get_opcodes():
        if op != "replace" or "".join(source_keys[s0:s1]) == "".join(drawn_keys[d0:d1]):
            continue  # the same letters, one word set on two lines or two read as one
        misread[d0] = (d1, s0, s1)
    if not misread:
        return list(read)
    pages: list[list[tuple[Word, str]]] = [[] for _ in read]
    position = 0
    while position < len(drawn):
        if position not in misread:
            index, word = drawn[position]
            pages[index].append((word, read[index].text[word.start : word.end]))
            position += 1
            continue
        end, s0, s1 = misread[position]
        rows = _rows(drawn[position:end])
        count = len(rows)
        for k, (index, words) in enumerate(rows):
            # Each line takes its share of the text's words, and one more on each side when
            # there are several: a name is hidden under a word too many, not one too few.
            first = s0 + (s1 - s0) * k // count
            last = s0 - (-(s1 - s0) * (k + 1) // count)
            if count > 1:
                first, last = max(s0, first - 1), min(s1, last + 1)
            pages[index].append((_union(words), " ".join(source[first:last])))
        position = end
    return [_respelt(page, words) for page, words in zip(read, pages, strict=True)]


def _rows(drawn: Sequence[tuple[int, Word]]) -> list[tuple[int, list[Word]]]:
    """The words of each page's rows, in order: MuPDF may read the pieces of one word as lines
    of their own ("উদ্দিন" as "উ�" and "�ন", its conjunct between them), which are one row on
    the page, and each piece must be boxed with the whole word."""
    rows: list[tuple[int, list[Word]]] = []
    for index, word in drawn:
        middle = (word.y0 + word.y1) / 2
        for row_index, words in rows:
            if row_index == index and any(w.y0 <= middle <= w.y1 for w in words):
                words.append(word)
                break
        else:
            rows.append((index, [word]))
    return rows


def _union(words: list[Word]) -> Word:
    return words[0]._replace(
        x0=min(w.x0 for w in words),
        y0=min(w.y0 for w in words),
        x1=max(w.x1 for w in words),
        y1=max(w.y1 for w in words),
    )


def _respelt(page: PageText, words: list[tuple[Word, str]]) -> PageText:
    parts: list[str] = []
    mapped: list[Word] = []
    at = 0
    line = None
    for word, text in words:
        if parts:
            separator = "\n" if word.line != line else " "
            parts.append(separator)
            at += len(separator)
        line = word.line
        parts.append(text)
        mapped.append(word._replace(start=at, end=at + len(text)))
        at += len(text)
    return dataclasses.replace(page, text="".join(parts), words=mapped, word_records=b"")

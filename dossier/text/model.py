"""Canonical page text and its word map.

A page's canonical text is what every other part of Dossier addresses: quote spans are Python
`str` offsets into it, search snippets are cut from it, redaction terms are matched in it. The
word map ties character ranges back to rectangles on the page (PyMuPDF coordinates: points,
origin top-left of the unrotated page, as `page.get_text("words")` returns them).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from functools import partial
from itertools import starmap
from typing import TYPE_CHECKING, NamedTuple

from dossier.errors import CorruptData
from dossier.i18n import _


class Word(NamedTuple):
    """One word of the word map: its box and the range of the canonical text it is.

    A named tuple, not a dataclass: a long document makes hundreds of thousands of them at
    every extraction and every opening of its pages, and a tuple is made in one C call (a
    frozen dataclass's `__init__` goes through `object.__setattr__` once per field)."""

    x0: float
    y0: float
    x1: float
    y1: float
    start: int
    end: int
    line: int = 0
    """Index of the line the word sits on (page-wide, in reading order): rectangles per line."""

    @property
    def rect(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)


make_word = partial(tuple.__new__, Word)
"""A Word from an iterable of its seven values, without `Word.__new__`'s argument parsing."""

WordValues = tuple[float, float, float, float, int, int, int]
"""A word's values in `Word`'s order."""


@dataclass
class PageText:
    index: int
    text: str
    words: list[Word] = field(default_factory=list)
    label: str = ""
    width: float = 0.0
    height: float = 0.0
    rotation: int = 0
    ocr: bool = False
    full_text: str = ""
    """A saved web page's whole visible text, around the article that `text` holds."""
    word_records: bytes = field(default=b"", repr=False, compare=False)
    """The word map as the catalog stores it (`pack_record`'s records, boxes as 32-bit
    floats), when the reader made it so rather than `words` (`build_canonical_records`):
    an import stores it at once, and a `Word` for each word (hundreds a page) cost more to
    make, and to keep past the garbage collector's passes, than the page's layout. `words`
    is then read from it at its first use, as from the catalog, and it is emptied."""

    def __post_init__(self) -> None:
        if self.word_records:
            if self.words:
                raise ValueError("a page's words are given as records or as words, not both")
            del self.__dict__["words"]  # read from `word_records` when asked (`__getattr__`)

    if not TYPE_CHECKING:  # `words` stays typed as the field it is

        def __getattr__(self, name: str) -> object:
            if name != "words" or "word_records" not in self.__dict__:
                raise AttributeError(name)
            words = words_from_records(self.word_records)
            self.__dict__["words"] = words
            self.word_records = b""
            return words

    @property
    def display_label(self) -> str:
        return self.label or str(self.index + 1)

    def stored_words(self) -> bytes:
        """The word map as the catalog stores it (`pack_words`), from its records if the
        reader made them."""
        if "words" in self.__dict__:
            return pack_words(self.words)
        return pack_records(self.word_records)


@dataclass(frozen=True)
class EmbeddedFile:
    """A file carried inside another (an e-mail's attachment, a mailbox's message, an archive's
    member), held in memory: it becomes a document of its own, linked to its container."""

    name: str
    data: bytes = field(repr=False)
    origin: str
    """What it was in its container, for a person: "attachment", "message", "member"."""
    path: str = ""
    """Its path inside an archive ("courrier/2023/reponse.pdf"), if it had one."""
    metadata: dict[str, str] = field(default_factory=dict)
    """What its container knows of it (a web capture's URL and date), kept with its own facts."""
    extracted: ExtractedDocument | None = field(default=None, repr=False, compare=False)
    """Its text, when its container had to read it whole anyway (a mailbox lists its messages
    from their headers: each is parsed once, not once to list and once to import)."""


CUT_SHORT = "cut_short"
"""`EmbeddedFile.metadata` key: its container ends inside it (an e-mail cut short in its last
attachment), so its bytes are only the first part of the file: it is left out, with the reason."""


@dataclass
class ExtractedDocument:
    """What an extractor returns for one file, before anything is stored."""

    pages: list[PageText]
    extractor_version: str
    mime: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    """ISO date (YYYY-MM-DD) if the file states one."""
    language: str | None = None
    outlet: str | None = None
    """The publication it comes from (a web page's site name)."""
    metadata: dict[str, str] = field(default_factory=dict)
    """Extra facts worth keeping (e-mail headers: from, to, cc, subject, message-id)."""
    embedded: list[EmbeddedFile] = field(default_factory=list)
    """Files inside this one, not yet read: the import makes each a child document."""

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)


_WORD = struct.Struct("<ffffIII")
_WORDS_MAGIC = b"WM1"
_WORDS_LEVEL = 1
"""zlib's fastest level: word maps (boxes as 32-bit floats) hardly compress better at level 6,
which takes twice as long or more (the shared corpus' PDFs: 3.49 MB at level 1, 3.42 MB at 6,
0.09 s against 0.20 s of CPU). Reading does not care which level wrote them."""


pack_record = _WORD.pack
"""One word's stored record from its values (`WordValues`)."""


def pack_words(words: list[Word]) -> bytes:
    # A record a word, packed by one compiled struct in a C loop (the words are tuples in the
    # record's field order): a struct for the whole page had a format of its own for each
    # word count, compiled again at each page whose count the cache did not hold.
    return pack_records(b"".join(starmap(pack_record, words)))


def pack_records(records: bytes) -> bytes:
    """The stored word map of words packed one after the other by `pack_record`."""
    return _WORDS_MAGIC + zlib.compress(records, _WORDS_LEVEL)


def words_from_records(records: bytes) -> list[Word]:
    return list(map(make_word, _WORD.iter_unpack(records)))


def unpack_words(raw: bytes) -> list[Word]:
    if not raw:
        return []
    if raw[:3] != _WORDS_MAGIC:
        raise CorruptData(_("word map has an unknown format"))
    try:
        body = zlib.decompress(raw[3:])
    except zlib.error:
        raise CorruptData(_("word map is damaged")) from None
    if len(body) % _WORD.size:
        raise CorruptData(_("word map is truncated"))
    return words_from_records(body)

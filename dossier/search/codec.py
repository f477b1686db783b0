"""How a case index's segments are written: Whoosh's own codec, with a rare word's postings kept
inside its entry of the term dictionary.

Whoosh 3 writes each word's postings as blocks of their own in the postings file: a length, a
pickled header, a pickled and compressed list, and a pointer to them in the term dictionary;
about 80 bytes around one posting of a few bytes. Most of a case's words are rare (names,
numbers, OCR misreadings): a segment of the search bench's 1,000 pages is 2.06x the size of its
text written that way, 1.94x with those words' postings in their entries.

Whoosh can keep a short list in the term's entry instead ("inlined", read back as a plain
list), but its writer calls a method its term info does not have (`set_inline`; the term info
has `set_inlined`), and a field without values would read back "" where blocks give None,
which a merge refuses: that path is off by default and broken when turned on. This codec turns
it on, mended. Readers need nothing new: an inlined list is Whoosh's own format, and a segment
written without it is read as before.

Its writers of a segment's per-document data and term dictionary are made at their first use:
the writer that publishes the segments the index's workers built adds no page of its own, and
Whoosh made an empty segment's files for it all the same (five sealed files written and
renamed, then deleted after the commit: a tenth of a small import's index commit).

The codec is recorded in each segment of the index's table of contents: the class must keep
its name and module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from whoosh.codec import whoosh3

INLINE_BELOW = 3
"""Postings of a word in fewer documents than this are kept in its term entry (1,000 pages of
the search bench: 2.06x the text with none inlined, 1.94x below 3, 1.95x below 5)."""


class _PostingsWriter(whoosh3.W3PostingsWriter):  # type: ignore[misc]  # whoosh is untyped
    _terminfo: Any

    def finish_postings(self) -> Any:
        terminfo = self._terminfo
        if not self.written() and len(self) < self._inlinelimit:
            terminfo.add_block(self)
            # A field without values (an id, a date) reads None per posting from a block; an
            # empty inlined list would read "" (a str), which a merge refuses.
            values = self._values or [None] * len(self._ids)
            terminfo.set_inlined(self._ids, self._weights, values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()


class _Deferred:
    """A segment's writer, made at its first use. Never used, it was never made and has
    nothing to close (Whoosh closes a writer only if `is_closed` is false)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._made: Any = None

    @property
    def is_closed(self) -> bool:
        return self._made is None or bool(self._made.is_closed)

    def __getattr__(self, name: str) -> Any:
        if self._made is None:
            self._made = self._make()
        value = getattr(self._made, name)
        if callable(value):
            setattr(self, name, value)  # a method is looked up here once, not once a call
        return value


class InliningCodec(whoosh3.W3Codec):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh 3's codec, with the postings of words in fewer than `INLINE_BELOW` documents
    inlined in the term dictionary."""

    def __init__(self) -> None:
        super().__init__(inlinelimit=INLINE_BELOW)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        return _PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def per_document_writer(self, storage: Any, segment: Any) -> Any:
        return _Deferred(lambda: whoosh3.W3Codec.per_document_writer(self, storage, segment))

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return _Deferred(lambda: whoosh3.W3Codec.field_writer(self, storage, segment))


def index_codec() -> InliningCodec:
    """The codec every writer of a case index uses."""
    return InliningCodec()

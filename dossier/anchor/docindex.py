"""The searchable form of one document, built once and cached.

All pages' keys are concatenated into one string so `str.find` finds a quote that runs across a
page break; page, line and word boundaries sit beside it in sorted offset lists. Building costs
about a second for 500 pages; anchoring then takes milliseconds, so the index is cached, keyed by
the identity of the page objects (and checked against them, so a re-extracted page is rebuilt).
"""

from __future__ import annotations

import threading
import weakref
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Sequence

from dossier.anchor.normalize import KeyText, build_keys
from dossier.text.model import PageText, Word
from dossier.text.rects import LineGeometry, line_geometry


class DocIndex:
    """Keys of every page of one document, with the maps from key offsets back to pages."""

    def __init__(self, pages: Sequence[PageText]) -> None:
        self.pages: list[PageText] = list(pages)
        self.keys: list[KeyText] = [build_keys(p.text) for p in self.pages]
        self.page_start: list[int] = []
        parts: list[str] = []
        line_starts = array("i")
        tok_start = array("i")
        tok_end = array("i")
        total = 0
        for keytext in self.keys:
            self.page_start.append(total)
            parts.append(keytext.key)
            line_starts.extend(total + k for k in keytext.line_starts)
            tok_start.extend(total + k for k in keytext.tok_start)
            tok_end.extend(total + k for k in keytext.tok_end)
            total += len(keytext.key)
            # The page's own word list is not needed once the document-wide one holds it.
            keytext.tok_start, keytext.tok_end = array("i"), array("i")
        self.key = "".join(parts)
        self.line_starts = line_starts
        self.tok_start = tok_start
        self.tok_end = tok_end
        # O(1) word-boundary tests: bit 1 = a token starts here, bit 2 = a token ends here.
        bounds = bytearray(total + 1)
        for s in tok_start:
            bounds[s] |= 1
        for e in tok_end:
            bounds[e] |= 2
        self.bounds = bounds
        postings: dict[str, array[int]] = {}
        key = self.key
        for i, (s, e) in enumerate(zip(tok_start, tok_end, strict=True)):
            token = key[s:e]
            found = postings.get(token)
            if found is None:
                postings[token] = found = array("i")
            found.append(i)
        self.postings = postings
        """Token -> its positions (token indexes), for the approximate search."""
        self._geometry: dict[int, tuple[list[Word], list[int], dict[int, LineGeometry]]] = {}

    # --- positions ---------------------------------------------------------------------------

    def page_of(self, k: int) -> int:
        """Index (into `pages`) of the page holding key offset `k`."""
        return max(0, bisect_right(self.page_start, k) - 1)

    def page_end(self, page_no: int) -> int:
        if page_no + 1 < len(self.page_start):
            return self.page_start[page_no + 1]
        return len(self.key)

    def line_end(self, k: int) -> int:
        """Key offset where the line holding `k` ends (the next line's start)."""
        i = bisect_right(self.line_starts, k)
        return self.line_starts[i] if i < len(self.line_starts) else len(self.key)

    @property
    def n_tokens(self) -> int:
        return len(self.tok_start)

    def token_slice(self, lo: int, hi: int) -> list[str]:
        """The words (keys) of tokens [lo, hi)."""
        key = self.key
        return [key[s:e] for s, e in zip(self.tok_start[lo:hi], self.tok_end[lo:hi], strict=True)]

    def line_starts_between(self, lo: int, hi: int) -> array[int]:
        return self.line_starts[
            bisect_left(self.line_starts, lo) : bisect_right(self.line_starts, hi)
        ]

    def is_token_start(self, k: int) -> bool:
        return bool(self.bounds[k] & 1)

    def is_token_end(self, k: int) -> bool:
        return bool(self.bounds[k] & 2)

    def token_at(self, k: int) -> int:
        """Index of the token holding key offset `k`."""
        return max(0, bisect_right(self.tok_start, k) - 1)

    def orig_range(self, ks: int, ke: int) -> tuple[int, int, int]:
        """(page number, start, end) in the page text for a key range within one page."""
        page_no = self.page_of(ks)
        base = self.page_start[page_no]
        keytext = self.keys[page_no]
        start = keytext.orig_start(ks - base)
        end = keytext.orig_end(ke - base, self.pages[page_no].text)
        return page_no, start, end

    def split_by_page(self, ks: int, ke: int) -> list[tuple[int, int]]:
        """Cut a key range at page boundaries."""
        out: list[tuple[int, int]] = []
        while ks < ke:
            page_end = self.page_end(self.page_of(ks))
            cut = min(ke, page_end)
            if cut > ks:
                out.append((ks, cut))
            ks = cut if cut > ks else ks + 1
        return out

    # --- page geometry -----------------------------------------------------------------------

    def _page_geometry(self, page_no: int) -> tuple[list[Word], list[int], dict[int, LineGeometry]]:
        cached = self._geometry.get(page_no)
        if cached is None:
            words = sorted(self.pages[page_no].words, key=lambda w: w.start)
            starts = [w.start for w in words]
            cached = (words, starts, line_geometry(words))
            self._geometry[page_no] = cached
        return cached

    def line_box(self, k: int) -> tuple[int, LineGeometry] | None:
        """(page number, geometry) of the page line holding key offset `k`, if it has words."""
        page_no = self.page_of(k)
        if not self.keys[page_no].key:
            return None
        _, offset, _ = self.orig_range(k, k + 1)
        words, starts, lines = self._page_geometry(page_no)
        i = bisect_right(starts, offset) - 1
        if i < 0 or words[i].end <= offset:
            return None
        geometry = lines.get(words[i].line)
        return None if geometry is None else (page_no, geometry)

    def words_of(self, page_no: int) -> tuple[list[Word], list[int], dict[int, LineGeometry]]:
        return self._page_geometry(page_no)


# --- cache ------------------------------------------------------------------------------------

_CACHE_DOCS = 64
_CACHE_CHARS = 12_000_000
"""Bounds of the cache: a case's documents stay indexed while a journalist checks an article
against all of them. An index costs about 12 bytes per character of text (measured: 9.9 MB for
500 pages, 0.86 million characters), so the cache holds at most ~150 MB."""
_cache: OrderedDict[tuple[int, ...], tuple[list[weakref.ref[PageText]], list[str], DocIndex]] = (
    OrderedDict()
)
_lock = threading.Lock()


def doc_index(pages: Sequence[PageText]) -> DocIndex:
    """The (cached) index of these pages; rebuilt when a page object or its text changed."""
    ident = tuple(id(p) for p in pages)
    with _lock:
        hit = _cache.get(ident)
        if hit is not None:
            refs, texts, index = hit
            if all(r() is p and p.text is t for r, p, t in zip(refs, pages, texts, strict=True)):
                _cache.move_to_end(ident)
                return index
            del _cache[ident]
    index = DocIndex(pages)
    with _lock:
        _cache[ident] = ([weakref.ref(p) for p in pages], [p.text for p in pages], index)
        while len(_cache) > 1 and (
            len(_cache) > _CACHE_DOCS
            or sum(len(i.key) for _, _, i in _cache.values()) > _CACHE_CHARS
        ):
            _cache.popitem(last=False)
    return index


def clear_cache() -> None:
    """Drop every cached index (the vault was locked: decrypted text must not linger)."""
    with _lock:
        _cache.clear()

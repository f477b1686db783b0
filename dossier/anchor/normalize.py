"""Folding text into a comparison key, with a map back to the original offsets.

Anchoring compares a "key" stream: the letters and digits of the text folded as everywhere else
(`dossier.text.fold`: ligatures, case, accents, "œ"), with every space, punctuation mark, soft
hyphen and line-end hyphen dropped. Two texts that differ only by typography, case, spacing,
hyphenation or punctuation have the same key, so one `str.find` finds a quote whatever happened
to it on the way to print.
Between two digits a punctuation mark is kept as "." so that "3.5" never matches "35".

Word boundaries are kept beside the key (tokens) so a match cannot start or end inside a word, and
line starts are kept so a quote can follow a column or skip a running header.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field

from dossier.text.fold import fold_run

_RUN = re.compile(r"[^\W_]+")
_LAYOUT_GLUE = {"Mn", "Cf"}
"""Combining marks and format characters (soft hyphen, zero-width space) never split a word."""
_DIGIT_GLUE = frozenset(".,:/-‐‑‒–—−'’")
"""Marks kept (as ".") between two digits: "1,400", "3.5", "2018–23", "2007, 96"."""


def _ints() -> array[int]:
    return array("i")


@dataclass
class KeyText:
    """The key of one text (a page or a quote) with everything needed to map it back.

    Offsets are kept in `array("i")`: a 500-page document has some 300,000 runs and words,
    and Python int objects would cost seven times the memory.
    """

    key: str = ""
    run_key: array[int] = field(default_factory=_ints)
    """Key offset where each run of letters/digits starts."""
    run_orig: array[int] = field(default_factory=_ints)
    """Original offset of each run."""
    run_maps: list[tuple[int, ...] | None] = field(default_factory=list)
    """Per-character original offsets for runs whose folding changed the length (else None)."""
    tok_start: array[int] = field(default_factory=_ints)
    tok_end: array[int] = field(default_factory=_ints)
    line_starts: array[int] = field(default_factory=_ints)
    """Key offsets where a new line of the original begins (the first one is 0)."""

    def orig_start(self, k: int) -> int:
        """Original offset of key character `k` (0 <= k < len(key))."""
        i = bisect_right(self.run_key, k) - 1
        mapping = self.run_maps[i]
        if mapping is None:
            return self.run_orig[i] + (k - self.run_key[i])
        return mapping[k - self.run_key[i]]

    def orig_end(self, k_end: int, text: str) -> int:
        """Original end offset (exclusive) of the key range ending at `k_end` (exclusive)."""
        pos = self.orig_start(k_end - 1) + 1
        # A decomposed accent or a ligature's tail belongs to the character just taken.
        while pos < len(text) and unicodedata.category(text[pos]) == "Mn":
            pos += 1
        return pos

    def tokens(self) -> list[str]:
        return [self.key[s:e] for s, e in zip(self.tok_start, self.tok_end, strict=True)]


def _is_glue(sep: str) -> bool:
    return all(unicodedata.category(c) in _LAYOUT_GLUE for c in sep)


def _is_line_hyphen(sep: str, before: str, after: str) -> bool:
    """'inter-\\nnational': a hyphen at a line end followed by a lower-case continuation."""
    if "\n" not in sep or "\n\n" in sep:
        return False
    stripped = "".join(c for c in sep if not c.isspace() and c != "\u00ad")
    if "\u00ad" in sep and not stripped:
        return True  # a soft hyphen is a word break by definition, whatever the case after it
    return stripped in ("-", "‐") and before.isalpha() and after.islower()


def build_keys(text: str) -> KeyText:
    """Fold `text` (a page's canonical text, or a quote) into its key with offset maps."""
    out = KeyText()
    keys: list[str] = []
    klen = 0
    prev_end = 0
    prev_last = ""
    for match in _RUN.finditer(text):
        start, end = match.span()
        folded, mapping = fold_run(match.group(), start)
        if not folded:
            continue  # folds to nothing: read it as punctuation
        sep = text[prev_end:start]
        joined = False
        if not keys:
            out.line_starts.append(0)
        else:
            joined = _is_glue(sep) or _is_line_hyphen(sep, prev_last, text[start])
            glue = sep.strip()
            if (
                not joined
                and prev_last.isdigit()
                and text[start].isdigit()
                and 0 < len(glue) <= 2
                and "\n\n" not in sep
                and all(c in _DIGIT_GLUE for c in glue)
            ):
                # "1,400" / "2018–23" / "3.5": a neutral mark between the digits, outside any
                # word, so that "35" never matches "3.5" and "2007" still ends a word.
                out.tok_end.append(klen)
                out.run_key.append(klen)
                out.run_orig.append(prev_end + sep.index(glue[0]))
                out.run_maps.append(None)
                keys.append(".")
                klen += 1
                out.tok_start.append(klen)
                joined = True
            if "\n" in sep:
                out.line_starts.append(klen)
        if not joined:
            if out.tok_start:
                out.tok_end.append(klen)
            out.tok_start.append(klen)
        out.run_key.append(klen)
        out.run_orig.append(start)
        out.run_maps.append(mapping)
        keys.append(folded)
        klen += len(folded)
        prev_end = end
        prev_last = text[end - 1]
    if out.tok_start:
        out.tok_end.append(klen)
    out.key = "".join(keys)
    return out


# --- the published side -------------------------------------------------------------------

_OPENERS = "\"'«‹“‘„‚‟›»”’"
_CLOSERS = "\"'»›”’‘“«‹"
_OMISSION = re.compile(
    r"\[\s*(?:…|\.\s?\.\s?\.)\s*\]|\(\s*(?:…|\.\s?\.\s?\.)\s*\)|…|\.\s?\.\s?\.(?:\s?\.)*"
)
_EDGE_SPACE = " \t\r\n\u00a0\u2009\u202f\u2007\u200b\ufeff"


def strip_enclosing_quotes(quote: str) -> str:
    """The quote without the quotation marks the article put around it."""
    text = unicodedata.normalize("NFC", quote).strip(_EDGE_SPACE)
    while len(text) >= 2 and text[0] in _OPENERS and text[-1] in _CLOSERS:
        text = text[1:-1].strip(_EDGE_SPACE)
    if text[:1] in "«“„" and text.count(text[0]) == 1 and not any(c in text for c in "»”“"[:2]):
        text = text[1:].strip(_EDGE_SPACE)  # an opening mark whose closing one was cut off
    return text


def split_omissions(core: str) -> tuple[list[str], bool]:
    """Pieces between omission marks, and whether an interior omission was marked.

    A mark at the very start or end only says the quote is a fragment: it is dropped.
    """
    pieces = [p.strip(_EDGE_SPACE) for p in _OMISSION.split(core)]
    kept = [p for p in pieces if _RUN.search(p)]
    return kept, len(kept) > 1


def has_omission_mark(text: str) -> bool:
    return _OMISSION.search(text) is not None


# --- what "verbatim" tolerates --------------------------------------------------------------

_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_SOFT_HYPHEN = re.compile(r"\u00ad\s*")
_SPACES = re.compile(r"\s+")
_SPACE_AROUND_MARKS = re.compile(r" ?([^\w ]) ?")
_LINE_HYPHEN = re.compile(r"(?<=[^\W\d_])[-‐] ?\n ?(?=[^\W\d_])")
_HYPHEN_SLOT = "\x00"


def layout_form(text: str) -> str:
    """The text as a reader sees it: layout artefacts (line breaks, spacing, soft hyphens,
    ligature glyphs) are gone; letters, case and punctuation are untouched. A line-end hyphen
    becomes a slot that may be read as nothing ('inter-national') or as '-' ('self-evident')."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    for lig, plain in _LIGATURES.items():
        if lig in text:
            text = text.replace(lig, plain)
    text = _LINE_HYPHEN.sub(_HYPHEN_SLOT, text)
    # A soft hyphen is invisible unless it breaks a line; some producers even use it for a
    # visible hyphen ("pseudo\u00adAvicenne"), so it too may be read as nothing or as "-".
    text = _SOFT_HYPHEN.sub(_HYPHEN_SLOT, text)
    text = _SPACES.sub(" ", text).strip()
    return _SPACE_AROUND_MARKS.sub(r"\1", text)


def same_layout(published: str, source: str) -> bool:
    """True when `published` reads exactly like `source` (the "verbatim" test)."""
    pub = layout_form(published).replace(_HYPHEN_SLOT, "-")
    src = layout_form(source)
    if _HYPHEN_SLOT not in src:
        return pub == src
    pattern = "-?".join(re.escape(part) for part in src.split(_HYPHEN_SLOT))
    return re.fullmatch(pattern, pub) is not None


def display_text(text: str) -> str:
    """Source text for a diff: soft hyphens (and the line breaks after them) dropped, every
    run of whitespace one space."""
    return " ".join(_SOFT_HYPHEN.sub("", text).split())

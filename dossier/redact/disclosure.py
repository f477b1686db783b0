"""The one gate every string of an export passes through on its way out of the vault.

A `Disclosure` knows the case's marks (terms, patterns, people, boxes) and its protected people,
and returns each string as it may leave, recording what it covered (where, and what kind of
mark, never the covered text). Titles, file names, quotes, speakers, letters, people, timeline
entries, the case name: the export asks the gate for each, and writes only what it returned.

- Protected and anonymous people: each full name and alias, and each distinctive part of them
  (`names.name_parts`: "Quartermaine" alone), becomes the person's pseudonym; e-mail addresses
  and phone numbers written in their record become `[redacted]`.
- Term, pattern and person marks: `[redacted]` (a marked person's name parts too).
- Boxes: a quote anchored in a passage a box covers has the covered words replaced by
  `[…redacted…]`, word by word along its anchor (the quote may be trimmed or retyped: it is
  aligned with the source), and is left out when nothing else would remain; every other
  string loses the box's secrets (`coverage.BoxSecrets`).

The self-check (`bundlecheck`) is a second, separate reading of the finished bundle.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from dossier.redact.coverage import BoxSecrets, Rect, Token, covered_ranges, tokens
from dossier.redact.masking import REDACTED, TextMasker, merge_spans, replace_spans
from dossier.text.model import PageText

BOX_MARKER = "[…redacted…]"


@dataclass(frozen=True)
class Covered:
    """One string the gate changed: where it goes, what kind of mark, how many places."""

    where: str
    what: str
    count: int


@dataclass(frozen=True)
class QuoteSource:
    """One anchored span of a quote: a page of a document and canonical offsets on it."""

    doc_id: str
    page_index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class DisclosedQuote:
    quote_id: str
    text: str | None
    """The quote as it leaves, or None: left out."""
    words: int
    under_boxes: int
    """Words of the quote masked because a box covers them in the source."""
    reason: str = ""
    """Why the text changed or was left out ('' when it leaves as written)."""

    @property
    def left_out(self) -> bool:
        return self.text is None


@dataclass
class Disclosure:
    masker: TextMasker
    secrets: BoxSecrets = field(default_factory=BoxSecrets)
    pages: Mapping[tuple[str, int], PageText] = field(default_factory=dict)
    """Each page holding a box (text and word map), by (doc id, page index)."""
    boxes: Mapping[tuple[str, int], Sequence[Rect]] = field(default_factory=dict)
    records: list[Covered] = field(default_factory=list)

    # -- any string ------------------------------------------------------------------------------

    def text(self, value: str, where: str) -> str:
        """`value` as it may leave the vault; what was covered is recorded under `where`."""
        if not value:
            return value
        spans = self.masker.spans(value)
        found = tokens(value)
        hidden = self.secrets.hidden(found) if self.secrets else []
        spans += _runs(found, hidden, BOX_MARKER)
        return self._apply(value, merge_spans(spans), where, len(hidden))

    def _apply(self, value: str, spans: list[tuple[int, int, str]], where: str, boxed: int) -> str:
        if not spans:
            return value
        named = sum(1 for s in spans if s[2] not in (REDACTED, BOX_MARKER))
        marked = sum(1 for s in spans if s[2] == REDACTED)
        for count, what in (
            (named, "a protected person's name"),
            (marked, "a term, pattern or person mark"),
            (boxed, "words under a box"),
        ):
            if count:
                self.records.append(Covered(where, what, count))
        return replace_spans(value, spans)

    def filename(self, title: str, number: int, where: str, suffix: str = ".pdf") -> str:
        """A bundle file name from a title: gated first, then made plain ASCII."""
        shown = self.text(title, where).replace(BOX_MARKER, " ").replace(REDACTED, " ")
        return f"documents/{number:02d}-{slug(shown)}{suffix}"

    # -- quotes ----------------------------------------------------------------------------------

    def quote(self, quote_id: str, text: str, sources: Sequence[QuoteSource]) -> DisclosedQuote:
        """A quote as it leaves: covered words masked along its anchor, or left out."""
        where = f"quote {quote_id[:8]}"
        found = tokens(text)
        under = self._under_boxes(found, sources)
        hidden = sorted(set(under) | set(self.secrets.hidden(found) if self.secrets else []))
        spans = merge_spans(self.masker.spans(text) + _runs(found, hidden, BOX_MARKER))
        if found and len(hidden) == len(found):
            self.records.append(Covered(where, "words under a box", len(hidden)))
            return DisclosedQuote(
                quote_id,
                None,
                len(found),
                len(hidden),
                "left out: every word of it lies under a redaction box",
            )
        shown = self._apply(text, spans, where, len(hidden))
        reason = ""
        if hidden:
            reason = (
                f"{len(hidden)} of {len(found)} words lie under a redaction box: "
                f"replaced by {BOX_MARKER}"
            )
        elif shown != text:
            reason = "names or marked terms replaced"
        return DisclosedQuote(quote_id, shown, len(found), len(hidden), reason)

    def _under_boxes(self, found: Sequence[Token], sources: Sequence[QuoteSource]) -> list[int]:
        """Indexes of the quote's tokens that align with covered words of its sources."""
        source: list[Token] = []
        flags: list[bool] = []
        for span in sources:
            key = (span.doc_id, span.page_index)
            page = self.pages.get(key)
            ranges = covered_ranges(page, self.boxes.get(key, ())) if page else []
            if page is None or not ranges:
                piece = tokens(span.text)
                source += piece
                flags += [False] * len(piece)
                continue
            for token in tokens(page.text[span.start : span.end]):
                start, end = token.start + span.start, token.end + span.start
                source.append(Token(start, end, token.key))
                flags.append(any(s < end and start < e for s, e in ranges))
        if not any(flags):
            return []
        matcher = difflib.SequenceMatcher(
            None, [t.key for t in found], [t.key for t in source], autojunk=False
        )
        hidden: list[int] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                hidden += [i1 + k for k in range(i2 - i1) if flags[j1 + k]]
            elif tag == "replace" and any(flags[j1:j2]):
                hidden += list(range(i1, i2))
            elif tag == "delete":
                # Words of the quote missing from the source: masked when set beside covered
                # words, since they may restate them.
                near = flags[max(0, j1 - 1) : j1 + 1]
                if any(near):
                    hidden += list(range(i1, i2))
        return hidden


def _runs(found: Sequence[Token], hidden: Sequence[int], marker: str) -> list[tuple[int, int, str]]:
    """One (start, end, marker) per run of consecutive hidden tokens."""
    runs: list[tuple[int, int, str]] = []
    previous = -2
    for index in sorted(hidden):
        token = found[index]
        if index == previous + 1 and runs:
            runs[-1] = (runs[-1][0], token.end, marker)
        else:
            runs.append((token.start, token.end, marker))
        previous = index
    return runs


def slug(text: str, limit: int = 60) -> str:
    """Plain lower-case ASCII words joined by hyphens ('document' when nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:limit].strip("-") or "document"

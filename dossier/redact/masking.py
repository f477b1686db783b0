"""Masking the text Dossier itself writes into an export (manifest, CSV, HTML, file names).

Protected people's names and aliases become their pseudonym, also glued to other letters
(`glued`), and their two-letter parts where these stand for them (`shortnames`); redacted terms
and redacted patterns become `[redacted]`. Matching is the marks' own (`fold`, `patterns`,
`glued`, `shortnames`), so what is blacked out in the PDFs is also what disappears from the
text around them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dossier.redact.glued import GluedFinder
from dossier.redact.initials import with_initials
from dossier.redact.patterns import find_pattern
from dossier.redact.shortnames import ShortFinder, ShortPart
from dossier.text.fold import fold, fold_key
from dossier.text.readings import across_readings

REDACTED = "[redacted]"


@dataclass(frozen=True)
class Replacement:
    key: str
    replacement: str


class TextMasker:
    def __init__(
        self,
        names: Iterable[tuple[str, str]] = (),
        terms: Iterable[str] = (),
        patterns: Iterable[str] = (),
        marked_names: Iterable[str] = (),
        short: Iterable[tuple[ShortPart, str]] = (),
    ) -> None:
        """`names`: (name or alias, pseudonym) pairs; `terms`, `patterns`: what to redact;
        `marked_names`: name parts of people under a person mark (redacted, not pseudonymised);
        `short`: two-letter parts and what replaces them, where they stand for their person
        (`shortnames`). Names are also found glued to other letters (`glued`)."""
        names = list(names)
        marked_names = list(marked_names)
        replacements: dict[str, Replacement] = {}
        for name, pseudonym in names:
            key = fold_key(name)
            if key:
                replacements.setdefault(key, Replacement(key, pseudonym))
        for term in [*terms, *marked_names]:
            key = fold_key(term)
            if key:
                replacements.setdefault(key, Replacement(key, REDACTED))
        # A person's name part also takes the initials written beside it ("P. Léonard").
        self._name_keys = {fold_key(n) for n, _ in names} | {fold_key(n) for n in marked_names}
        # Longest first: "Marie Curie" is replaced whole before "Curie" alone is considered.
        self._replacements = sorted(replacements.values(), key=lambda r: -len(r.key))
        self._patterns = sorted(set(patterns))
        self._glued = GluedFinder.of([*names, *((name, REDACTED) for name in marked_names)])
        self._short = ShortFinder(short)

    def __call__(self, text: str) -> str:
        return self.mask(text)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, replacement) of everything to replace in `text`, in order, merged; also
        what the readings of its tracked changes show ("Quarter[-x-]maine" is a name)."""
        if not text:
            return []
        return merge_spans(across_readings(text, self._found_in))

    def _found_in(self, text: str) -> list[tuple[int, int, str]]:
        spans: list[tuple[int, int, str]] = []
        if self._replacements or self._glued:
            folded = fold(text)
            for rep in self._replacements:
                for k0, k1 in folded.find_all(rep.key):
                    start, end = folded.span(k0, k1)
                    if rep.key in self._name_keys:
                        start, end = with_initials(text, start, end)
                    spans.append((start, end, rep.replacement))
            if self._glued:
                glued = self._glued.find(text, folded)
                spans.extend((*with_initials(text, s, e), str(r)) for s, e, r in glued)
        spans.extend((*with_initials(text, s, e), r) for s, e, r in self._short.find(text))
        for kind in self._patterns:
            spans.extend((s, e, REDACTED) for s, e in find_pattern(kind, text))
        return spans

    def misread_spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, replacement) of the names misread in `text`, a page read by OCR."""
        if not text or not self._glued:
            return []
        return [(s, e, str(r)) for s, e, r in self._glued.find_misread(text, fold(text))]

    def mask(self, text: str) -> str:
        return replace_spans(text, self.spans(text))


def merge_spans(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Earliest start first, the longer of two spans starting together; overlaps merge (the
    first span's replacement is kept)."""
    chosen: list[tuple[int, int, str]] = []
    for start, end, replacement in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if chosen and start < chosen[-1][1]:
            last = chosen[-1]
            chosen[-1] = (last[0], max(last[1], end), last[2])
            continue
        chosen.append((start, end, replacement))
    return chosen


def replace_spans(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """`text` with each (start, end) of `spans` (ordered, disjoint) replaced."""
    out: list[str] = []
    position = 0
    for start, end, replacement in spans:
        out.append(text[position:start])
        out.append(replacement)
        position = end
    out.append(text[position:])
    return "".join(out)

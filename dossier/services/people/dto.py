"""The people feature's data classes: a person as shown, a merge's outcome, and the screen mask
that decides how a case's names are displayed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from dossier.i18n import _
from dossier.jobs import Progress
from dossier.redact.masking import TextMasker, replace_spans
from dossier.redact.shortnames import ShortPart
from dossier.services.dto import KEEP, Edit, Keep
from dossier.text.model import PageText

if TYPE_CHECKING:
    from dossier.services.dto import DocumentInfo


Rect = tuple[float, float, float, float]

FILL = "█"
"""Stands, one for one, for each character of a masked name in page text handed to a viewer."""
BOX_PAD = 0.15
"""Masked word boxes grow by this fraction of their height on every side (OCR boxes are tight)."""


@dataclass(frozen=True)
class ScreenPage:
    """A page as a viewer may show it: masked text, and what to fill on the rendered image."""

    page: PageText
    boxes: list[Rect] = field(default_factory=list)
    """Word boxes (word-map coordinates) of every masked name part: to be filled opaquely."""
    spans: list[tuple[int, int]] = field(default_factory=list)
    """(start, end) of every masked part in the page text."""


@dataclass(frozen=True)
class ScreenMask:
    """How one case's content is shown: display names, and the masking of any text."""

    case_id: str
    revealed: bool
    names: dict[str, str]
    """Person id (merged ids too) -> the name to show."""
    masked_ids: tuple[str, ...] = ()
    """Ids of the people whose names are hidden (or, when revealed, were revealed)."""
    parts: tuple[tuple[str, str], ...] = ()
    """(name part, pseudonym) to replace; empty when revealed."""
    shorts: tuple[tuple[ShortPart, str], ...] = ()
    """(two-letter part, pseudonym) to replace where it stands for its person (`shortnames`)."""

    @property
    def hides(self) -> bool:
        """Whether any name is masked."""
        return bool(self.parts or self.shorts)

    @cached_property
    def _masker(self) -> TextMasker:
        return TextMasker(names=self.parts, short=self.shorts)

    def name(self, person_id: str | None) -> str:
        return self.names.get(person_id, "") if person_id else ""

    def text(self, value: str) -> str:
        """`value` with every masked name part replaced by its person's pseudonym."""
        if not self.hides or not value:
            return value
        return replace_spans(value, self._replacements(value))

    def _replacements(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, pseudonym) of every masked part, including an address or a hashtag
        holding a part glued to other letters ("wquartermaine@example.org"): the export's
        masker does the same, so the screen and the bundle agree."""
        return self._masker.spans(text)

    def texts(self, values: Iterable[str]) -> list[str]:
        return [self.text(v) for v in values]

    def progress(self, progress: Progress) -> Progress:
        """`progress` with its messages masked (they name files coming out of an import)."""

        def inner(fraction: float, message: str) -> None:
            progress(fraction, self.text(message))

        return inner

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where masked name parts occur in `text` (merged, in order)."""
        if not self.hides or not text:
            return []
        return _merged([(start, end) for start, end, _ in self._replacements(text)])

    def snippet(
        self, text: str, highlights: Sequence[tuple[int, int]]
    ) -> tuple[str, tuple[tuple[int, int], ...]]:
        """A search snippet masked, its highlighted ranges moved to match the masked text.

        The names are found in the whole snippet, never piece by piece between highlights: a
        search for "quarter" highlights half of "Quarter-\nmaine", and each half alone is no
        name part."""
        spans = self._replacements(text) if self.hides and text else []
        if not spans:
            return text, tuple(highlights)

        def moved(position: int, *, end: bool) -> int:
            shift = 0
            for start, stop, replacement in spans:
                if position >= stop:
                    shift += len(replacement) - (stop - start)
                elif position > start:  # inside a name: the whole pseudonym is highlighted
                    return start + shift + (len(replacement) if end else 0)
                else:
                    break
            return position + shift

        masked = replace_spans(text, spans)
        return masked, tuple((moved(a, end=False), moved(b, end=True)) for a, b in highlights)

    def page(self, page: PageText) -> ScreenPage:
        spans = self.spans(page.text)
        if page.ocr and self.parts:
            # The scan still shows a name its OCR misread ("Quartermame"): covered too.
            misread = [(start, end) for start, end, _ in self._masker.misread_spans(page.text)]
            spans = _merged([*spans, *misread])
        if not spans:
            return ScreenPage(page)
        chars = list(page.text)
        for start, end in spans:
            for i in range(start, end):
                if chars[i] not in "\n\r":
                    chars[i] = FILL
        boxes: list[Rect] = []
        for word in page.words:
            if any(word.start < end and start < word.end for start, end in spans):
                pad = (word.y1 - word.y0) * BOX_PAD
                boxes.append((word.x0 - pad, word.y0 - pad, word.x1 + pad, word.y1 + pad))
        return ScreenPage(dataclasses.replace(page, text="".join(chars)), boxes, spans)

    def document(self, info: DocumentInfo) -> DocumentInfo:
        """A document's facts with its title, author, outlet, file name, origin, tags and metadata
        masked."""
        if not self.hides:
            return info
        return dataclasses.replace(
            info,
            title=self.text(info.title),
            author=self.text(info.author),
            outlet=self.text(info.outlet),
            filename=self.text(info.filename),
            origin=self.text(info.origin),
            tags=self.texts(info.tags),
            metadata={k: self.text(v) for k, v in info.metadata.items()},
        )


@dataclass(frozen=True)
class PersonInfo:
    """A person as shown. When `masked`, `name` is the pseudonym and identifying fields are
    empty; `reveal=True` calls return the real values with `masked` False."""

    id: str
    case_id: str
    name: str
    role: str
    protection: str
    pseudonym: str
    masked: bool
    aliases: list[str] = field(default_factory=list)
    organisation: str = ""
    notes: str = ""
    merged_into_id: str | None = None


@dataclass(frozen=True)
class MergeOutcome:
    kept: PersonInfo
    dropped_id: str
    links: dict[str, int]
    """How many references of each kind were moved to the kept person."""


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class CaseNameMask:
    """The masks of every case of the vault, to show case names and descriptions."""

    masks: Mapping[str, ScreenMask]
    """Case id -> that case's mask (names hidden, whatever the session's reveal)."""
    unreadable: frozenset[str] = frozenset()
    revealed: frozenset[str] = frozenset()

    def text(self, case_id: str, value: str) -> str:
        """`value` (a name or description of case `case_id`) as the screen may show it."""
        if case_id in self.unreadable:
            return _("case {id} (its people could not be read: run 'dossier fsck')").format(
                id=case_id[:8]
            )
        for owner, mask in self.masks.items():
            if owner != case_id or owner not in self.revealed:
                value = mask.text(value)
        return value

    def sources(self, value: str) -> list[str]:
        """Ids of the cases whose protected people `value` names."""
        return [owner for owner, mask in self.masks.items() if mask.spans(value)]


@dataclass(frozen=True)
class PersonEdit(Edit):
    """What to change in a person; a field left at KEEP is not changed. `aliases` replaces
    the list of other names."""

    name: str | Keep = KEEP
    aliases: Sequence[str] | Keep = KEEP
    role: str | Keep = KEEP
    protection: str | Keep = KEEP
    pseudonym: str | Keep = KEEP
    organisation: str | Keep = KEEP
    notes: str | Keep = KEEP

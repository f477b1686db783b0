"""Counts beside the search filters, as Datashare shows them: for the words searched, how many
documents of each kind, of each year, about each person; a click on a year or a person narrows
the search to it.

Counted over the query without its kind filter (so every kind keeps its count while one is
chosen), on the matching documents (a document with ten hits counts once), up to `SCAN` hits.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from dossier.services import Workspace
from dossier.services.dto import SearchHit
from ui.i18n import tr

SCAN = 500
"""Hits read to count; more than any page of results shows."""
SHOWN = 6
"""Years and people named in the line (the most frequent)."""


@dataclass(frozen=True)
class Facets:
    kinds: dict[str, int] = field(default_factory=dict)
    years: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)
    """Display name (a pseudonym for a masked person) -> documents."""


def count_facets(ws: Workspace, hits: list[SearchHit], case_id: str | None) -> Facets:
    """Documents per kind, year and person among `hits` (on a worker: it reads the catalog)."""
    documents: dict[str, SearchHit] = {}
    for hit in hits:
        if hit.doc_id is not None and hit.item_type == "page":
            documents.setdefault(hit.doc_id, hit)
    kinds = Counter(hit.kind for hit in documents.values())
    years = Counter(hit.date[:4] for hit in documents.values() if hit.date)
    people: Counter[str] = Counter()
    if case_id:
        names = ws.people.display_names(case_id, reveal=ws.screen.revealed(case_id))
        about = {d.id: d.people for d in ws.documents.of_case(case_id)}
        for doc_id in documents:
            for name in {names[p] for p in about.get(doc_id, []) if p in names}:
                people[name] += 1
    return Facets(dict(kinds), dict(years), dict(people))


class FacetLine(QLabel):
    """Years and people with their counts; a click narrows the search."""

    year_chosen = Signal(str)
    person_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAccessibleName(tr("Results by year and person"))
        self.linkActivated.connect(self._chosen)
        self.facets = Facets()

    def show_facets(self, facets: Facets) -> None:
        self.facets = facets
        parts = []
        if facets.years:
            years = sorted(facets.years.items(), key=lambda kv: kv[0], reverse=True)[:SHOWN]
            links = " · ".join(f'<a href="year:{y}">{y}</a> ({n})' for y, n in years)
            parts.append(tr("Years: {years}").format(years=links))
        if facets.people:
            people = sorted(facets.people.items(), key=lambda kv: (-kv[1], kv[0]))[:SHOWN]
            links = " · ".join(
                f'<a href="person:{html.escape(name)}">{html.escape(name)}</a> ({n})'
                for name, n in people
            )
            parts.append(tr("People: {people}").format(people=links))
        self.setText("<br/>".join(parts))
        self.setVisible(bool(parts))

    def _chosen(self, link: str) -> None:
        kind, _, value = link.partition(":")
        if kind == "year":
            self.year_chosen.emit(value)
        elif kind == "person":
            self.person_chosen.emit(html.unescape(value))

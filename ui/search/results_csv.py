"""A search's result list written as CSV, for a spreadsheet or a colleague's notes.

The results as the list shows them: protected people under their pseudonym unless names are
revealed. The file is the journalist's own export (chosen with a save dialog); nothing else is
written. Excel opens UTF-8 with its byte-order mark; every cell starting with =, +, - or @ is
quoted with an apostrophe so no spreadsheet runs it as a formula (a hostile document's words).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from dossier.services.dto import SearchHit
from ui.i18n import tr
from ui.widgets.icons import kind_label

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def results_csv(query: str, hits: list[SearchHit]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [tr("Search"), tr("Rank"), tr("Title"), tr("Kind"), tr("Page"), tr("Date"), tr("Excerpt")]
    )
    for rank, hit in enumerate(hits, start=1):
        page = hit.page_label if hit.page_index is not None else ""
        writer.writerow(
            _cell(str(value))
            for value in (
                query,
                rank,
                hit.title,
                kind_label(hit.kind),
                page,
                hit.date or "",
                " ".join(hit.snippet.split()),
            )
        )
    return out.getvalue()


def write_results(path: Path, query: str, hits: list[SearchHit]) -> None:
    path.write_text("\ufeff" + results_csv(query, hits), encoding="utf-8", newline="")

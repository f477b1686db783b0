"""A search's result list written as CSV, for a spreadsheet or a colleague's notes.

The results as the list shows them: protected people under their pseudonym unless names are
revealed, in the query as in the hits (searching a source's name is how one finds their
documents). The file leaves the vault unencrypted: it is the journalist's own export (chosen
with a save dialog), written whole or not at all, readable by its owner only; nothing else is
written. Excel opens UTF-8 with its byte-order mark; every cell starting with =, +, - or @ is
quoted with an apostrophe so no spreadsheet runs it as a formula (a hostile document's words).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from dossier.fsutil import atomic_write
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


def write_results(
    path: Path, query: str, hits: list[SearchHit], mask: Callable[[str], str]
) -> None:
    """Write the list to `path` (an earlier file stays whole if this fails); `mask` puts
    protected names of the query under their pseudonyms as the hits already are."""
    text = "\ufeff" + results_csv(mask(query), hits)
    # A lone surrogate from a hostile document's text must not stop the list from being saved.
    atomic_write(path, text.encode("utf-8", "replace"))

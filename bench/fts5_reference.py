"""The reference line of the search bench: SQLite FTS5 on the same pages and queries.

FTS5 runs in memory on plain text (public generated text: a benchmark, not a vault), with the
`unicode61` tokenizer folding accents and ranking by bm25. It has no stemming and no fuzzy
search: one- and two-word queries are looked up as typed (so it does less work than Dossier) and
fuzzy queries are not run. The figures say how fast a search can be on this machine and corpus.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterable

from dossier.search.model import IndexItem

_WORD = re.compile(r"[^\s\"()*~]+")


def to_fts5(text: str) -> str | None:
    """The FTS5 query for one of the bench's queries, or None when FTS5 cannot say it."""
    if "~" in text:
        return None
    if text.startswith('"'):
        return '"' + text.strip('"').replace('"', "") + '"'
    parts = []
    for word in _WORD.findall(text):
        prefix = text[text.find(word) + len(word) :].startswith("*")
        parts.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(parts)


class Fts5Reference:
    def __init__(self, items: Iterable[IndexItem]) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE pages USING fts5(item_id UNINDEXED, kind UNINDEXED, "
            "day UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
        started = time.perf_counter()
        with self.db:
            self.db.executemany(
                "INSERT INTO pages VALUES (?, ?, ?, ?)",
                ((i.item_id, i.kind, int((i.date or "0").replace("-", "")), i.text) for i in items),
            )
        self.index_seconds = time.perf_counter() - started

    def search(self, text: str, filtered: bool, limit: int) -> tuple[float, float] | None:
        """Milliseconds for the query (wall-clock, then this thread's CPU), or None when FTS5
        has no equivalent."""
        match = to_fts5(text)
        if match is None:
            return None
        sql = "SELECT item_id FROM pages WHERE pages MATCH ?"
        if filtered:
            sql += " AND kind = 'article' AND day >= 20150101"
        sql += " ORDER BY rank LIMIT ?"
        started, cpu = time.perf_counter(), time.thread_time()
        self.db.execute(sql, (match, limit)).fetchall()
        return (time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000


def time_queries(
    reference: Fts5Reference, queries: dict[str, list[str]], rounds: int, limit: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Each query type's milliseconds, wall-clock then CPU (types FTS5 cannot ask left out)."""
    timings: dict[str, list[float]] = {name: [] for name in queries}
    cpu: dict[str, list[float]] = {name: [] for name in queries}
    for round_number in range(rounds + 1):  # round 0 warms caches
        for name, texts in queries.items():
            for text in texts:
                measured = reference.search(text, name == "filtered", limit)
                if measured is not None and round_number:
                    timings[name].append(measured[0])
                    cpu[name].append(measured[1])
    return (
        {name: values for name, values in timings.items() if values},
        {name: values for name, values in cpu.items() if values},
    )

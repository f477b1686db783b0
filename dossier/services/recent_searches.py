"""The searches a journalist made lately, remembered inside the vault, sealed.

What someone searched for is case content ("Quartermaine", "adresse de la source"): it is kept
in the catalog under the vault's key, never in the app's settings file, and goes with the vault.
Each case has its own list (and one for searches across all cases), most recent first.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from dossier.db.engine import hold_writes
from dossier.db.models import VaultSecret

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

NAME = "recent-searches"
KEEP = 12
"""Searches kept per case."""
ALL_CASES = "*"


class RecentSearches:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def _load(self, row: VaultSecret | None) -> dict[str, list[str]]:
        if row is None or not row.value:
            return {}
        try:
            loaded = json.loads(row.value)
        except ValueError:
            return {}  # authenticated but unreadable (an older format): start afresh
        if not isinstance(loaded, dict):
            return {}
        return {
            str(key): [str(text) for text in value if isinstance(text, str)]
            for key, value in loaded.items()
            if isinstance(value, list)
        }

    def of(self, case_id: str | None) -> list[str]:
        """The searches made in `case_id` (None: across all cases), most recent first."""
        with self.ws.vault.reading() as session:
            return self._load(session.get(VaultSecret, NAME)).get(case_id or ALL_CASES, [])

    def remember(self, case_id: str | None, text: str) -> list[str]:
        """Put `text` first in the list of `case_id` (once); returns the list."""
        text = " ".join(text.split())
        if not text:
            return self.of(case_id)
        with self.ws.vault.session() as session:
            hold_writes(session)  # the lists read are the lists written back, with this one
            row = session.get(VaultSecret, NAME) or VaultSecret(name=NAME)
            lists = self._load(row)
            key = case_id or ALL_CASES
            kept = [text, *(t for t in lists.get(key, []) if t.casefold() != text.casefold())]
            lists[key] = kept[:KEEP]
            row.value = json.dumps(lists, ensure_ascii=False)
            session.add(row)
            session.commit()
            return lists[key]

    def forget(self, case_id: str | None = None) -> None:
        """Empty the list of `case_id` (None: every list)."""
        with self.ws.vault.session() as session:
            hold_writes(session)
            row = session.get(VaultSecret, NAME)
            if row is None:
                return
            lists = self._load(row)
            if case_id is None:
                lists = {}
            else:
                lists.pop(case_id, None)
            row.value = json.dumps(lists, ensure_ascii=False)
            session.commit()

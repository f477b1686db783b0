"""Full-text search over a case, or over every case of the vault.

Callers use only what this package exports; nothing outside `dossier.search` imports Whoosh.
"""

from __future__ import annotations

from dossier.search.facade import IndexDamaged, SearchIndex, search_many
from dossier.search.model import ITEM_TYPES, Hit, IndexItem, SearchFilters

__all__ = [
    "ITEM_TYPES",
    "Hit",
    "IndexDamaged",
    "IndexItem",
    "SearchFilters",
    "SearchIndex",
    "search_many",
]

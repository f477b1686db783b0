"""Full-text search over a case, or over every case of the vault.

Callers use only what this package exports; nothing outside `dossier.search` imports Whoosh.

What it exports is imported when first asked for: an index worker process imports this package
before the module its work is in (`analysed`, `built`, `merging`), and the query side it never
runs (the facade, the catalog's crypto behind it) was two thirds of its imports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dossier.search.facade import IndexDamaged, SearchIndex, search_many
    from dossier.search.model import ITEM_TYPES, Hit, IndexItem, SearchFilters

_EXPORTED_FROM = {
    "IndexDamaged": "facade",
    "SearchIndex": "facade",
    "search_many": "facade",
    "ITEM_TYPES": "model",
    "Hit": "model",
    "IndexItem": "model",
    "SearchFilters": "model",
}

__all__ = [
    "ITEM_TYPES",
    "Hit",
    "IndexDamaged",
    "IndexItem",
    "SearchFilters",
    "SearchIndex",
    "search_many",
]


def __getattr__(name: str) -> Any:
    home = _EXPORTED_FROM.get(name)
    if home is None:
        # Also how `from dossier.search import analysed` finds a submodule not yet imported.
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value

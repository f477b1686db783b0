"""When the collector runs while the vault is open.

A full collection (generation 2) holds the GIL from start to end, so whichever thread runs it,
the GUI thread waits, and it costs a pass over every object the collector has not been told
to leave alone. Three rules keep it out of the way:

- what lives as long as the session (modules, widgets, the workspace) is frozen at unlock;
- during an import no full collection starts by itself (in any thread: the import's, a
  view's read): one ran every few seconds over the rows, the documents shown and the
  catalog read meanwhile, 50-80 ms each; the panel settles the heap after each of its jobs
  instead, when only what that job left is new;
- at lock everything is unfrozen and collected: decrypted data goes with the session.
"""

from __future__ import annotations

import gc
import weakref
from typing import Any

NO_FULL_PASS = 1_000_000
"""Generation 2's threshold during an import: never reached (it counts younger passes)."""


class _Saved:
    full: int | None = None
    """Generation 2's threshold before the import."""


_saved = _Saved()


def settle() -> None:
    """Collect, then set what survived aside from the collector. The collection costs only
    what was made since the last settle; the cyclic garbage it leaves (none, unless made
    since by another thread) is freed at lock."""
    gc.collect()
    gc.freeze()


def importing() -> None:
    """An import starts (or goes on): no full collection until `imported`."""
    if _saved.full is None:
        young, middle, _saved.full = gc.get_threshold()
        gc.set_threshold(young, middle, NO_FULL_PASS)


def imported() -> None:
    """The import ended (or the vault locks): the collector's own schedule again. Only
    generation 2's threshold is set back: the young one is the core's, raised while a job
    reads or stores a file (`dossier.jobs.fewer_collections`), which may end later."""
    if _saved.full is not None:
        young, middle, _full = gc.get_threshold()
        gc.set_threshold(young, middle, _saved.full)
        _saved.full = None


def release_all(session: weakref.ref[Any] | None = None) -> None:
    """At lock: everything collectable again, and collected, the `session` locked included."""
    imported()
    gc.unfreeze()
    gc.collect()
    if session is not None and session() is not None:
        # A Qt object freed by that pass (a job's, a connection's) held, on its C++ side where
        # the collector cannot see, callbacks referring to the session: a cycle with a
        # reference from outside, kept. Garbage only now, it goes with a second pass.
        gc.collect()

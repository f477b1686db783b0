"""Whether anything is frozen out of the collector's sight, known without counting it.

`gc.get_freeze_count()` walks the whole permanent generation, one cache miss per object: asked
before every test it cost 12 ms early in a run and more as the frozen heap grew. The run's
`gc.freeze` and `gc.unfreeze` (the app's own calls included: the window freezes at unlock and
thaws at lock) are wrapped so that the answer is a flag kept as they are called.
"""

from __future__ import annotations

import gc

_freeze, _unfreeze = gc.freeze, gc.unfreeze
_frozen = False


def _freeze_noted() -> None:
    global _frozen
    _freeze()
    _frozen = True


def _unfreeze_noted() -> None:
    global _frozen
    _unfreeze()
    _frozen = False


def frozen() -> bool:
    """Whether the heap has been frozen since it was last thawed."""
    return _frozen


gc.freeze = _freeze_noted
gc.unfreeze = _unfreeze_noted

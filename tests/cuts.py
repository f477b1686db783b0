"""Every cut of a file, read: the cuts that read as anything other than the whole file (a
refusal is fine; a partial picture, or another exception, is not)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from dossier.errors import InputRefused

Read = TypeVar("Read")


def partial_cuts(data: bytes, cuts: Iterable[int], read: Callable[[bytes], Read]) -> list[int]:
    """The lengths in `cuts` at which `data` cut short reads otherwise than whole."""
    whole = read(data)
    partial = []
    for cut in cuts:
        try:
            if read(data[:cut]) != whole:
                partial.append(cut)
        except InputRefused:
            continue
    return partial

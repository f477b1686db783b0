"""Padded lengths: what a sealed value's size may tell of the size of what it holds.

Padmé (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and Communication with
PURBs", 2019) rounds a length up so that only the top bits of its exponent remain: at most 12%
more, and many sizes share each padded size. Originals (`sealedfile`) and sealed catalog values
(`aead.seal_padded`) are padded with it, so that someone holding a leaked document cannot pick
its traces out of a seized vault by their sizes.
"""

from __future__ import annotations


def padme(total: int) -> int:
    """`total` rounded up to its Padmé length (itself for lengths below 2)."""
    if total < 2:
        return total
    exponent = total.bit_length() - 1
    low = max(0, exponent - exponent.bit_length())
    mask = (1 << low) - 1
    return (total + mask) & ~mask

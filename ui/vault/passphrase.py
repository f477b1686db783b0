"""Passphrase strength for the vault creation screen: the core's estimate, translated labels.

Deliberately conservative: it only ever under-rates. It is a hint, not a gate; the real
protection is Argon2id with the parameters calibrated at vault creation.
"""

from __future__ import annotations

from dataclasses import dataclass

from dossier.services.constants import strength_score
from ui.i18n import N_, tr


@dataclass(frozen=True)
class Strength:
    score: int
    """0 (very weak) to 4 (very strong)."""
    bits: float
    label: str
    hint: str


LABELS = (N_("Very weak"), N_("Weak"), N_("Fair"), N_("Strong"), N_("Very strong"))


def strength(passphrase: str) -> Strength:
    score, bits = strength_score(passphrase)
    if score >= 3:
        hint = tr("Good. Write it down somewhere safe: it cannot be recovered.")
    elif score == 2:
        hint = tr("Acceptable. Five or more random words would be stronger.")
    else:
        hint = tr("Too easy to guess. Use four or more random words, or 14+ mixed characters.")
    return Strength(score=score, bits=bits, label=tr(LABELS[score]), hint=hint)

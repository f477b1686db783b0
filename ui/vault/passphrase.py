"""A rough passphrase strength estimate for the vault creation screen (no Qt, no network).

Deliberately conservative: it only ever under-rates. It is a hint, not a gate; the real
protection is Argon2id with the parameters calibrated at vault creation.
"""

from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass

from ui.i18n import N_, tr

# The handful of choices every cracking list starts with.
_COMMON = {
    "password", "motdepasse", "123456", "12345678", "azerty", "qwerty", "soleil", "bonjour",
    "letmein", "welcome", "iloveyou", "admin", "dossier", "secret", "journaliste",
}  # fmt: skip
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "azertyuiop", "qwertyuiop")


@dataclass(frozen=True)
class Strength:
    score: int
    """0 (very weak) to 4 (very strong)."""
    bits: float
    label: str
    hint: str


def _pool(text: str) -> int:
    pool = 0
    if any(c in string.ascii_lowercase for c in text):
        pool += 26
    if any(c in string.ascii_uppercase for c in text):
        pool += 26
    if any(c in string.digits for c in text):
        pool += 10
    if any(c in string.punctuation or c == " " for c in text):
        pool += 33
    if any(ord(c) > 127 for c in text):
        pool += 60
    return max(pool, 1)


def _sequential_run(text: str) -> int:
    """Characters that continue a keyboard or alphabet run (cost an attacker nothing)."""
    lowered = text.lower()
    count = 0
    for i in range(1, len(lowered)):
        pair = lowered[i - 1 : i + 1]
        if pair[0] == pair[1] or any(pair in seq or pair[::-1] in seq for seq in _SEQUENCES):
            count += 1
    return count


def estimate_bits(passphrase: str) -> float:
    if not passphrase:
        return 0.0
    words = [w for w in re.split(r"[\s\-_.,;:]+", passphrase) if w]
    if passphrase.lower().strip() in _COMMON:
        return 5.0
    if len(words) >= 3 and all(w.isalpha() for w in words):
        # Words from a vocabulary of ~8,000 (13 bits) if random; count 12 to stay modest.
        return 12.0 * len(words) + 1.0 * sum(1 for w in words if len(w) > 6)
    effective = len(passphrase) - _sequential_run(passphrase)
    effective -= len(passphrase) - len(set(passphrase.lower())) if len(passphrase) > 4 else 0
    effective = max(1, effective)
    return effective * math.log2(_pool(passphrase)) * 0.8


LABELS = (N_("Very weak"), N_("Weak"), N_("Fair"), N_("Strong"), N_("Very strong"))
THRESHOLDS = (28.0, 40.0, 56.0, 72.0)


def strength(passphrase: str) -> Strength:
    bits = estimate_bits(passphrase)
    score = sum(1 for limit in THRESHOLDS if bits >= limit)
    if score >= 3:
        hint = tr("Good. Write it down somewhere safe: it cannot be recovered.")
    elif score == 2:
        hint = tr("Acceptable. Five or more random words would be stronger.")
    else:
        hint = tr("Too easy to guess. Use four or more random words, or 14+ mixed characters.")
    return Strength(score=score, bits=bits, label=tr(LABELS[score]), hint=hint)

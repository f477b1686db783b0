"""The rule for a new vault passphrase, and a strength estimate: one place for every front end.

`dossier init`, `dossier passwd` and the app refuse a passphrase shorter than
`MIN_PASSPHRASE_LENGTH` with the same sentence. The estimate only ever under-rates: it is a
hint, not a gate; the real protection is Argon2id.
"""

from __future__ import annotations

import math
import re
import string

from dossier.errors import UsageError

MIN_PASSPHRASE_LENGTH = 8

# The handful of choices every cracking list starts with.
_COMMON = {
    "password", "motdepasse", "123456", "12345678", "azerty", "qwerty", "soleil", "bonjour",
    "letmein", "welcome", "iloveyou", "admin", "dossier", "secret", "journaliste",
}  # fmt: skip
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "azertyuiop", "qwertyuiop")
THRESHOLDS = (28.0, 40.0, 56.0, 72.0)
"""Bits for scores 1..4 (0 very weak, 4 very strong)."""


def passphrase_problem(passphrase: str) -> str | None:
    """Why `passphrase` cannot protect a vault, as one sentence, or None."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        return f"the passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters"
    if passphrase.lower().strip() in _COMMON:
        return "this passphrase is on every cracking list; choose another"
    return None


def check_new_passphrase(passphrase: str) -> None:
    problem = passphrase_problem(passphrase)
    if problem is not None:
        raise UsageError(problem)


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


def strength_score(passphrase: str) -> tuple[int, float]:
    """(score 0..4, estimated bits)."""
    bits = estimate_bits(passphrase)
    return sum(1 for limit in THRESHOLDS if bits >= limit), bits


def strength_hint(passphrase: str) -> str:
    score, _bits = strength_score(passphrase)
    if score >= 3:
        return "good; write it down somewhere safe: it cannot be recovered"
    if score == 2:
        return "acceptable; five or more random words would be stronger"
    return "too easy to guess; use four or more random words, or 14+ mixed characters"

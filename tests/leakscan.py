"""Scan folders for plaintext that must never reach the disk."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pytest


def private_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp folder of the test's own, where every temporary file goes, to be scanned."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


def needles_for(words: Iterable[str]) -> dict[str, list[bytes]]:
    found: dict[str, list[bytes]] = {}
    for word in words:
        forms = {word, word.lower(), word.upper()}
        encoded: list[bytes] = []
        for form in forms:
            for codec in ("utf-8", "utf-16-le", "utf-16-be"):
                encoded.append(form.encode(codec))
        found[word] = encoded
    return found


def hash_needles(files: Iterable[Path]) -> dict[str, list[bytes]]:
    needles: dict[str, list[bytes]] = {}
    for path in files:
        digest = hashlib.sha256(path.read_bytes()).digest()
        needles[f"sha256({path.name})"] = [
            digest,
            digest.hex().encode(),
            digest.hex().upper().encode(),
        ]
    return needles


def scan(roots: Iterable[Path], needles: dict[str, list[bytes]]) -> list[str]:
    """Every (file, needle) where the needle occurs, case-insensitively for ASCII."""
    roots = list(roots)
    # A vault's background work (an index merge) may replace files while they are read: a file
    # gone between the listing and its reading means its successor may be missing from the
    # listing, so the whole scan starts again rather than skip it.
    for _attempt in range(20):
        try:
            return _scan_once(roots, needles)
        except FileNotFoundError:
            continue
    raise AssertionError(f"files kept vanishing under {roots} while they were scanned")


def _scan_once(roots: list[Path], needles: dict[str, list[bytes]]) -> list[str]:
    hits: list[str] = []
    for root in roots:
        if not root.exists():
            continue
        files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        for path in files:
            data = path.read_bytes()
            lowered = data.lower()
            for name, forms in needles.items():
                if any(form in data or form.lower() in lowered for form in forms):
                    hits.append(f"{path}: {name}")
    return hits

"""Dossier: an offline, encrypted case archive for investigative journalists."""

from __future__ import annotations

__version__ = "0.1.0"

"""Use cases over an unlocked vault: plain dataclasses in and out (the UI and CLI use only this)."""

from __future__ import annotations

from dossier.services.workspace import Workspace

__all__ = ["Workspace"]

"""What the app remembers between runs (QSettings): window layout and preferences only.

Never case content: recent vaults are remembered by folder path, never by case or document
name, and nothing read from a vault is stored here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from dossier.services.letters.dto import DEFAULT_JURISDICTION
from dossier.services.letters.jurisdictions import JURISDICTIONS

JURISDICTION_CODES = frozenset(j.code for j in JURISDICTIONS)
MAX_RECENT = 8
DEFAULT_IDLE_MINUTES = 10


class AppSettings:
    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings("Dossier", "Dossier")

    # -- recent vaults ------------------------------------------------------------------------

    def recent_vaults(self) -> list[Path]:
        raw: Any = self.store.value("vaults/recent", [])
        if isinstance(raw, str):  # QSettings returns a lone string for a one-item list
            raw = [raw]
        return [Path(p) for p in raw or [] if p]

    def add_recent_vault(self, folder: Path) -> None:
        path = str(Path(folder).resolve())
        kept = [str(p) for p in self.recent_vaults() if str(p) != path]
        self.store.setValue("vaults/recent", [path, *kept][:MAX_RECENT])

    def forget_vault(self, folder: Path) -> None:
        path = str(Path(folder).resolve())
        self.store.setValue(
            "vaults/recent", [str(p) for p in self.recent_vaults() if str(p) != path]
        )

    # -- preferences --------------------------------------------------------------------------

    @property
    def idle_minutes(self) -> int:
        """Minutes without input before the vault locks itself; 0 means never."""
        value: Any = self.store.value("security/idle_minutes", DEFAULT_IDLE_MINUTES)
        try:
            return max(0, int(value))
        except (TypeError, ValueError):
            return DEFAULT_IDLE_MINUTES

    @idle_minutes.setter
    def idle_minutes(self, minutes: int) -> None:
        self.store.setValue("security/idle_minutes", max(0, int(minutes)))

    @property
    def language(self) -> str:
        value = str(self.store.value("ui/language", "auto"))
        return value if value in ("auto", "en", "fr") else "auto"

    @language.setter
    def language(self, value: str) -> None:
        self.store.setValue("ui/language", value)

    @property
    def jurisdiction(self) -> str:
        """Where new letters' recipients are by default, for working-day deadlines."""
        value = str(self.store.value("letters/jurisdiction", DEFAULT_JURISDICTION))
        return value if value in JURISDICTION_CODES else DEFAULT_JURISDICTION

    @jurisdiction.setter
    def jurisdiction(self, code: str) -> None:
        self.store.setValue("letters/jurisdiction", code)

    # -- window layout ------------------------------------------------------------------------

    def layout(self, name: str) -> QByteArray | None:
        value = self.store.value(f"window/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_layout(self, name: str, state: QByteArray) -> None:
        self.store.setValue(f"window/{name}", state)

    def sync(self) -> None:
        self.store.sync()

"""Where a letter's recipient is: the choice of jurisdiction, and what it did to a deadline.

The jurisdiction decides which public holidays a deadline in working days skips; the letters
tab shows it beside the deadline, with the holidays that moved it in the tooltip.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from dossier.services.letters.dto import DEFAULT_JURISDICTION, Jurisdiction, LetterInfo
from dossier.services.letters.jurisdictions import JURISDICTIONS, jurisdiction
from dossier.services.letters.jurisdictions import place_name as core_place_name
from ui.i18n import tr
from ui.state import AppState


def place_name(place: Jurisdiction) -> str:
    """The jurisdiction's name in the interface's language (the core's, as the CLI shows it)."""
    return core_place_name(place)


def jurisdiction_box(current: str) -> QComboBox:
    """Every jurisdiction Dossier knows, `current` selected."""
    box = QComboBox()
    box.setAccessibleName(tr("Jurisdiction"))
    for place in JURISDICTIONS:
        box.addItem(f"{place_name(place)} ({place.code})", place.code)
    box.setCurrentIndex(max(0, box.findData(current)))
    return box


def default_jurisdiction(state: AppState) -> str:
    """The jurisdiction of new letters chosen in Preferences (metropolitan France if none)."""
    return state.settings.jurisdiction if state.settings is not None else DEFAULT_JURISDICTION


def deadline_text(letter: LetterInfo) -> str:
    """The deadline, with the jurisdiction beside it when it counts working days."""
    if not letter.deadline:
        return ""
    if not letter.working_days:
        return letter.deadline
    return f"{letter.deadline} · {letter.jurisdiction}"


def deadline_tooltip(letter: LetterInfo) -> str:
    """How a working-day deadline was counted, and the holidays that moved it."""
    if not (letter.deadline and letter.working_days):
        return ""
    lines = [
        tr("{days} working days in {place}").format(
            days=letter.deadline_days, place=place_name(jurisdiction(letter.jurisdiction))
        )
    ]
    if letter.deadline_holidays:
        lines.append(tr("Public holidays that moved the deadline:"))
        lines += [f"{day}  {name}" for day, name in letter.deadline_holidays]
    else:
        lines.append(tr("No public holiday moved the deadline."))
    return "\n".join(lines)

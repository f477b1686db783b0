"""Where a letter's recipient is: the choice of jurisdiction, and what it did to a deadline.

The jurisdiction decides which public holidays a deadline in working days skips; the letters
tab shows it beside the deadline, with the holidays that moved it in the tooltip.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from dossier.services.letters.dto import DEFAULT_JURISDICTION, Jurisdiction, LetterInfo
from dossier.services.letters.jurisdictions import JURISDICTIONS, jurisdiction
from ui.i18n import N_, tr
from ui.state import AppState

_NAMES = {
    "FR": N_("France (metropolitan)"),
    "FR-AM": N_("France: Alsace-Moselle"),
    "FR-GP": N_("France: Guadeloupe"),
    "FR-MQ": N_("France: Martinique"),
    "FR-GF": N_("France: Guyane"),
    "FR-RE": N_("France: La Réunion"),
    "FR-YT": N_("France: Mayotte"),
    "BE": N_("Belgium"),
    "LU": N_("Luxembourg"),
    "CA-QC": N_("Canada: Québec"),
    "CA": N_("Canada (federal)"),
    "GB-ENG": N_("United Kingdom: England"),
    "GB-WLS": N_("United Kingdom: Wales"),
    "GB-SCT": N_("United Kingdom: Scotland"),
    "GB-NIR": N_("United Kingdom: Northern Ireland"),
    "US": N_("United States (federal)"),
}


def place_name(place: Jurisdiction) -> str:
    """The jurisdiction's name in the interface's language (cantons keep their own names)."""
    if place.country == "CH":
        canton = place.label.split(": ", 1)[-1]
        return tr("Switzerland: {canton}").format(canton=canton)
    return tr(_NAMES.get(place.code, place.label))


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

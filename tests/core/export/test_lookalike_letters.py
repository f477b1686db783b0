"""A name spelt with letters of another script drawn like Latin ones ("Quаrtermаine" with two
Cyrillic "а", "Ηyacinthe" with a Greek "Η", "QUᎪᎡᎢᎬᎡᎷᎪIΝᎬ" in Cherokee, "Quɑrtermɑine" with
a Latin alpha, Lisu's capitals), or in small capitals or letters in squares and
circles as social media posts spell it, is the name to the eye: the export hides it.

A Cyrillic or Greek keyboard layout left on by mistake, or a name spelt so on purpose to pass
filters, gave characters no mark matched: the bundle showed the name whole, in the typeset
document and in the quotes written beside it, and the self-check passed. The recipient reads
such letters as the Latin ones they look like (`tests.recipient`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.services.workspace import Workspace
from dossier.text.readings import readings
from tests.core.export.spelt import exported_note, findings_in_quotes
from tests.recipient import fold

SPELT = {
    "Cyrillic a": "Quаrtermаine",
    "Cyrillic capital": "QUАRTЕRMАINЕ",
    "Greek capital eta": "Ηyacinthe Quartermaine",
    "Cyrillic e and o": "Hyacinthе Quartеrmainе",
    "Latin alpha": "Quɑrtermɑine",
    "Cherokee capitals": "QUᎪᎡᎢᎬᎡᎷᎪIΝᎬ",
    "Cherokee small": "Hyacinthe Quartermaine".replace("a", "ꭺ").replace("e", "ꭼ"),
    "Lisu": "Qꓴꓮꓣꓔꓰꓣꓟꓮꓲꓠꓰ",
    "Greek lunate sigma, Armenian ho": "Hyaϲinthe Quartermaine".replace("h", "հ"),
    # What social media "fancy text" spells a name in, symbols to a search.
    "small capitals": "ʜʏᴀᴄɪɴᴛʜᴇ ǫᴜᴀʀᴛᴇʀᴍᴀɪɴᴇ",
    "black squares": "🆀🆄🅰🆁🆃🅴🆁🅼🅰🅸🅽🅴",
    "circled": "ⓆⓊⒶⓇⓉⒺⓇⓂⒶⒾⓃⒺ",
    "regional indicators": "\u200b".join("🇶🇺🇦🇷🇹🇪🇷🇲🇦🇮🇳🇪"),
}


@pytest.mark.parametrize("spelt", SPELT.values(), ids=SPELT.keys())
def test_a_name_in_lookalike_letters_does_not_leave(
    workspace: Workspace, tmp_path: Path, spelt: str
) -> None:
    line = f"Le témoin {spelt} a parlé au juge."
    exported_note(workspace, tmp_path, line, f"Selon {spelt}, rien")


def test_the_self_check_reads_lookalike_letters() -> None:
    assert findings_in_quotes("Selon Quаrtermаine, rien") == {"a protected person's name"}


def test_a_lookalike_reading_keeps_the_text_s_positions() -> None:
    text = "Le témoin Quаrtermаine a parlé."
    (latin,) = readings(text)
    assert latin.text == "Le témoin Quartermaine a parlé."
    assert latin.span(10, 22) == (10, 22)
    assert fold("Quаrtermаine") != fold("Quartermaine")  # a search alone does not see it

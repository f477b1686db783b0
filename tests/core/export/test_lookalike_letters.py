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

import io
import zipfile
from pathlib import Path

import pytest

from dossier.redact.bundlecheck import Watchlist, check_bundle, needles
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from dossier.text.readings import readings
from tests.recipient import fold, leaks, read_bundle

NAME = "Hyacinthe Quartermaine"
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
    case = workspace.cases.create("Lettres").id
    text = f"Le témoin {spelt} a parlé au juge.\nUne ligne ordinaire reste lisible.\n"
    doc = workspace.documents.import_bytes(case, text.encode(), "note.txt")
    workspace.people.add(case, NAME, protection="protected")
    workspace.quotes.add(case, f"Selon {spelt}, rien", source=doc.id)
    out = tmp_path / "bundle.zip"
    assert workspace.exports.export(ExportRequest(case=case, out=out)).selfcheck.ok
    assert leaks(out, [NAME, "Quartermaine", "Hyacinthe"]) == []
    assert "une ligne ordinaire reste lisible" in " ".join(read_bundle(out).values())


def test_the_self_check_reads_lookalike_letters() -> None:
    found = needles(Watchlist(people=[("a protected person's name", [NAME])]), lambda d: [])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("quotes.csv", "text\nSelon Quаrtermаine, rien\n")
    report = check_bundle(buffer.getvalue(), found, {})
    assert {f.what for f in report.findings} == {"a protected person's name"}


def test_a_lookalike_reading_keeps_the_text_s_positions() -> None:
    text = "Le témoin Quаrtermаine a parlé."
    (latin,) = readings(text)
    assert latin.text == "Le témoin Quartermaine a parlé."
    assert latin.span(10, 22) == (10, 22)
    assert fold("Quаrtermаine") != fold("Quartermaine")  # a search alone does not see it

"""A name spelt backwards behind a right-to-left override ("\u202eeniamretrauQ") shows the name
on the page, and the export hides it.

The override sets the letters after it from right to left: the characters are "eniamretrauQ",
the typeset page and the screen show "Quartermaine". No mark matched the characters: the
bundle showed the name whole, in the typeset document and in the quotes beside it, and the
self-check passed. The recipient reads what the page lays out (`tests.recipient`).
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
from tests.recipient import leaks, read_bundle

NAME = "Hyacinthe Quartermaine"
OVERRIDDEN = {
    "surname": "Hyacinthe \u202eeniamretrauQ\u202c",
    "whole name, to the line's end": "\u202eeniamretrauQ ehtnicayH",
    "inside a word": "Hyacinthe Quar\u202eeniamret\u202c",
}


@pytest.mark.parametrize("spelt", OVERRIDDEN.values(), ids=OVERRIDDEN.keys())
def test_a_name_behind_an_override_does_not_leave(
    workspace: Workspace, tmp_path: Path, spelt: str
) -> None:
    case = workspace.cases.create("Ordre").id
    text = f"Le témoin {spelt}\nUne ligne ordinaire reste lisible.\n"
    doc = workspace.documents.import_bytes(case, text.encode(), "note.txt")
    workspace.people.add(case, NAME, protection="protected")
    workspace.quotes.add(case, f"Selon {spelt}", source=doc.id)
    out = tmp_path / "bundle.zip"
    assert workspace.exports.export(ExportRequest(case=case, out=out)).selfcheck.ok
    assert leaks(out, [NAME, "Quartermaine", "Hyacinthe"]) == []
    assert "une ligne ordinaire reste lisible" in " ".join(read_bundle(out).values())


def test_the_self_check_reads_what_an_override_lays_out() -> None:
    found = needles(Watchlist(people=[("a protected person's name", [NAME])]), lambda d: [])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("quotes.csv", "text\nSelon \u202eeniamretrauQ\u202c, rien\n")
    report = check_bundle(buffer.getvalue(), found, {})
    assert {f.what for f in report.findings} == {"a protected person's name"}


def test_an_overridden_reading_maps_back_to_the_letters_it_turns() -> None:
    text = "Le témoin \u202eeniamretrauQ\u202c a parlé."
    (shown,) = readings(text)
    start = shown.text.index("Quartermaine")
    assert text[slice(*shown.span(start, start + 12))] == "eniamretrauQ"

"""A name spelt backwards behind a right-to-left override ("\u202eeniamretrauQ") shows the name
on the page, and the export hides it.

The override sets the letters after it from right to left: the characters are "eniamretrauQ",
the typeset page and the screen show "Quartermaine". No mark matched the characters: the
bundle showed the name whole, in the typeset document and in the quotes beside it, and the
self-check passed. The recipient reads what the page lays out (`tests.recipient`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.services.workspace import Workspace
from dossier.text.readings import readings
from tests.core.export.spelt import exported_note, findings_in_quotes

OVERRIDDEN = {
    "surname": "Hyacinthe \u202eeniamretrauQ\u202c",
    "whole name, to the line's end": "\u202eeniamretrauQ ehtnicayH",
    "inside a word": "Hyacinthe Quar\u202eeniamret\u202c",
}


@pytest.mark.parametrize("spelt", OVERRIDDEN.values(), ids=OVERRIDDEN.keys())
def test_a_name_behind_an_override_does_not_leave(
    workspace: Workspace, tmp_path: Path, spelt: str
) -> None:
    exported_note(workspace, tmp_path, f"Le témoin {spelt}", f"Selon {spelt}")


def test_the_self_check_reads_what_an_override_lays_out() -> None:
    findings = findings_in_quotes("Selon \u202eeniamretrauQ\u202c, rien")
    assert findings == {"a protected person's name"}


def test_an_overridden_reading_maps_back_to_the_letters_it_turns() -> None:
    text = "Le témoin \u202eeniamretrauQ\u202c a parlé."
    (shown,) = readings(text)
    start = shown.text.index("Quartermaine")
    assert text[slice(*shown.span(start, start + 12))] == "eniamretrauQ"

"""The initials written before a protected name go with it: "P. Léonard" leaves no "P." beside
the mask, in the exported PDF (under the box), in the text Dossier writes, or on screen.

Found by attack: search snippets showed "P. Source A", the first letter of the person's first
name beside the pseudonym; the same "P." stood beside the box in an exported PDF.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dossier.redact.initials import with_initials
from dossier.redact.masking import TextMasker
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.pdfgen import text_page, write_pdf
from tests.recipient import read_bundle

PROTECTED = "Patrick Léonard"
LINES = ("Selon P. Léonard, le marché est signé.", "J.-P. Léonard confirme la date.")


def test_initials_before_a_name_are_part_of_it() -> None:
    cases = {
        "selon P. Léonard": "P. Léonard",
        "J.-P. Léonard": "J.-P. Léonard",
        "A. B. Léonard": "A. B. Léonard",
        "P Léonard": "P Léonard",
        "x P.Léonard": "P.Léonard",
        # Not initials: a word, an abbreviation of two letters, a lower-case letter.
        "Dr Léonard": "Léonard",
        "le maire Léonard": "Léonard",
        "UN Léonard": "Léonard",
        "a Léonard": "Léonard",
    }
    for text, kept in cases.items():
        start = text.index("Léonard")
        assert text[with_initials(text, start, len(text))[0] :] == kept, text


def test_the_mask_takes_the_initials() -> None:
    masker = TextMasker(names=[("Patrick", "Source A"), ("Léonard", "Source A")])
    assert masker.mask(LINES[0]) == "Selon Source A, le marché est signé."
    assert masker.mask(LINES[1]) == "Source A confirme la date."


ACROSS_LINES = ("Témoignage recueilli auprès de P.", "Léonard le 3 mai.", "Liste : LÉONARD P.")


@pytest.mark.parametrize(
    ("lines", "initials", "kept"),
    [
        (LINES, r"selon p|de p|j p", "confirme la date"),
        # A line ending with the initial, the next one with the name; an initial after it.
        (ACROSS_LINES, r"aupres de p|liste leonard|liste p", "le 3 mai"),
    ],
)
def test_the_exported_pdf_and_its_text_keep_no_initial(
    workspace: Workspace, tmp_path: Path, lines: tuple[str, ...], initials: str, kept: str
) -> None:
    case = workspace.cases.create("Affaire").id
    pdf = write_pdf(tmp_path / "memo.pdf", [text_page("\n".join(lines))])
    workspace.documents.import_file(case, pdf, title="Note de P. Léonard")
    workspace.people.add(case, PROTECTED, protection="protected", pseudonym="Source A")
    out = tmp_path / "out.zip"
    result = workspace.exports.export(ExportRequest(case=case, out=out))
    assert result.selfcheck.ok
    texts = read_bundle(out)
    # The bundle read as a recipient does: folded, punctuation gone ("Selon P." is "selon p").
    found = re.compile(rf"\b(?:{initials})\b")
    holding = [name for name, text in texts.items() if found.search(text)]
    assert holding == [], holding
    assert any(kept in text for text in texts.values())  # only the name went


def test_the_screen_mask_takes_the_initials(workspace: Workspace, tmp_path: Path) -> None:
    case = workspace.cases.create("Affaire").id
    pdf = write_pdf(tmp_path / "memo.pdf", [text_page("\n".join(LINES))])
    doc = workspace.documents.import_file(case, pdf, title="Memo")
    workspace.people.add(case, PROTECTED, protection="protected", pseudonym="Source A")
    mask = workspace.screen.mask(case)
    (page,) = workspace.documents.pages(doc.id)
    screen = mask.page(page)
    shown = screen.page.text
    assert "P." not in shown and "Léonard" not in shown and "confirme" in shown, shown
    assert len(screen.boxes) >= 4  # "P." and "Léonard", "J.-P." and "Léonard" are filled
    assert mask.text("Note de P. Léonard") == "Note de Source A"

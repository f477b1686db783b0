"""A case with a protected person whose names appear everywhere: for the screen-masking tests.

"Wilhelmina Quartermaine" (protected, alias "Quartz") is named on a scanned page (image only,
read by OCR), on a PDF page with a text layer, in a text document, in a document title, a
quote, a letter's subject and question, a timeline entry and another person's notes.

`vault_copy` gives a test a vault holding the case: a copy of one built once per test process
(the scanned page's OCR is most of a build's cost), for tests that do not build it themselves.
"""

from __future__ import annotations

import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.pdf.ocr import tessdata_dir
from dossier.services.workspace import Workspace
from dossier.text.fold import contains_term
from dossier.vault.seen import STATE_ENV
from tests.clirun import PASSPHRASE
from tests.pdfgen import scanned_page, text_page, write_pdf
from tests.runshared import built_once

CASE = "Affaire du dépôt"
NAME = "Wilhelmina Quartermaine"
ALIAS = "Quartz"
PARTS = ("Wilhelmina", "Quartermaine", "Quartz")
PSEUDONYM = "Source A"
SCANNED = "Note signée par Wilhelmina Quartermaine pour le dépôt."
TYPED = "Le rapport de Quartermaine cite le chantier du dépôt."
NOTE_TEXT = "Entretien avec Quartermaine, dite Quartz, au sujet du chantier du dépôt."


@dataclass(frozen=True)
class ScreenCase:
    case_id: str
    person_id: str
    memo_id: str
    note_id: str


def leaked(text: str) -> list[str]:
    """The name parts `text` holds, whatever their case, accents or layout."""
    return [part for part in PARTS if contains_term(text, part)]


def build(ws: Workspace, folder: Path) -> ScreenCase:
    if tessdata_dir() is None:  # CI installs it (.ci/run); the scanned page needs OCR
        pytest.skip("Tesseract fra/eng data not installed")
    case = ws.cases.create(CASE)
    person = ws.people.add(CASE, NAME, aliases=[ALIAS], role="source", protection="protected")
    ws.people.add(
        CASE, "Paul Durand", role="official", notes="Rencontré grâce à Quartermaine en mars."
    )
    folder.mkdir(parents=True, exist_ok=True)
    memo = write_pdf(
        folder / "memo.pdf",
        [scanned_page(SCANNED, fontsize=20), text_page(TYPED)],
    )
    memo_info = ws.documents.import_file(
        CASE, memo, kind="source", title="Memo from Quartermaine", date="2024-03-01"
    )
    note = folder / "entretien.txt"
    note.write_text(NOTE_TEXT, encoding="utf-8")
    note_info = ws.documents.import_file(CASE, note, kind="note", date="2024-03-02")
    ws.quotes.add(
        CASE,
        "Entretien avec Quartermaine",
        speaker="Paul Durand",
        source=note_info.id,
        said_on="2024-03-02",
        notes="Quartz l'a confirmé.",
    )
    ws.letters.add(
        CASE,
        sender="Paul Durand",
        recipients=[NAME],
        questions=["Connaissez-vous Wilhelmina Quartermaine ?"],
        sent_on="2024-03-05",
        subject="Au sujet de Quartermaine",
    )
    ws.timeline.add_entry(CASE, when="2024-03-06", title="Appel de Quartermaine", kind="call")
    return ScreenCase(case.id, person.id, memo_info.id, note_info.id)


_PRISTINE: list[tuple[Path, ScreenCase]] = []
"""The one build of this run (`tests.runshared`), never opened after it was built."""


def vault_copy(
    factory: pytest.TempPathFactory, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> ScreenCase:
    """Put at `folder` a vault (passphrase `PASSPHRASE`) holding only the case, and return its
    ids. The copy is seen by a computer of its own (`dossier.vault.seen`): the same vault seen
    further on by an earlier test would otherwise be named as put back to an older copy."""
    if not _PRISTINE:

        def build_vault(pristine: Path) -> dict[str, str]:
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv(STATE_ENV, str(factory.mktemp("screencase-state")))
                with Workspace.create(pristine, PASSPHRASE, TEST_ONLY_FAST) as ws:
                    return asdict(build(ws, factory.mktemp("screencase-in")))

        pristine, ids = built_once(factory, "screencase", "Screen.dossier", build_vault)
        _PRISTINE.append((pristine, ScreenCase(**ids)))
    pristine, built = _PRISTINE[0]
    shutil.copytree(pristine, folder)
    monkeypatch.setenv(STATE_ENV, str(factory.mktemp("state")))
    return built

"""Screenshots under Xvfb: the quote view with a diff, the letters view, the export
preview. Saved to `DOSSIER_ARTEFACTS` when set (CI uploads them, people look at them)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtGui import QColor, QImage

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services import Workspace
from tests.conftest import PASSPHRASE, REPO
from tests.pdfgen import FRENCH_PARAGRAPHS, text_page, write_pdf
from tests.ui.xvfb import colour_share, needs_xvfb, xvfb_display

ARTEFACTS = os.environ.get("DOSSIER_ARTEFACTS")
ALTERED = (
    "Selon un document interne obtenu par notre rédaction, le chantier avait déjà pris "
    "dix-huit mois de retard avant le vote de l’assemblée."
)


def build_vault(folder: Path, inputs: Path) -> Path:
    inputs.mkdir(parents=True)
    source = write_pdf(
        inputs / "note.pdf",
        [
            text_page(FRENCH_PARAGRAPHS[0], FRENCH_PARAGRAPHS[1]),
            text_page(FRENCH_PARAGRAPHS[2], FRENCH_PARAGRAPHS[3]),
        ],
    )
    vault = folder / "Test.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Affaire du collège")
        doc = ws.documents.import_file(
            case.id, source, kind="source", title="Note interne", date="2024-01-10", ocr=False
        )
        ws.people.add(case.id, "Claire Dumas", role="journalist")
        ws.people.add(case.id, "Marie Lenoir", role="official")
        ws.people.add(case.id, "Aurélien Vasseur", protection="protected")
        today = date.today()
        ws.letters.add(
            case.id, sender="Claire Dumas", recipients=["Marie Lenoir"], subject="Subvention",
            questions=["D’où viennent les fonds ?", "Qui a signé le marché ?"],
            sent_on=(today - timedelta(days=30)).isoformat(),
            deadline=(today - timedelta(days=10)).isoformat(),
        )  # fmt: skip
        answered = ws.letters.add(
            case.id, sender="Claire Dumas", recipients=["Source A"], subject="Chantier",
            questions=["Quand avez-vous su ?"], sent_on=(today - timedelta(days=12)).isoformat(),
            deadline_days=15,
        )  # fmt: skip
        ws.letters.add_reply(
            case.id, sender="Source A", letter=answered.id, answers=["1:partly"],
            received_on=(today - timedelta(days=2)).isoformat(), via="son avocat",
        )  # fmt: skip
        ws.quotes.add(case.id, ALTERED, source=doc.id, speaker="Marie Lenoir", said_on="2024-02-03")
        page = ws.documents.page(doc.id, 1)
        start = page.text.index("Nous")
        ws.quotes.add_from_selection(
            case.id, doc.id, 1, start, start + 45, speaker="Marie Lenoir", said_on="2024-02-05"
        )
        ws.redactions.add_term("dix-huit mois", case=case.id)
        ws.redactions.add_rect(doc.id, 0, [(56.0, 50.0, 260.0, 70.0)])
    return vault


@needs_xvfb
def test_screenshots_of_quotes_letters_and_export_preview(tmp_path: Path) -> None:
    vault = build_vault(tmp_path / "session", tmp_path / "inputs")
    out = tmp_path / "shots"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOSSIER_", "QT_"))}
    for name in ("home", "config", "runtime"):
        (tmp_path / name).mkdir(mode=0o700)
    with xvfb_display() as display:
        env.update(
            DISPLAY=display, QT_QPA_PLATFORM="xcb", DOSSIER_PASSPHRASE=PASSPHRASE,
            DOSSIER_SHOT_QUOTE=ALTERED, PYTHONPATH=str(REPO), HOME=str(tmp_path / "home"),
            DOSSIER_INSECURE_TEST_KDF="1",  # a vault of the tests' KDF: no warning box over it
            XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_RUNTIME_DIR=str(tmp_path / "runtime"),
        )  # fmt: skip
        result = subprocess.run(
            [sys.executable, "-m", "tests.ui.gui_session_quotes_letters_export",
             "--vault", str(vault), "--out", str(out)],
            env=env, cwd=REPO, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["platform"] == "xcb" and summary["locked"] is True
    assert summary["mupdf_on_gui_thread"] is None  # the GUI thread never called MuPDF
    assert summary["documents_read_on_gui_thread"] == []  # nor read or decrypted one
    assert summary["candidates"][0][0] == "altered"
    assert sorted(summary["letter_states"]) == ["overdue", "partly_answered"]
    assert summary["preview_pages"] == 2
    if ARTEFACTS:
        Path(ARTEFACTS).mkdir(parents=True, exist_ok=True)
        for shot in out.glob("*.png"):
            shutil.copy(shot, Path(ARTEFACTS) / shot.name)

    def red(c: QColor) -> bool:  # struck source words (#b3261e on #fde7e7)
        return c.red() > 150 and c.green() < 70 and c.blue() < 70

    def green(c: QColor) -> bool:  # the quote's own words (#1b6e2f on #e3f5e6)
        return c.green() > 90 and c.red() < 60 and c.blue() < 80

    for name in ("quotes.png", "find_quote.png"):
        image = QImage(str(out / name))
        assert not image.isNull(), name
        assert colour_share(image, red, step=1) > 0, name
        assert colour_share(image, green, step=1) > 0, name
    letters = QImage(str(out / "letters.png"))
    overdue = colour_share(letters, lambda c: (c.red(), c.green(), c.blue()) == (0xC6, 0x28, 0x28))
    assert overdue > 0  # the red "overdue" badge
    preview = QImage(str(out / "export_preview.png"))
    black = colour_share(preview, lambda c: c.lightness() < 8, step=2)
    assert black > 0.002  # the black boxes of the redacted page

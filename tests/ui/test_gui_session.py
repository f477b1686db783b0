"""A whole GUI session in its own process: the leak scan afterwards, and its screenshot under Xvfb.

The session gets its own HOME, XDG folders and TMPDIR inside `tmp_path`, so everything the
application wrote to disk is there to scan: the vault (encrypted), QSettings, caches, temp
files. Only the folder holding the input PDF is left out of the scan.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services import Workspace
from tests.conftest import PASSPHRASE, REPO
from tests.leakscan import hash_needles, needles_for, scan
from tests.pdfgen import FRENCH_PARAGRAPHS, text_page, write_pdf
from tests.ui.xvfb import colour_share, xvfb_display

SECRET_WORDS = ["Quintessaflux", "Zorglubinator", "Synopsiswitness"]
CASE_NAME = "Affaire Pétaudièrecrâne"
TITLE = "Rapport Clouetmarker"
ARTEFACTS = os.environ.get("DOSSIER_ARTEFACTS")
"""If set, the screenshot is also copied there (CI uploads it)."""


def _prepare(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    pdf = write_pdf(
        inputs / "rapport.pdf",
        [
            text_page(FRENCH_PARAGRAPHS[0], FRENCH_PARAGRAPHS[1]),
            text_page(
                f"Le témoin {SECRET_WORDS[2]} a remis la note {SECRET_WORDS[0]} au juge.",
                FRENCH_PARAGRAPHS[2],
                f"Une seconde mention de {SECRET_WORDS[0]} figure en annexe.",
            ),
            text_page(f"Annexe : {SECRET_WORDS[1]}.", FRENCH_PARAGRAPHS[3]),
        ],
    )
    session = tmp_path / "session"
    vault = session / "Test.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        ws.cases.create(CASE_NAME, f"Sur {SECRET_WORDS[1]}")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DOSSIER_", "XDG_", "QT_")) and k not in ("HOME", "TMPDIR", "DISPLAY")
    }
    for name in ("home", "config", "cache", "data", "runtime", "tmp"):
        (session / name).mkdir(mode=0o700)
    env.update(
        HOME=str(session / "home"),
        XDG_CONFIG_HOME=str(session / "config"),
        XDG_CACHE_HOME=str(session / "cache"),
        XDG_DATA_HOME=str(session / "data"),
        XDG_RUNTIME_DIR=str(session / "runtime"),
        TMPDIR=str(session / "tmp"),
        DOSSIER_PASSPHRASE=PASSPHRASE,
        # The vault is made with the tests' key derivation: opened so, it is expected, not
        # warned about (a warning box over the window kept it from being active).
        DOSSIER_INSECURE_TEST_KDF="1",
        PYTHONPATH=str(REPO),
    )
    return pdf, vault, env


def _run_session(pdf: Path, vault: Path, env: dict[str, str], out: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui.gui_session", "--vault", str(vault), "--pdf", str(pdf),
         "--title", TITLE, "--query", SECRET_WORDS[0], "--out", str(out)],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    summary: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["imported"] == ["done"]
    assert summary["hits"] == 1
    assert summary["page"] == 1
    assert summary["search_rects"] == 2
    assert summary["locked"] is True
    assert summary["mupdf_on_gui_thread"] is None  # the GUI thread never called MuPDF
    assert summary["documents_read_on_gui_thread"] == []  # nor read or decrypted one
    return summary


def _leak_scan(tmp_path: Path, pdf: Path) -> None:
    session = tmp_path / "session"
    written = [p for p in session.rglob("*") if p.is_file()]
    assert any(p.suffix == ".conf" or p.suffix == ".ini" for p in written), "no settings saved"
    needles = needles_for([*SECRET_WORDS, "Pétaudièrecrâne", "Clouetmarker"]) | hash_needles([pdf])
    assert scan([session], needles) == []
    assert not any((session / "tmp").iterdir()), "temporary files were left behind"


def test_a_gui_session_leaves_nothing_readable_on_disk_and_shows_its_page(tmp_path: Path) -> None:
    """One session is scanned and photographed: under Xvfb, as on a user's desktop (a second
    session, offscreen, was scanned alike and left nothing the first did not), or offscreen
    where Xvfb is not installed, its screenshot then unjudged."""
    pdf, vault, env = _prepare(tmp_path)
    out = tmp_path / "main_window.png"  # written outside the scanned session folders
    if shutil.which("Xvfb") is None:
        env["QT_QPA_PLATFORM"] = "offscreen"
        summary = _run_session(pdf, vault, env, out)
        assert summary["platform"] == "offscreen"
        assert out.is_file()
    else:
        with xvfb_display() as display:
            env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
            summary = _run_session(pdf, vault, env, out)
        assert summary["platform"] == "xcb"
        _judge_screenshot(out, summary)
    _leak_scan(tmp_path, pdf)


def _judge_screenshot(out: Path, summary: dict[str, object]) -> None:
    if ARTEFACTS:
        Path(ARTEFACTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(out, Path(ARTEFACTS) / "main_window.png")
    image = QImage(str(out))
    # What the user needs, not what a window manager or the fonts make of the size (the grab
    # of a window is 1400x870, a root-window screenshot 1400x900): shown, and within the screen.
    assert summary["visible"]
    screen_w, screen_h = summary["screen"]
    window_w, window_h = summary["window"]
    assert 0 < window_w <= screen_w and 0 < window_h <= screen_h, summary
    assert image.width() <= screen_w and image.height() <= screen_h
    assert image.width() >= screen_w // 2 and image.height() >= screen_h // 2
    # The viewer's grey background, white pages and the search highlights are all on screen.
    assert (
        colour_share(image, lambda c: (c.red(), c.green(), c.blue()) == (0x5A, 0x5E, 0x63)) > 0.02
    )
    assert colour_share(image, lambda c: c.red() > 245 and c.green() > 245 and c.blue() > 245) > 0.2
    assert (
        colour_share(image, lambda c: c.red() > 200 and 150 < c.green() < 235 and c.blue() < 140)
        > 0
    )

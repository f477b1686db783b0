"""Take the README's screenshots from the real application, on a fresh sample vault.

    Xvfb :99 -screen 0 1400x900x24 &
    DISPLAY=:99 QT_QPA_PLATFORM=xcb .venv/bin/python docs/screenshots/take_screenshots.py

The sample vault is built in a temporary folder (removed at the end), the main window is
started in this process with settings of its own (the user's recent vaults are not touched),
then driven the way a journalist would go: unlock, import, search, quote from a selection, find
a pasted quote, letters, redaction, export preview, verification of the exported bundle. Each
view is saved with `QWidget.grab()` (a dialog shown over the window: the screen, cropped to the
window) into docs/img/, then reduced to 256 colours with ImageMagick when it is installed.

Prints one line per image and, at the end, the views it could not take (a missing service).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from dossier.resources import resource_path
from dossier.sample import content
from dossier.sample.build import SAMPLE_PASSPHRASE, build_sample
from dossier.sample.pdfs import printed_pdf, scanned_pdf
from dossier.sample.texts import read_blocks
from dossier.services.export.service import ExportRequest
from ui.app import create_application
from ui.case.import_dialog import ImportDialog
from ui.export.export_wizard import ExportWizard
from ui.export.redactions_tab import RedactionsTab
from ui.export.verify_dialog import VerifyDialog
from ui.i18n import install_translations
from ui.letters.letters_tab import LettersTab
from ui.main_window import MainWindow
from ui.people.people_tab import PeopleTab
from ui.quotes.find_quote_dialog import FindQuoteDialog
from ui.quotes.quote_dialog import NewQuoteDialog
from ui.search.search_tab import SearchTab
from ui.settings import AppSettings

REPO = Path(__file__).resolve().parents[2]
WIDTH, HEIGHT = 1400, 860
FRAME = QColor("#6b6b6b")
TITLE_BAR = QColor("#dcdcdc")
ALTERED = next(q for q in content.QUOTES if q.verdict == "altered").text
SELECTED = next(q for q in content.QUOTES if q.verdict == "verbatim").text


def wait_until(what: str, condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        QApplication.processEvents()
        time.sleep(0.02)


def settle(seconds: float = 0.5) -> None:
    """Let Qt paint (and background jobs deliver) before a grab."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)


class Camera:
    def __init__(self, out: Path, window: MainWindow) -> None:
        self.out = out
        self.window = window
        self.taken: list[Path] = []
        self.missing: list[str] = []

    def save(self, name: str, pixmap: QPixmap) -> None:
        path = self.out / f"{name}.png"
        if not pixmap.save(str(path)):
            raise SystemExit(f"could not write {path}")
        self.taken.append(path)
        print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}", flush=True)

    def window_shot(self, name: str) -> None:
        settle()
        self.save(name, self.window.grab())

    def dialog_shot(self, name: str, dialog: QWidget, *, low: bool = False) -> None:
        """The window, dimmed, with `dialog` over it in a plain frame with its title.

        Xvfb runs no window manager, so there is no frame to grab: draw a sober one. `low`
        puts the dialog at the bottom, to leave what it is about visible above it.
        """
        settle(0.8)
        base = self.window.grab()
        top = dialog.grab()
        painter = QPainter(base)
        painter.fillRect(base.rect(), QColor(0, 0, 0, 80))
        bar = 28
        x = (base.width() - top.width()) // 2
        y = max(30, (base.height() - top.height() - bar) // 2)
        if low:
            y = base.height() - top.height() - bar - 40
        painter.fillRect(QRect(x - 1, y - 1, top.width() + 2, top.height() + bar + 2), FRAME)
        painter.fillRect(QRect(x, y, top.width(), bar), TITLE_BAR)
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#202020"))
        painter.drawText(
            QRect(x + 12, y, top.width() - 24, bar),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            dialog.windowTitle(),
        )
        painter.drawPixmap(x, y + bar, top)
        painter.end()
        self.save(name, base)


def sample_files(folder: Path) -> list[Path]:
    """Two PDFs of the sample texts to show in the import dialog (public sample material)."""
    letter = folder / "lettre-deputes.pdf"
    letter.write_bytes(printed_pdf(read_blocks(resource_path("sample", "lettre-deputes.txt")), {}))
    memo = folder / "note-interne-scan.pdf"
    memo.write_bytes(
        scanned_pdf(read_blocks(resource_path("sample", "note-interne-scan.txt")), {})[0]
    )
    return [letter, memo]


def doc_id(window: MainWindow, title: str) -> str:
    docs = window.state.ws.documents.of_case(window.state.case_id)
    return next(d.id for d in docs if d.title == title)


def speaker_id(window: MainWindow, name: str) -> str:
    return window.state.ws.people.resolve(window.state.case_id, name)


def open_document(window: MainWindow, doc: str, page: int = 0) -> None:
    window.state.open_document(doc, page)
    wait_until("the document", lambda: window.viewer.doc_id == doc)
    settle(1.0)


def run(out: Path, scratch: Path) -> Camera:
    # Relative paths, as `make run` gives them: the unlock screen shows what users will see.
    os.chdir(scratch)
    vault = Path("sample", "Sample.dossier")
    built = build_sample(vault)
    app = create_application()
    install_translations(app, "en")
    settings = AppSettings(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings)
    window.move(0, 0)
    window.resize(WIDTH, HEIGHT)
    window.show()
    camera = Camera(out, window)

    # 1. Unlock: what `make run` shows (the sample's passphrase filled in, masked).
    window.start(vault)
    window.unlock_panel.passphrase.setText(SAMPLE_PASSPHRASE)
    window.unlock_panel.show_hint("This is the sample vault: its passphrase is filled in.")
    camera.window_shot("01-unlock")
    window.unlock_panel.unlock()
    wait_until("unlock", lambda: window.state.is_unlocked)
    window.cases.select(built.case_id)
    wait_until("the case", lambda: window.state.case_id == built.case_id)
    window.splitter.setSizes([430, 700, 270])

    # 2. Import: the dialog that asks the kind of each file.
    dialog = ImportDialog(sample_files(scratch), parent=window)
    dialog.set_row(0, kind="letter", title="Courrier des députés", date="2023-11-20")
    dialog.set_row(1, kind="source", title="Note interne (scan)", date="2023-11-17")
    dialog.show()
    camera.dialog_shot("02-import", dialog)
    dialog.reject()

    # 3. Search, then open a hit at its page.
    search = window.contents.tab(SearchTab)
    assert isinstance(search, SearchTab)
    window.contents.setCurrentWidget(search)
    if getattr(window.state.ws, "search", None) is None:
        camera.missing.append("search (the workspace has no search service yet)")
    else:
        # Typed in the singular: the French stemmer finds the plural too.
        search.field.setText("visage")
        search.kind.setCurrentIndex(search.kind.findData("article"))  # this runs the search
        wait_until("search results", lambda: search.model.rowCount() > 0)
        search.results.setCurrentIndex(search.model.index(0, 0))
        search.open_hit(search.model.hits[0])
        wait_until("the hit", lambda: bool(window.viewer.doc_id))
        camera.window_shot("03-search")

    # 4. A quote from a selection in the interview.
    flows = window.workflows
    interview = doc_id(window, content.INTERVIEW.title)
    open_document(window, interview)
    page = window.state.ws.documents.page(interview, 0)
    found = re.search(r"\s+".join(map(re.escape, SELECTED.split())), page.text)
    assert found is not None, "the interview holds the selected sentence"
    start, end = found.span()
    window.viewer.pdf.select_span(0, start, end)
    selection = window.viewer.selection()
    assert selection is not None
    text = window.viewer.pdf.selected_text()
    window.contents.setCurrentWidget(flows.quotes)
    new_quote = NewQuoteDialog(window.state, window.state.case_id, selection, text, window)
    new_quote.fields.speaker.select_person(speaker_id(window, "Hadrien Clouet"))
    new_quote.fields.said_on.setText("2023-11-21")
    new_quote.show()
    camera.dialog_shot("04-quote-from-selection", new_quote, low=True)
    new_quote.reject()
    window.viewer.pdf.select_span(0, 0, 0)  # an empty span clears the selection

    # 5. Find a pasted quote: the altered one, with its word-level diff.
    window.contents.setCurrentWidget(flows.quotes)
    finder = FindQuoteDialog(window.state, window.state.case_id, ALTERED, window)
    finder.resize(900, 640)
    finder.show()
    finder.run_find()
    wait_until("the candidates", lambda: bool(finder.candidates))
    camera.dialog_shot("05-find-quote", finder)
    finder.reject()
    quotes = flows.quotes
    quotes.reload()
    altered = next(q for q in quotes.model.quotes if q.verdict == "altered")
    quotes.select_quote(altered.id)
    quotes.open_quote(altered)
    wait_until("the quote's source", lambda: window.viewer.doc_id == interview)
    camera.window_shot("06-quotes")

    # 6. Letters and replies.
    letters = window.contents.tab(LettersTab)
    assert isinstance(letters, LettersTab)
    window.contents.setCurrentWidget(letters)
    letters.reload()
    letters.select_letter(letters.letters[0].id)
    open_document(window, doc_id(window, content.LETTER.title))
    camera.window_shot("07-letters")

    # 7. Redaction: the protected source under her pseudonym, the marks, the memo's boxes.
    people = window.contents.tab(PeopleTab)
    marks = window.contents.tab(RedactionsTab)
    assert isinstance(people, PeopleTab) and isinstance(marks, RedactionsTab)
    window.contents.setCurrentWidget(marks)
    marks.reload()
    open_document(window, doc_id(window, content.MEMO.title))
    camera.window_shot("08-redaction")
    window.contents.setCurrentWidget(people)
    people.reload()
    window.splitter.setSizes([800, 400, 200])
    for column in range(people.tree.columnCount()):
        people.tree.resizeColumnToContents(column)
    camera.window_shot("09-people")
    window.splitter.setSizes([430, 700, 270])
    window.contents.setCurrentWidget(marks)

    # 8. Export: the wizard's preview of the redacted memo.
    wizard = ExportWizard(window.state, window.state.case_id, window.unlock_panel.kdf, window)
    wizard.resize(980, 700)
    wizard.show()
    wizard.next()
    wizard.options_page.out.setText(str(scratch / "not-written.zip"))
    wizard.next()
    preview = wizard.preview_page
    wait_until("the marked pages", lambda: preview.pages.count() > 0)
    wait_until("the preview", lambda: preview.image is not None)
    camera.dialog_shot("10-export-preview", wizard)
    wizard.reject()

    # 9. Verify the bundle an export writes.
    bundle = Path("exports", "videosurveillance-exemple.zip")
    bundle.parent.mkdir()
    window.state.ws.exports.export(ExportRequest(case=window.state.case_id, out=bundle))
    verifier = VerifyDialog(window, bundle)
    # As a recipient does with the fingerprint the sender read out to them.
    verifier.fingerprint.setText(window.state.ws.exports.fingerprint())
    verifier.show()
    verifier.run_verify()
    wait_until("the report", lambda: verifier.report is not None)
    camera.dialog_shot("11-verify", verifier)
    verifier.reject()

    window.lock()
    window.close()
    return camera


def shrink(paths: list[Path]) -> None:
    """256 colours and no metadata: a fifth of the size, no visible loss for a UI."""
    if shutil.which("convert") is None:
        print("ImageMagick's convert is not installed: images left as they are")
        return
    for path in paths:
        subprocess.run(
            ["convert", str(path), "-strip", "-colors", "256", f"PNG8:{path}"], check=True
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out.resolve()
    with tempfile.TemporaryDirectory(prefix="dossier-shots-") as scratch:
        try:
            camera = run(out, Path(scratch))
        finally:
            os.chdir(REPO)  # out of the folder before it is removed
    shrink(camera.taken)
    for path in camera.taken:
        print(f"{path.name}: {path.stat().st_size // 1024} KiB")
    if camera.missing:
        print("not taken: " + "; ".join(camera.missing))
    return 0


if __name__ == "__main__":
    sys.exit(main())

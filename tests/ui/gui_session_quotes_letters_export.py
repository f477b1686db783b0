"""Screenshots of the quotes, letters and export views from a real session, in its own
process (run under Xvfb).

    DOSSIER_PASSPHRASE=... python -m tests.ui.gui_session_quotes_letters_export --vault V --out D

The vault already holds a case with a source, an article, people, a letter with a reply, an
altered quote and a redaction box (`test_screenshots_quotes_letters_export` builds it). The
session unlocks, then saves: the quotes tab with the altered quote's diff and its source open at
the span (quotes.png), the "Find in sources" dialog with the candidates and the inline diff
(find_quote.png), the letters tab (letters.png) and the export wizard's preview of a redacted
page (export_preview.png). Prints a JSON summary.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.gui_session import finish, open_window, painted, screenshot, wait_until
from ui.export.export_wizard import ExportWizard
from ui.letters.letters_tab import LettersTab
from ui.quotes.find_quote_dialog import FindQuoteDialog

ALTERED = os.environ.get("DOSSIER_SHOT_QUOTE", "")


def shot(window: QWidget, out: Path) -> str:
    painted(window)
    return screenshot(window, out)  # type: ignore[arg-type]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vault", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    app, window = open_window(args.vault, args.lang)
    window.splitter.setSizes([560, 640, 200])
    window.activateWindow()
    flows = window.workflows
    summary: dict[str, object] = {"platform": QApplication.platformName()}

    # 1. The quotes tab: the altered quote selected, its diff below, its source at the span.
    quotes = flows.quotes
    window.contents.setCurrentWidget(quotes)
    quotes.reload()
    altered = next(q for q in quotes.model.quotes if q.verdict == "altered")
    quotes.select_quote(altered.id)
    quotes.open_quote(altered)
    doc_id = next(s.doc_id for s in altered.spans if s.doc_id)
    wait_until("the source", lambda: window.viewer.doc_id == doc_id)
    view = window.viewer.pdf
    page = altered.spans[0].page_index
    wait_until("the page", lambda: view.cache.get(doc_id, page, view._render_zoom()) is not None)
    summary["quotes"] = shot(window, args.out / "quotes.png")

    # 2. "Find in sources" with the candidates and the inline diff.
    dialog = FindQuoteDialog(window.state, window.state.case_id, ALTERED, window)
    dialog.resize(900, 720)
    dialog.show()
    dialog.run_find()
    wait_until("the candidates", lambda: bool(dialog.candidates))
    summary["find_quote"] = shot(dialog, args.out / "find_quote.png")
    summary["candidates"] = [(c.verdict, round(c.score, 2)) for c in dialog.candidates]
    dialog.reject()

    # 3. The letters tab.
    letters = window.contents.tab(LettersTab)
    assert isinstance(letters, LettersTab)
    window.contents.setCurrentWidget(letters)
    letters.reload()
    letters.select_letter(letters.letters[0].id)
    summary["letters"] = shot(window, args.out / "letters.png")
    summary["letter_states"] = [letter.state for letter in letters.letters]

    # 4. The export wizard's preview of a redacted page.
    wizard = ExportWizard(window.state, window.state.case_id, window.unlock_panel.kdf, window)
    wizard.show()
    wizard.next()
    wizard.options_page.out.setText(str(args.out / "not-written.zip"))
    wizard.next()
    preview = wizard.preview_page
    wait_until("the marked pages", lambda: preview.pages.count() > 0)
    wait_until("the preview", lambda: preview.image is not None)
    summary["export_preview"] = shot(wizard, args.out / "export_preview.png")
    summary["preview_pages"] = preview.pages.count()
    wizard.reject()

    return finish(app, window, summary)


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())

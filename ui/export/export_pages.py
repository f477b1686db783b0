"""The export wizard's last pages: the redacted pages previewed, then the export run.

The preview plans each chosen document's marks off the GUI thread, lists the pages that hold
any, and draws the selected one with its marks truly applied to an in-memory copy (what the
recipient will see). The run page starts the export, shows its progress with a cancel button,
then the self-check result, the bundle's hash and the signing key's fingerprint, or why
nothing was written.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from dossier import labels
from dossier.errors import Cancelled
from dossier.jobs import CancelToken, Progress
from dossier.pdf.render import RenderedPage
from dossier.services.export.dto import (
    ExportRequest,
    ExportResult,
    RedactionInfo,
    RedactionPreview,
)
from dossier.services.export.preview import DisclosedQuote
from dossier.services.export.service import SelfCheckFailed
from ui.errors import BUG, failure_kind, message_for, show_crash
from ui.i18n import N_, ntr, tr
from ui.widgets.form_fields import failure_text
from ui.widgets.outside_text import shown
from ui.worker import Job, run_in_background

if TYPE_CHECKING:
    from ui.export.export_wizard import ExportWizard

PAGE_ROLE = Qt.ItemDataRole.UserRole + 1
Planned = tuple[str, str, RedactionPreview]
"""A chosen document: its id, its title and where its marks fall."""
PREVIEW_ZOOM = 2.0
"""Drawn sharp, then scaled to the width of the pane."""


def to_image(page: RenderedPage) -> QImage:
    image = QImage(page.samples, page.width, page.height, page.stride, QImage.Format.Format_RGB888)
    return image.copy()  # owns its pixels


class FittedPage(QLabel):
    """A page image scaled to the width it is given (drawn sharp at a higher zoom)."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setStyleSheet("background: #5a5e63; color: white;")
        self._image: QImage | None = None

    def set_image(self, image: QImage | None) -> None:
        self._image = image
        self._fit()

    def setText(self, text: str) -> None:
        self._image = None
        super().setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._image is None:
            return
        width = max(50, self.width() - 24)
        scaled = self._image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        self.setMinimumHeight(scaled.height() + 24)
        self.setPixmap(QPixmap.fromImage(scaled))


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ExportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("Preview of the redacted pages"))
        self.setSubTitle(tr("Each page that holds a mark, as it will leave the vault."))
        self.previews: list[tuple[str, str, RedactionPreview]] = []
        self.image: QImage | None = None
        self._generation = 0
        self.pages = QListWidget()
        self.pages.setAccessibleName(tr("Redacted pages"))
        self.pages.currentItemChanged.connect(self._page_changed)
        self.page_view = FittedPage()
        self.page_view.setAccessibleName(tr("Redacted page"))
        scroll = QScrollArea()
        scroll.setWidget(self.page_view)
        scroll.setWidgetResizable(True)
        # Always there: a bar that came and went would change the width the page fits.
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.setAccessibleName(tr("Why the boxes of this page"))
        self.reasons.hide()
        self.reasons_by_page: dict[tuple[str, int], list[str]] = {}
        self.quotes = QTextBrowser()
        self.quotes.setAccessibleName(tr("Quotes changed by the marks"))
        self.quotes.setMaximumHeight(140)
        self.quotes.hide()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.pages)
        split.addWidget(scroll)
        split.setSizes([260, 560])
        # What the marks cannot tell from an ordinary word: said before the user sends it.
        self.limits = QLabel(tr(SHORT_NAMES))
        self.limits.setWordWrap(True)
        self.limits.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        layout.addWidget(self.reasons)
        layout.addWidget(self.quotes)
        layout.addWidget(self.limits)

    def initializePage(self) -> None:
        self._generation += 1
        generation = self._generation
        ws, doc_ids = self.owner.state.ws, self.owner.choose_page.doc_ids()
        case_id, quote_ids = self.owner.case_id, self.owner.choose_page.quote_ids()
        self.previews = []
        self.quotes.clear()
        self.quotes.hide()
        self.pages.clear()
        self.page_view.set_image(None)
        self.page_view.clear()
        self.status.setText(tr("Finding the marks in the chosen documents…"))

        def plan(
            _progress: Progress, cancel: CancelToken
        ) -> tuple[list[Planned], list[DisclosedQuote], list[RedactionInfo]]:
            found = []
            for doc_id in doc_ids:
                cancel.raise_if_cancelled()
                found.append((doc_id, ws.documents.get(doc_id).title, ws.previews.marks(doc_id)))
            # Reasons as the screen shows them: a protected name in one stays masked.
            marks = ws.redactions.shown(case_id, reveal=ws.screen.revealed(case_id))
            return found, ws.previews.quotes(case_id, quote_ids, doc_ids), marks

        run_in_background(
            plan,
            on_success=lambda found: self._planned(generation, *found),
            on_error=lambda exc: self.status.setText(failure_text(self, exc)),
            parent=self,
        )

    def _planned(
        self,
        generation: int,
        found: list[tuple[str, str, RedactionPreview]],
        quotes: list[DisclosedQuote] | None = None,
        marks: list[RedactionInfo] | None = None,
    ) -> None:
        if generation != self._generation:
            return
        self.previews = found
        self.reasons_by_page = {}
        for mark in marks or []:
            if mark.kind == "rect" and mark.reason and mark.document_id is not None:
                page = (mark.document_id, mark.page_index or 0)
                self.reasons_by_page.setdefault(page, []).append(mark.reason)
        self.show_quotes(quotes or [])
        for doc_id, title, preview in found:
            for index in preview.pages:
                # Boxes on a drawn page, passages on a text one: both are blacked out.
                n = preview.count(index) + len(preview.spans.get(index, []))
                item = QListWidgetItem(
                    ntr(
                        "{title}, page {page} ({n} area blacked out)",
                        "{title}, page {page} ({n} areas blacked out)",
                        n,
                    ).format(title=shown(title), page=index + 1, n=n)
                )
                item.setData(PAGE_ROLE, (doc_id, index, preview))
                self.pages.addItem(item)
        total = sum(len(p.pages) for _, _, p in found)
        if total:
            self.status.setText(
                tr("{n} page(s) with marks in {d} document(s). Black boxes are final.").format(
                    n=total, d=sum(1 for _, _, p in found if p.pages)
                )
            )
            self.pages.setCurrentRow(0)
        else:
            self.status.setText(
                tr("Nothing is blacked out in these documents: they leave as they are.")
            )

    def show_quotes(self, quotes: list[DisclosedQuote]) -> None:
        """What the marks do to the chosen quotes: each as it will read, or left out, and why."""
        if not quotes:
            self.quotes.hide()
            return
        rows = []
        for quote in quotes:
            said = (
                tr("left out")
                if quote.text is None
                else "« " + html.escape(shown(quote.text)) + " »"
            )
            rows.append(f"<li>{said}: <i>{html.escape(shown(quote.reason))}</i></li>")
        title = tr("{n} quote(s) will not leave as written:").format(n=len(quotes))
        self.quotes.setHtml(f"<p><b>{html.escape(title)}</b></p><ul>{''.join(rows)}</ul>")
        self.quotes.show()

    def _page_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None = None
    ) -> None:
        if current is None:
            return
        doc_id, index, preview = current.data(PAGE_ROLE)
        reasons = self.reasons_by_page.get((doc_id, index), [])
        self.reasons.setText(tr("Why these boxes: {reasons}").format(reasons="; ".join(reasons)))
        self.reasons.setVisible(bool(reasons))
        self._generation += 1
        generation = self._generation
        ws = self.owner.state.ws
        self.page_view.setText(tr("Drawing the page…"))
        run_in_background(
            lambda *_: to_image(ws.previews.redacted_page(doc_id, index, PREVIEW_ZOOM, preview)),
            on_success=lambda image: self._drawn(generation, image),
            on_error=lambda exc: self.page_view.setText(failure_text(self, exc)),
            parent=self,
        )

    def _drawn(self, generation: int, image: QImage) -> None:
        if generation == self._generation:
            self.image = image
            self.page_view.set_image(image)

    def cleanupPage(self) -> None:
        self._generation += 1  # results of jobs still running are dropped


class RunPage(QWizardPage):
    def __init__(self, wizard: ExportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("Export"))
        self.job: Job | None = None
        self.result: ExportResult | None = None
        self.failure: BaseException | None = None
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.cancel_button = QPushButton(tr("Cancel the export"))
        self.cancel_button.clicked.connect(self.stop)
        self.report = QTextBrowser()
        self.report.setAccessibleName(tr("Export report"))
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(row)
        layout.addWidget(self.report, 1)
        self.setFinalPage(True)

    def request(self) -> ExportRequest:
        wizard = self.owner
        passphrase = wizard.options_page.bundle_passphrase()
        return ExportRequest(
            case=wizard.case_id,
            out=wizard.options_page.out_path(),
            doc_ids=tuple(wizard.choose_page.doc_ids()),
            quote_ids=tuple(wizard.choose_page.quote_ids()),
            rasterize_redacted=wizard.options_page.rasterize.isChecked(),
            bundle_passphrase=passphrase,
            kdf=wizard.kdf,
        )

    def initializePage(self) -> None:
        self.result = None
        self.failure = None
        self.report.clear()
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.status.setText(tr("Redacting and checking…"))
        request = self.request()
        exports = self.owner.state.ws.exports
        self.job = run_in_background(
            lambda progress, cancel: exports.export(request, progress=progress, cancel=cancel),
            on_success=self._exported,
            on_error=self._failed,
            on_progress=self._progressed,
            on_finished=self._finished,
            parent=self,
        )
        self.completeChanged.emit()

    def _progressed(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))

    def stop(self) -> None:
        if self.job is not None and not self.job.done:
            self.cancel_button.setEnabled(False)
            self.status.setText(tr("Cancelling…"))
            self.job.cancel()

    def cleanupPage(self) -> None:
        if self.job is not None and not self.job.done:
            self.job.abandon()
        self.job = None

    def _finished(self) -> None:
        self.cancel_button.hide()
        self.progress.hide()
        self.completeChanged.emit()

    def running(self) -> bool:
        return self.job is not None and not self.job.done

    def isComplete(self) -> bool:
        return self.result is not None

    def _exported(self, result: ExportResult) -> None:
        self.result = result
        # Written: nothing left to cancel or go back to, only Finish (a new wizard each export).
        self.owner.setButtonLayout(
            [QWizard.WizardButton.Stretch, QWizard.WizardButton.FinishButton]
        )
        self.status.setText(tr("The bundle is written and signed."))
        self.report.setHtml(result_html(result))

    def _failed(self, exc: BaseException) -> None:
        self.failure = exc
        if isinstance(exc, Cancelled):
            self.status.setText(tr("Export cancelled: nothing was written."))
            return
        self.status.setText(tr("Nothing was written."))
        if isinstance(exc, SelfCheckFailed):
            findings = "".join(f"<li>{html.escape(str(f))}</li>" for f in exc.report.findings)
            found = tr("The self-check found text that must not leave:")
            self.report.setHtml(
                f"<p><b>{html.escape(found)}</b>"
                f"</p><ul>{findings}</ul><p>{html.escape(tr(CHECK_ADVICE))}</p>"
            )
        else:
            self.report.setHtml(f"<p>{html.escape(message_for(exc))}</p>")
            if failure_kind(exc) == BUG:
                show_crash(self, exc)


SHORT_NAMES = N_(
    "A protected name of two letters (“Li”, “Lê”) is blacked out where it is written with a "
    "capital; one that is also a word (“Le”, “Ma”, “Do”) only with its accent, after a title "
    "or an initial, beside the rest of the name, or inside a sentence. Look for the others on "
    "these pages and box them by hand (“li” in lower case, “Le” opening a sentence)."
)
FINGERPRINT_HINT = N_("Signing key fingerprint (give it to the recipient separately):")
CHECK_ADVICE = N_(
    "Check the marks of these documents, or export with “Flatten redacted pages to images”."
)


BOX_WORDS = labels.REDACTION_COUNTS  # the core's, as the CLI and index.html say them
"""What each kind of blacked-out area is called on the last page (not `person 2, rect 2`)."""


def result_html(result: ExportResult) -> str:
    check = result.selfcheck
    checked = tr("passed: {files} and {pages} re-read, nothing found").format(
        files=ntr("{n} file", "{n} files", check.files).format(n=check.files),
        pages=ntr("{n} page", "{n} pages", check.pages).format(n=check.pages),
    )
    sealed = " (" + tr("sealed with the passphrase") + ")" if result.sealed else ""
    documents = len(result.documents)
    contents = ", ".join(
        (
            ntr("{n} document", "{n} documents", documents).format(n=documents),
            ntr("{n} quote", "{n} quotes", result.quotes).format(n=result.quotes),
            ntr("{n} letter", "{n} letters", result.letters).format(n=result.letters),
        )
    )
    boxes = ", ".join(
        tr(BOX_WORDS[k]).format(n=n) if k in BOX_WORDS else f"{k} {n}"
        for k, n in sorted(result.redactions.items())
        if n
    )
    rows = [
        (tr("Self-check"), checked),
        (tr("Bundle"), str(result.path) + sealed),
        (tr("Contents"), contents),
        (tr("Blacked out"), boxes or tr("nothing")),
        (tr("SHA-256"), result.sha256),
    ]
    table = "".join(
        f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>" for k, v in rows
    )
    passed = tr("Self-check passed")
    return (
        f"<p style='color:#1b7f3b; font-size:large'><b>✔ {html.escape(passed)}"
        f"</b></p><table cellspacing='6'>{table}</table>"
        f"<p>{html.escape(tr(FINGERPRINT_HINT))}</p>"
        f"<p style='font-family:monospace; font-size:x-large'><b>"
        f"{html.escape(result.fingerprint)}</b></p>"
    )

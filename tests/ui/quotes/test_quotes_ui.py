"""Quote workflow in the app, over a real vault: a quote from a selection reopened at its span,
a pasted altered quote found with its diff, re-checking after a document changed, and the
pre-publication check of an article."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.pdfgen import FRENCH_PARAGRAPHS, text_page, write_pdf
from tests.ui.conftest import NEEDLE, import_now, sample_pdf
from tests.ui.interactions import answer, drag, open_and_wait, word_box
from ui.quotes.find_quote_dialog import FindQuoteDialog
from ui.quotes.prepub_dialog import PrepubDialog
from ui.quotes.quote_dialog import NewQuoteDialog
from ui.quotes.quotes_model import VERDICT
from ui.quotes.review_dialog import ReviewDialog
from ui.widgets.diff_view import diff_html

ALTERED = (
    "Selon un document interne obtenu par notre rédaction, le chantier avait déjà pris "
    "dix-huit mois de retard avant le vote de l’assemblée."
)


def _other_pdf(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_pdf(folder / "autre.pdf", [text_page(FRENCH_PARAGRAPHS[1])])


def test_a_quote_from_a_selection_reopens_at_its_span(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    other_id = import_now(win, _other_pdf(tmp_path / "other"), kind="note")
    view = open_and_wait(qtbot, win, doc_id, 2)
    first, last = word_box(view, 2, "rapport"), word_box(view, 2, NEEDLE)
    action = win.workflows.new_quote_action
    assert not action.isEnabled()
    with qtbot.waitSignal(win.viewer.selection_changed, timeout=5000):
        middle = (first[1] + first[3]) / 2
        drag(qtbot, view, 2, (first[0] + 1, middle), (last[2] - 1, middle))
    assert action.isEnabled()

    def respond(dialog: NewQuoteDialog) -> None:
        assert dialog.selection.doc_id == doc_id
        dialog.fields.speaker.setEditText("Jeanne Martin")  # nobody yet: created on save
        dialog.fields.said_on.setText("2024-03-05")
        dialog.save()
        # Anchoring decrypts the document's pages: that runs in the worker, not here.
        assert dialog.saving

    seen = answer(win.workflows, respond)
    action.trigger()
    quote = seen[0].saved
    assert quote is not None
    assert quote.text == f"rapport {NEEDLE}"
    assert (quote.verdict, quote.speaker, quote.said_on) == (
        "verbatim",
        "Jeanne Martin",
        "2024-03-05",
    )
    assert [p.name for p in win.state.ws.people.of_case(win.state.case_id)] == ["Jeanne Martin"]

    tab = win.workflows.quotes
    assert win.contents.currentWidget() is tab
    assert [q.id for q in tab.model.quotes] == [quote.id]
    assert tab.table.currentIndex().data(Qt.ItemDataRole.DisplayRole) == "Jeanne Martin"

    # Somewhere else first; then a click on the quote brings its source back at the span.
    win.state.open_document(other_id)
    qtbot.waitUntil(lambda: win.viewer.doc_id == other_id, timeout=10000)
    row = tab.proxy.mapFromSource(tab.model.index(0, 1))
    qtbot.mouseClick(
        tab.table.viewport(), Qt.MouseButton.LeftButton, pos=tab.table.visualRect(row).center()
    )
    qtbot.waitUntil(lambda: win.viewer.doc_id == doc_id, timeout=10000)
    assert win.viewer.pdf.current_page == 2
    marked = win.viewer.pdf.overlays["quote"][2]
    (span,) = quote.spans
    assert [tuple(round(v, 1) for v in r) for r in marked] == [
        tuple(round(v, 1) for v in r) for r in span.rects
    ]
    # The quote stays in the inspector once its document has loaded.
    qtbot.waitUntil(lambda: win.inspector.current is not None, timeout=5000)
    assert win.inspector.current.kind == "quote"
    assert win.inspector.heading.text() == "Quote"


def test_a_pasted_altered_quote_is_found_with_its_diff(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    case_id = win.state.case_id
    tab = win.workflows.quotes
    win.contents.setCurrentWidget(tab)

    def respond(dialog: FindQuoteDialog) -> None:
        dialog.text.setPlainText(ALTERED)
        dialog.run_find()
        qtbot.waitUntil(lambda: bool(dialog.candidates), timeout=10000)
        candidate = dialog.current_candidate()
        assert candidate is not None and candidate.verdict == "altered"
        assert dialog.results.currentItem().text(1) == "altered"
        shown = dialog.diff.toHtml()
        # The source's words struck in red, the quote's own words in green, inline.
        assert "consulté" in shown and "obtenu" in shown and "line-through" in shown
        assert dialog.save_button.isEnabled()
        dialog.text.setPlainText(ALTERED + " Et plus.")
        assert not dialog.save_button.isEnabled()  # a changed text must be searched again
        dialog.text.setPlainText(ALTERED)
        dialog.fields.speaker.setEditText("Le directeur")
        dialog.save()

    seen = answer(tab, respond, "show_beside")
    tab.find_action.trigger()
    saved = seen[0].saved
    assert saved is not None and saved.verdict == "altered" and 0.5 < saved.score < 1.0
    stored = win.state.ws.quotes.of_case(case_id)
    assert [q.id for q in stored] == [saved.id]
    # The list shows the verdict; the pane under it shows the same diff.
    assert tab.model.index(0, VERDICT).data() == "altered"
    tab.select_quote(saved.id)
    html = tab.diff.toHtml()
    assert "line-through" in html and "obtenu" in html
    raw = diff_html(saved.diff)
    assert '<span style="color:#b3261e; text-decoration:line-through;' in raw
    assert "consulté" in raw.split("line-through")[1]


def test_sorting_puts_verbatim_before_altered(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    ws, case_id = win.state.ws, win.state.case_id
    ws.quotes.add(case_id, ALTERED, source=doc_id, said_on="2024-01-01")
    page = ws.documents.page(doc_id, 2)
    start = page.text.index(NEEDLE)
    ws.quotes.add_from_selection(
        case_id, doc_id, 2, start, start + len(NEEDLE), said_on="2024-02-01"
    )
    tab = win.workflows.quotes
    tab.reload()
    tab.table.sortByColumn(VERDICT, Qt.SortOrder.AscendingOrder)
    verdicts = [tab.proxy.index(r, VERDICT).data() for r in range(tab.proxy.rowCount())]
    assert verdicts == ["verbatim", "altered"]
    tab.table.sortByColumn(VERDICT, Qt.SortOrder.DescendingOrder)
    assert [tab.proxy.index(r, VERDICT).data() for r in range(2)] == ["altered", "verbatim"]


def test_recheck_after_a_document_changed_lists_the_moved_quote(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    first = write_pdf(tmp_path / "v1.pdf", [text_page(FRENCH_PARAGRAPHS[2], FRENCH_PARAGRAPHS[3])])
    doc_id = import_now(win, first, kind="source")
    ws, case_id = win.state.ws, win.state.case_id
    text = "le chantier avait déjà pris dix-huit mois de retard"
    quote = ws.quotes.add(case_id, text, source=doc_id)
    assert quote.verdict == "verbatim"
    # A corrected file: a paragraph now comes first, so the quote moved.
    second = write_pdf(
        tmp_path / "v2.pdf",
        [text_page(FRENCH_PARAGRAPHS[0], FRENCH_PARAGRAPHS[2], FRENCH_PARAGRAPHS[3])],
    )
    ws.documents.replace_original(doc_id, second, ocr=False)
    tab = win.workflows.quotes
    tab.load(case_id)

    def respond(dialog: ReviewDialog) -> None:
        assert [(r.quote_id, r.status) for r in dialog.rows] == [(quote.id, "moved")]
        assert dialog.tree.topLevelItem(0).text(0) == "moved"
        dialog.open_review(dialog.tree.currentItem())
        dialog.mark_reviewed()
        assert dialog.tree.topLevelItemCount() == 0

    seen = answer(tab, respond)
    tab.recheck_action.trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=15000)
    qtbot.waitUntil(lambda: win.viewer.doc_id == doc_id, timeout=10000)
    page, start, end = (s := ws.quotes.get(quote.id).spans[0]).page_index, s.start, s.end
    assert ws.documents.page(doc_id, page).text[start:end] == text
    assert win.viewer.pdf.overlays["quote"][page]
    assert ws.quotes.get(quote.id).review is None
    qtbot.waitUntil(lambda: tab.job is None, timeout=5000)
    assert not tab.review_action.isEnabled()


def test_prepublication_check_lists_the_altered_and_missing_passages(
    qtbot, unlocked, tmp_path
) -> None:
    win = unlocked
    import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    article = write_pdf(
        tmp_path / "article.pdf",
        [
            text_page(
                "Le directeur affirme : « Nous n’avons jamais caché ces difficultés ». La "
                "présidente dit « les fonds viennent de l’État » et « le chantier avait pris dix "
                "mois de retard »."
            )
        ],
    )
    article_id = import_now(win, article, kind="article")
    dialog = PrepubDialog(win.state, win.state.case_id, article_id, win)
    qtbot.addWidget(dialog)
    dialog.run_check()
    qtbot.waitUntil(lambda: bool(dialog.checks), timeout=15000)
    assert dialog.summary.text() == ("3 passage(s) in quotation marks: 2 to look at (1 not found).")
    rows = [
        (dialog.tree.topLevelItem(r).text(0), dialog.tree.topLevelItem(r).text(2))
        for r in range(dialog.tree.topLevelItemCount())
    ]
    assert rows == [("2", "not found"), ("3", "altered"), ("1", "verbatim")]
    dialog.problems_only.setChecked(True)
    assert dialog.tree.topLevelItemCount() == 2
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(1))
    assert "line-through" in dialog.diff.toHtml()
    dialog.open_passage(in_article=True)
    qtbot.waitUntil(lambda: win.viewer.doc_id == article_id, timeout=10000)
    assert win.viewer.pdf.overlays["quote"][0]

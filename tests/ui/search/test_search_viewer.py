"""Search (Ctrl+F / Ctrl+K, filters, open a hit at its page with highlights) and the viewer."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import NEEDLE, import_now, sample_pdf
from ui.state import PageSpan, Selection
from ui.viewer.pdf_view import PdfView


def _search(qtbot, win, text: str) -> None:
    qtbot.keyClick(win, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    win.search.field.setText(text)
    win.search.search_now()
    qtbot.waitUntil(lambda: bool(win.search.model.hits), timeout=10000)


def _wait_rendered(qtbot, view: PdfView, index: int) -> None:
    zoom = view._render_zoom()
    qtbot.waitUntil(lambda: view.cache.get(view.doc_id, index, zoom) is not None, timeout=60000)


def _hit_colour_inside(view: PdfView, index: int, rect) -> list[QColor]:
    """Colours of the on-screen pixels inside a word rectangle of page `index`."""
    item = view._items[index]
    scene = item.mapRectToScene(item.to_item(rect))
    on_view = view.mapFromScene(scene).boundingRect()
    image = view.viewport().grab().toImage()
    colours = []
    for x in range(on_view.left() + 1, on_view.right() - 1, 2):
        for y in range(on_view.top() + 1, on_view.bottom() - 1, 2):
            colours.append(QColor(image.pixel(x, y)))
    return colours


def test_shortcuts_focus_the_search_field(qtbot, unlocked) -> None:
    win = unlocked
    win.activateWindow()
    qtbot.waitActive(win)
    for key in (Qt.Key.Key_F, Qt.Key.Key_K):
        win.cases.list.setFocus()
        qtbot.keyClick(win.cases.list, key, Qt.KeyboardModifier.ControlModifier)
        assert QApplication.focusWidget() is win.search.field
        assert win.contents.currentWidget() is win.search


def test_click_a_hit_opens_its_page_with_highlights_drawn(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"))
    _search(qtbot, win, NEEDLE)
    hit = win.search.model.hits[0]
    assert hit.doc_id == doc_id and hit.page_index == 2
    index = win.search.model.index(0)
    centre = win.search.results.visualRect(index).center()
    qtbot.mouseClick(win.search.results.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    viewer = win.viewer
    qtbot.waitUntil(lambda: viewer.doc_id == doc_id, timeout=10000)
    view = viewer.pdf
    assert viewer.stack.currentWidget() is view
    assert view.current_page == 2
    assert viewer.page_box.value() == 3
    assert list(view.overlays["search"]) == [2]
    (rect,) = view.overlays["current-hit"][2]
    word = next(w for w in view.pages[2].words if view.pages[2].text[w.start : w.end] == NEEDLE)
    assert abs(rect[0] - word.x0) < 0.5 and abs(rect[2] - word.x1) < 0.5
    _wait_rendered(qtbot, view, 2)
    qtbot.wait(50)
    colours = _hit_colour_inside(view, 2, rect)
    # Orange over yellow over paper: strong red, little blue. Black glyph pixels don't count.
    assert any(c.red() > 200 and c.blue() < 150 and c.green() > 100 for c in colours)
    assert viewer.hit_label.text() == "hit 1 of 1"


def test_enter_opens_and_next_previous_hit_move_between_pages(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"))
    _search(qtbot, win, "chantier")  # page 2 ("chantier avait") and page 3
    qtbot.keyClick(win.search.field, Qt.Key.Key_Return)
    viewer = win.viewer
    qtbot.waitUntil(lambda: viewer.doc_id == doc_id, timeout=10000)
    pages_with_hits = sorted(viewer.pdf.overlays["search"])
    assert pages_with_hits == [1, 2]
    first = viewer.pdf.current_page
    viewer.next_hit()
    assert viewer.pdf.current_page != first
    viewer.previous_hit()
    assert viewer.pdf.current_page == first
    assert viewer.next_hit_action.isEnabled()


def test_kind_filter_narrows_results(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    import_now(win, sample_pdf(tmp_path / "a", "article.pdf"), kind="article")
    letter = import_now(win, sample_pdf(tmp_path / "b", "lettre.pdf"), kind="letter")
    _search(qtbot, win, NEEDLE)
    assert len({h.doc_id for h in win.search.model.hits}) == 2
    assert win.search.query_arguments()["kinds"] is None
    win.search.kind.setCurrentIndex(win.search.kind.findData("letter"))
    qtbot.waitUntil(lambda: {h.doc_id for h in win.search.model.hits} == {letter}, timeout=10000)
    assert win.search.query_arguments()["kinds"] == ["letter"]


def test_text_documents_are_shown_as_text_with_marks(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    note = tmp_path / "note.txt"
    note.write_text(f"Compte rendu.\nLe témoin cite {NEEDLE} deux fois : {NEEDLE}.\n", "utf-8")
    doc_id = import_now(win, note, kind="note")
    win.state.open_document(doc_id, 0, terms=[NEEDLE])
    viewer = win.viewer
    qtbot.waitUntil(lambda: viewer.doc_id == doc_id, timeout=10000)
    assert viewer.stack.currentWidget() is viewer.text
    assert NEEDLE in viewer.text.toPlainText()
    marked = [s.cursor.selectedText() for s in viewer.text.extraSelections()]
    assert marked.count(NEEDLE) >= 2
    assert viewer.hit_count == 2


def test_zoom_page_box_and_keyboard(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"))
    win.state.open_document(doc_id)
    viewer = win.viewer
    qtbot.waitUntil(lambda: viewer.doc_id == doc_id, timeout=10000)
    view = viewer.pdf
    zoom = view.zoom
    viewer.zoom_in_action.trigger()
    assert view.zoom > zoom and not view.fit_width_mode
    viewer.zoom_out_action.trigger()
    viewer.zoom_out_action.trigger()
    assert view.zoom < zoom
    assert viewer.zoom_label.text() == f"{round(view.zoom * 100)} %"
    viewer.fit_width_action.trigger()
    assert view.fit_width_mode and abs(view.zoom - zoom) < 0.05
    viewer.page_box.setValue(3)
    assert view.current_page == 2
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.current_page == 0 and viewer.page_box.value() == 1
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.current_page == 2
    _wait_rendered(qtbot, view, 2)


def test_select_text_with_the_mouse_gives_the_span(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"))
    win.state.open_document(doc_id, 2)
    viewer = win.viewer
    qtbot.waitUntil(lambda: viewer.doc_id == doc_id, timeout=10000)
    view = viewer.pdf
    _wait_rendered(qtbot, view, 2)
    page = view.pages[2]
    words = {page.text[w.start : w.end]: w for w in page.words}
    first, last = words["rapport"], words[NEEDLE]
    item = view._items[2]

    def on_screen(x: float, y: float) -> QPoint:
        scene = item.mapToScene(item.to_item((x, y, x, y)).topLeft())
        return view.mapFromScene(scene)

    start = on_screen(first.x0 + 1, (first.y0 + first.y1) / 2)
    end = on_screen(last.x1 - 1, (last.y0 + last.y1) / 2)
    with qtbot.waitSignal(viewer.selection_changed, timeout=5000) as signal:
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(view.viewport(), pos=start + QPoint(10, 0))
        qtbot.mouseMove(view.viewport(), pos=end)
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    got_doc, got_page, got_start, got_end = signal.args
    assert (got_doc, got_page) == (doc_id, 2)
    assert page.text[got_start:got_end] == f"rapport {NEEDLE}"
    assert viewer.selection() == Selection(doc_id, PageSpan(2, got_start, got_end))
    assert view.overlays["selection"][2]
    viewer.copy_action.trigger()
    assert QApplication.clipboard().text() == f"rapport {NEEDLE}"
    QApplication.clipboard().clear()
    # A plain click deselects, like a text editor.
    with qtbot.waitSignal(viewer.selection_cleared, timeout=5000):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    assert viewer.selection() is None


def test_select_text_in_a_text_document(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    note = tmp_path / "note.txt"
    note.write_text("Première ligne.\nLe maire a démissionné hier 😀 soir.\n", "utf-8")
    doc_id = import_now(win, note, kind="note")
    win.state.open_document(doc_id)
    viewer = win.viewer
    qtbot.waitUntil(lambda: viewer.doc_id == doc_id, timeout=10000)
    text = viewer.pages[0].text
    start = text.index("soir")
    with qtbot.waitSignal(viewer.selection_changed, timeout=5000) as signal:
        viewer.text.select_span(0, start, start + 4)
    assert signal.args == [doc_id, 0, start, start + 4]
    assert viewer.text.textCursor().selectedText() == "soir"  # past the emoji: offsets agree


def test_a_photo_opens_as_its_page_with_the_hit_drawn_on_it(qtbot, unlocked, tmp_path) -> None:
    from tests.photos import phone_photo

    win = unlocked
    photo = phone_photo(tmp_path, rotate=-90, orientation=6)
    info = win.state.ws.documents.import_file(win.state.case_id, photo)  # with OCR
    doc_id = info.id
    win.state.open_document(doc_id, 0, terms=["caméra"])
    viewer = win.viewer
    qtbot.waitUntil(lambda: viewer.doc_id == doc_id, timeout=10000)
    view = viewer.pdf
    assert viewer.stack.currentWidget() is view  # pages, not text: the picture itself
    _wait_rendered(qtbot, view, 0)
    qtbot.waitUntil(lambda: 0 in view.overlays.get("search", {}), timeout=10000)
    (rect, *_) = view.overlays["search"][0]
    page = view.pages[0]
    assert page.height > page.width and 0 < rect[0] < rect[2] <= page.width
    qtbot.wait(50)
    colours = _hit_colour_inside(view, 0, rect)
    assert any(c.red() > 200 and c.blue() < 150 for c in colours)


def test_picking_the_search_tab_puts_the_cursor_in_the_field(qtbot, unlocked) -> None:
    # A journalist clicked "Recherche" and typed: the words went nowhere.
    win = unlocked
    win.activateWindow()
    qtbot.waitActive(win)
    win.contents.setCurrentIndex(0)
    win.cases.list.setFocus()
    win.contents.setCurrentWidget(win.search)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.search.field, timeout=2000)

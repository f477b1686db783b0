"""Saved quotes are marked on their pages in their own colour; a click on one shows it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import NEEDLE, import_now, sample_pdf
from tests.ui.interactions import on_screen, open_and_wait
from ui.viewer.saved_quotes import LAYER


def test_saved_quotes_are_marked_and_a_click_opens_one(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    ws, case_id = win.state.ws, win.state.case_id
    doc_id = import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    ws.people.add(case_id, "Marie Lenoir", role="official")
    text = ws.documents.page(doc_id, 2).text
    start = text.index("rapport")
    quote = ws.quotes.add_from_selection(
        case_id, doc_id, 2, start, start + len(f"rapport {NEEDLE}"), speaker="Marie Lenoir"
    )
    view = open_and_wait(qtbot, win, doc_id, 2)
    qtbot.waitUntil(lambda: bool(view.overlays.get(LAYER)), timeout=5000)
    assert list(view.overlays[LAYER]) == [2]
    (span,) = quote.spans
    marked = view.overlays[LAYER][2]
    assert [tuple(round(v, 1) for v in r) for r in marked] == [
        tuple(round(v, 1) for v in r) for r in span.rects
    ]

    x0, y0, x1, y1 = span.rects[0]
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=on_screen(view, 2, (x0 + x1) / 2, (y0 + y1) / 2),
    )
    assert win.inspector.current is not None and win.inspector.current.kind == "quote"
    assert win.inspector.current.item.id == quote.id

    ws.quotes.delete(quote.id)
    win.state.quotes_changed.emit(case_id)
    assert not view.overlays.get(LAYER)

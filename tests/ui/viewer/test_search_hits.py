"""Search hits in the viewer: words searched together are one hit where they stand together,
next/previous hit go on to the next result's document, and a new search clears the old marks."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import NEEDLE, import_now, sample_pdf
from tests.ui.interactions import word_box


def _search(qtbot, win, text: str) -> None:
    win.search.field.setText(text)
    win.search.search_now()
    qtbot.waitUntil(lambda: win.search._searched == text, timeout=10000)


def _open_first(qtbot, win) -> str:
    first = win.search.model.hits[0].doc_id
    qtbot.keyClick(win.search.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.viewer.doc_id == first and win.viewer.hit_count > 0)
    return first


def test_next_hit_goes_on_to_the_next_result_document(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    docs = {import_now(win, sample_pdf(tmp_path / n, f"{n}.pdf")) for n in ("a", "b")}
    _search(qtbot, win, NEEDLE)  # once in each document, on page 3
    order = [h.doc_id for h in win.search.model.hits]
    assert set(order) == docs
    first = _open_first(qtbot, win)
    assert win.viewer.hit_count == 1
    win.viewer.next_hit()
    qtbot.waitUntil(lambda: win.viewer.doc_id == order[1], timeout=10000)
    qtbot.waitUntil(lambda: win.viewer.hit_count == 1)
    win.viewer.previous_hit()
    qtbot.waitUntil(lambda: win.viewer.doc_id == first, timeout=10000)


def test_a_phrase_is_one_hit_and_a_new_search_clears_the_marks(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    import_now(win, sample_pdf(tmp_path / "in"))
    _search(qtbot, win, f"rapport {NEEDLE}")  # together on page 3: "Le rapport Zorglubinade"
    _open_first(qtbot, win)
    view = win.viewer.pdf
    together = word_box(view, 2, "rapport"), word_box(view, 2, NEEDLE)
    marks = view.overlays["search"][2]
    covering = [r for r in marks if r[0] <= together[0][0] + 0.5 and r[2] >= together[1][2] - 0.5]
    assert len(covering) == 1  # one mark over both words, not one per word
    assert not any(r[2] <= together[0][2] + 0.5 and r[0] >= together[0][0] - 0.5 for r in marks)

    _search(qtbot, win, "collège")
    assert win.viewer.hit_count == 0
    assert "search" not in view.overlays and "current-hit" not in view.overlays
    assert not win.viewer.next_hit_action.isEnabled()

"""The page-thumbnail strip: one per page, rendered in memory only, following the page shown,
a click goes to its page; protected names are blacked out on them too."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests import screencase as sc
from tests.ui.conftest import import_now, sample_pdf, unlock
from tests.ui.interactions import open_and_wait
from ui.viewer.overlays import LAYERS, PROTECTED_LAYER


def test_thumbnails_follow_and_lead_the_viewer(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    win.resize(1920, 1080)  # room for the strip beside the page
    doc_id = import_now(win, sample_pdf(tmp_path / "in"))  # three pages
    home = tmp_path.parent
    # The import's index writes are committed by time or size, not per file: a search commits
    # them now, so a late index segment is not taken for something the thumbnails wrote.
    win.state.ws.search.query("page", case=win.state.case_id)
    before = {p for p in home.rglob("*") if p.is_file()}
    open_and_wait(qtbot, win, doc_id, 0)
    strip = win.thumbnails
    qtbot.waitUntil(lambda: strip.count() == 3 and strip.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: len(strip._done) == 3, timeout=15000)
    icon = strip.item(0).icon().pixmap(strip.iconSize()).toImage()
    assert not icon.isNull() and icon.pixelColor(2, 2).lightness() > 200  # paper
    assert {p for p in home.rglob("*") if p.is_file()} == before  # nothing written to disk

    rect = strip.visualItemRect(strip.item(1))
    qtbot.mouseClick(strip.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: win.viewer.page_box.value() == 2, timeout=5000)
    win.viewer.go_to_page(0)
    qtbot.waitUntil(lambda: strip.currentRow() == 0, timeout=5000)

    win.resize(1100, 800)  # a narrow viewer gives the page all its width
    qtbot.waitUntil(lambda: not strip.isVisible(), timeout=5000)
    win.lock()
    assert strip.count() == 0 and not strip.isVisible()


def test_protected_names_are_blacked_out_on_thumbnails(
    qtbot, window, tmp_path_factory, tmp_path, monkeypatch
) -> None:
    win = window
    built = sc.vault_copy(tmp_path_factory, tmp_path / "Screen.dossier", monkeypatch)
    unlock(qtbot, win, tmp_path / "Screen.dossier")
    win.resize(1920, 1080)
    win.state.select_case(built.case_id)
    win.state.open_document(built.memo_id, 0)
    qtbot.waitUntil(lambda: win.viewer.doc_id == built.memo_id, timeout=15000)
    strip = win.thumbnails
    qtbot.waitUntil(lambda: 0 in strip._done, timeout=15000)
    view = win.viewer.pdf
    boxes = view.overlays[PROTECTED_LAYER][0]
    image = strip.item(0).icon().pixmap(strip.iconSize()).toImage()
    geometry = view._items[0].geometry
    scale = image.width() / geometry.width
    fill = LAYERS[PROTECTED_LAYER].fill
    for box in boxes:
        x0, y0, x1, y1 = geometry.to_display(box)
        centre = image.pixelColor(int((x0 + x1) / 2 * scale), int((y0 + y1) / 2 * scale))
        assert centre.rgb() == fill.rgb(), box

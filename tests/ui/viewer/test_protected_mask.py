"""The viewer hides protected names with an opaque fill, OCR'd pages included, until revealed.

The finding: on the scanned memo the mask was translucent and the name could be read. Here the
pixels on screen under every word box of a name part are checked to be the mask's colour and
nothing else, on a real vault, while the same pixels of the rendered page hold ink; the Reveal
toggle shows the names in the viewer, is written to the audit trail, and ends with the lock.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor

from tests import screencase as sc
from tests.ui.conftest import unlock
from ui.people.people_tab import PeopleTab
from ui.viewer.overlays import LAYERS, PROTECTED_LAYER
from ui.viewer.pdf_view import PdfView
from ui.viewer.text_view import TextView


@pytest.fixture
def screen(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> sc.ScreenCase:
    return sc.vault_copy(tmp_path_factory, tmp_path / "Screen.dossier", monkeypatch)


@pytest.fixture
def vault(screen: sc.ScreenCase, tmp_path: Path) -> Path:
    """The vault the window unlocks: the case of the protected person (no other)."""
    return tmp_path / "Screen.dossier"


@pytest.fixture
def case(unlocked, screen: sc.ScreenCase) -> sc.ScreenCase:
    unlocked.state.select_case(screen.case_id)
    return screen


def _open(qtbot, win, doc_id: str) -> None:
    win.viewer.clear()
    win.viewer._attach()
    win.state.open_document(doc_id, 0)
    qtbot.waitUntil(lambda: win.viewer.doc_id == doc_id, timeout=15000)


def _box_pixels(qtbot, view: PdfView, index: int, box) -> tuple[list[QColor], list[QColor]]:
    """Screen pixels inside `box` of page `index`, and the same place in the page image."""
    zoom = view._render_zoom()
    qtbot.waitUntil(lambda: view.cache.get(view.doc_id, index, zoom) is not None, timeout=15000)
    qtbot.wait(50)
    item = view._items[index]
    on_item = item.to_item(box)
    on_view = view.mapFromScene(item.mapRectToScene(on_item)).boundingRect()
    screen = view.viewport().grab().toImage()
    page = view.cache.get(view.doc_id, index, zoom)
    assert page is not None
    scale = page.width() / item.boundingRect().width()
    shown, rendered = [], []
    for x in range(on_view.left() + 2, on_view.right() - 1):
        for y in range(on_view.top() + 2, on_view.bottom() - 1):
            shown.append(QColor(screen.pixel(x, y)))
    for x in range(int(on_item.left() * scale) + 2, int(on_item.right() * scale) - 1):
        for y in range(int(on_item.top() * scale) + 2, int(on_item.bottom() * scale) - 1):
            rendered.append(QColor(page.pixel(x, y)))
    return shown, rendered


def test_the_scanned_page_is_masked_opaquely(qtbot, unlocked, case: sc.ScreenCase) -> None:
    win = unlocked
    win.viewer.resize(900, 1200)
    _open(qtbot, win, case.memo_id)
    viewer, view = win.viewer, win.viewer.pdf
    assert viewer.stack.currentWidget() is view
    assert not sc.leaked(viewer.title.toolTip() + viewer.info.title)  # type: ignore[union-attr]
    assert not any(sc.leaked(p.text) for p in viewer.pages)
    fill = LAYERS[PROTECTED_LAYER].fill
    assert fill.alpha() == 255
    boxes = view.overlays[PROTECTED_LAYER]
    assert sorted(boxes) == [0, 1] and all(boxes.values())
    for box in boxes[0]:  # the OCR'd page: the name is only in the picture
        shown, rendered = _box_pixels(qtbot, view, 0, box)
        assert shown and all(c.rgb() == fill.rgb() for c in shown), box
        assert min(c.lightness() for c in rendered) < 100  # there is ink under the mask
    selected = win.viewer.pages[0].text
    assert "█" in selected and not sc.leaked(selected)


def test_a_text_document_is_masked_in_the_text_view(qtbot, unlocked, case) -> None:
    win = unlocked
    _open(qtbot, win, case.note_id)
    text: TextView = win.viewer.text
    assert win.viewer.stack.currentWidget() is text
    shown = text.toPlainText()
    assert not sc.leaked(shown) and "█" in shown
    fill = LAYERS[PROTECTED_LAYER].fill
    marks = [s for s in text.extraSelections() if s.format.background().color() == fill]
    assert marks and all(s.format.foreground().color() == fill for s in marks)


def test_reveal_toggle_shows_names_until_lock_and_is_audited(
    qtbot, unlocked, vault, case: sc.ScreenCase, monkeypatch
) -> None:
    win = unlocked
    ws = win.state.ws
    _open(qtbot, win, case.memo_id)
    titles = [d.title for d in win.contents.tabs[0].model.documents]
    assert f"Memo from {sc.PSEUDONYM}" in titles and not sc.leaked(" ".join(titles))
    search = win.search
    search.load(case.case_id)
    search.field.setText("dépôt")
    search.search_now()
    qtbot.waitUntil(lambda: bool(search.model.hits), timeout=10000)
    assert not any(sc.leaked(h.snippet + h.title) for h in search.model.hits)
    people = win.contents.tab(PeopleTab)
    assert people is not None
    win.contents.setCurrentWidget(people)
    monkeypatch.setattr(people, "confirm_reveal", lambda: True)
    people.reveal_action.setChecked(True)
    assert ws.screen.revealed(case.case_id)
    qtbot.waitUntil(lambda: any(sc.leaked(p.text) for p in win.viewer.pages), timeout=15000)
    qtbot.waitUntil(lambda: any(sc.leaked(h.snippet) for h in search.model.hits), timeout=15000)
    qtbot.waitUntil(
        lambda: "Memo from Quartermaine" in [d.title for d in win.contents.tabs[0].model.documents],
        timeout=15000,
    )
    assert not win.viewer.pdf.overlays.get(PROTECTED_LAYER, {}).get(0)
    assert sc.NAME in people.shown_names()
    reveals = [r.details for r in ws.audit.records(case.case_id) if r.action == "person.reveal"]
    # The views audit their own reveals from their workers: the order of entries written in the
    # same instant is not the order of the clicks, so each is looked for, not its place.
    assert {"person_ids": [case.person_id], "where": "app: every view until lock"} in reveals
    assert {"viewer", "people", "search"} <= {str(r["where"]) for r in reveals}
    win.lock()
    unlock(qtbot, win, vault)
    assert not win.state.ws.screen.revealed(case.case_id)
    win.state.select_case(case.case_id)
    assert not people.reveal_action.isChecked()
    _open(qtbot, win, case.memo_id)
    assert not any(sc.leaked(p.text) for p in win.viewer.pages)

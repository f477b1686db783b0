"""The window on a laptop (1366×768) and a desktop (1920×1080), in English and in French.

Each screen of the real sample vault is shown, saved as a PNG under `build/screenshots/` (or
`DOSSIER_ARTEFACTS`) for people to look at, and checked for what must be in sight: every
left-pane tab, the state and deadline of letters, the verdict of quotes, no sideways scrolling
in tables or in the details pane. Geometry is checked, never pixel sizes that depend on fonts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QScrollArea,
    QStyleOptionTab,
    QTabBar,
    QWidget,
)

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.sample.build import SAMPLE_PASSPHRASE
from tests.conftest import REPO
from tests.samplevault import sample_copy
from tests.ui.conftest import documents_read
from ui.case.contents_panel import DocumentsTab
from ui.export.redactions_tab import RedactionsTab
from ui.i18n import install_translations
from ui.letters.letters_tab import DEADLINE, ITEM_ROLE, STATE, LettersTab
from ui.main_window import MainWindow
from ui.people.people_tab import PeopleTab
from ui.quotes.quotes_model import VERDICT
from ui.quotes.quotes_tab import QuotesTab
from ui.search.search_tab import SearchTab
from ui.settings import AppSettings
from ui.timeline.timeline_tab import TimelineTab
from ui.widgets.fit import breakable, default_geometry, fit_to_screen

SIZES = [(1366, 768), (1920, 1080)]
SHOTS = Path(os.environ.get("DOSSIER_ARTEFACTS") or REPO / "build" / "screenshots")


@pytest.fixture(scope="module")
def sample_vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with sample_copy(tmp_path_factory) as built:
        yield built.folder


def settings_in(folder: Path) -> AppSettings:
    return AppSettings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def laptop(
    request: pytest.FixtureRequest, qtbot, qapp, tmp_path: Path, sample_vault: Path
) -> Iterator[MainWindow]:
    (width, height), language = request.param
    install_translations(qapp, language)
    win = MainWindow(settings_in(tmp_path), kdf=TEST_ONLY_FAST)
    qtbot.addWidget(win)
    win.resize(width, height)
    win.show()
    win.start(sample_vault, SAMPLE_PASSPHRASE)
    qtbot.waitUntil(lambda: win.state.is_unlocked, timeout=20000)
    win.tag = f"{width}x{height}-{language}"  # type: ignore[attr-defined]
    try:
        yield win
    finally:
        win.lock()
        install_translations(qapp, "en")


def inside(child: QWidget, outer: QWidget) -> bool:
    """`child` is shown whole within `outer` (both visible)."""
    top_left = child.mapTo(outer, child.rect().topLeft())
    return child.isVisible() and outer.rect().contains(QRect(top_left, child.size()))


def column_in_view(view: QAbstractItemView, header: QHeaderView, column: int) -> bool:
    start = header.sectionViewportPosition(column)
    return start >= 0 and start + header.sectionSize(column) <= view.viewport().width()


def show_tab(win: MainWindow, kind: type) -> QWidget:
    tab = win.contents.tab(kind)
    assert tab is not None
    win.contents.setCurrentWidget(tab)
    QApplication.processEvents()
    assert cut_buttons(tab) == []
    return tab


def cut_buttons(pane: QWidget) -> list[str]:
    """Buttons shown narrower than their own name (a toolbar's overflow menu holds the actions
    it has no room for: those are not shown, so not cut)."""
    return [
        button.text()
        for button in pane.findChildren(QAbstractButton)
        if button.isVisible()
        and button.text()
        and button.fontMetrics().horizontalAdvance(button.text().replace("&", "")) + 8
        > button.width()
    ]


def shown_tab_text(bar: QTabBar, index: int) -> str:
    """The name a tab shows, as the tab bar paints it (elided when its tab is too narrow)."""
    option = QStyleOptionTab()
    bar.initStyleOption(option, index)
    return option.text


def shown_kind(win: MainWindow) -> str:
    return win.inspector.current.kind if win.inspector.current is not None else ""


def shoot(win: MainWindow, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert win.grab().save(str(SHOTS / f"{name}-{win.tag}.png"))  # type: ignore[attr-defined]


CASES = [(size, language) for size in SIZES for language in ("en", "fr")]
IDS = [f"{w}x{h}-{lang}" for (w, h), lang in CASES]


@pytest.mark.parametrize("laptop", CASES, ids=IDS, indirect=True)
def test_every_screen_shows_what_it_is_for(qtbot, laptop: MainWindow) -> None:
    win = laptop
    panes = (win.left_splitter, win.viewer, win.inspector)
    for pane in panes:
        assert inside(pane, win), pane
        assert pane.width() >= pane.minimumWidth() > 0

    # Every left-pane tab, Search included, is in sight: no scroll arrows hide any, and each
    # name is whole (French names are the longer ones).
    bar = win.contents.tabBar()
    for index in range(bar.count()):
        assert bar.rect().contains(bar.tabRect(index)), bar.tabText(index)
        assert shown_tab_text(bar, index) == bar.tabText(index)
    assert bar.tabRect(win.contents.indexOf(win.search)).isValid()

    documents = show_tab(win, DocumentsTab)
    assert isinstance(documents, DocumentsTab)
    documents_read(win)  # the unlock's read goes in by parts: its first row is the first
    first = documents.model.index(0, 0)
    child = documents.model.index(0, 0, first)
    documents.tree.setCurrentIndex(child)
    documents.tree.clicked.emit(child)
    qtbot.waitUntil(lambda: bool(win.viewer.pages), timeout=10000)
    # The page-thumbnail strip stands beside the page, laptop included.
    qtbot.waitUntil(lambda: win.thumbnails.count() > 0, timeout=10000)
    assert inside(win.thumbnails, win.viewer)
    QApplication.processEvents()
    shoot(win, "documents")
    scroll = win.inspector.findChild(QScrollArea)
    assert scroll is not None and not scroll.horizontalScrollBar().isVisible()
    assert scroll.widget().width() <= scroll.viewport().width()

    letters = show_tab(win, LettersTab)
    assert isinstance(letters, LettersTab)
    assert letters.tree.topLevelItemCount() > 0
    shoot(win, "letters")
    for column in (DEADLINE, STATE):
        assert column_in_view(letters.tree, letters.tree.header(), column), column
    assert not letters.tree.horizontalScrollBar().isVisible()
    letter = letters.tree.topLevelItem(0)
    letters.tree.setCurrentItem(letter.child(0))  # a question: its letter is described
    assert shown_kind(win) == "letter"
    assert win.inspector.current.item.id == letter.data(0, ITEM_ROLE).id  # type: ignore[union-attr]
    shoot(win, "letter-details")
    assert not scroll.horizontalScrollBar().isVisible()

    quotes = show_tab(win, QuotesTab)
    assert isinstance(quotes, QuotesTab)
    assert quotes.model.rowCount() > 0
    shoot(win, "quotes")
    header = quotes.table.horizontalHeader()
    assert column_in_view(quotes.table, header, VERDICT)
    assert not quotes.table.horizontalScrollBar().isVisible()
    quotes.table.selectRow(0)
    quotes.table.clicked.emit(quotes.table.model().index(0, 0))
    qtbot.waitUntil(
        lambda: win.inspector.current is not None and win.inspector.current.kind == "quote",
        timeout=10000,
    )

    people = show_tab(win, PeopleTab)
    assert isinstance(people, PeopleTab)
    people.tree.setCurrentItem(people.tree.topLevelItem(0))
    shoot(win, "people")
    for column in (1, 2):  # role and protection
        assert column_in_view(people.tree, people.tree.header(), column), column
    assert shown_kind(win) == "person"

    timeline = show_tab(win, TimelineTab)
    assert isinstance(timeline, TimelineTab)
    timeline.show_axis()
    QApplication.processEvents()
    assert cut_buttons(timeline) == []
    shoot(win, "timeline")
    show_tab(win, RedactionsTab)

    search = show_tab(win, SearchTab)
    assert inside(search, win.contents)
    shoot(win, "search")


def test_a_window_remembered_on_a_larger_screen_opens_inside_this_one(
    qtbot, tmp_path: Path
) -> None:
    settings = settings_in(tmp_path)
    first = MainWindow(settings, kdf=TEST_ONLY_FAST)
    qtbot.addWidget(first)
    available = first.available_area()
    assert available.contains(first.geometry())  # a first run fits at once
    first.setGeometry(available.x() + 3000, available.y() + 50, 2560, 1440)
    first.save_layout()
    second = MainWindow(settings, kdf=TEST_ONLY_FAST)
    qtbot.addWidget(second)
    assert available.contains(second.geometry())


def test_fit_to_screen_moves_and_shrinks_only_as_needed() -> None:
    laptop = QRect(0, 0, 1366, 740)
    assert fit_to_screen(QRect(100, 50, 800, 600), laptop) == QRect(100, 50, 800, 600)
    assert fit_to_screen(QRect(1900, 900, 800, 600), laptop) == QRect(566, 140, 800, 600)
    assert fit_to_screen(QRect(-50, -20, 1920, 1080), laptop) == laptop
    assert default_geometry(laptop) == laptop
    big = default_geometry(QRect(0, 0, 2560, 1400))
    assert QRect(0, 0, 2560, 1400).contains(big) and big.width() < 2560


def test_long_file_names_can_wrap_at_their_separators() -> None:
    name = "Rapport_final-version.2023.pdf"
    assert breakable(name).replace("\u200b", "") == name
    assert breakable(name).count("\u200b") == 4

"""Making screens fit a laptop: window geometry within the screen, columns that share space.

A 1366×768 screen is the common case for a reporter's laptop: the window must open inside the
available area (a remembered geometry from a larger monitor is pulled back into it), and tables
must keep their short, telling columns (state, deadline, verdict) visible while long text is
elided rather than pushing them out of sight.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView

DEFAULT_SIZE = (1440, 900)
"""The window's size on a screen with room for it; smaller screens get their available area."""
BREAK_AFTER = "_-./\\@"
ZERO_WIDTH_SPACE = "\u200b"


def fit_to_screen(rect: QRect, available: QRect) -> QRect:
    """`rect` moved and shrunk as little as needed to lie inside `available`."""
    width = min(rect.width(), available.width())
    height = min(rect.height(), available.height())
    left = min(max(rect.left(), available.left()), available.right() + 1 - width)
    top = min(max(rect.top(), available.top()), available.bottom() + 1 - height)
    return QRect(left, top, width, height)


def default_geometry(available: QRect) -> QRect:
    """A first-run window: `DEFAULT_SIZE` centred, or the whole available area if smaller."""
    width = min(DEFAULT_SIZE[0], available.width())
    height = min(DEFAULT_SIZE[1], available.height())
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return fit_to_screen(rect, available)


class ColumnFitter(QObject):
    """Fitted columns take their contents' width; elastic ones share the rest by weight.

    Elastic columns elide and can shrink to `MIN_ELASTIC` pixels, so the fitted columns (short
    values such as a state, a date or a verdict) stay in view at any width of the pane.
    """

    def __init__(self, view: QAbstractItemView, header: QHeaderView) -> None:
        super().__init__(view)
        self.view = view
        self.header = header
        self.elastic: dict[int, int] = {}
        self.fitted: tuple[int, ...] = ()
        view.viewport().installEventFilter(self)
        header.sectionResized.connect(self._fitted_resized)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.share()
        return False

    def _fitted_resized(self, column: int, _old: int, _new: int) -> None:
        if column in self.fitted:
            self.share()

    def share(self) -> None:
        """Give the elastic columns what the fitted ones leave of the viewport's width."""
        if not self.elastic:
            return
        used = sum(
            self.header.sectionSize(c) for c in self.fitted if not self.header.isSectionHidden(c)
        )
        free = max(0, self.view.viewport().width() - used)
        total = sum(self.elastic.values())
        widths = {c: max(MIN_ELASTIC, free * w // total) for c, w in self.elastic.items()}
        # Minimums and rounding may overshoot: the widest elastic columns give the excess back.
        excess = sum(widths.values()) - free
        for column in sorted(widths, key=widths.__getitem__, reverse=True):
            if excess <= 0:
                break
            give = min(excess, widths[column] - MIN_ELASTIC)
            widths[column] -= give
            excess -= give
        for column, width in widths.items():
            if self.header.sectionSize(column) != width:
                self.header.resizeSection(column, width)


MIN_ELASTIC = 40


def fit_columns(
    view: QAbstractItemView, header: QHeaderView, elastic: dict[int, int], fitted: Iterable[int]
) -> ColumnFitter:
    """Columns in `fitted` sized to their contents, those in `elastic` (column -> weight)
    sharing the rest of the view's width; long text is elided, nothing scrolls sideways."""
    fitter = ColumnFitter(view, header)
    fitter.elastic = dict(elastic)
    fitter.fitted = tuple(fitted)
    header.setStretchLastSection(False)
    for column in fitter.fitted:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    for column in fitter.elastic:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    # Sideways scrolling only if even the fitted columns cannot fit: never clipped unseen.
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    return fitter


def breakable(text: str) -> str:
    """`text` with invisible break opportunities after separators, for long file names that
    would otherwise force a label (and its pane) wider than the screen."""
    return "".join(c + ZERO_WIDTH_SPACE if c in BREAK_AFTER else c for c in text)

"""Documents without a PDF original (mail, plain text, notes): their page text, read-only.

Offsets: the core counts Python characters, Qt counts UTF-16 units; `_Utf16` converts, so a
selection here gives the same (page, start, end) span the PDF view would.
"""

from __future__ import annotations

import bisect

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from dossier.text.model import PageText
from ui.state import PageSpan
from ui.viewer.markdown_view import reflowed, style_markdown
from ui.viewer.overlays import LAYERS
from ui.viewer.text_structure import style_structure

PAGE_BREAK = "\n\n"


class _Utf16:
    """Python str offsets <-> Qt positions (characters beyond U+FFFF count twice in Qt)."""

    def __init__(self, text: str) -> None:
        self._astral = [i for i, c in enumerate(text) if ord(c) > 0xFFFF]

    def to_qt(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._astral, offset)

    def from_qt(self, position: int) -> int:
        low, high = 0, position
        while low < high:  # the largest offset whose Qt position is <= position
            mid = (low + high + 1) // 2
            if self.to_qt(mid) <= position:
                low = mid
            else:
                high = mid - 1
        return low


class TextView(QPlainTextEdit):
    selection_changed = Signal(int, int, int)
    selection_cleared = Signal()
    current_page_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.pages: list[PageText] = []
        self._starts: list[int] = []
        self._map = _Utf16("")
        self._layers: dict[str, list[tuple[int, int]]] = {}
        self.selection: PageSpan | None = None
        self._debounce = QTimer(self, singleShot=True, interval=120)
        self._debounce.timeout.connect(self._selection_settled)
        self.selectionChanged.connect(self._debounce.start)
        self.cursorPositionChanged.connect(self._cursor_moved)

    def show_pages(self, pages: list[PageText], *, markdown: bool = False) -> None:
        self.pages = pages
        self._starts = []
        text = ""
        for page in pages:
            if text:
                text += PAGE_BREAK
            self._starts.append(len(text))
            text += page.text
        self._map = _Utf16(text)
        self._layers = {}
        self.selection = None
        # Markdown flows and takes its styles; either way every character keeps its offset.
        self.setPlainText(reflowed(text) if markdown else text)
        if markdown:
            style_markdown(self.document())
        else:
            style_structure(self.document())
        self._apply_layers()

    def clear_document(self) -> None:
        self.pages = []
        self._starts = []
        self._layers = {}
        self.selection = None
        self.clear()

    # -- offsets ------------------------------------------------------------------------------

    def _global(self, page: int, offset: int) -> int:
        return self._map.to_qt(self._starts[page] + offset)

    def _local(self, position: int) -> tuple[int, int]:
        offset = self._map.from_qt(position)
        page = max(0, bisect.bisect_right(self._starts, offset) - 1)
        return page, min(offset - self._starts[page], len(self.pages[page].text))

    # -- marks --------------------------------------------------------------------------------

    def set_spans(self, layer: str, spans: dict[int, list[tuple[int, int]]]) -> None:
        self._layers[layer] = [
            (self._global(page, a), self._global(page, b))
            for page, ranges in spans.items()
            if page < len(self._starts)
            for a, b in ranges
        ]
        self._apply_layers()

    def clear_layer(self, layer: str) -> None:
        if self._layers.pop(layer, None) is not None:
            self._apply_layers()

    def _apply_layers(self) -> None:
        selections = []
        for name, style in LAYERS.items():
            for start, end in self._layers.get(name, []):
                mark = QTextEdit.ExtraSelection()
                fmt = QTextCharFormat()
                fill = QColor(style.fill)
                opaque = fill.alpha() == 255
                fill.setAlpha(min(255, fill.alpha() * 2))
                fmt.setBackground(fill)
                if opaque:  # a mask: the characters under it are drawn in its colour too
                    fmt.setForeground(fill)
                mark.format = fmt
                cursor = QTextCursor(self.document())
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                mark.cursor = cursor
                selections.append(mark)
        self.setExtraSelections(selections)

    def go_to(self, page: int, offset: int = 0) -> None:
        if not self._starts:
            return
        page = max(0, min(page, len(self._starts) - 1))
        cursor = self.textCursor()
        cursor.setPosition(self._global(page, offset))
        self.setTextCursor(cursor)
        self.centerCursor()

    # -- selection ----------------------------------------------------------------------------

    def _cursor_moved(self) -> None:
        if self.pages:
            self.current_page_changed.emit(self._local(self.textCursor().position())[0])

    def _selection_settled(self) -> None:
        cursor = self.textCursor()
        if not self.pages or not cursor.hasSelection():
            if self.selection is not None:
                self.selection = None
                self.selection_cleared.emit()
            return
        page, start = self._local(cursor.selectionStart())
        end_page, end = self._local(cursor.selectionEnd())
        if end_page != page:  # a span lives on one page: stop at its end
            end = len(self.pages[page].text)
        if end <= start:
            return
        self.selection = PageSpan(page, start, end)
        self.selection_changed.emit(page, start, end)

    def select_span(self, page: int, start: int, end: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self._global(page, start))
        cursor.setPosition(self._global(page, end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self._debounce.stop()
        self._selection_settled()

    def selected_text(self) -> str:
        if self.selection is None:
            return ""
        selected = self.selection
        return self.pages[selected.page_index].text[selected.start : selected.end]

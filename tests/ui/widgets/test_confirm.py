"""Every question before something that cannot be taken back is one box: Cancel by default,
Yes to go on, a refusal shown in one sentence; the app has no second way to ask."""

from __future__ import annotations

import ast

from PySide6.QtWidgets import QMessageBox, QWidget

from dossier.errors import NotFoundError
from tests.conftest import REPO
from tests.ui.conftest import import_now, sample_pdf
from ui.quotes.quotes_tab import QuotesTab
from ui.widgets.confirm import confirm, delete_if_confirmed

YES, CANCEL = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel


def _answering(monkeypatch, button: QMessageBox.StandardButton) -> list[QMessageBox]:
    shown: list[QMessageBox] = []

    def exec_(box: QMessageBox) -> int:
        shown.append(box)
        return int(button.value) if box.standardButtons() & YES else 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return shown


def test_confirm_defaults_to_cancel_and_says_yes_only_to_yes(qtbot, monkeypatch) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    shown = _answering(monkeypatch, CANCEL)
    assert confirm(parent, "Delete", "Delete it?", warning=True) is False
    (box,) = shown
    assert box.defaultButton() is box.button(CANCEL)
    assert box.icon() == QMessageBox.Icon.Warning and box.text() == "Delete it?"
    _answering(monkeypatch, YES)
    assert confirm(parent, "Delete", "Delete it?") is True


def test_delete_runs_only_after_yes_and_shows_a_refusal(qtbot, monkeypatch) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    done: list[str] = []
    _answering(monkeypatch, CANCEL)
    assert delete_if_confirmed(parent, "Delete", "Delete it?", lambda: done.append("x")) is False
    assert done == []
    shown = _answering(monkeypatch, YES)
    assert delete_if_confirmed(parent, "Delete", "Delete it?", lambda: done.append("x")) is True
    assert done == ["x"]

    def refused() -> None:
        raise NotFoundError("no quote with id 1234")

    assert delete_if_confirmed(parent, "Delete", "Delete it?", refused) is False
    assert shown[-1].text() == "No quote with id 1234."


def test_the_quotes_tab_deletes_through_the_one_question(qtbot, unlocked, monkeypatch, tmp_path):
    win = unlocked
    ws, case_id = win.state.ws, win.state.case_id
    import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    quote = ws.quotes.add(case_id, "un texte que personne n'a jamais écrit")
    tab = win.contents.tab(QuotesTab)
    win.state.quotes_changed.emit(case_id)
    qtbot.waitUntil(lambda: tab.model.row_of(quote.id) >= 0, timeout=10000)
    tab.select_quote(quote.id)
    _answering(monkeypatch, CANCEL)
    tab.delete_quote()
    assert [q.id for q in ws.quotes.of_case(case_id)] == [quote.id]
    _answering(monkeypatch, YES)
    tab.delete_quote()
    assert ws.quotes.of_case(case_id) == []


def test_no_screen_asks_its_own_way() -> None:
    # A question box built elsewhere could default to Yes, or let a refusal escape as a traceback.
    offenders = []
    for path in sorted((REPO / "ui").rglob("*.py")):
        if path.name == "confirm.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("question", "warning"):
                if ast.unparse(node.value) == "QMessageBox":
                    offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert offenders == []

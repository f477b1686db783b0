"""A quote's report pane: a not-found quote's diff is labelled as the closest passage, shown for
information, never as the quote's source."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from dossier.anchor.model import DiffOp
from ui.widgets.diff_view import DiffView

NEAR_MISS = (
    DiffOp("equal", "la demande de démolition du", "la demande de démolition du"),
    DiffOp("replace", "cinéma", "bâtiment"),
)
NOTE = "for information only"


def test_a_not_found_quote_with_a_closest_passage_is_labelled(qtbot: QtBot) -> None:
    view = DiffView()
    qtbot.addWidget(view)
    view.show_diff("not_found", 0.93, NEAR_MISS)
    text = view.toPlainText()
    assert NOTE in text and "not this quote's source" in text
    assert "bâtiment" in text and "cinéma" in text
    assert "93" not in text  # no score: it is not the quote's source


def test_a_misquote_or_a_quote_found_nowhere_has_no_such_label(qtbot: QtBot) -> None:
    view = DiffView()
    qtbot.addWidget(view)
    view.show_diff("altered", 0.93, NEAR_MISS)
    assert NOTE not in view.toPlainText()
    view.show_diff("not_found", 0.0, ())
    assert NOTE not in view.toPlainText()
    assert "No passage of the sources matches." in view.toPlainText()

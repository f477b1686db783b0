"""A new quote from a selection comes with its speaker and date filled in: the "Name :" the
selection starts with (resolved by the core, so a protected source appears under their
pseudonym) or the document's only person, and the document's date; a bad date reads well."""

from __future__ import annotations

import pytest

from dossier.errors import UsageError
from dossier.services.documents.dto import DocumentEdit
from tests.ui.conftest import import_now, sample_pdf
from ui.quotes.quote_dialog import NewQuoteDialog, speaker_prefix
from ui.state import PageSpan, Selection


def _dialog(win, doc_id: str, text: str) -> NewQuoteDialog:
    selection = Selection(doc_id, PageSpan(0, 0, len(text)))
    return NewQuoteDialog(win.state, win.state.case_id, selection, text, win)


def test_speaker_and_date_are_prefilled(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    ws, case_id = win.state.ws, win.state.case_id
    doc_id = import_now(win, sample_pdf(tmp_path / "in"), kind="interview")
    ws.documents.update(doc_id, DocumentEdit(date="2023-11-21"))
    clouet = ws.people.add(case_id, "Hadrien Clouet", role="elected")
    source = ws.people.add(case_id, "Aurélien Vasseur", protection="protected")

    dialog = _dialog(win, doc_id, "Hadrien Clouet : « Pour que les habitants sachent. »")
    qtbot.addWidget(dialog)
    assert dialog.fields.said_on.text() == "2023-11-21"
    assert dialog.fields.speaker.currentData() == clouet.id

    dialog = _dialog(win, doc_id, "Aurélien Vasseur: on nous a demandé de nous taire.")
    qtbot.addWidget(dialog)
    assert dialog.fields.speaker.currentData() == source.id
    assert "Vasseur" not in dialog.fields.speaker.currentText()  # the pseudonym is shown

    dialog = _dialog(win, doc_id, "Marie Lenoir : le dossier est clos.")
    qtbot.addWidget(dialog)
    assert dialog.fields.speaker.currentText() == "Marie Lenoir"  # new: created on save

    ws.documents.update(doc_id, DocumentEdit(people=[clouet.id]))
    dialog = _dialog(win, doc_id, "le chantier avait pris du retard")
    qtbot.addWidget(dialog)
    assert dialog.fields.speaker.currentData() == clouet.id


def test_a_bad_date_is_said_plainly(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"))
    dialog = _dialog(win, doc_id, "le chantier avait pris du retard")
    qtbot.addWidget(dialog)
    dialog.fields.said_on.setText("2023-13-45")
    with pytest.raises(UsageError) as caught:
        dialog.fields.facts()
    assert str(caught.value) == (
        "“2023-13-45” is not a date: write the day the quote was said as YYYY-MM-DD, "
        "e.g. 2023-11-20."
    )
    assert win.state.ws.people.of_case(win.state.case_id) == []  # nothing created first


def test_speaker_prefix_reads_transcript_lines() -> None:
    assert speaker_prefix("Hadrien Clouet : « Oui. »") == "Hadrien Clouet"
    assert speaker_prefix("  Anne-Marie O’Neil: non") == "Anne-Marie O’Neil"
    assert speaker_prefix("12 : x") == ""  # a number, not a name
    assert speaker_prefix("Il a dit que tout allait bien.") == ""
    assert speaker_prefix("Note:") == ""  # nothing after the colon: a heading, not a line

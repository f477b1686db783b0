"""The result list saved as CSV, read as whoever later finds the file would read it.

The CSV leaves the vault in clear: protected people must be under their pseudonym in every
cell (the query typed included: searching a source's name is how one finds their documents),
and a half-written file must never stand where the journalist asked for the list.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

from PySide6.QtCore import Qt

from dossier.services.documents.dto import DocumentEdit
from tests.faults import FullDisk
from tests.pdfgen import text_page, write_pdf
from ui.search import search_tab

NAME = "Clarisse Vautrin"


def _import(win, tmp_path: Path) -> None:
    ws, case_id = win.state.ws, win.state.case_id
    person = ws.people.add(case_id, NAME, protection="protected", pseudonym="Source A").id
    folder = tmp_path / "in"
    folder.mkdir()
    pdf = write_pdf(folder / "memo.pdf", [text_page(f"Rendez-vous avec {NAME} à Lisbonne.")])
    doc = ws.documents.import_file(case_id, pdf, kind="note", ocr=False)
    ws.documents.update(doc.id, DocumentEdit(title=f"Notes {NAME}", people=[person]))
    win.state.documents_changed.emit(case_id)


def _search(qtbot, win, text: str) -> None:
    tab = win.search
    win.focus_search()
    tab.field.setText(text)
    qtbot.keyClick(tab.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab._searched == text and bool(tab.model.hits), timeout=15000)


def test_no_cell_of_the_csv_names_a_protected_person(
    qtbot, unlocked, tmp_path, monkeypatch
) -> None:
    win = unlocked
    _import(win, tmp_path)
    _search(qtbot, win, NAME)
    out = tmp_path / "out" / "results.csv"
    out.parent.mkdir()
    monkeypatch.setattr(search_tab, "choose_save_file", lambda *a: out)
    win.search.export_button.click()
    text = out.read_bytes().decode("utf-8-sig")
    assert "Lisbonne" in text  # the hit is there
    assert "not encrypted" in win.statusBar().currentMessage()  # it says it left the vault
    for part in NAME.split():
        assert part.casefold() not in text.casefold(), text


def test_the_csv_is_written_whole_or_not_at_all(qtbot, unlocked, tmp_path, monkeypatch) -> None:
    """A full disk while the list is written leaves the file already there untouched and no
    partial file behind; a hostile document's lone surrogate does not stop the list."""
    win = unlocked
    _import(win, tmp_path)
    _search(qtbot, win, "Lisbonne")
    out = tmp_path / "out" / "results.csv"
    out.parent.mkdir()
    out.write_bytes(b"earlier list\r\n")
    monkeypatch.setattr(search_tab, "choose_save_file", lambda *a: out)
    shown: list[object] = []
    monkeypatch.setattr(search_tab, "show_error", lambda _parent, exc: shown.append(exc))
    hits = win.search.model.hits
    hits[0] = dataclasses.replace(hits[0], snippet="x" * 70_000 + "\udc80")
    with FullDisk(random.Random(0)).armed(size_limit=16_384, fsyncs=None):
        win.search.export_results()
    assert shown, "the full disk was not reported"
    assert out.read_bytes() == b"earlier list\r\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["results.csv"]
    win.search.export_results()  # room again: saved whole, the surrogate replaced
    assert out.read_bytes().decode("utf-8-sig").count("x" * 70_000) == 1
    assert out.stat().st_mode & 0o077 == 0  # the owner's alone: it is in clear


def test_the_recent_searches_menu_shows_a_protected_name_masked(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    _import(win, tmp_path)
    _search(qtbot, win, NAME)
    tab = win.search
    tab.remember(NAME)
    tab._fill_recent()
    shown = " ".join(a.text() for a in tab.recent_menu.actions())
    assert "Source A" in shown
    assert not any(part in shown for part in NAME.split()), shown
    tab.recent_menu.actions()[0].trigger()  # chosen, it searches the words as typed
    qtbot.waitUntil(lambda: tab._searched == NAME, timeout=15000)

"""Around the result list: counts per kind, year and person (a click narrows the search), the
recent searches kept sealed in the vault across a lock, and the list saved as CSV."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt

from dossier.services.documents.dto import DocumentEdit
from tests.pdfgen import text_page, write_pdf
from tests.ui.conftest import unlock
from ui.search import search_tab

WORD = "vidéosurveillance"


def _pdf(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_pdf(folder / name, [text_page(text)])


def _documents(win, tmp_path: Path) -> None:
    ws, case_id = win.state.ws, win.state.case_id
    clouet = ws.people.add(case_id, "Hadrien Clouet").id
    made = [
        ("article", "2023-11-14", "a.pdf", f"La {WORD} algorithmique à Toulouse.", [clouet]),
        ("article", "2022-05-02", "b.pdf", f"Un marché de {WORD} signé.", []),
        ("letter", "2023-11-20", "c.pdf", f"Questions sur la {WORD}.", [clouet]),
        ("note", "2023-11-15", "d.pdf", "Compte rendu sans rapport", []),
    ]
    for kind, date, name, text, people in made:
        doc = ws.documents.import_file(case_id, _pdf(tmp_path, name, text), kind=kind, ocr=False)
        ws.documents.update(doc.id, DocumentEdit(date=date, people=people))
    win.state.documents_changed.emit(case_id)


def _search(qtbot, win, text: str) -> None:
    tab = win.search
    win.focus_search()
    tab.field.setText(text)
    qtbot.keyClick(tab.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab._searched == text and not tab.facets.isHidden(), timeout=15000)


def test_counts_narrow_and_stay_per_kind(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    _documents(win, tmp_path)
    tab = win.search
    _search(qtbot, win, WORD)
    kinds = {tab.kind.itemData(i): tab.kind.itemText(i) for i in range(tab.kind.count())}
    assert kinds["article"] == "Articles (2)" and kinds["letter"].endswith("(1)")
    assert kinds["note"].endswith("(0)")
    assert tab.facets.facets.years == {"2023": 2, "2022": 1}
    assert tab.facets.facets.people == {"Hadrien Clouet": 2}
    # Choosing a kind keeps every kind's count (they count the search without its kind).
    tab.kind.setCurrentIndex(tab.kind.findData("letter"))
    qtbot.waitUntil(lambda: len(tab.model.hits) == 1, timeout=15000)
    assert tab.kind.itemText(tab.kind.findData("article")) == "Articles (2)"
    tab.kind.setCurrentIndex(0)
    qtbot.waitUntil(lambda: len(tab.model.hits) == 3, timeout=15000)
    tab.facets.linkActivated.emit("year:2022")
    assert (tab.date_from.text(), tab.date_to.text()) == ("2022-01-01", "2022-12-31")
    qtbot.waitUntil(lambda: len(tab.model.hits) == 1, timeout=15000)
    tab.date_from.clear()
    tab.date_to.clear()
    tab.facets.linkActivated.emit("person:Hadrien Clouet")
    assert tab.person.text() == "Hadrien Clouet"
    qtbot.waitUntil(lambda: len(tab.model.hits) == 2, timeout=15000)


def test_recent_searches_survive_a_lock(qtbot, unlocked, vault, tmp_path) -> None:
    win = unlocked
    _documents(win, tmp_path)
    _search(qtbot, win, WORD)
    _search(qtbot, win, "marché")
    win.lock()
    unlock(qtbot, win, vault)
    tab = win.search
    tab._fill_recent()
    texts = [a.text() for a in tab.recent_menu.actions()]
    assert texts == ["marché", WORD]
    tab.recent_menu.actions()[1].trigger()
    qtbot.waitUntil(lambda: tab._searched == WORD, timeout=15000)


def test_the_result_list_is_saved_as_csv(qtbot, unlocked, tmp_path, monkeypatch) -> None:
    win = unlocked
    _documents(win, tmp_path)
    _search(qtbot, win, WORD)
    out = tmp_path / "out" / "results.csv"
    out.parent.mkdir()
    monkeypatch.setattr(search_tab, "choose_save_file", lambda *a: out)
    assert win.search.export_button.isEnabled()
    win.search.export_button.click()
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 that Excel opens as such
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["Search", "Rank", "Title", "Kind", "Page", "Date", "Excerpt"]
    assert len(rows) == 4 and {r[3] for r in rows[1:]} == {"article", "letter"}
    assert all(r[0] == WORD and WORD in r[6].lower() for r in rows[1:])
    assert [r[1] for r in rows[1:]] == ["1", "2", "3"]


def test_a_cell_is_never_a_formula() -> None:
    from ui.search.results_csv import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and _cell("-3") == "'-3"
    assert _cell("Toulouse") == "Toulouse"

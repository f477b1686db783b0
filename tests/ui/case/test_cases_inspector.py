"""Case list (create, rename, delete with a destroying confirmation) and the inspector."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.core.redact.test_names_in_lying_fonts import FONTS, LIES
from tests.core.redact.test_names_in_pictures import pages_pdf
from tests.pdfgen import text_page, write_pdf
from tests.ui.conftest import CASE_NAME, documents_read, import_now, sample_pdf
from ui.case.inspector_panel import file_size
from ui.i18n import install_translations


def test_create_rename_and_delete_a_case(qtbot, unlocked, monkeypatch, tmp_path) -> None:
    win = unlocked
    panel = win.cases
    names = iter(["Marchés publics", "Marchés publics 2024"])
    monkeypatch.setattr(panel, "ask_name", lambda *args, **kw: next(names))
    panel.new_action.trigger()
    assert [c.name for c in panel.cases] == [CASE_NAME, "Marchés publics"]
    assert panel.current().name == "Marchés publics"
    import_now(win, sample_pdf(tmp_path / "in"))
    panel.rename_action.trigger()
    assert panel.current().name == "Marchés publics 2024"
    assert panel.current().document_count == 1
    asked = []
    monkeypatch.setattr(panel, "confirm_delete", lambda case: asked.append(case.name) or False)
    panel.delete_action.trigger()
    assert len(panel.cases) == 2  # refused: nothing happens
    monkeypatch.setattr(panel, "confirm_delete", lambda case: asked.append(case.name) or True)
    panel.delete_action.trigger()
    assert asked == ["Marchés publics 2024"] * 2
    assert [c.name for c in panel.cases] == [CASE_NAME]
    assert [c.name for c in win.state.ws.cases.all()] == [CASE_NAME]


def test_delete_confirmation_says_the_data_is_destroyed(qtbot, unlocked, monkeypatch) -> None:
    win = unlocked
    shown: list[QMessageBox] = []

    def capture(box: QMessageBox) -> int:
        shown.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", capture)
    assert win.cases.confirm_delete(win.cases.current()) is False
    (box,) = shown
    assert CASE_NAME in box.text()
    assert (
        "destroyed" in box.informativeText() and "nothing can be recovered" in box.informativeText()
    )
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)


def test_duplicate_case_name_is_refused_with_a_sentence(qtbot, unlocked, monkeypatch) -> None:
    win = unlocked
    messages: list[str] = []
    monkeypatch.setattr(win.cases, "ask_name", lambda *a, **k: CASE_NAME)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: messages.append(box.text()) or 0)
    win.cases.new_action.trigger()
    assert messages and "already exists" in messages[0] and messages[0][0].isupper()


def test_inspector_edits_a_case(qtbot, unlocked) -> None:
    win = unlocked
    inspector = win.inspector
    assert inspector.current is inspector.editors["case"]
    editor = inspector.editors["case"]
    assert editor.name.text() == CASE_NAME
    qtbot.keyClick(editor.name, Qt.Key.Key_End)
    qtbot.keyClicks(editor.name, " bis")
    editor.status.setCurrentIndex(editor.status.findData("published"))
    qtbot.mouseClick(inspector.save_button, Qt.MouseButton.LeftButton)
    case = win.state.ws.cases.get(win.state.case_id)
    assert (case.name, case.status) == (CASE_NAME + " bis", "published")
    assert win.cases.list.currentItem().text().startswith(CASE_NAME + " bis")


def test_inspector_edits_a_document(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"))
    tree = win.contents.tabs[0]
    index = tree.model.index_of(doc_id)
    tree.tree.setCurrentIndex(index)
    editor = win.inspector.editors["document"]
    assert win.inspector.current is editor and editor.title.text() == "memo"
    editor.title.setText("Mémo interne")
    editor.tags.setText("budget, collège")
    editor._edited()
    assert win.inspector.flush()
    doc = win.state.ws.documents.get(doc_id)
    assert (doc.title, doc.tags) == ("Mémo interne", ["budget", "collège"])
    documents_read(win)
    assert tree.model.documents[0].title == "Mémo interne"


def test_case_details_count_follows_an_import_and_keeps_edits(qtbot, unlocked, tmp_path) -> None:
    # The details pane said "Documents 7" beside a case list saying (13) after an import.
    win = unlocked
    editor = win.inspector.editors["case"]
    assert win.inspector.current is editor and editor.count.text() == "0"
    qtbot.keyClick(editor.name, Qt.Key.Key_End)
    qtbot.keyClicks(editor.name, " bis")  # an edit under way is not thrown away
    import_now(win, sample_pdf(tmp_path))
    assert editor.count.text() == "1"
    assert editor.name.text() == CASE_NAME + " bis" and editor.dirty


def test_document_facts_follow_french_typography_and_units(qtbot, qapp, unlocked, tmp_path) -> None:
    # The French pane read "Fichier: memo.pdf" and "Taille: 158.5 KB".
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"))
    size = win.state.ws.documents.get(doc_id).size
    assert 1024 < size < 1024**2
    install_translations(qapp, "fr")
    try:
        tree = win.contents.tabs[0]
        tree.tree.setCurrentIndex(tree.model.index_of(doc_id))
        facts = win.inspector.editors["document"].facts.text().replace("\N{ZERO WIDTH SPACE}", "")
        assert file_size(1000) == "1000\N{NO-BREAK SPACE}octets"
        assert file_size(3 * 1024**2 // 2) == "1,5\N{NO-BREAK SPACE}Mo"
    finally:
        install_translations(qapp, "en")
    assert "<b>Fichier</b>\N{NO-BREAK SPACE}: memo.pdf" in facts
    assert f"{size / 1024:.1f}".replace(".", ",") + "\N{NO-BREAK SPACE}Ko" in facts
    assert ": " not in facts.replace("\N{NO-BREAK SPACE}:", "")
    assert file_size(2048) == "2.0 KB"


def test_document_facts_say_which_pages_have_text_that_lies(qtbot, unlocked, tmp_path) -> None:
    # Search finds nothing on a page whose font reads its letters as others: the pane says so.
    win = unlocked
    lying = FONTS["CID-keyed CFF"](LIES["other letters"])
    doc_id = import_now(win, pages_pdf(tmp_path / "report.pdf", [lambda page: None, lying]))
    tree = win.contents.tabs[0]
    tree.tree.setCurrentIndex(tree.model.index_of(doc_id))
    facts = win.inspector.editors["document"].facts.text().replace("\N{ZERO WIDTH SPACE}", "")
    assert "<b>Pages whose text differs from the letters shown</b>: 2" in facts


def test_the_language_is_named_and_unknown_says_so(qtbot, qapp, unlocked, tmp_path) -> None:
    # A photo of a timetable read by OCR showed "Language: ?": too few words to tell.
    win = unlocked
    french = import_now(win, sample_pdf(tmp_path / "in"))
    table = import_now(win, write_pdf(tmp_path / "table.pdf", [text_page("STAT 94 52159 3.0")]))
    assert win.state.ws.documents.get(table).language is None
    tree = win.contents.tabs[0]
    said = {}
    for language in ("en", "fr"):
        install_translations(qapp, language)
        try:
            for doc_id in (french, table):
                tree.tree.setCurrentIndex(tree.model.index_of(doc_id))
                facts = win.inspector.editors["document"].facts.text()
                said[language, doc_id] = facts.split("<br/>")[5]
        finally:
            install_translations(qapp, "en")
    assert said["en", french] == "<b>Language</b>: fr"
    assert said["en", table] == "<b>Language</b>: unknown"
    assert said["fr", french] == "<b>Langue</b>\N{NO-BREAK SPACE}: fr"
    assert said["fr", table] == "<b>Langue</b>\N{NO-BREAK SPACE}: inconnue"

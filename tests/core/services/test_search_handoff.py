"""The pages of an import reach the index in a few catalog queries, not two a document: a
mailbox of thousands of messages spent as long handing them over as importing them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event

from dossier.services.workspace import Workspace
from tests.pdfgen import text_page, write_pdf


def test_a_batch_of_documents_is_read_for_the_index_in_a_few_queries(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Lot").id
    other = workspace.cases.create("Autre").id
    folder = tmp_path / "notes"
    folder.mkdir()
    for number in range(150):
        (folder / f"note-{number:03d}.txt").write_text(f"Note {number}: mot{number}x.\n")
    notes = [o.document for o in workspace.documents.import_many(case, sorted(folder.iterdir()))]
    pages = [text_page(f"Page {n} du rapport, mot{n}p.") for n in range(3)]
    report = workspace.documents.import_file(case, write_pdf(tmp_path / "r.pdf", pages)).id
    stray = workspace.documents.import_file(other, folder / "note-000.txt").id
    notes_in_order = [d.id for d in notes if d is not None][::-1]
    wanted = [report, *notes_in_order, stray]

    statements: list[str] = []
    with workspace.vault.session() as session:
        engine = session.get_bind()

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        items = workspace.search._page_items(case, wanted)
    finally:
        event.remove(engine, "before_cursor_execute", count)

    assert len(statements) <= 12, statements[:5]  # 153 documents: 3 queries per 64
    assert [i.item_id for i in items[:3]] == [f"{report}:{n}" for n in range(3)]
    assert "mot2p" in items[2].text
    assert [i.doc_id for i in items[3:]] == notes_in_order  # in the order asked, not the stray
    assert "mot149x" in items[3].text
    assert items[3].title == "note-149"

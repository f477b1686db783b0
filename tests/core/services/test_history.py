"""Undo's core: an item's snapshot put back after an edit or a delete, stored like any change.

Each test reopens the vault from disk before checking: an undone change must be in the catalog,
sealed and authenticated (fsck clean), not only in memory, and audited.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from dossier.db.models import Quote
from dossier.errors import NotFoundError, UsageError
from dossier.services.people.dto import PersonEdit
from dossier.services.quotes.dto import QuoteEdit
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.pdfgen import text_pdf

SAID = "Aucune analyse automatisée des images n'est pratiquée par nos services."


def reopened(ws: Workspace) -> Workspace:
    folder = ws.folder
    ws.close()
    return Workspace.open(folder, PASSPHRASE)


def fsck_clean(ws: Workspace) -> None:
    report = ws.fsck.run()
    assert report.ok, report.problems


@pytest.fixture
def case(workspace: Workspace, tmp_path: Path) -> tuple[str, str]:
    case_id = workspace.cases.create("Undo").id
    pdf = text_pdf(tmp_path / "interview.pdf", f"Le directeur a déclaré : « {SAID} »")
    doc = workspace.documents.import_file(case_id, pdf, kind="interview")
    return case_id, doc.id


def test_an_undone_quote_edit_is_stored_and_audited(workspace: Workspace, case) -> None:
    case_id, doc_id = case
    ws = workspace
    person = ws.people.add(case_id, "Patrick Léonard")
    quote = ws.quotes.add(case_id, SAID, source=doc_id, said_on="2023-11-21", notes="à vérifier")
    before = ws.history.snapshot("quote", quote.id)
    ws.quotes.update(quote.id, QuoteEdit(speaker=person.id, said_on="2023-11-22", notes="vu"))
    ws.history.restore(before)
    ws = reopened(ws)
    try:
        again = ws.quotes.get(quote.id)
        assert (again.said_on, again.speaker_id, again.notes) == ("2023-11-21", None, "à vérifier")
        assert again.verdict == quote.verdict and again.spans == quote.spans
        assert ws.audit.records(case_id)[-1].action == "quote.restore"
        fsck_clean(ws)
    finally:
        ws.close()


def test_a_deleted_quote_comes_back_with_its_id_and_content(workspace: Workspace, case) -> None:
    case_id, doc_id = case
    ws = workspace
    quote = ws.quotes.add(case_id, SAID, source=doc_id, notes="citée le 22")
    before = ws.history.snapshot("quote", quote.id)
    ws.quotes.delete(quote.id)
    with pytest.raises(NotFoundError):
        ws.quotes.get(quote.id)
    ws.history.restore(before)
    # Redone: deleted again; undone again: back again.
    ws.quotes.delete(quote.id)
    ws.history.restore(before)
    ws = reopened(ws)
    try:
        again = ws.quotes.get(quote.id)
        assert again == quote
        assert [q.id for q in ws.quotes.of_case(case_id)] == [quote.id]
        # Searchable again: the catalog items of the index follow the restored row.
        found = ws.search.query("analyse automatisée", case=case_id, item_types=["quote"])
        assert [hit.item_type for hit in found] == ["quote"]
        fsck_clean(ws)
    finally:
        ws.close()


def test_a_deleted_letter_comes_back_with_its_questions_and_replies(
    workspace: Workspace, case
) -> None:
    case_id, _doc = case
    ws = workspace
    for name in ("Anne Stambach-Terrenoir", "DDSP 31"):
        ws.people.add(case_id, name)
    letter = ws.letters.add(
        case_id,
        sender="Anne Stambach-Terrenoir",
        recipients=["DDSP 31"],
        questions=["Quel logiciel ?", "Depuis quand ?"],
        sent_on="2023-11-20",
        deadline="2023-12-11",
    )
    ws.letters.add_reply(
        case_id, sender="DDSP 31", received_on="2023-11-28", letter=letter.id, answers=["1"]
    )
    before = ws.history.snapshot("letter", letter.id)
    ws.letters.delete(letter.id)
    ws.history.restore(before)
    ws = reopened(ws)
    try:
        again = ws.letters.get(letter.id)
        assert [q.text for q in again.questions] == ["Quel logiciel ?", "Depuis quand ?"]
        assert [q.status for q in again.questions] == ["answered", "unanswered"]
        assert [r.sender for r in again.replies] == ["DDSP 31"]
        fsck_clean(ws)
    finally:
        ws.close()


def test_marks_and_people_come_back(workspace: Workspace, case) -> None:
    case_id, doc_id = case
    ws = workspace
    mark = ws.redactions.add_rect(doc_id, 0, [(10.0, 10.0, 80.0, 30.0)], reason="adresse")
    before = ws.history.snapshot("redaction", mark.id)
    ws.redactions.remove(mark.id)
    ws.history.restore(before)
    person = ws.people.add(case_id, "Claire Quartermaine")
    was = ws.history.snapshot("person", person.id)
    ws.people.update(case_id, person.id, PersonEdit(protection="protected", pseudonym="Source A"))
    ws.history.restore(was)
    ws = reopened(ws)
    try:
        [again] = ws.redactions.of_case(case_id)
        assert (again.id, again.rects, again.reason) == (mark.id, mark.rects, "adresse")
        assert ws.people.get(case_id, person.id).protection == person.protection
        fsck_clean(ws)
    finally:
        ws.close()


def test_what_cannot_come_back_says_so(workspace: Workspace, case) -> None:
    case_id, doc_id = case
    ws = workspace
    doc = ws.history.snapshot("document", doc_id)
    ws.documents.delete(doc_id)
    with pytest.raises(NotFoundError):
        ws.history.restore(doc)  # its pages and original were destroyed
    with pytest.raises(UsageError):
        ws.history.snapshot("audit_entry", "1")
    # A quote whose source was deleted since cannot point at it again: said, nothing written.
    quote_doc = ws.documents.import_file(case_id, text_pdf(ws.folder.parent / "q.pdf", SAID))
    quote = ws.quotes.add(case_id, SAID, source=quote_doc.id)
    snapshot = ws.history.snapshot("quote", quote.id)
    ws.quotes.delete(quote.id)
    ws.documents.delete(quote_doc.id)
    with pytest.raises(UsageError, match="refers to was deleted"):
        ws.history.restore(snapshot)
    with ws.vault.session() as session:
        assert session.scalars(select(Quote)).first() is None
    fsck_clean(ws)

"""Files inside files: an e-mail's attachments, a forwarded message, a mailbox's messages and
Outlook messages become documents of their own, linked to their parent, read from memory."""

from __future__ import annotations

import io
import mailbox
from email.message import EmailMessage
from pathlib import Path

import docx
import pytest

from dossier.errors import Cancelled, InputRefused
from dossier.jobs import CancelToken
from dossier.services.dto import DocumentInfo
from dossier.services.workspace import Workspace
from tests.leakscan import needles_for, private_temp, scan
from tests.pdfgen import text_pdf

PDF_WORDS = ["Quadrimestrexor", "Vidéoprotectionnelle"]
DOCX_WORDS = ["Zébulonnaire", "Préfectoralix"]


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def reply_with_attachments(folder: Path) -> Path:
    pdf = text_pdf(folder / "source.pdf", f"Le rapport {PDF_WORDS[0]} sur la {PDF_WORDS[1]}.")
    message = EmailMessage()
    message["From"] = "Service de presse <presse@prefecture.example>"
    message["To"] = "redaction@journal.example"
    message["Subject"] = "Réponse à vos questions"
    message["Date"] = "Tue, 12 Dec 2023 16:05:00 +0100"
    message.set_content("Madame, veuillez trouver ci-joint notre réponse.")
    message.add_attachment(
        pdf.read_bytes(), maintype="application", subtype="pdf", filename="rapport.pdf"
    )
    message.add_attachment(
        docx_bytes(f"Note {DOCX_WORDS[0]} de la direction {DOCX_WORDS[1]}."),
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
        filename="note.docx",
    )
    pdf.unlink()
    path = folder / "reponse.eml"
    path.write_bytes(bytes(message))
    return path


def _tree(ws: Workspace, doc: DocumentInfo) -> list[tuple[str, str, str]]:
    return [(child.origin, child.filename, child.mime) for child in ws.documents.children(doc.id)]


def test_email_with_pdf_and_docx_gives_three_linked_documents(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Réponses").id
    message = workspace.documents.import_file(case, reply_with_attachments(tmp_path), kind="reply")
    assert message.parent_id is None
    children = workspace.documents.children(message.id)
    assert _tree(workspace, message) == [
        ("attachment 1", "rapport.pdf", "application/pdf"),
        ("attachment 2", "note.docx", docx_mime()),
    ]
    assert all(c.parent_id == message.id and c.kind == "reply" for c in children)
    # The attachments take the message's date when they state none of their own.
    assert children[0].date == "2023-12-12"
    assert children[0].metadata["date_source"] == "the date of the message or file it came in"
    assert len(workspace.documents.of_case(case)) == 3
    for word, child in ((PDF_WORDS[0], children[0]), (DOCX_WORDS[0], children[1])):
        hits = workspace.search.query(word, case=case)
        assert {hit.doc_id for hit in hits} == {child.id}
    workspace.documents.delete(message.id)
    assert workspace.documents.of_case(case) == []


def docx_mime() -> str:
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_no_attachment_word_reaches_the_disk_at_any_time_during_the_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dossier.crypto.kdf import TEST_ONLY_FAST
    from tests.conftest import PASSPHRASE

    temp = private_temp(tmp_path, monkeypatch)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    source = reply_with_attachments(inputs)
    vault = tmp_path / "Leak.dossier"
    needles = needles_for(PDF_WORDS + DOCX_WORDS)
    scans: list[list[str]] = []

    def watch(fraction: float, message: str) -> None:
        scans.append(scan([vault, temp], needles))

    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Fuites").id
        info = ws.documents.import_file(case, source, progress=watch)
        assert len(ws.documents.children(info.id)) == 2
        assert ws.search.query(DOCX_WORDS[1], case=case)
    scans.append(scan([vault, temp], needles))
    assert len(scans) >= 6, "the import reported too few steps to be watched"
    assert [hit for found in scans for hit in found] == []


def test_forwarded_message_and_its_attachment_are_a_nested_tree(
    workspace: Workspace, tmp_path: Path
) -> None:
    inner = EmailMessage()
    inner["From"] = "source@example.org"
    inner["Subject"] = "Document interne"
    inner["Date"] = "Mon, 4 Dec 2023 09:00:00 +0100"
    inner.set_content("Voir la note.")
    inner.add_attachment(
        docx_bytes("Mémo Cryptonomicaux"), maintype="application", subtype="octet-stream",
        filename="memo.docx",
    )  # fmt: skip
    outer = EmailMessage()
    outer["From"] = "relais@example.org"
    outer["Subject"] = "Tr: Document interne"
    outer["Date"] = "Tue, 5 Dec 2023 10:00:00 +0100"
    outer.set_content("Je te transfère ce message.")
    outer.add_attachment(inner)
    path = tmp_path / "transfert.eml"
    path.write_bytes(bytes(outer))
    case = workspace.cases.create("Transferts").id
    top = workspace.documents.import_file(case, path)
    (forwarded,) = workspace.documents.children(top.id)
    assert forwarded.origin == "attached message 1" and forwarded.title == "Document interne"
    assert forwarded.date == "2023-12-04"
    (memo,) = workspace.documents.children(forwarded.id)
    assert memo.filename == "memo.docx"
    assert {h.doc_id for h in workspace.search.query("Cryptonomicaux", case=case)} == {memo.id}


def test_unreadable_and_repeated_attachments_are_named_not_fatal(
    workspace: Workspace, tmp_path: Path
) -> None:
    message = EmailMessage()
    message["From"] = "a@example.org"
    message["Subject"] = "Pièces"
    message["Date"] = "Mon, 4 Dec 2023 09:00:00 +0100"
    message.set_content("Trois pièces.")
    note = docx_bytes("Une note Ornithorynquial")
    message.add_attachment(note, maintype="application", subtype="octet-stream", filename="a.docx")
    message.add_attachment(note, maintype="application", subtype="octet-stream", filename="b.docx")
    message.add_attachment(b"\x7fELF" + bytes(200), maintype="application",
                           subtype="octet-stream", filename="outil.exe")  # fmt: skip
    path = tmp_path / "pieces.eml"
    path.write_bytes(bytes(message))
    case = workspace.cases.create("Pièces").id
    info = workspace.documents.import_file(case, path)
    assert [c.filename for c in workspace.documents.children(info.id)] == ["a.docx"]
    assert "outil.exe" in info.metadata["not_imported"]
    assert "b.docx: the same file as" in info.metadata["duplicates"]


def _mailbox(path: Path, count: int) -> Path:
    box = mailbox.mbox(path)
    for number in range(count):
        message = EmailMessage()
        message["From"] = f"agent{number}@example.org"
        message["Subject"] = f"Message {number}"
        message["Date"] = "Wed, 6 Dec 2023 08:00:00 +0100"
        message.set_content(f"From the desk: numéro{number} du fil.\nFrom here on.\n")
        box.add(message)
    box.flush()
    box.close()
    return path


def test_mailbox_gives_one_document_per_message(workspace: Workspace, tmp_path: Path) -> None:
    path = _mailbox(tmp_path / "export.mbox", 5)
    case = workspace.cases.create("Boîte").id
    box = workspace.documents.import_file(case, path)
    messages = workspace.documents.children(box.id)
    assert [m.title for m in messages] == [f"Message {n}" for n in range(5)]
    assert [m.origin for m in messages] == [f"message {n}" for n in range(1, 6)]
    # "From " inside a body is escaped in the file and restored in the message.
    assert "From here on." in workspace.documents.text(messages[3].id)
    assert {h.doc_id for h in workspace.search.query("numéro3", case=case)} == {messages[3].id}


def test_messages_made_in_one_instant_keep_their_order_in_the_mailbox(
    workspace: Workspace, tmp_path: Path
) -> None:
    """The rows of one import share their creation time (`dossier.db.bulk`): messages are
    listed by their number in the mailbox, the tenth after the ninth."""
    path = _mailbox(tmp_path / "export.mbox", 12)
    case = workspace.cases.create("Boîte").id
    box = workspace.documents.import_file(case, path)
    messages = workspace.documents.children(box.id)
    assert len({m.created_at for m in messages}) == 1
    assert [m.title for m in messages] == [f"Message {n}" for n in range(12)]
    assert [m.title for m in workspace.documents.descendants(box.id)] == [
        f"Message {n}" for n in range(12)
    ]


@pytest.mark.slow
def test_mailbox_of_a_thousand_messages_reports_progress_and_cancels_cleanly(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = _mailbox(tmp_path / "grosse.mbox", 1000)
    case = workspace.cases.create("Grosse boîte").id
    blobs = workspace.vault.blobs_dir
    cancel = CancelToken()
    seen: list[str] = []

    def stop_midway(fraction: float, message: str) -> None:
        seen.append(message)
        if "message 500 of 1000" in message:
            cancel.cancel()

    with pytest.raises(Cancelled):
        workspace.documents.import_file(case, path, progress=stop_midway, cancel=cancel)
    assert any("message 499 of 1000" in m for m in seen)
    assert workspace.documents.of_case(case) == []
    assert not [p for p in blobs.rglob("*") if p.is_file()], "an original was left behind"
    progress: list[float] = []
    box = workspace.documents.import_file(case, path, progress=lambda f, m: progress.append(f))
    assert len(workspace.documents.children(box.id)) == 1000
    assert progress == sorted(progress) and progress[-1] == 1.0
    assert len(workspace.documents.of_case(case)) == 1001


PRINTED = "smbprn.00009008.KdcPjl.pdf"


@pytest.mark.parametrize(
    ("name", "children", "word"),
    [
        ("msg_with_msg_and_pdf_attachments.msg", ["Test Attachment", PRINTED], "memo"),
        ("msg_fr_doc_and_txt_attachments.msg", ["pj1.txt"], "pièce"),
        ("msg_outlook_express_fr.msg", [], "messagerie"),
        ("eml_gmail_pdf_attachment.eml", ["testPDF_incrementalUpdates.pdf"], "incremental"),
        ("mbox_hadoop_user_thread.mbox", None, "shuffle"),
    ],
)  # fmt: skip
def test_corpus_mail_splits_into_linked_documents(
    workspace: Workspace,
    ingest_corpus: Path,
    name: str,
    children: list[str] | None,
    word: str,
) -> None:
    case = workspace.cases.create("Courrier").id
    top = workspace.documents.import_file(case, ingest_corpus / name)
    found = workspace.documents.children(top.id)
    if children is not None:
        assert [c.filename for c in found] == children
    else:
        assert len(found) == 3
    assert workspace.search.query(word, case=case)


def test_corpus_doc_inside_outlook_message_is_named_with_the_way_forward(
    workspace: Workspace, ingest_corpus: Path
) -> None:
    case = workspace.cases.create("Courrier").id
    top = workspace.documents.import_file(
        case, ingest_corpus / "msg_fr_doc_and_txt_attachments.msg"
    )
    assert "test-unicode.doc" in top.metadata["not_imported"]
    assert "convert" in top.metadata["not_imported"]


def test_damaged_outlook_message_is_refused(workspace: Workspace, ingest_corpus: Path) -> None:
    data = (ingest_corpus / "msg_outlook_express_fr.msg").read_bytes()
    case = workspace.cases.create("Courrier").id
    with pytest.raises(InputRefused, match="damaged"):
        workspace.documents.import_bytes(case, data[: len(data) // 3], "coupe.msg")


def test_timeline_shows_attachments_within_their_message(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Chronologie").id
    message = workspace.documents.import_file(case, reply_with_attachments(tmp_path))
    entries = [i for i in workspace.timeline.items(case) if i.ref_type == "document"]
    by_id = {i.ref_id: i for i in entries}
    (pdf, note) = workspace.documents.children(message.id)
    assert pdf.id not in by_id  # dated by its message: part of the message's entry
    assert f"with {pdf.title}" in by_id[message.id].detail
    if note.id in by_id:  # the Word file states its own creation date
        assert "attachment 2 of “Réponse à vos questions”" in by_id[note.id].detail

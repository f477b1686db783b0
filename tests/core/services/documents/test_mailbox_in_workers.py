"""A large mailbox's messages are read by the index's worker processes and the app together:
the documents it gives are the ones reading it in the app alone gives, messages and attachments
linked as before, and a cancel while they read keeps nothing."""

from __future__ import annotations

import email.message
from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.errors import Cancelled
from dossier.ingest import mbox
from dossier.jobs import CancelToken
from dossier.search import analysed
from dossier.services.workspace import Workspace


@pytest.fixture
def workers() -> Iterator[None]:
    yield
    analysed.shutdown()


def _mailbox(path: Path, count: int) -> Path:
    with path.open("wb") as out:
        for number in range(count):
            message = email.message.EmailMessage()
            message["From"] = f"Source {number % 7} <source{number % 7}@example.org>"
            message["Subject"] = f"Réponse {number}"
            message["Date"] = f"Mon, {1 + number % 28:02d} Jan 2024 10:00:00 +0100"
            message.set_content(f"Le témoin numéro{number} confirme. " * 40)
            if number % 3 == 0:
                message.add_attachment(f"Annexe{number} " * 200, filename=f"annexe-{number}.txt")
            out.write(b"From source@example.org Mon Jan  1 10:00:00 2024\n" + bytes(message))
            out.write(b"\n")
    return path


def _shown(ws: Workspace, doc_id: str) -> list[tuple[object, ...]]:
    """Each document under `doc_id`, depth first: what it shows, and where its parent is."""
    found = ws.documents.descendants(doc_id)
    place = {doc.id: number for number, doc in enumerate(found)}
    return [
        (
            doc.title,
            doc.author,
            doc.date,
            doc.filename,
            doc.origin,
            doc.metadata,
            ws.documents.text(doc.id),
            place.get(doc.parent_id or "", -1),
        )
        for doc in found
    ]


LARGE_BYTES = 256 * 1024
"""What a mailbox takes to be read in the workers here, not the app's 1 MB: 150 messages are 6
chunks, shared by the workers and the app as the 24 of 600 messages were, for ~4 CPU-s less."""


def test_a_large_mailbox_read_in_workers_gives_the_documents_read_alone(
    workspace: Workspace, tmp_path: Path, workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mbox, "SHARED_BYTES", LARGE_BYTES)
    path = _mailbox(tmp_path / "export.mbox", 150)
    assert path.stat().st_size >= mbox.SHARED_BYTES
    read: list[int] = []
    shared = analysed.shared

    def counted(*args: object, **kwargs: object) -> object:
        read.append(1)
        return shared(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(analysed, "shared", counted)
    shared_case = workspace.cases.create("Partagée").id
    together = workspace.documents.import_file(shared_case, path, ocr=False)
    assert read, "the workers were not asked"
    monkeypatch.setattr(mbox, "SHARED_BYTES", 1 << 40)
    alone_case = workspace.cases.create("Seule").id
    alone = workspace.documents.import_file(alone_case, path, ocr=False)
    assert len(read) == 1
    assert workspace.documents.text(together.id) == workspace.documents.text(alone.id)
    documents = _shown(workspace, together.id)
    assert documents == _shown(workspace, alone.id)
    assert len(documents) == 200
    assert documents[0][:2] == ("Réponse 0", "Source 0")
    assert documents[1][0] == "annexe-0" and documents[1][-1] == 0
    hits = workspace.search.query("numéro149", case=shared_case)
    assert [h.title for h in hits] == ["Réponse 149"]


def test_a_cancel_while_workers_read_a_mailbox_keeps_nothing(
    workspace: Workspace, tmp_path: Path, workers: None
) -> None:
    path = _mailbox(tmp_path / "export.mbox", 600)
    case = workspace.cases.create("Annulée").id
    cancel = CancelToken()

    def stop(fraction: float, message: str) -> None:
        if "message 300 of 600" in message:
            cancel.cancel()

    with pytest.raises(Cancelled):
        workspace.documents.import_file(case, path, ocr=False, progress=stop, cancel=cancel)
    assert workspace.documents.of_case(case) == []
    assert not [p for p in workspace.vault.blobs_dir.rglob("*") if p.is_file()]

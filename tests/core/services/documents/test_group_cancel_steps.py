"""A cancel at every point a batch import looks at it (between files, while a file is read,
while a container's members are, after originals went to the writer threads): what was
reported is what the case holds, with every page; nothing else is kept, not even an original
written ahead for a file the cancel stopped (no orphan for gc, no temp file); and the last
cancel point passed, the import completes."""

from __future__ import annotations

import email.message
from pathlib import Path

from dossier.errors import Cancelled
from dossier.fsutil import TEMP_PREFIX
from dossier.jobs import CancelToken
from dossier.services.dto import ImportOutcome
from dossier.services.workspace import Workspace
from tests.core.services.documents.test_group_kill_steps import group_files


class CancelAt(CancelToken):
    """Cancelled at the `nth` look."""

    def __init__(self, nth: int) -> None:
        super().__init__()
        self.nth = nth
        self.looks = 0

    @property
    def cancelled(self) -> bool:
        self.looks += 1
        if self.looks >= self.nth:
            self.cancel()
        return super().cancelled

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            super().raise_if_cancelled()


def _files(folder: Path) -> list[Path]:
    paths = group_files(folder, 200)
    message = email.message.EmailMessage()
    message["Subject"] = "Objet"
    message["From"] = "a@example.org"
    message.set_content("Corps du message commun.")
    message.add_attachment(b"Attache commun.", maintype="text", subtype="plain", filename="pj.txt")
    mail = folder / "message.eml"
    mail.write_bytes(bytes(message))
    return [*paths[:2], mail, *paths[2:]]


def test_a_cancel_at_every_point_of_a_batch_keeps_exactly_what_was_reported(
    workspace: Workspace, tmp_path: Path
) -> None:
    ws = workspace
    files = _files(tmp_path / "in")
    blobs = ws.vault.folder / "blobs"
    nth = 1
    while True:
        case = ws.cases.create(f"Annulé {nth}").id
        token = CancelAt(nth)
        reported: list[ImportOutcome] = []
        try:
            ws.documents.import_many(
                case, files, ocr=False, cancel=token, on_outcome=reported.append
            )
            finished = True
        except Cancelled:
            finished = False
        report = ws.fsck.run()
        assert report.ok and not report.notes, (nth, report.problems, report.notes)
        assert not list(blobs.rglob(f"{TEMP_PREFIX}*")), nth
        docs = ws.documents.of_case(case)
        kept = {doc.id for doc in docs if doc.parent_id is None}
        assert kept == {o.document.id for o in reported if o.document is not None}, nth
        for doc in docs:
            assert len(ws.documents.pages(doc.id, with_words=False)) == doc.page_count
        if finished:
            break
        nth += 1
    assert nth > 10, "the cancel must land at many points"
    assert len(docs) == 3 + 1 + 3 + 2  # notes, the zip and its members, the mail and its file

"""Every writer of originals takes the same path: an original of up to `SMALL` bytes is a row
of the catalog, a larger one a file. Whatever wrote it (an import, its mail's attachments and
an archive's members, a bundle, a corrected file replacing an original, a re-encryption of a
vault whose small originals were files), no file under blobs/ decrypts to a small original.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest

from dossier.blobstore import SMALL
from dossier.errors import Cancelled
from dossier.jobs import CancelToken
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE


def _note(path: Path, size: int, seed: int) -> Path:
    words = " ".join(f"mot{seed}x{n}" for n in range(size // 4 + 10))
    path.write_bytes(f"Note {seed} {words}".encode()[:size])
    return path


def small_files(ws: Workspace) -> list[str]:
    """The blob files that hold an original of up to `SMALL` bytes, decrypted to tell."""
    found = []
    for case_id in ws.blobs.case_folders():
        keys = ws.vault.case_keys(case_id)
        for path in (ws.blobs.root / case_id).glob("??/*"):
            if not path.name.startswith(".") and path.is_file():
                with ws.blobs.open(keys, path.name) as reader:
                    if len(reader.read_all()) <= SMALL:
                        found.append(path.name[:12])
    return found


def _rows(ws: Workspace) -> int:
    with ws.vault.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM original").scalar_one())


def _mail_and_archive(ws: Workspace, folder: Path) -> None:
    case = ws.cases.create("Courrier").id
    message = EmailMessage()
    message["From"] = "presse@prefecture.example"
    message["To"] = "redaction@journal.example"
    message["Subject"] = "Pièces"
    message.set_content("Ci-joint les deux notes.")
    for n in range(2):
        message.add_attachment(
            _note(folder / f"a{n}.txt", 900 + n, n).read_bytes(),
            maintype="text",
            subtype="plain",
            filename=f"a{n}.txt",
        )
    (folder / "m.eml").write_bytes(bytes(message))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        for n in range(3):
            out.writestr(
                f"dossier/n{n}.txt", _note(folder / f"z{n}.txt", 700 + n, 10 + n).read_bytes()
            )
    (folder / "lot.zip").write_bytes(archive.getvalue())
    outcomes = ws.documents.import_many(case, [folder / "m.eml", folder / "lot.zip"], ocr=False)
    assert all(o.document is not None for o in outcomes), [o.error for o in outcomes]
    assert _rows(ws) == 2 + 1 + 3 + 1


def _replaced(ws: Workspace, folder: Path) -> None:
    """A corrected file, small, replaces a large original, then a small one."""
    case = ws.cases.create("Correction").id
    (outcome,) = ws.documents.import_many(
        case, [_note(folder / "big.txt", 3 * SMALL, 1)], ocr=False
    )
    assert outcome.document is not None, outcome.error
    doc = outcome.document.id
    for n in range(2):
        fixed = _note(folder / f"fixed{n}.txt", 2000 + n, 20 + n)
        ws.documents.replace_original(doc, fixed, ocr=False)
        assert ws.documents.original(doc) == fixed.read_bytes()
    assert _rows(ws) == 1


def _bundle(ws: Workspace, folder: Path) -> None:
    case = ws.cases.create("Envoi").id
    ws.documents.import_many(case, [_note(folder / "n.txt", 1500, 3)], ocr=False)
    ws.exports.export(ExportRequest(case=case, out=folder / "bundle.zip"))
    ws.exports.import_bundle(folder / "bundle.zip", case_name="Reçu")
    assert _rows(ws) == 2


def _rekeyed(ws: Workspace, folder: Path) -> None:
    """A vault written before small originals were rows: its files become rows."""
    case = ws.cases.create("Ancienne").id
    catalog, ws.blobs.catalog = ws.blobs.catalog, None
    paths = [_note(folder / f"old{n}.txt", 800 + n, n) for n in range(3)]
    paths.append(_note(folder / "large.txt", 2 * SMALL, 9))
    outcomes = ws.documents.import_many(case, paths, ocr=False)
    ws.blobs.catalog = catalog
    ws.blobs.touched(case)
    assert len(small_files(ws)) == 3  # as the version before wrote them
    ws.rekey.run(PASSPHRASE)
    for outcome, path in zip(outcomes, paths, strict=True):
        assert outcome.document is not None
        assert ws.documents.original(outcome.document.id) == path.read_bytes()
    assert _rows(ws) == 3


WRITERS: dict[str, Callable[[Workspace, Path], None]] = {
    "mail attachments and archive members": _mail_and_archive,
    "a replaced original": _replaced,
    "a bundle imported": _bundle,
    "a re-encryption": _rekeyed,
}


@pytest.mark.usefixtures("index_in_process")
@pytest.mark.parametrize("writer", list(WRITERS))
def test_no_writer_leaves_a_small_original_in_a_file(
    workspace: Workspace, tmp_path: Path, writer: str
) -> None:
    WRITERS[writer](workspace, tmp_path)
    assert small_files(workspace) == []
    report = workspace.fsck.run()
    assert report.ok and not report.notes, (report.problems, report.notes)
    workspace.close()
    with Workspace.open(workspace.folder, PASSPHRASE) as ws:
        assert ws.fsck.run().ok


@pytest.mark.parametrize("size", [2000, 3 * SMALL])
def test_a_replacement_stopped_before_its_commit_leaves_no_original_of_it(
    workspace: Workspace, tmp_path: Path, size: int
) -> None:
    """Stopped as it replaces the text (its original written, a row or a file): nothing of
    the corrected file is kept, the original it was to replace is read as before."""
    case = workspace.cases.create("Arrêt").id
    first = _note(tmp_path / "first.txt", 1000, 1)
    (outcome,) = workspace.documents.import_many(case, [first], ocr=False)
    assert outcome.document is not None
    doc = outcome.document.id
    cancel = CancelToken()

    def progress(_fraction: float, message: str) -> None:
        if "replacing the text" in message:
            cancel.cancel()

    with pytest.raises(Cancelled):
        workspace.documents.replace_original(
            doc, _note(tmp_path / "fixed.txt", size, 2), ocr=False, progress=progress, cancel=cancel
        )
    assert workspace.documents.original(doc) == first.read_bytes()
    assert _rows(workspace) == 1
    assert not [p for p in workspace.blobs.root.rglob("*") if p.is_file()]
    report = workspace.fsck.run()
    assert report.ok and not report.notes, (report.problems, report.notes)

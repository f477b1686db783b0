"""A power cut anywhere in the import of a mailbox with attachments and an archive, hostile
messages among them: the import runs in a real process killed by SIGKILL at its n-th Python
call, n drawn over the whole import (a dry run counts them), in every thread of it. The next
unlock finds fsck clean, every document whole with its whole tree (a mailbox with all its
messages and their attachments, or nothing of it), no original row that no document names,
the index holding nothing the catalog does not and a search finding what the catalog holds,
no plaintext under the vault or the temp folder; the import done again completes.

Calls counted are Python's and C's (88,000 for this import; its commit returns at 99%): the
campaign (`slow`) cuts at 6 points spread over the import, 12 in the last 3% before its commit
returned (nothing kept, at most originals in files for gc) and 6 after it (all kept); the
quick test at one of each of the last two.
"""

from __future__ import annotations

import io
import random
import signal
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from dossier.blobstore import SMALL
from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.db.models import Document
from dossier.fsutil import TEMP_PREFIX
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.services.documents.test_group_kill_steps import index_entries
from tests.killable import Driver, run
from tests.leakscan import needles_for, scan

CUT_DRIVER = """
import os, signal, sys, threading
from pathlib import Path
from sqlalchemy.orm import Session
from dossier.services.workspace import Workspace
vault, case, cut, *files = sys.argv[1:]
cut = int(cut)
calls = [0]


def count(_frame, event, _arg):
    if event == "call" or event == "c_call":
        calls[0] += 1
        if calls[0] == cut:
            os.kill(os.getpid(), signal.SIGKILL)


commit = Session.commit


def committed(self, *args, **kwargs):
    commit(self, *args, **kwargs)
    print("COMMITTED", calls[0], flush=True)


Session.commit = committed


with Workspace.open(Path(vault), {passphrase!r}) as ws:
    threading.setprofile(count)
    sys.setprofile(count)
    ws.documents.import_many(case, [Path(f) for f in files], ocr=False)
    sys.setprofile(None)
    threading.setprofile(None)
    print("CALLS", calls[0], flush=True)
"""
WORDS = ("Zygomorphe", "Xylophage", "Quetzalcoatl", "Wapitiroux", "Batrachien", "Ophicléide")
MESSAGES = 5
MEMBERS = 3


def _message(number: int, attachments: list[tuple[str, bytes]]) -> bytes:
    message = EmailMessage()
    message["From"] = f"source{number}@example.org"
    message["To"] = "desk@example.org"
    message["Subject"] = f"Message {number}"
    message["Date"] = "Tue, 12 Dec 2023 16:05:00 +0100"
    message.set_content(f"{WORDS[number % 3]} commun, corps {number}.")
    for name, data in attachments:
        message.add_attachment(data, maintype="text", subtype="plain", filename=name)
    return bytes(message)


def mailbox_and_archive(folder: Path) -> list[Path]:
    """A mailbox of `MESSAGES` messages (small attachments: rows; one above `SMALL`: a file)
    and a hostile one (a header far too long: refused alone), and a zip of `MEMBERS` notes."""
    folder.mkdir()
    big = f"{WORDS[3]} commun.\n".encode() + b"remplissage " * (SMALL // 6)
    messages = [
        _message(n, [(f"piece-{n}.txt", f"{WORDS[4]} commun, pièce {n}.".encode())])
        for n in range(MESSAGES - 1)
    ]
    messages.append(_message(MESSAGES - 1, [("grande.txt", big)]))
    hostile = b"From: x@y.example\nSubject: hostile\nCc: " + b",".join([b"a@b"] * 20_000)
    messages.insert(2, hostile + b"\n\nrien\n")
    mbox = folder / "boite.mbox"
    mbox.write_bytes(
        b"".join(
            b"From x@y Tue Dec 12 16:05:00 2023\n" + m.replace(b"\nFrom ", b"\n>From ")
            for m in messages
        )
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        for n in range(MEMBERS):
            out.writestr(f"notes/note-{n}.txt", f"{WORDS[5]} commun, note {n}.")
    (folder / "envoi.zip").write_bytes(archive.getvalue())
    return [mbox, folder / "envoi.zip"]


TREE = {"boite.mbox": MESSAGES * 2, "envoi.zip": MEMBERS}
"""Documents under each root of a whole import: each message and its one attachment."""


def _vault(tmp_path: Path) -> tuple[Path, str]:
    vault = tmp_path / "Coupure.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        return vault, ws.cases.create("Coupure").id


def _calls(tmp_path: Path, files: list[Path]) -> tuple[int, int]:
    """The calls of the import, and those made when its (last) catalog commit returned,
    counted by a run that is not cut."""
    vault, case = _vault(tmp_path / "dry")
    code, out, err = run(
        CUT_DRIVER.format(passphrase=PASSPHRASE), str(vault), case, "0", *map(str, files),
        timeout=300,
    )  # fmt: skip
    assert code == 0, err
    with Workspace.open(vault, PASSPHRASE) as ws:
        _check_whole(ws, case)  # the dry run imports as a whole import does
        assert len(ws.documents.of_case(case)) == 2 + sum(TREE.values())
    commits = [int(line.split()[1]) for line in out.splitlines() if "COMMITTED" in line]
    return int(out.split("CALLS")[1].split()[0]), commits[-1]


def _descendants(ws: Workspace, doc_id: str) -> int:
    children = ws.documents.children(doc_id)
    return len(children) + sum(_descendants(ws, child.id) for child in children)


def _check_whole(ws: Workspace, case: str) -> None:
    report = ws.fsck.run()
    assert report.ok, report.problems
    docs = {doc.id: doc for doc in ws.documents.of_case(case)}
    for doc in docs.values():
        assert len(ws.documents.pages(doc.id, with_words=False)) == doc.page_count
        assert doc.parent_id is None or doc.parent_id in docs
    for doc in docs.values():
        if doc.parent_id is None:
            assert _descendants(ws, doc.id) == TREE[doc.filename], doc.filename
    with ws.vault.session() as session:
        named = {d.original_blob for d in session.scalars(select(Document)) if d.case_id == case}
    assert ws.blobs.small_ids(case) <= named, "an original row no document names"
    assert index_entries(ws, case) <= set(docs), "the index holds a document never committed"
    found = {hit.doc_id for hit in ws.search.query("commun", case=case, limit=100)}
    texts = {d for d in docs if "commun" in ws.documents.pages(d, with_words=False)[0].text}
    assert found == texts


def _cut_at(tmp_path: Path, files: list[Path], cut: int, monkeypatch: pytest.MonkeyPatch) -> None:
    tmp_path.mkdir()
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    vault, case = _vault(tmp_path)
    driver = Driver(
        CUT_DRIVER.format(passphrase=PASSPHRASE), str(vault), case, str(cut), *map(str, files)
    )
    out, err = driver.communicate(timeout=300)
    assert driver.returncode in (-signal.SIGKILL, 0), (out, err)
    assert scan([vault, temp], needles_for(WORDS)) == []
    with Workspace.open(vault, PASSPHRASE) as ws:
        assert not list(vault.rglob(f"{TEMP_PREFIX}*")), "a temp file outlived the next open"
        _check_whole(ws, case)
        again = ws.documents.import_many(case, files, ocr=False)
        assert all(o.document is not None or o.already_as for o in again), [o.error for o in again]
        ws.fsck.collect_garbage()
        _check_whole(ws, case)
        report = ws.fsck.run()
        assert not report.notes, report.notes
        assert len(ws.documents.of_case(case)) == 2 + sum(TREE.values())
    assert scan([vault, temp], needles_for(WORDS)) == []


def _points(
    tmp_path: Path, uniform: int, committing: int, after: int
) -> tuple[list[Path], list[int]]:
    """Cut points: `uniform` spread over the import, `committing` over the last 3% of its
    calls before its commit returned (its originals settled, its rows sealed, inserted and
    committed: a mailbox is read in 97% of them, and a cut there leaves nothing at all),
    `after` between the commit and the import's end (the index told)."""
    files = mailbox_and_archive(tmp_path / "in")
    total, committed = _calls(tmp_path, files)
    rng = random.Random(16)

    def spread(start: float, end: float, count: int) -> list[int]:
        width = (end - start) / max(1, count)
        return [int(start + width * (n + rng.random())) for n in range(count)]

    cuts = spread(1, total, uniform) + spread(committed * 0.97, committed, committing)
    return files, cuts + spread(committed, total, after)


def _campaign(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, uniform: int, committing: int, after: int
) -> None:
    files, cuts = _points(tmp_path, uniform, committing, after)
    for number, cut in enumerate(cuts):
        _cut_at(tmp_path / f"cut-{number}", files, cut, monkeypatch)


def test_a_power_cut_in_a_mailbox_import_leaves_a_whole_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _campaign(tmp_path, monkeypatch, 0, 1, 1)


@pytest.mark.slow
def test_power_cuts_anywhere_in_a_mailbox_import_leave_a_whole_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _campaign(tmp_path, monkeypatch, 6, 12, 6)

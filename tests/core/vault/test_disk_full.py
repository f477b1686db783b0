"""Disk full at any write: a clear refusal (exit code 7), nothing committed lost, no partial file.

Hundreds of operations (imports, edits, quotes, people, timeline entries, deletions, exports)
run against a real vault while the disk "fills up" at a random point of each (`tests.faults`):
every write the process makes, SQLite's included, can fail. Afterwards, on a healthy disk, the
vault opens, `fsck` is clean, and everything an operation reported as done is there.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import DossierError, EnvironmentFailure
from dossier.fsutil import TEMP_PREFIX
from dossier.services.documents.dto import DocumentEdit
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.faults import FullDisk
from tests.pdfgen import text_pdf

DOCUMENTED_EXIT_CODES = {1, 2, 3, 4, 5, 6, 7}
WORDS = "harbour prefect tender council budget inquiry witness contract ledger memo".split()


def _partial_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(f"{TEMP_PREFIX}*") if p.is_file()]


class Campaign:
    """Random operations; records what each one reported as done."""

    def __init__(self, tmp_path: Path, seed: int) -> None:
        self.tmp = tmp_path
        self.rng = random.Random(seed)
        self.disk = FullDisk(self.rng)
        self.vault = tmp_path / "V.dossier"
        self.ws = Workspace.create(self.vault, PASSPHRASE, TEST_ONLY_FAST)
        self.case = self.ws.cases.create("Harbour").id
        self.docs: dict[str, str] = {}  # doc id -> title it must have
        self.deleted: set[str] = set()
        self.people: set[str] = set()
        self.quotes: set[str] = set()
        self.entries: set[str] = set()
        self.exports: list[Path] = []
        self.failures: dict[int, int] = {}
        self.messages: Counter[str] = Counter()
        self.done = 0
        self.sources = [self._source(n) for n in range(8)]

    def _source(self, n: int) -> Path:
        words = " ".join(self.rng.choice(WORDS) for _ in range(40 + 30 * n))
        return text_pdf(self.tmp / f"src{n}.pdf", f"Document {n} of the inquiry: {words}.")

    # -- operations: each prepares its input on a healthy disk, returns what runs on a full one

    def op_import(self) -> Callable[[], None]:
        n = self.rng.randrange(len(self.sources))
        copy = self.tmp / "inputs" / f"in{self.rng.randrange(10**9)}.pdf"
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes(self.sources[n].read_bytes() + f"\n%{copy.name}\n".encode())

        def run() -> None:
            info = self.ws.documents.import_file(self.case, copy, ocr=False)
            self.docs[info.id] = info.title

        return run

    def op_edit(self) -> Callable[[], None]:
        if not self.docs:
            return self.op_import()
        doc_id = self.rng.choice(sorted(self.docs))
        title = f"Edited {self.rng.randrange(10**6)}"

        def run() -> None:
            self.ws.documents.update(doc_id, DocumentEdit(title=title))
            self.docs[doc_id] = title

        return run

    def op_delete(self) -> Callable[[], None]:
        if len(self.docs) < 3:
            return self.op_import()
        doc_id = self.rng.choice(sorted(self.docs))

        def run() -> None:
            self.ws.documents.delete(doc_id)
            del self.docs[doc_id]
            self.deleted.add(doc_id)

        return run

    def op_person(self) -> Callable[[], None]:
        name = f"Witness {self.rng.randrange(10**6)}"
        return lambda: self.people.add(self.ws.people.add(self.case, name).id)

    def op_quote(self) -> Callable[[], None]:
        text = f"the {self.rng.choice(WORDS)} of the inquiry"
        return lambda: self.quotes.add(self.ws.quotes.add(self.case, text).id)

    def op_entry(self) -> Callable[[], None]:
        def run() -> None:
            item = self.ws.timeline.add_entry(self.case, when="2024-03-01", title="A call")
            self.entries.add(item.ref_id)

        return run

    def op_export(self) -> Callable[[], None]:
        out = self.tmp / "exports" / f"export{self.rng.randrange(10**9)}.zip"
        out.parent.mkdir(exist_ok=True)

        def run() -> None:
            try:
                self.ws.exports.export(ExportRequest(case=self.case, out=out))
            except BaseException:
                assert not out.exists(), "a failed export left its bundle behind"
                raise
            self.exports.append(out)

        return run

    # -- the campaign -----------------------------------------------------------------------

    def step(self) -> None:
        operations: list[tuple[float, Callable[[], Callable[[], None]]]] = [
            (0.3, self.op_import),
            (0.2, self.op_edit),
            (0.1, self.op_delete),
            (0.1, self.op_person),
            (0.1, self.op_quote),
            (0.1, self.op_entry),
            (0.1, self.op_export),
        ]
        pick = self.rng.random()
        operation = operations[-1][1]
        for weight, candidate in operations:
            pick -= weight
            if pick <= 0:
                operation = candidate
                break
        action = operation()
        size, fsyncs = self.disk.random_fault()
        try:
            with self.disk.armed(size, fsyncs):
                action()
        except DossierError as exc:
            assert exc.exit_code in DOCUMENTED_EXIT_CODES, exc
            assert "\n" not in str(exc)
            self.failures[exc.exit_code] = self.failures.get(exc.exit_code, 0) + 1
            self.messages[f"{operation.__name__}: {' '.join(str(exc).split()[:7])}"] += 1
            if size is None and fsyncs is None:
                raise AssertionError(f"{operation.__name__} failed on a healthy disk") from exc
            assert isinstance(exc, EnvironmentFailure), f"{operation.__name__}: {exc!r}"
        else:
            self.done += 1
        # Nothing half-written stays behind in the blob store or beside an export. (The search
        # index's open writer keeps working files between operations: checked once closed.)
        for folder in (self.vault / "blobs", self.tmp / "exports"):
            assert not _partial_files(folder), f"{operation.__name__} left a partial file"

    def reopen(self) -> None:
        self.ws.close()
        assert not _partial_files(self.vault), "closing left a partial file"
        self.ws = Workspace.open(self.vault, PASSPHRASE)

    def check_everything(self) -> None:
        self.reopen()
        report = self.ws.fsck.run()
        assert report.ok, report.problems
        stored = {d.id: d.title for d in self.ws.documents.of_case(self.case)}
        assert stored == self.docs
        assert {p.id for p in self.ws.people.of_case(self.case)} >= self.people
        assert {q.id for q in self.ws.quotes.of_case(self.case)} >= self.quotes
        for doc_id, title in self.docs.items():
            hits = self.ws.search.query(title.split()[-1], case=self.case)
            assert any(h.doc_id == doc_id for h in hits) or not title.startswith("Edited")
        for out in self.exports:
            assert out.stat().st_size > 0


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_disk_full_at_random_points_loses_nothing(tmp_path: Path, seed: int) -> None:
    campaign = Campaign(tmp_path, seed)
    try:
        for number in range(150):
            campaign.step()
            if number % 30 == 29:
                campaign.reopen()
        campaign.check_everything()
    finally:
        campaign.ws.close()
    assert campaign.done > 40 and sum(campaign.failures.values()) > 40, (
        campaign.done,
        campaign.failures,
    )

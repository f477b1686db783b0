"""Disk full under the `dossier` command: imports, deletions, `rekey` and `passwd` through the CLI.

The command runs in this process (`tests/clirun.py`) while the disk "fills up" at a random
point of each run (`tests.faults`). Every run must end with a documented exit code and one
line per message, never a traceback. After each, on a healthy disk, the vault opens with the
right passphrase (the old or the new one after a `passwd`, never neither, never both), `fsck`
finds it intact, and every import or deletion the command reported is there.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.workspace import Workspace
from tests.clirun import run_cli
from tests.faults import FullDisk
from tests.pdfgen import text_pdf

DOCUMENTED_EXIT_CODES = {0, 1, 2, 3, 4, 5, 6, 7}
WORDS = "harbour prefect tender council budget inquiry witness contract ledger memo".split()
FIRST_PASSPHRASE = "a first passphrase, long enough"


class CliCampaign:
    def __init__(self, tmp_path: Path, seed: int) -> None:
        self.tmp = tmp_path
        self.rng = random.Random(seed)
        self.disk = FullDisk(self.rng)
        self.vault = tmp_path / "V.dossier"
        with Workspace.create(self.vault, FIRST_PASSPHRASE, TEST_ONLY_FAST) as ws:
            ws.cases.create("Harbour")
        self.passphrase = FIRST_PASSPHRASE
        self.next_passphrase = ""
        (tmp_path / "inputs").mkdir()
        self.docs: set[str] = set()
        self.outcomes: Counter[str] = Counter()
        self.runs = 0

    def cli(self, *args: str, passphrase: str | None = None) -> tuple[int, str, str]:
        result = run_cli(
            self.tmp, "--vault", str(self.vault), *args, passphrase=passphrase or self.passphrase
        )
        return result.returncode, result.stdout, result.stderr

    # -- operations: (argv, what to record when it succeeds) ---------------------------------

    def op_import(self) -> tuple[list[str], str]:
        number = self.rng.randrange(10**9)
        words = " ".join(self.rng.choice(WORDS) for _ in range(30))
        source = text_pdf(self.tmp / "inputs" / f"in{number}.pdf", f"Memo {number}: {words}.")
        return ["import", "--case", "Harbour", "--no-ocr", "--json", str(source)], "import"

    def op_delete(self) -> tuple[list[str], str]:
        if len(self.docs) < 3:
            return self.op_import()
        return ["doc", "delete", self.rng.choice(sorted(self.docs))], "delete"

    def op_rekey(self) -> tuple[list[str], str]:
        return ["rekey", *(["--case", "Harbour"] if self.rng.random() < 0.3 else [])], "rekey"

    def op_passwd(self) -> tuple[list[str], str]:
        self.next_passphrase = f"another passphrase number {self.rng.randrange(10**9)}"
        secret = self.tmp / "new-passphrase.txt"
        secret.write_text(self.next_passphrase + "\n", encoding="utf-8")
        return ["passwd", "--new-passphrase-file", str(secret)], "passwd"

    # -- the campaign -----------------------------------------------------------------------

    def step(self) -> None:
        pick = self.rng.random()
        if pick < 0.4:
            args, what = self.op_import()
        elif pick < 0.55:
            args, what = self.op_delete()
        elif pick < 0.8:
            args, what = self.op_rekey()
        else:
            args, what = self.op_passwd()
        size, fsyncs = self.disk.random_fault()
        with self.disk.armed(size, fsyncs):
            code, out, err = self.cli(*args)
        self.runs += 1
        label = f"dossier {' '.join(args[:2])}"
        assert code in DOCUMENTED_EXIT_CODES, (label, code, err)
        assert "Traceback" not in out + err, (label, err)
        assert all(line.startswith("dossier: ") for line in err.splitlines()), (label, err)
        if what == "passwd" and code == 2:
            # Refused, rightly, while a re-encryption a full disk stopped is unfinished.
            assert "re-encryption of the vault is unfinished" in err, err
        elif size is None and fsyncs is None:
            assert code == 0, f"{label} failed on a healthy disk: {err}"
        else:
            assert code in (0, 7), (label, code, err)
        self.outcomes[f"{what} exit {code}"] += 1
        old = self.passphrase
        if code == 0:
            if what == "import":
                self.docs.update(r["document"]["id"] for r in json.loads(out))
            elif what == "delete":
                self.docs.discard(args[2])
            elif what == "passwd":
                self.passphrase = self.next_passphrase
        failed_passwd = what == "passwd" and code != 0
        self.check(old if failed_passwd else None, reported_rekey=what == "rekey" and code == 0)

    def check(self, maybe_new_or_old: str | None, *, reported_rekey: bool) -> None:
        """On a healthy disk: one passphrase opens, fsck is clean, every success is there."""
        if maybe_new_or_old is not None:  # a failed passwd: the old one, or the new one
            opens = [
                p
                for p in (maybe_new_or_old, self.next_passphrase)
                if self.cli("fsck", passphrase=p)[0] != 3
            ]
            assert len(opens) == 1, f"after a failed passwd, {len(opens)} passphrases open it"
            self.passphrase = opens[0]
        code, out, err = self.cli("fsck")
        assert code == 0, (code, out, err)
        if reported_rekey:
            assert "re-encryption" not in err, err  # a reported re-encryption is finished
        code, out, err = self.cli("doc", "list", "--case", "Harbour", "--json")
        assert code == 0, err
        assert {d["id"] for d in json.loads(out)} == self.docs


@pytest.mark.slow
def test_cli_under_a_full_disk_imports_rekeys_and_changes_passphrases_safely(
    tmp_path: Path,
) -> None:
    campaign = CliCampaign(tmp_path, seed=13)
    for _ in range(45):
        campaign.step()
    outcomes = campaign.outcomes
    for what in ("import", "rekey", "passwd"):
        assert outcomes[f"{what} exit 0"] and outcomes[f"{what} exit 7"], outcomes
    # The last word, on a healthy disk: a rekey finishes whatever was left and fsck is clean.
    code, _out, err = campaign.cli("rekey")
    assert code == 0, err
    code, out, err = campaign.cli("fsck", "--json")
    assert code == 0 and not json.loads(out)["notes"], (out, err)

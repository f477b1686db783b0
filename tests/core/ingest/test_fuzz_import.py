"""Hostile files: thousands of mutated PDFs, e-mails and web pages imported through the core.

Seeds: the shared corpus's PDFs (real producers, scans, forms, encryption), PDFs generated here,
an e-mail and a web page. Mutations: byte flips, truncations, swapped objects, huge counts and
lengths, deep nesting, a broken cross-reference table. Each file is imported in-process into
one real vault: the result is a document or a documented refusal (exit code 6), never another
exception; no import may run past a time limit (the process is stopped with a stack dump, so a
hang fails the run instead of blocking it); nothing half-written is left in the vault or the
temp folder; the vault passes `fsck` at the end. A handful go through the CLI too.
"""

from __future__ import annotations

import faulthandler
import os
import random
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import InputRefused
from dossier.fsutil import TEMP_PREFIX
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE, run_cli
from tests.paths import CORPUS
from tests.pdfgen import scanned_page, text_page, write_pdf

FILES = 2000
PARTS = 4
"""The campaign runs as this many tests, each with its own vault, so parallel workers share it."""
SECONDS_PER_FILE = 30
"""Far above any single import here (the slowest take about a second on 2 cores)."""
MAX_SEED_BYTES = 200_000
"""Larger corpus files are only truncated (their mutations would dominate the run's time)."""

EMAIL = (
    b"From: Cabinet du maire <cabinet@example.org>\r\nTo: redaction@example.org\r\n"
    b"Subject: =?utf-8?q?R=C3=A9ponse?=\r\nDate: Tue, 05 Mar 2024 10:00:00 +0100\r\n"
    b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n'
    b"--b1\r\nContent-Type: text/plain; charset=koi8-r\r\n\r\n\xf4\xc5\xcb\xd3\xd4\r\n"
    b"--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    b"<p>Le maire <b>d\xc3\xa9ment</b></p>\r\n"
    b"--b1--\r\n"
)
HTML = (
    b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>March\xc3\xa9s publics</title>"
    b"</head><body><article><h1>Le march\xc3\xa9</h1><p>Un paragraphe <i>long</i> sur le "
    b"contrat.</p><table><tr><td>1</td></tr></table></article></body></html>"
)


def _seeds(tmp: Path) -> list[tuple[str, bytes, bool]]:
    """(name, bytes, small enough to mutate everywhere)."""
    seeds: list[tuple[str, bytes, bool]] = []
    if CORPUS.is_dir():
        for path in sorted(CORPUS.glob("*.pdf")):
            data = path.read_bytes()
            seeds.append((path.name, data, len(data) <= MAX_SEED_BYTES))
    made = tmp / "made"
    made.mkdir()
    text = write_pdf(made / "text.pdf", [text_page(f"Page {n} du rapport.") for n in range(3)])
    scan = write_pdf(made / "scan.pdf", [scanned_page("Rapport confidentiel")])
    seeds += [("text.pdf", text.read_bytes(), True), ("scan.pdf", scan.read_bytes(), True)]
    seeds += [("reply.eml", EMAIL, True), ("page.html", HTML, True)]
    return seeds


# -- mutations ---------------------------------------------------------------------------------

_OBJECT = re.compile(rb"\d+ 0 obj.*?endobj", re.S)


def flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 2, 8, 64))):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, max(2, len(data)))]


def swap_objects(data: bytes, rng: random.Random) -> bytes:
    found = [m.span() for m in _OBJECT.finditer(data[:MAX_SEED_BYTES])]
    if len(found) < 2:
        return flip(data, rng)
    (a0, a1), (b0, b1) = sorted(rng.sample(found, 2))
    return data[:a0] + data[b0:b1] + data[a1:b0] + data[a0:a1] + data[b1:]


def huge_counts(data: bytes, rng: random.Random) -> bytes:
    key = rng.choice((rb"/Count", rb"/Length", rb"/Size", rb"/N", rb"/W", rb"/Index"))
    value = rng.choice((b"99999999", b"-1", b"2147483648", b"0", b"1e308"))
    return re.sub(key + rb"\s+\d+", key + b" " + value, data, count=rng.randrange(1, 4))


def deep_nesting(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice((1_000, 10_000, 100_000))
    opener, closer = rng.choice(((b"[", b"]"), (b"<<", b">>"), (b"<div>", b"</div>")))
    nest = opener * depth + b"0" + closer * depth
    at = data.find(b"endobj") if b"endobj" in data else len(data) // 2
    return data[:at] + nest + data[at:]


def broken_xref(data: bytes, rng: random.Random) -> bytes:
    start = data.rfind(b"startxref")
    if start < 0:
        return truncate(data, rng)
    return data[:start] + b"startxref\n" + str(rng.randrange(10**9)).encode() + b"\n%%EOF\n"


MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    flip,
    truncate,
    swap_objects,
    huge_counts,
    deep_nesting,
    broken_xref,
]


def mutants(tmp: Path, numbers: range, seed: int) -> list[tuple[str, bytes, str]]:
    """The mutants of these numbers: each drawn from its own random generator, so a part of the
    campaign makes only its own files, the same whatever the other parts."""
    seeds = _seeds(tmp)
    out: list[tuple[str, bytes, str]] = []
    for number in numbers:
        rng = random.Random(f"{seed}:{number}")
        name, data, small = seeds[number % len(seeds)]
        if not small:
            mutated, how = data[: rng.randrange(1, MAX_SEED_BYTES)], "truncate"
        else:
            mutation = rng.choice(MUTATIONS)
            mutated, how = mutation(data, rng), mutation.__name__
        out.append((f"{number:04d}-{name}", mutated, how))
    return out


def _leftovers(*folders: Path) -> list[Path]:
    """Temporary files under `folders` (checked after every import: a walk by `os.scandir`,
    two thirds of what `Path.rglob` cost there)."""
    return [
        Path(root, name)
        for folder in folders
        for root, _dirs, names in os.walk(folder)
        for name in names
        if name.startswith(TEMP_PREFIX)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("part", range(PARTS))
def test_thousands_of_mutated_files_import_or_are_refused(tmp_path: Path, part: int) -> None:
    size = FILES // PARTS  # consecutive files: each part mutates every seed
    files = mutants(tmp_path, range(part * size, (part + 1) * size), seed=13)
    inputs, vault = tmp_path / "inputs", tmp_path / "V.dossier"
    inputs.mkdir()
    outcomes: Counter[str] = Counter()
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Fuzz").id
        for name, data, how in files:
            path = inputs / name
            path.write_bytes(data)
            faulthandler.dump_traceback_later(SECONDS_PER_FILE, exit=True)
            try:
                ws.documents.import_file(case, path, ocr=False)
                outcomes["imported"] += 1
            except InputRefused as exc:
                assert exc.exit_code == 6, (name, how, exc)
                assert "\n" not in str(exc)
                outcomes["refused"] += 1
            except Exception as exc:  # the failure this test exists to find
                raise AssertionError(f"{name} ({how}): {type(exc).__name__}: {exc}") from exc
            finally:
                faulthandler.cancel_dump_traceback_later()
            path.unlink()
            # (The search index's open writer keeps working files until it commits: the
            # whole vault is checked once it is closed.)
            assert not _leftovers(vault / "blobs"), f"{name} ({how}) left a partial file"
        report = ws.fsck.run()
        assert report.ok, report.problems
    assert not _leftovers(vault, tmp_path)
    # Both outcomes occur: the mutations neither all break the files nor all miss.
    assert outcomes["imported"] > len(files) // 20 and outcomes["refused"] > len(files) // 20, (
        outcomes
    )


def test_a_few_hostile_files_through_the_command(tmp_path: Path) -> None:
    files = [f for f in mutants(tmp_path, range(60), seed=7) if f[2] != "truncate"][:5]
    vault = tmp_path / "V.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        ws.cases.create("Fuzz")
    paths = []
    for name, data, _how in files:
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    # Without OCR, as the campaign above imports: what the command reports is the subject
    # here, and a scan's mutant read by OCR cost 2.7 of the test's 3.4 CPU-s.
    done = run_cli(tmp_path, "--vault", str(vault), "import", "--case", "Fuzz", "--no-ocr", *paths)
    assert done.returncode in (0, 6), done.stderr
    assert "Traceback" not in done.stderr
    for line in done.stderr.splitlines():
        assert line.startswith("dossier: "), line
    assert not _leftovers(vault, tmp_path / "tmp")

"""Cost of authenticating every catalog row: import and case opening, with and without it.

The baseline is the same code in the same run with row authentication switched off (no change
triggers, no MACs or inventories at commit, no check when a case opens). Goal (protection
issue): import at most 5% slower.

    python -m bench.bench_rowauth [--docs 20] [--pages 25] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.bench_ingest import make_corpus
from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.db import inventory
from dossier.services.workspace import Workspace
from dossier.vault import vault as vault_module

PASSPHRASE = "bench passphrase"


@contextlib.contextmanager
def authentication_off() -> Iterator[None]:
    """Row authentication disabled: the baseline, never a mode of the product."""
    saved = (vault_module._install_triggers, inventory.seal_changes)
    vault_module._install_triggers = lambda *_args: None
    inventory.seal_changes = lambda *_args: ({}, None)
    try:
        yield
    finally:
        vault_module._install_triggers, inventory.seal_changes = saved


def import_all(folder: Path, files: list[Path]) -> tuple[float, str]:
    with Workspace.create(folder, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("bench").id
        start = time.perf_counter()
        for path in files:  # one transaction per document, as an import batch does
            ws.documents.import_file(case, path, kind="source", ocr=False)
        return time.perf_counter() - start, case


def open_case(folder: Path, case: str, *, strict: bool) -> float:
    start = time.perf_counter()
    with Workspace.open(folder, PASSPHRASE, strict=strict) as ws:
        for doc in ws.documents.of_case(case):
            ws.documents.page(doc.id, 0)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--pages", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = []
        for n in range(args.docs):
            path = root / f"doc{n:03d}.pdf"
            make_corpus(path, args.pages, seed=n)
            files.append(path)
        timings: dict[str, list[float]] = {"on": [], "off": [], "open_on": [], "open_off": []}
        for n in range(args.repeat):
            with authentication_off():
                seconds, _case = import_all(root / f"off{n}", files)
            timings["off"].append(seconds)
            seconds, case = import_all(root / f"on{n}", files)
            timings["on"].append(seconds)
            timings["open_on"].append(open_case(root / f"on{n}", case, strict=True))
            timings["open_off"].append(open_case(root / f"on{n}", case, strict=False))
    med = {k: statistics.median(v) for k, v in timings.items()}
    pages = args.docs * args.pages
    result: dict[str, Any] = {
        "documents": args.docs,
        "pages": pages,
        "import_pages_per_s_authenticated": round(pages / med["on"], 1),
        "import_pages_per_s_baseline": round(pages / med["off"], 1),
        "import_ratio": round(med["on"] / med["off"], 3),
        "open_case_seconds_checked": round(med["open_on"], 3),
        "open_case_seconds_unchecked": round(med["open_off"], 3),
        "open_ratio": round(med["open_on"] / med["open_off"], 3),
        "goal_import_ratio_max": 1.05,
        "goal_met": med["on"] / med["off"] <= 1.05,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

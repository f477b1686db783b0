"""Time of `rekey` per 1,000 pages, against importing the same pages in the same run.

Goal (protection issue): `rekey` re-encrypts at least 200 pages per second. The baseline is
the import of the same PDFs into the vault being re-encrypted (text extraction, sealing,
indexing), measured just before it; `rekey` writes every row, word map, original and index
file again and replaces the master key.

    python -m bench.bench_rekey [--docs 40] [--pages 25] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_ingest import make_corpus
from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.workspace import Workspace

PASSPHRASE = "bench passphrase"
GOAL_PAGES_PER_S = 200.0


def one_round(folder: Path, files: list[Path]) -> tuple[float, float, int]:
    """(import seconds, rekey seconds, pages)."""
    with Workspace.create(folder, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("bench").id
        start = time.perf_counter()
        for path in files:
            ws.documents.import_file(case, path, kind="source", ocr=False)
        imported = time.perf_counter() - start
        start = time.perf_counter()
        result = ws.rekey.run(PASSPHRASE)
        rekeyed = time.perf_counter() - start
        assert ws.fsck.run().ok
        return imported, rekeyed, result.pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--pages", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    imports: list[float] = []
    rekeys: list[float] = []
    pages = 0
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = []
        for n in range(args.docs):
            path = root / f"doc{n:03d}.pdf"
            make_corpus(path, args.pages, seed=n)
            files.append(path)
        for n in range(args.repeat):
            imported, rekeyed, pages = one_round(root / f"v{n}", files)
            imports.append(imported)
            rekeys.append(rekeyed)
    rekey_s = statistics.median(rekeys)
    import_s = statistics.median(imports)
    result: dict[str, Any] = {
        "documents": args.docs,
        "pages": pages,
        "rekey_seconds": round(rekey_s, 3),
        "rekey_seconds_per_1000_pages": round(rekey_s * 1000 / pages, 3),
        "rekey_pages_per_s": round(pages / rekey_s, 1),
        "import_seconds": round(import_s, 3),
        "import_pages_per_s": round(pages / import_s, 1),
        "rekey_to_import_ratio": round(rekey_s / import_s, 3),
        "goal_pages_per_s_min": GOAL_PAGES_PER_S,
        "goal_met": pages / rekey_s >= GOAL_PAGES_PER_S,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

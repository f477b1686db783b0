"""Import throughput: end-to-end pages/s against plain PyMuPDF extraction of the same pages.

Goal (foundation issue): encryption and storage add at most 30% over extraction alone.
Also reports vault unlock time with the default (strong) Argon2id parameters.

    python -m bench.bench_ingest [--pages 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pymupdf
from sqlalchemy.orm import Session

from dossier.crypto.kdf import DEFAULT, TEST_ONLY_FAST, time_derivation
from dossier.db.models import Document
from dossier.jobs import CancelToken, ChunkMap
from dossier.pdf.extract import extract_pdf
from dossier.services.workspace import Workspace

FR = (
    "la police utilise un logiciel d'analyse vidéo depuis plusieurs années selon l'enquête "
    "publiée par le média les députés demandent des explications au directeur départemental "
    "de la sécurité publique qui n'a pas répondu à la date fixée"
).split()
EN = (
    "the police have used video analysis software for several years according to the "
    "investigation published by the outlet the deputies ask the departmental director of "
    "public security for explanations and received no answer by the deadline"
).split()


def make_corpus(path: Path, pages: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page()
        words = FR if i % 2 else EN
        lines = [" ".join(rng.choice(words) for _ in range(12)) for _ in range(40)]
        page.insert_textbox(pymupdf.Rect(50, 50, 560, 800), "\n".join(lines), fontsize=9)
    doc.save(path, garbage=3, deflate=True)
    doc.close()


def plain_pymupdf(path: Path) -> float:
    start = time.perf_counter()
    with pymupdf.open(path) as doc:
        for page in doc:
            page.get_text("words")
    return time.perf_counter() - start


def dossier_extract(path: Path) -> float:
    start = time.perf_counter()
    extract_pdf(path, ocr=False)
    return time.perf_counter() - start


class _NoIndex:
    """Stands in for the search index to time extraction + encryption + storage alone."""

    def document_changed(self, case_id: str, doc_id: str) -> None:
        return None

    def documents_changed(self, case_id: str, doc_ids: Sequence[str]) -> None:
        return None

    def documents_storing(
        self, session: Session, case_id: str, docs: Sequence[Document]
    ) -> object | None:
        return None

    def abandon_storing(self, early: object | None) -> None:
        return None

    def documents_imported(
        self, session: Session, case_id: str, docs: Sequence[Document], early: object | None
    ) -> None:
        return None

    def document_removed(self, case_id: str, doc_id: str) -> None:
        return None

    def case_removed(self, case_id: str) -> None:
        return None

    def prepare_batch(self, text: int | None = None) -> bool:
        return False

    def prepare_case(self, case_id: str) -> None:
        return None

    def shared_work(self, cancel: CancelToken | None) -> ChunkMap:
        return map

    def pending(self, case_id: str) -> bool:
        return False

    def importing(self, case_id: str) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()


def dossier_import(path: Path, folder: Path, *, index: bool) -> float:
    with Workspace.create(folder, "bench passphrase", TEST_ONLY_FAST) as ws:
        if not index:
            ws.index = _NoIndex()
        case = ws.cases.create("bench")
        start = time.perf_counter()
        ws.documents.import_file(case.id, path, kind="source", ocr=False)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-kdf", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pdf = root / "corpus.pdf"
        make_corpus(pdf, args.pages)
        plain: list[float] = []
        extract: list[float] = []
        stored: list[float] = []
        full: list[float] = []
        for n in range(args.repeat):
            plain.append(plain_pymupdf(pdf))
            extract.append(dossier_extract(pdf))
            stored.append(dossier_import(pdf, root / f"stored{n}", index=False))
            full.append(dossier_import(pdf, root / f"indexed{n}", index=True))
    p, e, s, f = (statistics.median(x) for x in (plain, extract, stored, full))
    result = {
        "pages": args.pages,
        "plain_pymupdf_pages_per_s": round(args.pages / p, 1),
        "dossier_extract_pages_per_s": round(args.pages / e, 1),
        "import_without_index_pages_per_s": round(args.pages / s, 1),
        "import_end_to_end_pages_per_s": round(args.pages / f, 1),
        "storage_overhead_ratio": round(s / e, 3),
        "end_to_end_over_extract_ratio": round(f / e, 3),
        "extract_over_plain_pymupdf_ratio": round(e / p, 3),
        "goal_storage_overhead_max": 1.3,
        "goal_met": s / e <= 1.3,
    }
    if not args.skip_kdf:
        result["unlock_seconds_default_kdf"] = round(time_derivation(DEFAULT), 3)
        result["default_kdf"] = DEFAULT.to_json()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

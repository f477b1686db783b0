"""Cost of judging glyphs by their outlines (`dossier.pdf.glyphshape`) on the corpus' PDFs.

For each PDF of `--corpus`, in the same run, alternating, the minimum CPU of `--repeat` runs of:
- the import's check of its fonts (`glyphtruth.pages_whose_text_lies`), and
- the export's following of its pages (`GlyphTruth.doubtful_spans` on each),
with the glyphs' shapes judged (as the code is) and with the maps alone (shapes off: the check
before `glyphshape`). Each run starts with the shapes judged before forgotten. Also printed:
the pages each way marks at import, and the pages holding text the export reads by OCR
(before confirmation by what OCR reads, which this does not run).

    python -m bench.bench_glyph_shapes [--corpus DIR] [--repeat 3]
"""

# mypy: disallow-untyped-calls=False

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pymupdf

from dossier.pdf import glyphshape, glyphtruth

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdfs"


@contextmanager
def shapes(judged: bool) -> Iterator[None]:
    glyphshape._judged.clear()
    if judged:
        yield
        return
    with patch.object(glyphshape, "unlike", lambda claimed, bits: None):
        yield


def one_run(doc: Any) -> tuple[float, float, int, int]:
    start = time.process_time()
    marked = len(glyphtruth.pages_whose_text_lies(doc))
    middle = time.process_time()
    truth = glyphtruth.GlyphTruth()
    doubted = sum(1 for page in doc if truth.doubtful_spans(page))
    return middle - start, time.process_time() - middle, marked, doubted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(json.dumps({"error": f"corpus not found at {args.corpus}"}))
        return
    glyphtruth.GlyphTruth()  # the reference fonts' shapes, once per process, not measured
    glyphshape._reference_shapes()
    totals = {"maps": [0.0, 0.0, 0, 0], "shapes": [0.0, 0.0, 0, 0]}
    pages = 0
    for path in sorted(args.corpus.glob("*.pdf")):
        try:
            doc = pymupdf.open(path)
        except (pymupdf.FileDataError, RuntimeError):
            continue
        if doc.needs_pass and not doc.authenticate(""):
            continue
        pages += doc.page_count
        best: dict[str, tuple[float, float, int, int]] = {}
        for _ in range(args.repeat):
            for name in ("maps", "shapes"):
                with shapes(name == "shapes"):
                    run = one_run(doc)
                if name not in best:
                    best[name] = run
                else:
                    low = best[name]
                    best[name] = (min(low[0], run[0]), min(low[1], run[1]), run[2], run[3])
        for name, run in best.items():
            for i, value in enumerate(run):
                totals[name][i] += value
    load = Path("/proc/loadavg").read_text().split()[0]
    result: dict[str, object] = {"pdfs_pages": pages, "load": float(load)}
    for name, (marking, following, marked, doubted) in totals.items():
        result[name] = {
            "import_check_cpu_s": round(marking, 2),
            "export_follow_cpu_s": round(following, 2),
            "pages_marked_at_import": marked,
            "pages_read_by_ocr_before_confirming": doubted,
        }
    maps, judged = totals["maps"], totals["shapes"]
    result["import_ratio"] = round(judged[0] / max(maps[0], 1e-9), 2)
    result["export_ratio"] = round(judged[1] / max(maps[1], 1e-9), 2)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

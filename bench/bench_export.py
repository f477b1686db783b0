"""Export cost: a 200-page document with 100 redactions, against a plain copy of the same PDF.

Measured in the same run (so the ratios hold on any machine):
- plain copy: PyMuPDF opens the PDF and rewrites it in full (garbage=4, deflate), which is the
  least any export must do;
- redacted copy: Dossier's pipeline for one file (marks, true redaction, scrub, rewrite);
- self-check: re-reading the redacted copy for every term, pattern and box;
- export end to end: the service (decrypt, redact, self-check, manifest, sign, zip, write);
- the same with `--rasterize-redacted` (pages with a box become pictures).

    python -m bench.bench_export [--pages 200] [--redactions 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import pymupdf

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.pdf.extract import extract_pdf
from dossier.redact.marks import Rules, TermRule
from dossier.redact.produce import redacted_copy
from dossier.redact.selfcheck import SelfCheckReport, check_pdf, needles_for
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace

WORDS = (
    "la police utilise un logiciel d'analyse vidéo depuis plusieurs années selon l'enquête "
    "publiée par le média les députés demandent des explications au directeur départemental"
).split()
NAMES = ("Honorine Lespinasse", "Barnabé Quillevic", "Ysaline Treguer", "Gaspard Oudinot")


def make_document(path: Path, pages: int, redactions: int) -> None:
    """`pages` pages of prose; the names appear `redactions` times in all, spread evenly."""
    doc = pymupdf.open()
    every = max(1, (pages * 40) // max(1, redactions))
    placed = 0
    line_number = 0
    for index in range(pages):
        page = doc.new_page()
        lines = []
        for row in range(40):
            words = [WORDS[(index * 7 + row * 3 + k) % len(WORDS)] for k in range(11)]
            if placed < redactions and line_number % every == 0:
                words.insert(5, NAMES[placed % len(NAMES)])
                placed += 1
            line_number += 1
            lines.append(" ".join(words))
        page.insert_textbox(pymupdf.Rect(50, 50, 560, 800), "\n".join(lines), fontsize=9)
    doc.save(path, garbage=3, deflate=True)
    doc.close()


def plain_copy(path: Path) -> float:
    start = time.perf_counter()
    with pymupdf.open(path) as doc:
        doc.tobytes(garbage=4, deflate=True)
    return time.perf_counter() - start


def redaction_only(path: Path, rules: Rules) -> tuple[float, float, int]:
    pages = extract_pdf(path, ocr=False).pages
    data = path.read_bytes()
    start = time.perf_counter()
    copy = redacted_copy(data, pages, rules, name=path.name)
    middle = time.perf_counter()
    report = SelfCheckReport()
    needles = needles_for([(r.term, r.term) for r in rules.terms], [])
    check_pdf("x.pdf", copy.data, needles, {i: p.rects for i, p in copy.plans.items()}, report)
    end = time.perf_counter()
    assert report.ok, report.summary()
    return middle - start, end - middle, sum(copy.counts.values())


def end_to_end(path: Path, folder: Path, rasterize: bool) -> float:
    with Workspace.create(folder, "bench passphrase", TEST_ONLY_FAST) as ws:
        case = ws.cases.create("bench")
        ws.documents.import_file(case.id, path, ocr=False)
        for name in NAMES:
            ws.redactions.add_term(name, case=case.id)
        request = ExportRequest(
            case=case.id, out=folder / "bundle.zip", rasterize_redacted=rasterize
        )
        start = time.perf_counter()
        ws.exports.export(request)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--redactions", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rules = Rules(terms=tuple(TermRule(f"t{i}", "term", n) for i, n in enumerate(NAMES)))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pdf = root / "long.pdf"
        make_document(pdf, args.pages, args.redactions)
        plain, redact, check, full, raster = [], [], [], [], []
        found = 0
        for n in range(args.repeat):
            plain.append(plain_copy(pdf))
            r, c, found = redaction_only(pdf, rules)
            redact.append(r)
            check.append(c)
            full.append(end_to_end(pdf, root / f"v{n}", rasterize=False))
            raster.append(end_to_end(pdf, root / f"r{n}", rasterize=True))
    p, r, c, f, z = (statistics.median(x) for x in (plain, redact, check, full, raster))
    print(
        json.dumps(
            {
                "pages": args.pages,
                "redactions_asked": args.redactions,
                "redactions_applied": found,
                "plain_copy_s": round(p, 3),
                "redacted_copy_s": round(r, 3),
                "selfcheck_s": round(c, 3),
                "export_end_to_end_s": round(f, 3),
                "export_rasterized_s": round(z, 3),
                "redacted_copy_over_plain_copy": round(r / p, 2),
                "export_over_plain_copy": round(f / p, 2),
                "rasterized_export_over_plain_copy": round(z / p, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

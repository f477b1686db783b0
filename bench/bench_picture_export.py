"""Export cost of reading pictures for protected names: a 50-page report with 20 pictures.

The report has native text on every page; 20 pictures (screenshots of a few lines of text,
two of them half a page large) stand on 20 of its pages, four of them showing a protected
name. Measured in the same run, medians of `--repeat` runs:
- no names: the export with no name or term to hide (no picture is read);
- pictures unread: the export with the name protected, the pictures left unread (the code
  before pictures were read: the planner's and the self-check's readings switched off);
- pictures read: the export as it is (OCR of each picture in four quarter turns, boxes, and
  the self-check reading the output's pictures again).

    python -m bench.bench_picture_export [--pages 50] [--pictures 20] [--repeat 3]
"""

# mypy: disallow-untyped-calls=False

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest.mock import patch

import pymupdf

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.redact import picture_text, produce
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace

NAME = "Honorine Lespinasse"
PROSE = (
    "La police utilise un logiciel d'analyse vidéo depuis plusieurs années selon l'enquête "
    "publiée par le média; les députés demandent des explications au directeur départemental."
)


def screenshot(lines: list[str], width: float) -> bytes:
    """A PNG of `lines` of text at 150 dpi, as a pasted screenshot."""
    with pymupdf.open() as doc:
        page = doc.new_page(width=width, height=20 + 16 * len(lines))
        for row, line in enumerate(lines):
            page.insert_text((10, 24 + 16 * row), line, fontsize=11)
        return bytes(page.get_pixmap(dpi=150, colorspace=pymupdf.csRGB).tobytes("png"))


def make_report(path: Path, pages: int, pictures: int) -> None:
    every = max(1, pages // max(1, pictures))
    with pymupdf.open() as doc:
        placed = 0
        for index in range(pages):
            page = doc.new_page()
            page.insert_textbox(pymupdf.Rect(50, 50, 560, 300), (PROSE + " ") * 6, fontsize=9)
            if placed < pictures and index % every == 0:
                named = placed % 5 == 0
                sender = NAME if named else "Service de presse"
                lines = [f"De : {sender}", "Objet : réunion du 14 mars", PROSE[:80]]
                big = placed % 10 == 1
                if big:
                    lines += [PROSE[k : k + 80] for k in range(0, len(PROSE), 80)] * 4
                rect = pymupdf.Rect(50, 320, 560, 780 if big else 400)
                page.insert_image(rect, stream=screenshot(lines, rect.width))
                placed += 1
        doc.save(path, garbage=3, deflate=True)


@contextmanager
def pictures_unread() -> Iterator[None]:
    with (
        patch.object(produce, "_plan_pictures", lambda *args: []),
        patch.object(picture_text, "texts_of_pictures", lambda *args: []),
    ):
        yield


def export(path: Path, folder: Path, protect: bool) -> tuple[float, int]:
    with Workspace.create(folder, "bench passphrase", TEST_ONLY_FAST) as ws:
        case = ws.cases.create("bench")
        ws.documents.import_file(case.id, path, ocr=False)
        if protect:
            ws.people.add(case.id, NAME, protection="protected")
        start = time.perf_counter()
        result = ws.exports.export(ExportRequest(case=case.id, out=folder / "bundle.zip"))
        elapsed = time.perf_counter() - start
        return elapsed, sum(d.redactions.get("person", 0) for d in result.documents)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--pictures", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pdf = root / "report.pdf"
        make_report(pdf, args.pages, args.pictures)
        plain, unread, read = [], [], []
        boxes_unread = boxes_read = 0
        for n in range(args.repeat):
            plain.append(export(pdf, root / f"p{n}", protect=False)[0])
            with pictures_unread():
                elapsed, boxes_unread = export(pdf, root / f"u{n}", protect=True)
            unread.append(elapsed)
            elapsed, boxes_read = export(pdf, root / f"r{n}", protect=True)
            read.append(elapsed)
    p, u, r = (statistics.median(x) for x in (plain, unread, read))
    print(
        json.dumps(
            {
                "pages": args.pages,
                "pictures": args.pictures,
                "no_names_s": round(p, 3),
                "pictures_unread_s": round(u, 3),
                "pictures_read_s": round(r, 3),
                "read_over_unread": round(r / u, 2),
                "extra_s_per_picture": round((r - u) / max(1, args.pictures), 3),
                "names_boxed_unread": boxes_unread,
                "names_boxed_read": boxes_read,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

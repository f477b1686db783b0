"""Importing a mixed folder into a vault, per format, against two baselines in the same run.

For each format (PDF, Word, OpenDocument, phone-style photos read by OCR, a mailbox with
attachments, a folder of small text files, one huge PDF), three timings of the same files:

- `vault`: `ws.documents.import_many` on a fresh encrypted vault (sniffing, structured
  extraction, encryption, catalog with row MACs and audit, search index), until the index is
  committed, as `dossier import FOLDER` does;
- `bare`: the bare reader alone, doing the job the vault needs done (PyMuPDF's words with
  their boxes, `get_text("words")`, as the vault keeps every word's position for quotes,
  highlights and redaction; python-docx's paragraphs and tables; lxml over `content.xml`;
  PyMuPDF's Tesseract OCR of the picture; the standard library's `mailbox` and `email` with
  each attachment read by its own bare reader; `bytes.decode`). The vault's readers do more
  than these (a Word file's headers, notes, comments and tracked changes, an OpenDocument's
  lists and styles, every PDF page's reading order), but the bench's files hold none of that,
  so on them the job is the same. For PDFs the plain-text reader (`get_text()`, no positions)
  is timed too, as `plain_text_seconds`: the cheapest possible read, not the same job;
- `bare_plus_whoosh`: the bare reader, then plain single-process Whoosh (its own FileStorage,
  no encryption) indexing the text it read through Dossier's schema, in one writer and one
  commit: what an unencrypted tool would do with the same files.

Goal (issue 14): the vault adds at most 30% (`vault_over_bare_plus_whoosh` <= 1.3). The ratio
to the bare reader alone is printed too: for a format read in microseconds (ODT) it measures
the cost of indexing and storing at all, not the vault's overhead.

    python -m bench.bench_formats [--repeat 2] [--messages 200] [--formats pdf,odt,...]
"""

from __future__ import annotations

import argparse
import io
import json
import mailbox
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import docx
import pymupdf
from lxml import etree

from bench import bench_batch
from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.pdf.ocr import ocr_dpi, require_tessdata
from dossier.search.model import IndexItem
from dossier.services.workspace import Workspace

GOAL = 1.3
_PARAGRAPH = (
    "Le conseil départemental a voté jeudi soir une subvention exceptionnelle de 1,2 million "
    "d’euros pour la vidéoprotection des collèges, malgré l’avis réservé de la CNIL. "
)


def make_pdf(path: Path, pages: int) -> None:
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page()
        page.insert_textbox(pymupdf.Rect(56, 56, 540, 780), f"Page {number}. " + _PARAGRAPH * 12)
    doc.save(path)
    doc.close()


def docx_bytes(paragraphs: int) -> bytes:
    document = docx.Document()
    document.add_heading("Note de la direction", level=1)
    for number in range(paragraphs):
        document.add_paragraph(f"{number}. {_PARAGRAPH}")
    table = document.add_table(rows=10, cols=3)
    for row in table.rows:
        for cell in row.cells:
            cell.text = "412 caméras"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt_bytes(paragraphs: int) -> bytes:
    body = "".join(f"<text:p>{n}. {_PARAGRAPH}</text:p>" for n in range(paragraphs))
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        f'<office:body><office:text><text:h text:outline-level="1">Compte rendu</text:h>{body}'
        "</office:text></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def make_mbox(path: Path, messages: int, pdf: bytes, note: bytes) -> None:
    box = mailbox.mbox(path)
    for number in range(messages):
        message = EmailMessage()
        message["From"] = f"agent{number}@prefecture.example"
        message["Subject"] = f"Réponse {number}"
        message["Date"] = "Tue, 12 Dec 2023 16:05:00 +0100"
        message.set_content(_PARAGRAPH * 3)
        if number % 3 == 1:
            message.add_attachment(pdf, maintype="application", subtype="pdf", filename="a.pdf")
        elif number % 3 == 2:
            message.add_attachment(
                note, maintype="application", subtype="octet-stream", filename="note.docx"
            )
        box.add(message)
    box.flush()
    box.close()


def make_photo(path: Path, number: int) -> None:
    """A phone-style picture of a printed page: its text rendered at 150 dpi, as a PNG."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(pymupdf.Rect(56, 56, 540, 780), f"Photo {number}. " + _PARAGRAPH * 6)
    page.get_pixmap(dpi=150).save(path)
    doc.close()


# -- bare readers: each returns the texts it read (one per page or document) ----------------


def bare_pdf(data: bytes) -> list[str]:
    """Every page's words with their boxes (joined into its text for Whoosh)."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        pages = [page.get_text("words", flags=pymupdf.TEXT_CLIP) for page in doc]
    return [" ".join(word[4] for word in words) for words in pages]


def plain_text_pdf(data: bytes) -> list[str]:
    """Every page's text without positions: less than the vault needs, timed for reference."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [page.get_text() for page in doc]


def bare_docx(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return ["\n".join(parts)]


def bare_odt(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("content.xml"))
    return ["".join(root.itertext())]


def bare_photo(data: bytes) -> list[str]:
    tessdata = require_tessdata()
    with pymupdf.open(stream=data) as doc:
        page = doc[0]
        textpage = page.get_textpage_ocr(
            language="fra+eng", dpi=ocr_dpi(page), full=True, tessdata=str(tessdata)
        )
        return [page.get_text(textpage=textpage)]


def bare_text(data: bytes) -> list[str]:
    return [data.decode("utf-8")]


def bare_mbox(path: Path) -> list[str]:
    texts: list[str] = []
    parser = BytesParser(policy=policy.default)
    for raw in mailbox.mbox(path).itervalues():
        message = parser.parsebytes(raw.as_bytes())
        body = message.get_body(preferencelist=("plain", "html"))
        texts.append(body.get_content() if body is not None else "")
        for part in message.iter_attachments():
            payload = part.get_payload(decode=True)
            name = part.get_filename() or ""
            if isinstance(payload, bytes):
                texts += bare_pdf(payload) if name.endswith(".pdf") else bare_docx(payload)
    return texts


# -- timing ---------------------------------------------------------------------------------


def timed(work: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def plain_whoosh(texts: list[str], folder: Path) -> float:
    """Seconds plain single-process Whoosh takes to index `texts` (one writer, one commit)."""
    items = [
        IndexItem(
            item_id=f"d{n}:0",
            doc_id=f"d{n}",
            case_id="bench",
            item_type="page",
            kind="source",
            title=f"d{n}",
            text=text,
            page_index=0,
        )
        for n, text in enumerate(texts)
    ]
    return bench_batch.plain_whoosh(items, folder)


def vault_import(folder: Path, files: list[Path]) -> float:
    """Seconds to import `files` as one batch, until the index is committed."""
    with Workspace.create(folder, "bench passphrase", TEST_ONLY_FAST) as ws:
        case = ws.cases.create("bench").id
        ws.search.query("warm", case=case)  # opens the (empty) index outside the timing
        start = time.perf_counter()
        outcomes = ws.documents.import_many(case, files, ocr=True)
        ws.search.query("police", case=case, limit=5)  # everything is committed now
        seconds = time.perf_counter() - start
        refused = [o.error for o in outcomes if o.error]
        if refused:
            raise SystemExit(f"the bench's own files were refused: {refused[:3]}")
        return seconds


Format = tuple[list[Path], int, str, Callable[[], list[str]], Callable[[], list[str]] | None]
"""Files, units, unit, the bare reader, a plain-text reader (PDF only, see the docstring)."""


def make_formats(root: Path, args: argparse.Namespace) -> dict[str, Format]:
    folder = root / "mixed"
    folder.mkdir()
    pdfs = []
    for number in range(args.files):
        make_pdf(folder / f"rapport{number}.pdf", 10)
        pdfs.append(folder / f"rapport{number}.pdf")
    docxs = [folder / f"note{n}.docx" for n in range(args.files)]
    odts = [folder / f"cr{n}.odt" for n in range(args.files)]
    for n, (d, o) in enumerate(zip(docxs, odts, strict=True)):
        d.write_bytes(docx_bytes(60 + n))
        o.write_bytes(odt_bytes(60 + n))
    photos = [folder / f"photo{n}.png" for n in range(args.photos)]
    for n, photo in enumerate(photos):
        make_photo(photo, n)
    small_pdf = root / "small.pdf"
    make_pdf(small_pdf, 1)
    box = folder / "boite.mbox"
    make_mbox(box, args.messages, small_pdf.read_bytes(), docx_bytes(10))
    texts_folder = root / "notes"
    bench_batch.make_folder(texts_folder, args.texts, 1, 16_000)
    texts = sorted(texts_folder.iterdir())
    huge = folder / "huge.pdf"
    make_pdf(huge, args.huge_pages)

    def each(reader: Callable[[bytes], list[str]], paths: list[Path]) -> Callable[[], list[str]]:
        return lambda: [text for path in paths for text in reader(path.read_bytes())]

    return {
        "pdf": (pdfs, 10 * len(pdfs), "pages", each(bare_pdf, pdfs), each(plain_text_pdf, pdfs)),
        "docx": (docxs, len(docxs), "documents", each(bare_docx, docxs), None),
        "odt": (odts, len(odts), "documents", each(bare_odt, odts), None),
        "photo_ocr": (photos, len(photos), "photos", each(bare_photo, photos), None),
        "mbox": ([box], args.messages, "messages", lambda: bare_mbox(box), None),
        "small_text_files": (texts, len(texts), "files", each(bare_text, texts), None),
        "huge_pdf": (
            [huge],
            args.huge_pages,
            "pages",
            each(bare_pdf, [huge]),
            each(plain_text_pdf, [huge]),
        ),
    }


def measure(name: str, fmt: Format, root: Path, repeat: int) -> dict[str, object]:
    files, units, unit, bare, plain = fmt
    bare_times, whoosh_times, vault_times, plain_times = [], [], [], []
    for n in range(repeat):
        seconds, texts = timed(bare)
        assert isinstance(texts, list)
        bare_times.append(seconds)
        if plain is not None:
            plain_times.append(timed(plain)[0])
        whoosh_times.append(plain_whoosh(texts, root / f"{name}-plain{n}"))
        vault_times.append(vault_import(root / f"{name}{n}.dossier", files))
    b, w, v = (statistics.median(t) for t in (bare_times, whoosh_times, vault_times))
    result: dict[str, object] = {
        "unit": unit,
        "count": units,
        "bare_seconds": round(b, 3),
        "bare_plus_whoosh_seconds": round(b + w, 3),
        "vault_seconds": round(v, 3),
        "vault_per_s": round(units / v, 1),
        "vault_over_bare_ratio": round(v / b, 2),
        "vault_over_bare_plus_whoosh_ratio": round(v / (b + w), 2),
        "goal_met": v / (b + w) <= GOAL,
    }
    if plain_times:
        p = statistics.median(plain_times)
        result["plain_text_seconds"] = round(p, 3)
        result["vault_over_plain_text_ratio"] = round(v / p, 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--files", type=int, default=8, help="documents per office format")
    parser.add_argument("--photos", type=int, default=4)
    parser.add_argument("--texts", type=int, default=300, help="small text files (16 KB)")
    parser.add_argument("--huge-pages", type=int, default=300)
    parser.add_argument("--formats", default="", help="comma-separated subset")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        formats = make_formats(root, args)
        wanted = args.formats.split(",") if args.formats else list(formats)
        result: dict[str, object] = {"goal_max_ratio_over_bare_plus_whoosh": GOAL}
        for name in wanted:
            result[name] = measure(name, formats[name], root, args.repeat)
            print(json.dumps({name: result[name]}), file=sys.stderr, flush=True)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""Importing a mixed folder (PDF, Word, OpenDocument, a mailbox with attachments) into a vault,
per format, against reading the same files with the bare libraries in the same run.

For each format: units per second through `ws.documents.import_file` (sniffing, structured
extraction, encryption, catalog, search index) and with the bare reader alone (PyMuPDF's text,
python-docx's paragraphs and tables, lxml over `content.xml`, the standard library's
`mailbox` and `email` with each attachment read by its own bare reader), and the ratio of the
two. Goal (issue 14): the vault adds at most 30% over the bare readers.

    python -m bench.bench_formats [--repeat 3] [--messages 200]
"""

from __future__ import annotations

import argparse
import io
import json
import mailbox
import statistics
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

from dossier.crypto.kdf import TEST_ONLY_FAST
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


# -- bare readers ---------------------------------------------------------------------------


def bare_pdf(data: bytes) -> int:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return sum(len(page.get_text()) for page in doc)


def bare_docx(data: bytes) -> int:
    document = docx.Document(io.BytesIO(data))
    size = sum(len(p.text) for p in document.paragraphs)
    for table in document.tables:
        size += sum(len(cell.text) for row in table.rows for cell in row.cells)
    return size


def bare_odt(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("content.xml"))
    return len("".join(root.itertext()))


def bare_mbox(path: Path) -> int:
    size = 0
    parser = BytesParser(policy=policy.default)
    for raw in mailbox.mbox(path).itervalues():
        message = parser.parsebytes(raw.as_bytes())
        body = message.get_body(preferencelist=("plain", "html"))
        size += len(body.get_content()) if body is not None else 0
        for part in message.iter_attachments():
            payload = part.get_payload(decode=True)
            name = part.get_filename() or ""
            if isinstance(payload, bytes):
                size += bare_pdf(payload) if name.endswith(".pdf") else bare_docx(payload)
    return size


# -- timing ---------------------------------------------------------------------------------


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def vault_import(folder: Path, files: list[Path]) -> float:
    with Workspace.create(folder, "bench passphrase", TEST_ONLY_FAST) as ws:
        case = ws.cases.create("bench").id
        start = time.perf_counter()
        for path in files:
            ws.documents.import_file(case, path, ocr=False)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--files", type=int, default=8, help="documents per office format")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
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
        small_pdf = root / "small.pdf"
        make_pdf(small_pdf, 1)
        box = folder / "boite.mbox"
        make_mbox(box, args.messages, small_pdf.read_bytes(), docx_bytes(10))

        def each(reader: Callable[[bytes], int], paths: list[Path]) -> Callable[[], object]:
            return lambda: [reader(path.read_bytes()) for path in paths]

        formats: dict[str, tuple[list[Path], int, str, Callable[[], object]]] = {
            "pdf": (pdfs, 10 * len(pdfs), "pages", each(bare_pdf, pdfs)),
            "docx": (docxs, len(docxs), "documents", each(bare_docx, docxs)),
            "odt": (odts, len(odts), "documents", each(bare_odt, odts)),
            "mbox": ([box], args.messages, "messages", lambda: bare_mbox(box)),
        }
        result: dict[str, object] = {"goal_max_ratio": GOAL}
        for name, (files, units, unit, bare) in formats.items():
            bare_times = [timed(bare) for _ in range(args.repeat)]
            vault_times = [
                vault_import(root / f"{name}{n}.dossier", files) for n in range(args.repeat)
            ]
            b, v = statistics.median(bare_times), statistics.median(vault_times)
            result[name] = {
                "unit": unit,
                "count": units,
                "bare_per_s": round(units / b, 1),
                "vault_per_s": round(units / v, 1),
                "vault_over_bare_ratio": round(v / b, 2),
                "goal_met": v / b <= GOAL,
            }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

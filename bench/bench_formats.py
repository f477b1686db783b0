"""Importing a mixed folder into a vault, per format, against two baselines in the same run.

For each format (PDF, Word, OpenDocument, RTF, single e-mails (`.eml`, half of them with a PDF
attached), 300-dpi scans and phone photos of the same pages read by OCR, a mailbox with
attachments, a folder of small text files, one huge PDF; not Outlook's `.msg`, which nothing
here can write), three timings of the same files:

- `vault`: `ws.documents.import_many` on a fresh encrypted vault (sniffing, structured
  extraction, encryption, catalog with row MACs and audit, search index), until the index is
  committed, as `dossier import FOLDER` does;
- `bare`: the bare reader alone, doing the job the vault needs done (PyMuPDF's words with
  their boxes, `get_text("words")`, as the vault keeps every word's position for quotes,
  highlights and redaction; python-docx's paragraphs and tables; lxml over `content.xml`;
  PyMuPDF's Tesseract OCR of the picture, at the resolution the vault chooses; striprtf's
  text, as the vault's RTF reader gets it; the standard library's `mailbox` and `email`, a
  message's shown headers (From, To, Cc, Date, Subject: the vault indexes them with its body)
  and body, each attachment read by its own bare reader;
  `bytes.decode`). The vault's readers do more
  than these (a Word file's headers, notes, comments and tracked changes, an OpenDocument's
  lists and styles, every PDF page's reading order), but the bench's files hold none of that,
  so on them the job is the same. For PDFs the plain-text reader (`get_text()`, no positions)
  is timed too, as `plain_text_seconds`: the cheapest possible read, not the same job. For
  Word files, lxml over `word/document.xml` alone, as the vault's own reader reads the
  parts of the zip (`dossier/ingest/opc.py`) and no longer through python-docx, which is most
  of the bare reader's time: `vault_over_plain_text_plus_whoosh_ratio` (and its CPU) is then
  the vault against the cheapest reader of the same text, as the OpenDocument figures are;
- `bare_plus_whoosh`: the bare reader, then plain single-process Whoosh (its own FileStorage,
  no encryption) indexing the text it read through Dossier's schema, in one writer and one
  commit: what an unencrypted tool would do with the same files.

Goals (issue 14): the vault adds at most 30% (`vault_over_bare_plus_whoosh` <= 1.3); OCR of a
phone photo costs at most 1.5 times OCR of a 300-dpi scan of the same page (`photo_over_scan`).
The ratio to the bare reader alone is printed too: for a format read in microseconds (ODT) it
measures the cost of indexing and storing at all, not the vault's overhead.

Beside the wall-clock seconds, the CPU seconds of the same runs (`*_cpu_seconds`): the vault's
count this process, its index workers and its OCR readers (a child each page), the baselines
this process alone (they run in it).
On a machine other jobs keep busy, a wall-clock ratio also measures who got the cores: the
index workers run at a lower priority than the app (niceness +5) and lose them first, and the
single-process baseline waits for one core only. The CPU ratio is the work each side does.

What a process pays once (starting the index's worker processes, a first import loading
modules) is paid before any format is timed and reported apart, under `warm_up`.

Before each timed step, the heap is settled as the app settles it after unlocking and after
each import job (`ui/heap.py`): collected, and what survives frozen, out of the collector's
passes. A full pass then costs what the step itself made, not what the bench process holds
(every module, the formats' files, the earlier steps' leftovers): left unsettled, one full
pass of 60-80 ms fell in one timed step or another, most often in the vault's import (a
quarter of a 10-page PDF batch's), where the app lets none run.

    python -m bench.bench_formats [--repeat 2] [--messages 200] [--formats pdf,odt,...]
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import mailbox
import os
import resource
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
from typing import cast

import docx
import pymupdf
from lxml import etree
from PIL import Image, ImageEnhance, ImageFilter
from striprtf import striprtf

from bench import bench_batch
from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.pdf.ocr import ocr_dpi, require_tessdata
from dossier.search.analysed import CHUNK_ITEMS, analyse_all, worker_count
from dossier.search.model import IndexItem
from dossier.services.workspace import Workspace

GOAL = 1.3
PHOTO_GOAL = 1.5
"""OCR of a phone photo of a page at most this many times the OCR of a 300-dpi scan of it."""
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


def rtf_bytes(paragraphs: int) -> bytes:
    """An RTF file as Word saves one: a code page, a font table, an `\\info` title, then
    paragraphs, their accented letters as `\\'hh` and the others as `\\uN?`."""

    def escaped(text: str) -> str:
        out = []
        for char in text:
            code = ord(char)
            if code < 128:
                out.append(char)
            elif code < 256:
                out.append(f"\\'{code:02x}")
            else:
                out.append(f"\\u{code}?")
        return "".join(out)

    body = "".join(f"\\pard {escaped(f'{n}. {_PARAGRAPH}')}\\par\n" for n in range(paragraphs))
    return (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Times New Roman;}}"
        "{\\info{\\title Compte rendu}{\\author Greffe}}\n"
        f"\\pard\\b Compte rendu\\b0\\par\n{body}}}"
    ).encode("ascii")


def eml_bytes(paragraphs: int, pdf: bytes | None) -> bytes:
    """A reply as a mail client saves it (`.eml`): a plain-text body, a PDF attached or not."""
    message = EmailMessage()
    message["From"] = "greffe@tribunal.example"
    message["To"] = "redaction@journal.example"
    message["Subject"] = f"Compte rendu {paragraphs}"
    message["Date"] = "Tue, 12 Dec 2023 16:05:00 +0100"
    message.set_content("".join(f"{n}. {_PARAGRAPH}\n" for n in range(paragraphs)))
    if pdf is not None:
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename="annexe.pdf")
    return message.as_bytes()


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


def _page_pixmap(number: int) -> pymupdf.Pixmap:
    """A printed page of text, as a 300-dpi greyscale picture (A4: 2,480 x 3,508 pixels)."""
    with pymupdf.open() as doc:
        page = doc.new_page()
        page.insert_textbox(pymupdf.Rect(56, 56, 540, 780), f"Note {number}. " + _PARAGRAPH * 8)
        pixmap: pymupdf.Pixmap = page.get_pixmap(dpi=300, colorspace=pymupdf.csGRAY)
    pixmap.set_dpi(300, 300)
    return pixmap


def make_scan(path: Path, number: int) -> None:
    """The page as a flatbed scanner gives it: 300 dpi, greyscale, clean, as a PNG."""
    _page_pixmap(number).save(path)


def make_phone_photo(path: Path, number: int) -> None:
    """The same page as a phone photographs it: a 12-megapixel JPEG, the page seen at an angle
    on a table, dimmer and less contrasted, slightly blurred, with sensor noise, stored
    sideways with the EXIF orientation that turns it upright (as phones held upright do)."""
    page = Image.open(io.BytesIO(_page_pixmap(number).tobytes("png"))).convert("RGB")
    width, height = 3024, 4032
    # QUAD samples this quadrilateral of the page for the whole picture: one larger than the
    # page and not a rectangle shows the page smaller, its corners moved (the perspective).
    quad = (-420, -330, -300, 3900, 2830, 3760, 2920, -250)
    photo = page.transform(
        (width, height),
        Image.Transform.QUAD,
        quad,
        Image.Resampling.BILINEAR,
        fillcolor=(96, 84, 70),
    )
    photo = ImageEnhance.Contrast(photo).enhance(0.55)
    photo = ImageEnhance.Brightness(photo).enhance(0.9)
    photo = photo.filter(ImageFilter.GaussianBlur(1.2))
    photo = Image.blend(photo, Image.effect_noise((width, height), 40).convert("RGB"), 0.12)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90 degrees clockwise to show it
    photo.transpose(Image.Transpose.ROTATE_90).save(path, "JPEG", quality=88, exif=exif)


# -- bare readers: each returns the texts it read (one per page or document) ----------------

rtf_to_text = cast("Callable[..., str]", striprtf.rtf_to_text)  # striprtf is unannotated


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


def plain_text_docx(data: bytes) -> list[str]:
    """The text of a Word file's body, lxml alone: less than the vault reads (no styles, so
    no headings nor hidden text; no notes, comments or tracked changes), timed for reference."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return ["".join(root.itertext())]


def bare_photo(data: bytes) -> list[str]:
    tessdata = require_tessdata()
    with pymupdf.open(stream=data) as doc:
        page = doc[0]
        textpage = page.get_textpage_ocr(
            language="fra+eng", dpi=ocr_dpi(page, picture=True), full=True, tessdata=str(tessdata)
        )
        return [page.get_text(textpage=textpage)]


def bare_text(data: bytes) -> list[str]:
    return [data.decode("utf-8")]


def bare_rtf(data: bytes) -> list[str]:
    """striprtf's text, as the vault's reader reads it (`dossier/ingest/rtf_file.py`)."""
    return [rtf_to_text(data.decode("latin-1"), encoding="cp1252", errors="replace")]


def bare_eml(data: bytes) -> list[str]:
    """The standard library's message, its body and each attachment read by its bare reader."""
    return _bare_message(BytesParser(policy=policy.default).parsebytes(data))


def _bare_message(message: EmailMessage) -> list[str]:
    """The headers a reader is shown, which the vault indexes with the body, then the body,
    then each attachment's text."""
    shown = "\n".join(
        f"{key}: {message[key]}" for key in ("From", "To", "Cc", "Date", "Subject") if message[key]
    )
    body = message.get_body(preferencelist=("plain", "html"))
    texts = [f"{shown}\n\n{body.get_content() if body is not None else ''}"]
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        name = part.get_filename() or ""
        if isinstance(payload, bytes):
            texts += bare_pdf(payload) if name.endswith(".pdf") else bare_docx(payload)
    return texts


def bare_mbox(path: Path) -> list[str]:
    texts: list[str] = []
    parser = BytesParser(policy=policy.default)
    for raw in mailbox.mbox(path).itervalues():
        texts += _bare_message(parser.parsebytes(raw.as_bytes()))
    return texts


# -- timing ---------------------------------------------------------------------------------


def settle_heap() -> None:
    """Collect, then freeze what survived, as the app does after unlocking and after each
    import job (`ui/heap.py`); before each timed step, outside its time."""
    gc.collect()
    gc.freeze()


def timed(work: Callable[[], object]) -> tuple[float, object]:
    settle_heap()
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def timed_cpu(work: Callable[[], object]) -> tuple[float, float, object]:
    """Wall-clock and CPU seconds of `work` in this process, and its result."""
    settle_heap()
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - start, time.process_time() - cpu, result


def ended_children_cpu() -> float:
    """CPU seconds of this process's children that have ended and been waited for: the OCR
    reader runs in a child of its own for each page (`dossier.pdf.ocrchild`), where the bare
    reader reads in this process."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def children_cpu() -> float:
    """CPU seconds used so far by this process's running children (the index workers), from
    /proc: they live on between imports, so the kernel has not added them to this process's
    children's times (it does when a child ends). Read to the nanosecond from each of their
    threads' `schedstat` where the system has it: `stat` counts clock ticks (10 ms), and an
    OpenDocument batch's workers use 40-50 ms, so a tick more or less moved its CPU ratio by
    a fifth from one run to the next."""
    me, total = str(os.getpid()), 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if fields[1] != me:  # ppid
                continue
            total += _task_seconds(entry, fields)
        except OSError:  # it ended meanwhile
            continue
    return total


def _task_seconds(process: Path, fields: list[str]) -> float:
    """CPU seconds of one process: its threads' time on a core, in nanoseconds (a worker's
    threads live as long as it does), or else its utime and stime, in clock ticks."""
    try:
        return sum(
            int((task / "schedstat").read_text().split()[0]) / 1e9
            for task in (process / "task").iterdir()
        )
    except (OSError, ValueError, IndexError):
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def plain_whoosh(texts: list[str], folder: Path) -> float:
    """Seconds plain single-process Whoosh takes to index `texts` (one writer, one commit),
    from the writer's start (`bench_batch.plain_whoosh`)."""
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
    return bench_batch.plain_whoosh(items, folder).wall


def start_index_workers() -> float:
    """Seconds to start the index's worker processes (with a first small batch for them)."""
    items = [
        IndexItem(f"w{n}:0", f"w{n}", "bench", "page", "source", "warm", _PARAGRAPH, 0)
        for n in range(2 * CHUNK_ITEMS)
    ]
    return timed(lambda: list(analyse_all(items, None, parallel=True)))[0]


def vault_import(folder: Path, files: list[Path]) -> tuple[float, float, float]:
    """Seconds to import `files` as one batch, until the index is committed; CPU seconds of
    that (this process and the index workers); and seconds to start the index's worker
    processes first. Locking a vault ends them (their memory held pages) and the next unlock's
    first large import starts them again: once a session, not once an import, so that is
    timed apart, as the index opening is."""
    with Workspace.create(folder, "bench passphrase", TEST_ONLY_FAST) as ws:
        case = ws.cases.create("bench").id
        ws.search.query("warm", case=case)  # opens the (empty) index outside the timing
        spawn = start_index_workers()
        settle_heap()
        # The workers' count first, outside the timing: reading it walks every process of the
        # machine (3 ms of CPU with 120 of them), which counted as the vault's own work.
        workers_cpu, ended_cpu = children_cpu(), ended_children_cpu()
        start, cpu = time.perf_counter(), time.process_time()
        outcomes = ws.documents.import_many(case, files, ocr=True)
        # Committed as `dossier import` leaves it, without a search the baselines do not make.
        ws.search.commit(case)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        cpu += children_cpu() - workers_cpu + ended_children_cpu() - ended_cpu
        refused = [o.error for o in outcomes if o.error]
        if refused:
            raise SystemExit(f"the bench's own files were refused: {refused[:3]}")
        return seconds, cpu, spawn


Format = tuple[list[Path], int, str, Callable[[], list[str]], Callable[[], list[str]] | None]
"""Files, units, unit, the bare reader, a plain-text reader (PDF and Word, see the docstring)."""


def make_formats(root: Path, args: argparse.Namespace) -> dict[str, Format]:
    folder = root / "mixed"
    folder.mkdir()
    pdfs = []
    for number in range(args.files):
        make_pdf(folder / f"rapport{number}.pdf", 10)
        pdfs.append(folder / f"rapport{number}.pdf")
    small_pdf = root / "small.pdf"
    make_pdf(small_pdf, 1)
    docxs = [folder / f"note{n}.docx" for n in range(args.files)]
    odts = [folder / f"cr{n}.odt" for n in range(args.files)]
    for n, (d, o) in enumerate(zip(docxs, odts, strict=True)):
        d.write_bytes(docx_bytes(60 + n))
        o.write_bytes(odt_bytes(60 + n))
    rtfs = [folder / f"cr{n}.rtf" for n in range(args.files)]
    emls = [folder / f"reponse{n}.eml" for n in range(args.files)]
    for n, (r, e) in enumerate(zip(rtfs, emls, strict=True)):
        r.write_bytes(rtf_bytes(60 + n))
        e.write_bytes(eml_bytes(60 + n, small_pdf.read_bytes() if n % 2 else None))
    scans = [folder / f"scan{n}.png" for n in range(args.photos)]
    photos = [folder / f"photo{n}.jpg" for n in range(args.photos)]
    for n, (scan, photo) in enumerate(zip(scans, photos, strict=True)):
        make_scan(scan, n)
        make_phone_photo(photo, n)
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
        "docx": (
            docxs,
            len(docxs),
            "documents",
            each(bare_docx, docxs),
            each(plain_text_docx, docxs),
        ),
        "odt": (odts, len(odts), "documents", each(bare_odt, odts), None),
        "rtf": (rtfs, len(rtfs), "documents", each(bare_rtf, rtfs), None),
        "eml": (emls, len(emls), "messages", each(bare_eml, emls), None),
        "scan_ocr": (scans, len(scans), "pages", each(bare_photo, scans), None),
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


def warm_up(root: Path, formats: dict[str, Format]) -> dict[str, object]:
    """What a process pays once, before any format is timed, reported on its own: a first
    import and bare read (modules loaded, caches filled). Counted in the first format's
    figures, it made the first format measured look several times slower than the others."""
    readers = {"pdf": bare_pdf, "docx": bare_docx, "odt": bare_odt, "small_text_files": bare_text}
    sample = [formats[name][0][0] for name in readers]
    first_import, _, spawn = vault_import(root / "warm-up.dossier", sample)
    texts = [
        t
        for read, path in zip(readers.values(), sample, strict=True)
        for t in read(path.read_bytes())
    ]
    plain_whoosh(texts, root / "warm-up-plain")
    return {
        "index_workers": worker_count(),
        "index_workers_spawn_seconds": round(spawn, 3),
        "first_import_seconds": round(first_import, 3),
        "first_import_files": len(sample),
    }


def photo_over_scan(scan: dict[str, object], photo: dict[str, object]) -> dict[str, object]:
    """OCR of a phone photo against OCR of a 300-dpi scan of the same pages (issue 14)."""

    def ratio(key: str) -> float:
        over, under = photo[key], scan[key]
        assert isinstance(over, float) and isinstance(under, float)
        return round(over / under, 2)

    vault = ratio("vault_seconds")
    return {
        "goal_max_ratio": PHOTO_GOAL,
        "vault_ratio": vault,
        "bare_ratio": ratio("bare_seconds"),
        "goal_met": vault <= PHOTO_GOAL,
    }


def measure(name: str, fmt: Format, root: Path, repeat: int) -> dict[str, object]:
    files, units, unit, bare, plain = fmt
    times: dict[str, list[float]] = {
        key: [] for key in ("bare", "whoosh", "vault", "bare_cpu", "whoosh_cpu", "vault_cpu")
    }
    plain_times: list[float] = []
    plain_cpu: list[float] = []
    spawn_times: list[float] = []
    for n in range(repeat):
        seconds, cpu, texts = timed_cpu(bare)
        assert isinstance(texts, list)
        times["bare"].append(seconds)
        times["bare_cpu"].append(cpu)
        if plain is not None:
            seconds, cpu, _texts = timed_cpu(plain)
            plain_times.append(seconds)
            plain_cpu.append(cpu)
        settle_heap()
        cpu = time.process_time()
        times["whoosh"].append(plain_whoosh(texts, root / f"{name}-plain{n}"))
        times["whoosh_cpu"].append(time.process_time() - cpu)
        seconds, cpu, spawn = vault_import(root / f"{name}{n}.dossier", files)
        times["vault"].append(seconds)
        times["vault_cpu"].append(cpu)
        spawn_times.append(spawn)
    b, w, v, bc, wc, vc = (statistics.median(t) for t in times.values())
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
        "bare_cpu_seconds": round(bc, 3),
        "bare_plus_whoosh_cpu_seconds": round(bc + wc, 3),
        "vault_cpu_seconds": round(vc, 3),
        "vault_cpu_over_bare_plus_whoosh_cpu_ratio": round(vc / (bc + wc), 2),
        "index_workers_spawn_seconds": round(statistics.median(spawn_times), 3),
    }
    if plain_times:
        p = statistics.median(plain_times)
        result["plain_text_seconds"] = round(p, 3)
        result["vault_over_plain_text_ratio"] = round(v / p, 2)
        result["vault_over_plain_text_plus_whoosh_ratio"] = round(v / (p + w), 2)
        pc = statistics.median(plain_cpu)
        result["vault_cpu_over_plain_text_plus_whoosh_cpu_ratio"] = round(vc / (pc + wc), 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--files", type=int, default=8, help="documents per office format")
    parser.add_argument("--photos", type=int, default=3, help="scans, and photos of them")
    parser.add_argument("--texts", type=int, default=300, help="small text files (16 KB)")
    parser.add_argument("--huge-pages", type=int, default=300)
    parser.add_argument("--formats", default="", help="comma-separated subset")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        formats = make_formats(root, args)
        wanted = args.formats.split(",") if args.formats else list(formats)
        result: dict[str, object] = {
            "goal_max_ratio_over_bare_plus_whoosh": GOAL,
            "warm_up": warm_up(root, formats),
        }
        print(json.dumps({"warm_up": result["warm_up"]}), file=sys.stderr, flush=True)
        for name in wanted:
            result[name] = measure(name, formats[name], root, args.repeat)
            print(json.dumps({name: result[name]}), file=sys.stderr, flush=True)
        scan, photo = result.get("scan_ocr"), result.get("photo_ocr")
        if isinstance(scan, dict) and isinstance(photo, dict):
            result["photo_over_scan"] = photo_over_scan(scan, photo)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

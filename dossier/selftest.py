"""`python -m dossier.selftest`: prove the real stack works on this machine, or in this build.

The packaged app runs it (`Dossier --selftest`, after its Qt checks) and so does `make package`:
a frozen build that lost a module, a data file or a native library fails here, not in a
journalist's hands. Each step prints one line, PASS, FAIL or SKIP, then a summary; the exit
code is 0 only if no step failed. SKIP is for a service the workspace does not have yet (it
says which); a step whose prerequisite failed is reported as not run, and the run still fails.

Everything happens in a temporary folder removed at the end: a vault created with the default
(production) key-derivation parameters, a PDF generated here with a text page and an image-only
page (read by OCR), search, two quotes anchored in the source, a signed export bundle verified,
then tampered with and refused. Nothing but that synthetic content ever exists in clear.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated; the test PDF is drawn with it.)

from __future__ import annotations

import os
import secrets
import shutil
import string
import sys
import tempfile
import traceback
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dossier import __version__
from dossier.errors import DossierError
from dossier.pdf.mupdf import exclusive, pymupdf

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"

TEXT_SENTENCE = (
    "Selon la note, l’assemblée a voté une subvention exceptionnelle de 1 200 000 euros."
)
QUOTE_EXACT = "l’assemblée a voté une subvention exceptionnelle"
QUOTE_RETYPED = "l'assemblée a voté une subvention exceptionnelle"
"""The same words typed with a straight apostrophe: anchored, judged `normalized`."""
SCAN_SENTENCE = "Rapport confidentiel sur le chantier du collège"
OCR_WORD = "confidentiel"
SEARCH_WORD = "subvention"


class StepSkipped(Exception):
    """Raised by a step that cannot run here (the reason is printed)."""


@dataclass(frozen=True)
class StepResult:
    name: str
    status: str
    detail: str

    def line(self) -> str:
        return f"{self.status}  {self.name}: {self.detail}"


@dataclass
class Runner:
    """Runs named steps, prints one line each as it ends, and keeps the outcome."""

    emit: Callable[[str], None] = print
    results: list[StepResult] = field(default_factory=list)

    def status(self, name: str) -> str | None:
        return next((r.status for r in self.results if r.name == name), None)

    def run(self, name: str, action: Callable[[], str], needs: Sequence[str] = ()) -> bool:
        """Run `action` (it returns a short detail, raises StepSkipped or fails); True if PASS."""
        blocked = [n for n in needs if self.status(n) != PASS]
        if blocked:
            result = StepResult(name, SKIP, f"not run, because {', '.join(blocked)} did not pass")
        else:
            try:
                result = StepResult(name, PASS, action())
            except StepSkipped as skipped:
                result = StepResult(name, SKIP, str(skipped))
            except Exception as exc:  # a self-test reports every failure and goes on
                result = StepResult(name, FAIL, describe(exc))
        self.results.append(result)
        self.emit(result.line())
        return result.status == PASS

    @property
    def failed(self) -> list[StepResult]:
        return [r for r in self.results if r.status == FAIL]

    def summary(self) -> str:
        counts = {s: sum(r.status == s for r in self.results) for s in (PASS, SKIP, FAIL)}
        verdict = "OK" if not self.failed else "FAILED"
        return (
            f"self-test {verdict}: {counts[PASS]} passed, {counts[SKIP]} skipped, "
            f"{counts[FAIL]} failed"
        )

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def describe(exc: BaseException) -> str:
    """One line: the exception, its message, and where it was raised (for a build engineer)."""
    # The innermost frame that is not `expect` itself: the check that failed.
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.name != "expect"]
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


def expect(condition: bool, message: str) -> None:
    """A failed check inside a step (assert statements vanish under `python -O`)."""
    if not condition:
        raise AssertionError(message)


def environment_line() -> str:
    kind = "frozen build" if getattr(sys, "frozen", False) else "source checkout"
    python = ".".join(str(part) for part in sys.version_info[:3])
    return (
        f"Dossier {__version__} self-test ({kind}; Python {python}; PyMuPDF {pymupdf.version[0]})"
    )


# -- the network watch ------------------------------------------------------------------------

_AF_UNIX = 1
"""The same number on Linux, macOS and Windows; a local socket is not network use. The
`socket` module is not imported here: the core never does (tests/core/test_core_boundaries)."""
_network_attempts: list[str] = []
_watching = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    # Called for every audited event in the process: stay cheap, never raise.
    if event == "socket.__new__" and len(args) > 1 and args[1] != _AF_UNIX:
        _network_attempts.append(f"socket of family {args[1]}")
    elif event == "socket.connect" and len(args) > 1 and isinstance(args[1], tuple):
        _network_attempts.append(f"connect to {args[1][0]}")
    elif event == "socket.getaddrinfo" and args:
        _network_attempts.append(f"name lookup of {args[0]}")


def watch_network() -> None:
    """Record every IP socket, connection or name lookup Python makes from now on.

    Audit hooks cannot be removed; this one only appends to a list, once installed.
    """
    global _watching
    if not _watching:
        sys.addaudithook(_audit)
        _watching = True


# -- the synthetic source document -------------------------------------------------------------


@exclusive
def write_sample_pdf(path: Path, marker: str) -> None:
    """A two-page PDF: page 1 has a text layer, page 2 is only a picture of text (a "scan").

    `marker` is a random word printed on page 1: it must never appear in clear in the vault.
    The text is set in MuPDF's built-in Times embedded as a Unicode font, so the text layer
    holds exactly these characters (a simple base-14 font would lose the curly apostrophe).
    """
    font = pymupdf.Font("tiro")
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_font(fontname="selftest", fontbuffer=font.buffer)
    page.insert_text((56, 90), "Note interne", fontname="selftest", fontsize=16)
    page.insert_textbox(
        pymupdf.Rect(56, 110, 539, 300),
        f"{TEXT_SENTENCE} Référence {marker}.",
        fontname="selftest",
        fontsize=12,
    )
    picture_source = pymupdf.open()
    drawn = picture_source.new_page(width=595, height=842)
    drawn.insert_textbox(
        pymupdf.Rect(56, 80, 539, 400), SCAN_SENTENCE, fontname="helv", fontsize=26
    )
    pixmap = drawn.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
    picture_source.close()
    scan = doc.new_page(width=595, height=842)
    scan.insert_image(scan.rect, pixmap=pixmap)
    doc.save(str(path), garbage=3, deflate=True)
    doc.close()


def files_holding(folder: Path, needle: bytes) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and needle in path.read_bytes():
            yield path


# -- the steps ---------------------------------------------------------------------------------


_SELFTEST_HEIC = (
    "AAAAHGZ0eXBoZWljAAAAAG1pZjFoZWljbWlhZgAAAchtZXRhAAAAAAAAACFoZGxyAAAAAAAAAABwaWN0AAAAAAAA"
    "AAAAAAAAAAAAADRpbG9jAAAAAERAAAIAAQAAAAAB7AABAAAAAAAAABcAAgAAAAACAwABAAAAAAAAACQAAAA4aWlu"
    "ZgAAAAAAAgAAABVpbmZlAgAAAAABAABodmMxAAAAABVpbmZlAgAAAQACAABFeGlmAAAAAA5waXRtAAAAAAABAAAB"
    "B2lwcnAAAADmaXBjbwAAAHZodmNDAQNwAAAAkAAAAAAAHvAA/P34+AAADwNgAAEAGEABDAH//wNwAAADAJAAAAMA"
    "AAMAHroCQGEAAQAqQgEBA3AAAAMAkAAAAwAAAwAeoCCBBZbq5Ka5uAhoMCAAAAMDIAAAAwAhYgABAAZEAcFzwIkA"
    "AAATY29scm5jbHgAAQANAAaAAAAAFGlzcGUAAAAAAAAAQAAAAEAAAAAoY2xhcAAAAEAAAAABAAAAMAAAAAEAAAAA"
    "AAAAAv////AAAAACAAAAEHBpeGkAAAAAAwgICAAAAAlpcm90AwAAABlpcG1hAAAAAAAAAAEAAQaBAgMFhIYAAAAa"
    "aXJlZgAAAAAAAAAOY2RzYwACAAEAAQAAAENtZGF0AAAAEygBrxOA+FDQp9Q/Zjs8ZilTV4AAAAAGRXhpZgAATU0A"
    "KgAAAAgAAQESAAMAAAABAAYAAAAAAAA="
)
"""A 64 × 48 grey HEIC photo (made with pillow-heif, a test tool) whose file says to turn it
a quarter right: decoded upright, it is 48 wide."""

WEB_ARTICLE_SENTENCES = (
    "Le conseil départemental a voté jeudi soir une subvention exceptionnelle pour la "
    "rénovation du collège, fermé depuis les inondations de l'automne dernier",
    "Selon un rapport de la chambre régionale des comptes, les travaux avaient pourtant été "
    "chiffrés à moins de la moitié de cette somme deux ans plus tôt",
    "Le directeur de l'établissement attend toujours le calendrier du chantier promis par la "
    "présidente du département lors de sa visite de rentrée",
)


def web_archive(url: str, html: bytes) -> bytes:
    """A one-page WARC file, as archiving tools write it (uncompressed)."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\nWARC-Date: 2024-03-08T09:30:00Z\r\n"
        f"WARC-Target-URI: {url}\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    )
    return head.encode() + http + b"\r\n\r\n"


class CoreSelfTest:
    """The steps over one temporary vault; `run(runner)` runs them in order."""

    def __init__(self, work: Path) -> None:
        from dossier.services.workspace import Workspace

        self.work = work
        self.vault_dir = work / "SelfTest.dossier"
        self.passphrase = secrets.token_urlsafe(18)
        self.marker = "Q" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(11))
        self.workspace_class = Workspace
        self.ws: Any = None
        self.case_id = ""
        self.doc_id = ""

    def run(self, runner: Runner) -> None:
        runner.run("ocr data", self.ocr_data)
        runner.run("vault", self.vault)
        runner.run("import", self.import_pdf, needs=["vault"])
        runner.run("text layer", self.text_layer, needs=["import"])
        runner.run("ocr", self.ocr, needs=["import"])
        runner.run("search", self.search, needs=["import"])
        runner.run("index workers", self.index_workers)
        runner.run("row check workers", self.row_workers, needs=["import"])
        runner.run("word file", self.word_file, needs=["vault"])
        runner.run("webp picture", self.webp_picture)
        runner.run("heic photo", self.heic_photo)
        runner.run("web article", self.web_article, needs=["vault"])
        runner.run("working days", self.working_days)
        runner.run("quote anchoring", self.quotes, needs=["import"])
        runner.run("export and verify", self.export, needs=["quote anchoring"])
        runner.run("encrypted at rest", self.at_rest, needs=["import"])

    def close(self) -> None:
        if self.ws is not None and self.ws.vault.is_open:
            self.ws.close()

    def ocr_data(self) -> str:
        from dossier.pdf.ocr import bundled_tessdata, require_tessdata

        folder = require_tessdata()
        bundled = bundled_tessdata()
        if bundled is not None and not os.environ.get("TESSDATA_PREFIX"):
            expect(folder == bundled, f"a frozen build must read its own OCR data, not {folder}")
        return f"fra and eng in {folder}"

    def vault(self) -> str:
        from dossier.crypto.kdf import DEFAULT
        from dossier.errors import WrongPassphrase

        ws = self.workspace_class.create(self.vault_dir, self.passphrase, DEFAULT)
        ws.close()
        refused = False
        try:
            self.workspace_class.open(self.vault_dir, self.passphrase + "x").close()
        except WrongPassphrase:
            refused = True
        expect(refused, "a wrong passphrase opened the vault")
        self.ws = self.workspace_class.open(self.vault_dir, self.passphrase)
        case = self.ws.cases.create("Affaire du self-test")
        self.case_id = case.id
        return f"created, refused a wrong passphrase, reopened (Argon2id {DEFAULT.memory_kib} KiB)"

    def import_pdf(self) -> str:
        pdf = self.work / "note.pdf"
        write_sample_pdf(pdf, self.marker)
        info = self.ws.documents.import_file(self.case_id, pdf, title="Note interne", ocr=True)
        self.doc_id = info.id
        pdf.unlink()
        expect(info.page_count == 2, f"expected 2 pages, got {info.page_count}")
        return f"2 pages, {info.ocr_pages} read by OCR"

    def text_layer(self) -> str:
        page = self.ws.documents.page(self.doc_id, 0)
        expect(TEXT_SENTENCE in " ".join(page.text.split()), "page 1 text differs from the PDF")
        expect(not page.ocr and bool(page.words), "page 1 should have a word map and no OCR")
        return f"{len(page.words)} words with their boxes"

    def ocr(self) -> str:
        page = self.ws.documents.page(self.doc_id, 1)
        expect(page.ocr, "page 2 (an image only) was not read by OCR")
        expect(OCR_WORD in page.text.casefold(), f"OCR did not read {OCR_WORD!r}: {page.text!r}")
        return f"read {len(page.words)} words from the image-only page"

    def search(self) -> str:
        search = self.ws.search
        found = [(h.doc_id, h.page_index) for h in search.query(SEARCH_WORD, case=self.case_id)]
        scanned = [(h.doc_id, h.page_index) for h in search.query(OCR_WORD, case=self.case_id)]
        expect((self.doc_id, 0) in found, f"{SEARCH_WORD!r} not found on page 1: {found}")
        expect((self.doc_id, 1) in scanned, f"{OCR_WORD!r} not found on page 2: {scanned}")
        return "ws.search found the text page and the scanned page"

    def index_workers(self) -> str:
        from dossier.search.analysed import analyse_chunk, in_workers, shutdown
        from dossier.search.model import IndexItem

        items = [
            IndexItem(f"d{n}:0", f"d{n}", "c", "page", "source", "", f"{self.marker} page {n}")
            for n in range(130)
        ]
        chunks = [items[:65], items[65:]]
        try:
            parallel = [a for chunk in in_workers(chunks, None, [0]) for a in chunk]
        finally:
            shutdown()
        alone = analyse_chunk(items)
        expect(parallel == alone, "the index's worker processes analysed the pages differently")
        return f"{len(parallel)} pages analysed by worker processes"

    def row_workers(self) -> str:
        from dossier.db.rowauth import SPECS
        from dossier.db.rowworker import probe
        from dossier.vault.vault import CATALOG

        found = probe(self.vault_dir / CATALOG, SPECS["page"], self.case_id)
        expect(found is not None, "no worker process could check the catalog's rows")
        assert found is not None
        pages = (found.get("count"), found.get("altered"))
        expect(pages == (2, 2), f"a worker read {pages} (rows, altered) of the case's 2 pages")
        return "a worker process read the case's 2 pages and refused them under a wrong key"

    def word_file(self) -> str:
        from dossier.ingest.docx_sample import minimal_docx

        data = minimal_docx(f"Rapport {self.marker}", "ajout suivi")
        info = self.ws.documents.import_bytes(self.case_id, data, "rapport.docx")
        text = self.ws.documents.text(info.id)
        expect(self.marker in text, "the Word file's text was not read")
        expect("{+ajout suivi+}" in text, "the Word file's tracked insertion was lost")
        self.ws.documents.delete(info.id)
        return "read a .docx from memory with its tracked insertion"

    def webp_picture(self) -> str:
        import io

        from PIL import Image

        from dossier.pdf.images import image_to_pdf
        from dossier.pdf.open import open_pdf_bytes

        out = io.BytesIO()
        Image.new("RGB", (320, 200), (250, 250, 250)).save(out, format="WEBP", quality=80)
        with open_pdf_bytes(image_to_pdf(out.getvalue(), "selftest.webp"), "selftest.webp") as doc:
            expect(doc.page_count == 1, "a WebP picture did not become one page")
            width = doc[0].rect.width
        return f"decoded a WebP picture with Pillow into a page {width:.0f} points wide"

    def heic_photo(self) -> str:
        import base64

        from dossier.pdf.images import image_to_pdf
        from dossier.pdf.open import open_pdf_bytes

        photo = base64.b64decode("".join(_SELFTEST_HEIC))
        with open_pdf_bytes(image_to_pdf(photo, "selftest.heic"), "selftest.heic") as doc:
            expect(doc.page_count == 1, "a HEIC photo did not become one page")
            size = (doc[0].rect.width, doc[0].rect.height)
        expect(size[0] < size[1], "a HEIC photo's own turn was not applied")
        return "decoded a HEIC photo in its limited child process, turned upright"

    def web_article(self) -> str:
        paragraphs = "".join(
            f"<p>{sentence} ({self.marker}, paragraphe {number}).</p>"
            for number, sentence in enumerate(WEB_ARTICLE_SENTENCES)
        )
        page = (
            '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Enquête</title>'
            '<meta property="og:site_name" content="Le Courrier"></head><body>'
            '<nav><a href="/">Accueil</a> <a href="/h">Horoscope</a></nav>'
            f'<div class="story"><h1>Enquête</h1>{paragraphs}</div>'
            "<footer>Mentions légales</footer></body></html>"
        )
        info = self.ws.documents.import_bytes(self.case_id, page.encode(), "enquete.html")
        text = self.ws.documents.text(info.id)
        expect(WEB_ARTICLE_SENTENCES[1] in text, "the article's text was not kept")
        expect("Horoscope" not in text, "the page's menu was kept as article text")
        expect(info.outlet == "Le Courrier", f"the outlet was not taken: {info.outlet!r}")
        self.ws.documents.delete(info.id)
        capture = web_archive("https://courrier.example/enquete", page.encode())
        archive = self.ws.documents.import_bytes(self.case_id, capture, "capture.warc")
        pages = self.ws.documents.children(archive.id)
        expect(len(pages) == 1, f"the web archive's page was not imported: {pages}")
        expect(
            pages[0].metadata.get("captured_url") == "https://courrier.example/enquete",
            "the captured page lost its URL",
        )
        self.ws.documents.delete(archive.id)
        return "kept the article of a saved page and of a WARC capture, without menus, offline"

    def working_days(self) -> str:
        from datetime import date

        from dossier.services.letters.workdays import add_working_days

        # Good Friday and Easter Monday in Alsace-Moselle; 24 June in Québec.
        expect(add_working_days(date(2024, 3, 28), 2, "FR-AM") == date(2024, 4, 3), "FR-AM")
        expect(add_working_days(date(2025, 6, 23), 1, "CA-QC") == date(2025, 6, 25), "CA-QC")
        return "holidays of Alsace-Moselle and Québec skipped by working-day deadlines"

    def quotes(self) -> str:
        exact = self.ws.quotes.add(self.case_id, QUOTE_EXACT, source=self.doc_id)
        expect(exact.verdict == "verbatim", f"exact quote judged {exact.verdict}")
        span = exact.spans[0]
        expect(span.page_index == 0 and span.text == QUOTE_EXACT, f"wrong anchor: {span}")
        page = self.ws.documents.page(self.doc_id, 0)
        expect(page.text[span.start : span.end] == QUOTE_EXACT, "offsets miss the quote")
        expect(bool(span.rects), "the anchor has no rectangle on the page")
        retyped = self.ws.quotes.add(self.case_id, QUOTE_RETYPED, source=self.doc_id)
        expect(retyped.verdict == "normalized", f"retyped quote judged {retyped.verdict}")
        return "verbatim quote anchored at its offsets; retyped apostrophe judged normalized"

    def export(self) -> str:
        from dossier.export.verify import verify_bundle
        from dossier.services.export.dto import ExportRequest

        out = self.work / "bundle.zip"
        result = self.ws.exports.export(ExportRequest(case=self.case_id, out=out))
        report = verify_bundle(out, pubkey=result.fingerprint)
        expect(report.ok, "the fresh bundle failed verification: " + "; ".join(report.lines()))
        expect(report.documents == 1 and report.quotes == 2, f"bundle content: {report.lines()}")
        tampered = self.work / "tampered.zip"
        data = bytearray(out.read_bytes())
        data[len(data) // 3] ^= 0x01
        tampered.write_bytes(bytes(data))
        try:
            refused = not verify_bundle(tampered, pubkey=result.fingerprint).ok
        except DossierError:  # a damaged zip may be refused before its manifest is read
            refused = True
        expect(refused, "a tampered bundle passed verification")
        return f"signed bundle of {report.files_checked} files verified; a tampered copy refused"

    def at_rest(self) -> str:
        self.close()  # checkpoint the WAL so the catalog file holds everything
        needles = [self.marker.encode(), self.marker.lower().encode(), b"Affaire du self-test"]
        leaks = sorted(
            {
                str(p.relative_to(self.vault_dir))
                for n in needles
                for p in files_holding(self.vault_dir, n)
            }
        )
        expect(not leaks, f"plaintext found in {leaks}")
        count = sum(1 for p in self.vault_dir.rglob("*") if p.is_file())
        return f"no document text or case name in clear in the vault's {count} files"


def run_core(runner: Runner) -> None:
    """The core steps, in a temporary folder that is removed afterwards (even on failure)."""
    watch_network()
    work = Path(tempfile.mkdtemp(prefix="dossier-selftest-"))
    test = CoreSelfTest(work)
    try:
        test.run(runner)
    finally:
        test.close()
        shutil.rmtree(work, ignore_errors=True)
    runner.run("cleanup", lambda: _gone(work))
    runner.run("no network", _no_network)


def _gone(work: Path) -> str:
    expect(not work.exists(), f"{work} was not removed")
    return "temporary vault and files removed"


def _no_network() -> str:
    expect(not _network_attempts, f"network use seen: {sorted(set(_network_attempts))}")
    return "no IP socket, connection or name lookup during the self-test"


def run_selftest(
    emit: Callable[[str], None] = print, before: Callable[[Runner], None] | None = None
) -> int:
    """Print the environment, run `before` (e.g. the UI's Qt checks), then the core steps;
    print the summary and return the exit code (0: every step passed or was skipped)."""
    runner = Runner(emit)
    emit(environment_line())
    watch_network()
    if before is not None:
        before(runner)
    run_core(runner)
    emit(runner.summary())
    return runner.exit_code


def main() -> int:
    return run_selftest(lambda line: print(line, flush=True))


if __name__ == "__main__":
    sys.exit(main())

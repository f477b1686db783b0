"""One entry point for every file a journalist imports: sniff it, then read it.

`extract_file` decides by content (see `sniff`), refuses clearly what it cannot take, and
returns the same `ExtractedDocument` whatever the format, so the import service never has to
know how a file was read.
"""

from __future__ import annotations

from pathlib import Path

from dossier.errors import EnvironmentFailure, InputRefused, UsageError
from dossier.i18n import _
from dossier.ingest.archive import ARCHIVE_EXTRACTOR_VERSION, extract_zip
from dossier.ingest.article import read_article, with_lead
from dossier.ingest.docx_file import DOCX_EXTRACTOR_VERSION, extract_docx
from dossier.ingest.email_message import EMAIL_EXTRACTOR_VERSION, extract_email
from dossier.ingest.html_text import read_page
from dossier.ingest.image_file import IMAGE_EXTRACTOR_VERSION, extract_image
from dossier.ingest.mbox import MBOX_EXTRACTOR_VERSION, extract_mbox
from dossier.ingest.mhtml import MHTML_EXTRACTOR_VERSION, extract_mhtml
from dossier.ingest.odt_file import ODT_EXTRACTOR_VERSION, extract_odt
from dossier.ingest.office_zip import DOCX, ODT, ZIP, sniffed_zip
from dossier.ingest.ole import OUTLOOK, ole_kind
from dossier.ingest.outlook_msg import MSG_EXTRACTOR_VERSION, extract_msg
from dossier.ingest.plaintext import TEXT_EXTRACTOR_VERSION, extract_plain_text, text_pages
from dossier.ingest.rtf_file import RTF_EXTRACTOR_VERSION, extract_rtf
from dossier.ingest.sniff import (
    CONTAINERS,
    EMAIL,
    HTML,
    IMAGE,
    KINDS,
    MARKDOWN,
    MBOX,
    MHTML,
    OLE,
    PDF,
    RTF,
    SNIFF_BYTES,
    TAR,
    TEXT,
    WARC,
    Read,
    as_mail,
    declared_html_charset,
    read_text,
    sniff_kind,
)
from dossier.ingest.tar_archive import TAR_EXTRACTOR_VERSION, extract_tar
from dossier.ingest.warc import WARC_EXTRACTOR_VERSION, extract_wacz, extract_warc, is_wacz
from dossier.jobs import CancelToken, ChunkMap, Progress, check, report
from dossier.pdf.extract import EXTRACTOR_VERSION as PDF_EXTRACTOR_VERSION
from dossier.pdf.extract import extract_pdf, extract_pdf_bytes
from dossier.pdf.open import quoted, read_head
from dossier.text.clean import clean_document
from dossier.text.lang import guess_language
from dossier.text.model import ExtractedDocument

HTML_EXTRACTOR_VERSION = "html-2"
"""html-2: the article's text (trafilatura) with the whole visible page beside it."""
HTML_MIME = "text/html"

EXTRACTOR_VERSIONS = {
    PDF: PDF_EXTRACTOR_VERSION,
    HTML: HTML_EXTRACTOR_VERSION,
    EMAIL: EMAIL_EXTRACTOR_VERSION,
    MARKDOWN: TEXT_EXTRACTOR_VERSION,
    TEXT: TEXT_EXTRACTOR_VERSION,
    DOCX: DOCX_EXTRACTOR_VERSION,
    ODT: ODT_EXTRACTOR_VERSION,
    RTF: RTF_EXTRACTOR_VERSION,
    MBOX: MBOX_EXTRACTOR_VERSION,
    OUTLOOK: MSG_EXTRACTOR_VERSION,
    ZIP: ARCHIVE_EXTRACTOR_VERSION,
    MHTML: MHTML_EXTRACTOR_VERSION,
    WARC: WARC_EXTRACTOR_VERSION,
    IMAGE: IMAGE_EXTRACTOR_VERSION,
    TAR: TAR_EXTRACTOR_VERSION,
}
"""Current extractor version per kind: a stored page made by an older one can be re-extracted."""

MAX_TEXT_BYTES = 256 * 1024 * 1024
"""Text, HTML and e-mail files are read whole; anything larger is not a document but a dump."""


def extract_file(
    path: Path,
    *,
    kind_hint: str | None = None,
    password: str | None = None,
    ocr: bool = True,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> ExtractedDocument:
    """Read `path` as whatever its content says it is.

    `kind_hint` (one of `sniff.KINDS`: "pdf", "text", "markdown", "html", "email") is what the
    caller expects, e.g. from a file-type filter; content still wins where it is unambiguous.
    `password`, `ocr`, `progress` and `cancel` are passed to `extract_pdf` for PDFs.
    Raises InputRefused for empty, binary, mislabelled or unreadable files.
    """
    if kind_hint is not None and kind_hint not in KINDS:
        raise UsageError(
            _("unknown kind {kind_hint}; expected one of {KINDS}").format(
                kind_hint=repr(kind_hint), KINDS=", ".join(KINDS)
            )
        )
    head = read_head(path, SNIFF_BYTES)
    if not head:
        raise InputRefused(_("{path} is empty.").format(path=quoted(path)))
    kind = sniff_kind(path, head, kind_hint)
    if kind == PDF:
        return clean_document(
            extract_pdf(path, password=password, ocr=ocr, progress=progress, cancel=cancel)
        )
    check(cancel)
    if progress is not None:
        report(progress, 0.0, _("Reading {name}").format(name=path.name))
    if kind in CONTAINERS:
        return clean_document(
            _extract_container(kind, _read_all(path), path, ocr, progress, cancel)
        )
    return clean_document(_extract_text_kind(kind, _read_all(path), path, progress))


def extract_bytes(
    data: bytes,
    name: str,
    *,
    kind_hint: str | None = None,
    password: str | None = None,
    ocr: bool = True,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    chunk_map: ChunkMap | None = None,
    word_records: bool = False,
) -> ExtractedDocument:
    """`extract_file` for a file held in memory: an original decrypted from the vault is
    re-extracted from there, never written to disk in clear. `name` (the file name it was
    imported under) only informs the sniffing, as its extension would, and the messages.
    `chunk_map`: how a large mailbox's messages are read (by worker processes, for an import).
    `word_records`: a PDF's word maps made as the catalog stores them (`PageText.word_records`),
    for an import, which stores them at once."""
    if kind_hint is not None and kind_hint not in KINDS:
        raise UsageError(
            _("unknown kind {kind_hint}; expected one of {KINDS}").format(
                kind_hint=repr(kind_hint), KINDS=", ".join(KINDS)
            )
        )
    path = Path(name)
    if not data:
        raise InputRefused(_("{path} is empty.").format(path=quoted(path)))
    kind = sniff_kind(path, data[:SNIFF_BYTES], kind_hint)
    if kind == PDF:
        return clean_document(
            extract_pdf_bytes(
                data,
                name,
                password=password,
                ocr=ocr,
                progress=progress,
                cancel=cancel,
                word_records=word_records,
            )
        )
    check(cancel)
    if progress is not None:
        report(progress, 0.0, _("Reading {name}").format(name=path.name))
    if kind in CONTAINERS:
        return clean_document(
            _extract_container(kind, data, path, ocr, progress, cancel, chunk_map)
        )
    return clean_document(_extract_text_kind(kind, data, path, progress))


def _extract_container(
    kind: str,
    data: bytes,
    path: Path,
    ocr: bool,
    progress: Progress | None,
    cancel: CancelToken | None,
    chunk_map: ChunkMap | None = None,
) -> ExtractedDocument:
    """Word, OpenDocument, RTF, mail, archives and images (what zips and OLE files hold)."""
    name = quoted(path)
    if kind == IMAGE:
        document = extract_image(data, name, ocr=ocr, progress=progress, cancel=cancel)
    elif kind == RTF:
        document = extract_rtf(data, name)
    elif kind == MBOX:
        mail, cut = as_mail(data)
        document = _noted_cut(extract_mbox(mail, name, progress, cancel, chunk_map), cut)
    elif kind == MHTML:
        mail, cut = as_mail(data)
        document = _noted_cut(extract_mhtml(mail, name, _from_html), cut)
    elif kind == WARC:
        document = extract_warc(data, name)
    elif kind == TAR:
        document = extract_tar(data, name, path.name)
    elif kind == OLE:
        ole_kind(data, name)  # refuses what is not an Outlook message
        document = extract_msg(data, name)
    else:
        # Its directory read once, to sniff it and then to read it.
        inner, opened = sniffed_zip(data, name)
        if inner == DOCX:
            document = extract_docx(data, name, opened)
        elif inner == ODT:
            document = extract_odt(data, name, opened)
        else:
            opened.close()
            document = extract_wacz(data, name) if is_wacz(data) else extract_zip(data, name)
    if kind != IMAGE and not any(page.text.strip() for page in document.pages):
        raise InputRefused(
            _("{name} holds no text.").format(name=name)
        )  # a photo without words is still a photo
    if progress is not None:
        report(progress, 1.0, _("Read {name}").format(name=path.name))
    return document


def _extract_text_kind(
    kind: str, data: bytes, path: Path, progress: Progress | None
) -> ExtractedDocument:
    """Text, Markdown, HTML or e-mail bytes (`kind` already sniffed) as a document."""
    if kind == EMAIL:
        mail, cut = as_mail(data)
        document = _noted_cut(extract_email(mail, quoted(path)), cut)
    else:
        # A page's own charset declaration beats our guess (a BOM beats both).
        declared = _declared_charset(data) if kind == HTML else None
        read = Read(declared) if declared is not None else read_text(data)
        if read is None:
            raise InputRefused(
                _("{path} is not a text file: it holds binary data.").format(path=quoted(path))
            )
        if kind == HTML:
            document = _from_html(read.text)
        else:
            document = extract_plain_text(read.text, markdown=kind == MARKDOWN)
        document = _noted_cut(document, read.cut)
    if not any(page.text.strip() for page in document.pages):
        raise InputRefused(_("{path} holds no text.").format(path=quoted(path)))
    if progress is not None:
        report(progress, 1.0, _("Read {name}").format(name=path.name))
    return document


def _noted_cut(document: ExtractedDocument, cut: int) -> ExtractedDocument:
    """The document of a file cut short inside its last character, saying so where what was
    not imported is listed (the inspector, `dossier show`)."""
    if cut:
        note = _("the end of its last character: the file is cut short (an interrupted download?)")
        document.metadata = {**document.metadata, "not_imported": note}
    return document


def _read_all(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise InputRefused(
                _(
                    "{path} is too large to import as text ({size} MiB; the limit is "
                    "{MAX_TEXT_BYTES} MiB)."
                ).format(
                    path=quoted(path), size=size // 2**20, MAX_TEXT_BYTES=MAX_TEXT_BYTES // 2**20
                )
            )
        return path.read_bytes()
    except OSError as exc:
        raise EnvironmentFailure(
            _("{path} cannot be read: {strerror}.").format(path=quoted(path), strerror=exc.strerror)
        ) from exc


def _from_html(text: str) -> ExtractedDocument:
    """The article of the page (trafilatura), else its readable text; the whole visible text
    goes with the first page, to be searched below the article."""
    page, visible = read_page(text)
    article = read_article(text)
    body = page.text
    if article is not None:
        # trafilatura keeps a page's main element whole: its teaser articles are not the text.
        kept = [
            paragraph
            for paragraph in article.text.split("\n\n")
            if " ".join(paragraph.split()) not in page.other_articles
        ]
        if kept:
            body = with_lead("\n\n".join(kept), page.metadata.get("description", ""), page.text)
    pages = text_pages(body)
    if pages:
        pages[0].full_text = visible
    metadata = dict(page.metadata)
    if article is not None and article.url and "url" not in metadata:
        metadata["url"] = article.url
    return ExtractedDocument(
        pages=pages,
        extractor_version=HTML_EXTRACTOR_VERSION,
        mime=HTML_MIME,
        title=page.title or (article.title if article else None),
        author=page.author or (article.author if article else None),
        date=page.date or (article.date if article else None),
        language=page.language or guess_language(body),
        outlet=metadata.get("site") or (article.outlet if article else None),
        metadata=metadata,
    )


def _declared_charset(data: bytes) -> str | None:
    """The page decoded with the charset its `<meta>` declares, if it declares one that fits."""
    encoding = declared_html_charset(data)
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        pass
    # A browser shows a page with a few broken sequences (a cut in the middle of a character)
    # with replacement marks; only a page that is wrong throughout means the declaration lies.
    text = data.decode(encoding, errors="replace")
    if text.count("\ufffd") <= max(1, len(text) // 10_000):
        return text
    return None  # the generic decoding stands

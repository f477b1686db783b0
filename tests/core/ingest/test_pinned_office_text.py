"""What each reader of office files and mail makes of the shared corpus's files, pinned by
the reader's extractor version.

Stored quotes are offsets into a document's text: a change to a reader that alters any of it
(text, title, author, date, language, metadata) must bump its version, and then the digests
here; a change that only makes a reader faster must leave every digest as it is.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dossier.ingest.formats import extract_bytes
from dossier.text.model import ExtractedDocument

PINNED: dict[str, tuple[str, str]] = {
    "docx_bbc_yemen_protest.docx": ("docx-11", "d9ad6a664e1dbcdad7b57dcd9af5e5bc"),
    "docx_doj_reca_budget_fy2009.docx": ("docx-11", "d015bb63b604bc4c9b1aa7344dfbcabc"),
    "docx_un_declaration_content_controls.docx": ("docx-11", "914475b55772fcf3cba022d129a19103"),
    "eml_fr_docx_pdf_odt_png_and_eml.eml": ("email-2", "45a5f379aba2580d02d256f0879ccb8b"),
    "eml_gmail_pdf_attachment.eml": ("email-2", "266e694928772cb21d4cdf8a8a8ee4a0"),
    "eml_inline_image_and_pdf.eml": ("email-2", "0b086c338640d07a90a1cbf3b3620abe"),
    "mbox_hadoop_user_thread.mbox": ("mbox-1", "846622fde03f340691aa25a69bdf7d65"),
    "msg_fr_doc_and_txt_attachments.msg": ("msg-1", "6f78247de987df90917a8725f0a22ceb"),
    "msg_outlook_express_fr.msg": ("msg-1", "53b8b72443e07e91d5ec988cf4d9f4de"),
    "msg_with_msg_and_pdf_attachments.msg": ("msg-1", "c8c2855fa83eb3f6751f363536d53fae"),
    "msg_with_tif_screenshots.msg": ("msg-1", "fcec12aa7e6aa33efec510f7fbec6f0a"),
    "odt_eea_climate_change_signed.odt": ("odt-8", "f5c5628a4936003a67911714449c574a"),
    "odt_gnupg_practica_es.odt": ("odt-8", "a14ad8fdde6c62ff0e980eec4460bd5c"),
    "rtf_line_of_credit_agreement.rtf": ("rtf-6", "69ed0f058dc839c9b9afc16b3dd18886"),
    "rtf_outlook2003_welcome.rtf": ("rtf-6", "ea7d78d94f815ae579883c31f95cce6d"),
}


def extraction_digest(document: ExtractedDocument) -> str:
    digest = hashlib.sha256()
    for page in document.pages:
        digest.update(repr((page.index, page.text, page.label, page.ocr, page.full_text)).encode())
    facts = (document.title, document.author, document.date, document.language, document.mime)
    digest.update(repr((*facts, sorted(document.metadata.items()))).encode())
    return digest.hexdigest()[:32]


@pytest.mark.parametrize("name", sorted(PINNED))
def test_each_reader_reads_the_corpus_as_its_version_did(name: str, ingest_corpus: Path) -> None:
    version, pinned = PINNED[name]
    document = extract_bytes((ingest_corpus / name).read_bytes(), name, ocr=False)
    if document.extractor_version != version:
        pytest.fail(f"{name} is now read by {document.extractor_version}: pin its output again")
    assert extraction_digest(document) == pinned, (
        f"{name} reads differently under the same version {version}: stored quotes would point "
        "at the wrong words; bump the reader's version"
    )

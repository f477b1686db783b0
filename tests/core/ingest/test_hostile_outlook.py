"""A damaged Outlook message is refused in one sentence, never a traceback.

One byte changed in an identifier string of a real .msg (an 'E' of a hex Message-ID made
U+008D) stopped the standard library's generator with a UnicodeEncodeError.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.errors import InputRefused
from dossier.ingest.formats import extract_bytes


def test_msg_with_an_unencodable_identifier_is_refused(ingest_corpus: Path) -> None:
    data = bytearray((ingest_corpus / "msg_with_msg_and_pdf_attachments.msg").read_bytes())
    assert data[38310] == ord("E")  # the corpus file this offset was found in
    data[38310] = 0x8D
    with pytest.raises(InputRefused, match="is a damaged Outlook message"):
        extract_bytes(bytes(data), "flipped.msg", ocr=False)


def test_msg_with_a_damaged_recipient_is_refused(ingest_corpus: Path) -> None:
    """A cut .msg with two bytes changed made the header registry raise AttributeError
    ('Group' object has no attribute 'local_part') while its To header was set."""
    data = bytearray((ingest_corpus / "msg_fr_doc_and_txt_attachments.msg").read_bytes())
    data[2042], data[10639] = 215, 252
    with pytest.raises(InputRefused, match="is a damaged Outlook message"):
        extract_bytes(bytes(data[:17216]), "cut.msg", ocr=False)

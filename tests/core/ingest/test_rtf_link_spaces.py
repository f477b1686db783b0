"""An RTF file with a long run of white space after a hyperlink field is read in a moment.

striprtf's pattern of a hyperlink field tried every split of such a run between four of its
parts: the corpus' Outlook welcome message with 2,000 spaces (or file-separator bytes, white
space to Python) inserted after a link took 17 CPU-s to import, 8,000 past the test's time
limit, a few kilobytes more hours; the fuzz campaign met it. The pattern now takes each run
whole and reads the same text as striprtf's wherever that one ends (`test_rtf_linear.py`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.ingest.formats import extract_bytes

_AFTER_A_LINK = b"Cached Exchange Mode\\htmlrtf }\\htmlrtf0 \\htmlrtf }\\htmlrtf0 "
"""Where the run goes in the corpus' message: after a link's field and its text."""


@pytest.mark.parametrize("white", [b" ", b"\x1c"], ids=["spaces", "file separators"])
def test_white_space_after_a_link_is_read_in_a_moment(ingest_corpus: Path, white: bytes) -> None:
    source = (ingest_corpus / "rtf_outlook2003_welcome.rtf").read_bytes()
    at = source.index(_AFTER_A_LINK) + len(_AFTER_A_LINK)
    hostile = source[:at] + white * 8000 + source[at:]
    text = extract_bytes(hostile, "welcome.rtf").pages[0].text
    assert "Cached Exchange Mode" in text

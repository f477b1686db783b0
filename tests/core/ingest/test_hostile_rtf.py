"""Hostile RTF control words are refused in one sentence, never a traceback.

striprtf hands the number of `\\uN` to chr(): a number beyond a C int ended the import in an
OverflowError. (A huge `\\ucN` only skips text, which striprtf survives.)
"""

from __future__ import annotations

import pytest

from dossier.errors import InputRefused
from dossier.ingest.formats import extract_bytes


@pytest.mark.parametrize("control", [rb"\u99999999999 ", rb"\u-99999999999 "])
def test_rtf_with_absurd_unicode_numbers_is_refused(control: bytes) -> None:
    rtf = rb"{\rtf1\ansi some words " + control + rb"more words}"
    with pytest.raises(InputRefused, match="is a damaged RTF file"):
        extract_bytes(rtf, "absurd.rtf", ocr=False)


def test_rtf_title_with_absurd_unicode_number_is_read() -> None:
    rtf = rb"{\rtf1\ansi{\info{\title A \u99999999999 title}}body words}"
    document = extract_bytes(rtf, "title.rtf", ocr=False)
    assert "body words" in document.pages[0].text

"""A zip claiming a format version Python cannot read is refused in one sentence.

zipfile raises NotImplementedError ("zip file version 18.1") while reading the directory when
a member's "version needed to extract" is above what it knows: one byte changed in a real
zip ended the import in a traceback.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from dossier.errors import InputRefused
from dossier.ingest.formats import extract_bytes


def _with_future_version(data: bytes) -> bytes:
    central = data.index(b"PK\x01\x02")
    return data[: central + 6] + bytes([181, 0]) + data[central + 8 :]  # needs version 18.1


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "members"),
    [
        ("archive.zip", {"a.txt": "archive words"}),
        ("letter.docx", {"word/document.xml": "<w:document/>", "[Content_Types].xml": "<x/>"}),
        ("capture.wacz", {"datapackage.json": "{}", "archive/data.warc": "WARC/1.0"}),
    ],
)
def test_zip_needing_a_future_version_is_refused(name: str, members: dict[str, str]) -> None:
    with pytest.raises(InputRefused, match=r"damaged|cannot be read|refused"):
        extract_bytes(_with_future_version(_zip(members)), name, ocr=False)

"""Why an archive is refused reads in the user's language, down to the member's own reason
(these reasons were English inside a French sentence)."""

from __future__ import annotations

import io
import tarfile
import zipfile

import pytest

from dossier import i18n
from dossier.errors import InputRefused
from dossier.ingest.tar_archive import extract_tar
from dossier.zipsafe import SafeZip


def _tar_with(name: str) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        info = tarfile.TarInfo(name)
        info.size = 3
        tar.addfile(info, io.BytesIO(b"abc"))
    return out.getvalue()


def _zip_with(name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, b"abc")
    return out.getvalue()


@pytest.fixture
def french():
    i18n.set_language("fr")
    yield
    i18n.set_language("en")


def test_a_climbing_member_is_refused_in_french(french) -> None:
    with pytest.raises(InputRefused) as tar_refusal:
        extract_tar(_tar_with("../../etc/passwd"), "pieces.tar", "pieces.tar")
    with pytest.raises(InputRefused) as zip_refusal:
        with SafeZip(_zip_with("../evil.txt"), label="pieces.zip"):
            pass
    for refusal in (tar_refusal, zip_refusal):
        text = str(refusal.value)
        assert "sort de l’archive" in text and "climbs" not in text, text

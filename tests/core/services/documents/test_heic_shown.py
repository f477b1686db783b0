"""A HEIC photo is decoded once to be shown, not at each opening: the viewer, its thumbnails and
the export preview draw the pages kept in memory (a decode takes a second or two). What is kept
is bounded, lives in memory only (nothing of the picture in the vault or the temp folder), and
goes when the vault locks."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.pdf.images import readable
from dossier.pdf.render import PdfRenderer
from dossier.services.documents import pictures
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.leakscan import private_temp, scan
from tests.photos import count_heic_decodes, heic_photo


def test_a_heic_photo_is_decoded_once_however_often_it_is_shown(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = workspace.cases.create("iPhone").id
    info = workspace.documents.import_bytes(
        case, heic_photo(tmp_path, rotate=0), "IMG_1.HEIC", ocr=False
    )
    decodes = count_heic_decodes(monkeypatch)
    first = workspace.documents.shown(info.id)
    for _ in range(3):
        # The viewer opens it again after others pushed it out of its four open documents.
        renderer = PdfRenderer(workspace.documents.shown)
        assert renderer.render(info.id, 0, 0.2).width > 0
        renderer.clear()
    workspace.previews.redacted_page(info.id, 0, 0.3)
    workspace.previews.redacted_page(info.id, 0, 0.6)
    assert workspace.documents.shown(info.id) == first
    assert len(decodes) <= 1


def test_the_pages_kept_are_bounded_and_dropped_at_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photos = [heic_photo(tmp_path, rotate=turn) for turn in (0, 90, 180)]
    vault = tmp_path / "V.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Photos").id
        ids = [
            ws.documents.import_bytes(case, data, f"IMG_{n}.HEIC", ocr=False).id
            for n, data in enumerate(photos)
        ]
        one = len(ws.documents.shown(ids[0]))
        monkeypatch.setattr(pictures, "KEPT_BYTES", one * 2 + one // 2)  # room for two
        decodes = count_heic_decodes(monkeypatch)
        for doc_id in ids:
            ws.documents.shown(doc_id)
        assert ws.documents.kept_bytes() <= one * 2 + one // 2
        ws.documents.shown(ids[2])  # the last one shown is kept
        assert len(decodes) == 2
        ws.documents.shown(ids[0])  # the first one was not
        assert len(decodes) == 3
        ws.close()
        assert ws.documents.kept_bytes() == 0


def test_nothing_of_a_shown_heic_photo_reaches_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = private_temp(tmp_path, monkeypatch)
    data = heic_photo(tmp_path, rotate=0)
    decoded = readable(data, "IMG.HEIC").data  # the pixels, as MuPDF is handed them
    vault = tmp_path / "V.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Photos").id
        info = ws.documents.import_bytes(case, data, "IMG.HEIC", ocr=False)
        shown = ws.documents.shown(info.id)
        ws.previews.redacted_page(info.id, 0, 0.5)
    # Raw pixels of a page are mostly white: the slice of its text's ink with the most shades.
    middle = max(range(0, len(decoded), 48), key=lambda at: len(set(decoded[at : at + 48])))
    needles = {
        "the decoded picture": [decoded[middle : middle + 48]],
        "the pages shown": [shown[len(shown) // 2 : len(shown) // 2 + 48]],
        "their digests": [hashlib.sha256(decoded).digest(), hashlib.sha256(shown).digest()],
    }
    assert scan([vault, temp], needles) == []
    assert not any(temp.iterdir())

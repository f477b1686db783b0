"""HEIC photos (iPhones): decoded in a limited child process, then read like any photo: turned
by the file's own orientation or by its text, OCR'd, searchable, quotes anchored on the words.
A damaged file, and a decoder that spins, crashes or balloons, end in one sentence and the
batch goes on.

The HEIC files with text are made at test time with pillow-heif, a development dependency
(it bundles the x265 encoder, which the app never ships); the app decodes with pi-heif.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.cli import main as cli_main
from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import InputRefused
from dossier.pdf import heic
from dossier.pdf.render import render_page
from dossier.services.export.service import ExportRequest
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.photos import count_heic_decodes, heic_photo, ink, photo_pixels
from tests.recipient import leaks, read_bundle

_ORIENTATION_ROTATE_90_CW = 6
QUOTE = "la caméra filmait la cour du collège"


@pytest.mark.parametrize(
    ("rotate", "orientation", "turned"),
    [
        (-90, _ORIENTATION_ROTATE_90_CW, None),  # held sideways; the file says how to turn it
        # Upside down, nothing says so but the text itself: read at each turn by OCR (~4 CPU-s),
        # so in the slow sweep only; `test_images` turns a photo so in every run.
        pytest.param(180, None, "180", marks=pytest.mark.slow),
    ],
)
def test_a_heic_photo_of_a_page_is_searchable_and_quotes_land_on_its_words(
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rotate: int,
    orientation: int | None,
    turned: str | None,
) -> None:
    data = heic_photo(tmp_path, rotate=rotate, orientation=orientation)
    case = workspace.cases.create("iPhone").id
    decodes = count_heic_decodes(monkeypatch)
    info = workspace.documents.import_bytes(case, data, "IMG_4512.HEIC")
    assert len(decodes) == 1  # read, then read again turned: decoded once
    assert info.mime == "image/heic" and info.ocr_pages == 1
    assert info.metadata.get("turned") == turned
    assert info.title.startswith("Le préfet reconnaît")
    (page,) = workspace.documents.pages(info.id)
    assert page.height > page.width and page.rotation == 0  # upright, in upright coordinates
    assert [h.doc_id for h in workspace.search.query("caméra", case=case)] == [info.id]
    # The viewer decodes the stored original again: the same page, the words under their boxes.
    shown = render_page(workspace.documents.shown(info.id), 0, 0.5)
    assert abs(shown.width - page.width * 0.5) <= 1 and abs(shown.height - page.height * 0.5) <= 1
    quote = workspace.quotes.add(case, QUOTE, source=info.id)
    assert quote.verdict in ("verbatim", "normalized")
    (span,) = quote.spans
    assert span.rects
    for rect in span.rects:
        x0, y0, x1, y1 = rect
        assert 0 <= x0 < x1 <= page.width and 0 <= y0 < y1 <= page.height / 2
        assert ink(shown, rect) > 0.05


# Without OCR: this photo of a desk has no text, and OCR of 12 megapixels, then of each turn
# looking for words to read, took 88 s alone (263 s in a loaded parallel run). Reading and turning
# photos by their text is shown on the HEIC photos of text above.
def test_the_iphone_sample_imports_upright_with_its_date(
    workspace: Workspace, ingest_corpus: Path
) -> None:
    case = workspace.cases.create("Corpus HEIC").id
    info = workspace.documents.import_file(
        case, ingest_corpus / "heic_iphone_photo.heic", ocr=False
    )
    assert info.mime == "image/heic" and info.page_count == 1
    assert info.date == "2018-02-05"  # from the photo's EXIF
    assert "turned" not in info.metadata
    (page,) = workspace.documents.pages(info.id)
    assert page.width / page.height == pytest.approx(4032 / 3024, rel=0.01)  # a landscape desk
    shown = render_page(workspace.documents.shown(info.id), 0, 0.1)
    assert abs(shown.width - page.width * 0.1) <= 1
    assert [d.id for d in workspace.documents.of_case(case)] == [info.id]


def _broken(tmp_path: Path) -> dict[str, bytes]:
    whole = heic_photo(tmp_path, rotate=0)
    return {
        "cut short": whole[: len(whole) * 2 // 3],
        "garbage after its header": whole[:32] + bytes(range(256)) * 8,
        "a header and nothing else": whole[:24],
    }


def test_a_damaged_heic_is_refused_in_one_sentence(workspace: Workspace, tmp_path: Path) -> None:
    case = workspace.cases.create("Abîmés").id
    for what, data in _broken(tmp_path).items():
        with pytest.raises(InputRefused, match=r"^“?IMG\.HEIC”? is a damaged image") as refused:
            workspace.documents.import_bytes(case, data, "IMG.HEIC")
        assert "\n" not in str(refused.value), what
    assert workspace.documents.of_case(case) == []


def test_the_cli_refuses_a_damaged_heic_with_exit_6(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "V.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        ws.cases.create("Case")
    monkeypatch.setenv("DOSSIER_PASSPHRASE", PASSPHRASE)
    bad = tmp_path / "IMG_0001.HEIC"
    bad.write_bytes(_broken(tmp_path)["cut short"])
    code = cli_main.main(["--vault", str(vault), "import", "--case", "Case", str(bad)])
    err = capsys.readouterr().err
    assert code == 6
    assert err.count("\n") == 1 and "damaged image" in err and "Traceback" not in err


@pytest.mark.parametrize("fault", ["spin", "crash", "balloon"])
def test_a_decoder_that_spins_crashes_or_balloons_is_a_refusal_and_the_batch_goes_on(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    # The real child process, with its real limits, told to misbehave before it decodes: a CPU
    # cap of a second ends the spin, the address-space cap the balloon, abort() is the crash.
    monkeypatch.setattr(heic, "_FAULT", fault)
    monkeypatch.setattr(heic, "CPU_SECONDS", 1)
    photo = tmp_path / "IMG_0002.HEIC"
    photo.write_bytes(heic_photo(tmp_path, rotate=0))
    scan = tmp_path / "scan.png"
    scan.write_bytes(photo_pixels(tmp_path, 0).tobytes("png"))
    case = workspace.cases.create("Lot").id
    # Without OCR: the batch going on is the point, not the scan's words (OCR of a 200 dpi page
    # cost each of the three runs half a second).
    refused, imported = workspace.documents.import_many(case, [photo, scan], ocr=False)
    assert refused.document is None and refused.exit_code == 6
    assert refused.error is not None and "crashed or ran out of time" in refused.error
    assert refused.error.count("\n") == 0
    assert imported.document is not None
    assert [d.id for d in workspace.documents.of_case(case)] == [imported.document.id]


def test_a_decoder_blocked_past_its_wall_clock_is_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Spinning under a CPU cap too high to end it first: the wall-clock limit does.
    monkeypatch.setattr(heic, "_FAULT", "spin")
    monkeypatch.setattr(heic, "WALL_SECONDS", 1)
    with pytest.raises(InputRefused, match="crashed or ran out of time"):
        heic.heic_pixels(heic_photo(tmp_path, rotate=0), "IMG.HEIC")


def test_a_boxed_heic_photo_leaves_redacted_as_a_pdf(workspace: Workspace, tmp_path: Path) -> None:
    case = workspace.cases.create("Export HEIC").id
    info = workspace.documents.import_bytes(case, heic_photo(tmp_path, rotate=0), "IMG.HEIC")
    (page,) = workspace.documents.pages(info.id)
    by_word = {page.text[w.start : w.end]: w.rect for w in page.words}
    workspace.redactions.add_rect(info.id, 0, [by_word["caméra"]])
    out = tmp_path / "bundle.zip"
    result = workspace.exports.export(ExportRequest(case=case, out=out))
    assert [d.doc_id for d in result.documents] == [info.id]
    assert leaks(out, ["caméra"]) == []
    assert "prefet" in " ".join(read_bundle(out).values())

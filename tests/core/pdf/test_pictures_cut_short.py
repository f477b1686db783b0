"""A JPEG, PNG, BMP, GIF or TIFF cut short (an interrupted download, a truncated attachment) is
refused as damaged, or reads exactly as the whole file: never a picture whose lower part is
grey, or a TIFF whose last page is half there. MuPDF decodes what it has and only warns
("premature end of file in jpeg", "possibly truncated"), so the cut must be seen from the
file's own structure before it: a JPEG reaches its end marker (or lacks only that, its last
scan decoding the same whatever would follow it), a PNG its end chunk, a BMP's rows and every
strip or tile of every TIFF page lie within the file.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import io
from pathlib import Path

import pymupdf
import pytest
from PIL import Image, ImageDraw

from dossier.errors import InputRefused
from dossier.pdf.images import image_to_pdf
from tests.cuts import partial_cuts


def _picture(seed: int) -> Image.Image:
    picture = Image.new("RGB", (160, 120), (245, 245, 240))
    draw = ImageDraw.Draw(picture)
    for n in range(12):
        x = (seed * 37 + n * 53) % 140
        draw.rectangle((x, n * 10, x + 20, n * 10 + 8), fill=(20 * n, 60, 200 - 10 * n))
    return picture


def _jpeg(progressive: bool) -> bytes:
    out = io.BytesIO()
    _picture(1).save(out, "JPEG", quality=80, progressive=progressive)
    return out.getvalue()


def _tiff(compression: str) -> bytes:
    out = io.BytesIO()
    first, second = _picture(1), _picture(2)
    first.save(out, "TIFF", compression=compression, save_all=True, append_images=[second])
    return out.getvalue()


def _pixels(data: bytes) -> list[bytes]:
    with pymupdf.open(stream=image_to_pdf(data, "IMG"), filetype="pdf") as doc:
        return [bytes(page.get_pixmap(dpi=72).samples) for page in doc]


@pytest.mark.parametrize("progressive", [False, True], ids=["baseline", "progressive"])
def test_every_cut_of_a_jpeg_is_refused_or_reads_whole(progressive: bool) -> None:
    data = _jpeg(progressive)
    assert partial_cuts(data, range(4, len(data)), _pixels) == []
    # Bytes after the end marker (some cameras append their own data) change nothing.
    assert _pixels(data + b"\x00" * 64 + b"trailer") == _pixels(data)


@pytest.mark.parametrize("compression", ["raw", "tiff_lzw", "jpeg"])
def test_every_cut_of_a_two_page_tiff_is_refused_or_reads_whole(compression: str) -> None:
    data = _tiff(compression)
    assert partial_cuts(data, range(8, len(data), 3), _pixels) == []


def test_the_multipage_tiff_cut_in_its_last_page_is_refused(ingest_corpus: Path) -> None:
    data = (ingest_corpus / "tif_multipage.tif").read_bytes()
    for cut in range(len(data) - 300, len(data), 10):
        with pytest.raises(InputRefused, match="is a damaged image"):
            image_to_pdf(data[:cut], "scan.tif")


@pytest.mark.parametrize(
    ("kind", "mode"), [("PNG", "RGB"), ("GIF", "P"), ("BMP", "RGB"), ("BMP", "P")]
)
def test_every_cut_of_a_png_gif_or_bmp_is_refused_or_reads_whole(kind: str, mode: str) -> None:
    out = io.BytesIO()
    _picture(1).convert(mode).save(out, kind)
    data = out.getvalue()
    assert partial_cuts(data, range(8, len(data), max(1, len(data) // 400)), _pixels) == []


def _without_end_chunk(png: bytes) -> bytes:
    end = png.rindex(b"IEND") - 4
    assert png[end:] == b"\x00\x00\x00\x00IEND\xaeB`\x82"
    return png[:end]


def test_a_png_whose_writer_left_out_its_end_chunk_reads_whole() -> None:
    # Its pixels' compressed stream ends with its own checksum: nothing of the picture is
    # missing, only the end chunk some encoders forget.
    out = io.BytesIO()
    _picture(1).save(out, "PNG")
    data = out.getvalue()
    unended = _without_end_chunk(data)
    assert _pixels(unended) == _pixels(data)
    # Cut inside its pixels instead: refused or whole, never partial.
    assert partial_cuts(unended, range(40, len(unended), 7), _pixels) == []


@pytest.mark.parametrize(
    "options",
    [{}, {"subsampling": 0}, {"restart_marker_blocks": 3}, {"restart_marker_rows": 1}],
    ids=["4:2:0", "4:4:4", "restart-every-3-blocks", "restart-every-row"],
)
def test_a_jpeg_whose_writer_left_out_its_end_marker_reads_whole(options: dict[str, int]) -> None:
    # Some phones and scanners stop after the last scan's data: every block is there, only
    # the end marker is not.
    out = io.BytesIO()
    _picture(3).save(out, "JPEG", quality=80, **options)
    data = out.getvalue()
    assert data.endswith(b"\xff\xd9")
    unended = data[:-2]
    assert _pixels(unended) == _pixels(data)
    # Cut inside its last scan instead, or at one of its restart markers: refused or whole
    # (every cut in its last blocks, where a cut takes least away).
    cuts = [*range(4, len(unended) - 300, 5), *range(len(unended) - 300, len(unended))]
    assert partial_cuts(unended, cuts, _pixels) == []

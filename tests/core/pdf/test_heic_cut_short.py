"""A HEIC photo cut short (an interrupted transfer, a truncated attachment) is refused as
damaged, or decodes to exactly the whole photo's pixels: never a partial picture. libheif fills
a tiled photo's missing tiles with grey and says nothing, so the cut must be seen before it.

The photos are made at test time with pillow-heif (a development dependency), tiled as an
iPhone tiles them; the `mdat` box may say "to the end of the file" (size 0), which hides a cut.
"""

from __future__ import annotations

import io
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image, ImageDraw

from dossier.errors import InputRefused
from dossier.pdf import heic
from tests.cuts import partial_cuts


def _tiled_photo() -> bytes:
    """A 128 × 96 photo in six tiles of 64 × 64, a few hundred bytes of coded pictures."""
    picture = Image.new("RGB", (128, 96), (250, 250, 245))
    ImageDraw.Draw(picture).rectangle((10, 10, 100, 80), fill=(20, 60, 200))
    out = io.BytesIO()
    pillow_heif.from_pillow(picture).save(out, quality=50, tile_size=64)
    return out.getvalue()


def _mdat_to_the_end(data: bytes) -> bytes:
    """The same file, its `mdat` box's size 0: "to the end of the file", however long."""
    at = data.index(b"mdat") - 4
    return data[:at] + bytes(4) + data[at + 4 :]


@pytest.mark.parametrize("variant", ["mdat sized", "mdat to the end"])
def test_every_cut_of_a_tiled_heic_is_refused_or_decodes_whole(variant: str) -> None:
    data = _tiled_photo()
    if variant == "mdat to the end":
        data = _mdat_to_the_end(data)
    decoded = heic.heic_pixels(data, "IMG.HEIC")
    size = (decoded.width, decoded.height)
    whole = Image.frombytes(decoded.mode, size, bytes(decoded.samples)).convert("RGB")
    blue, pale = whole.getpixel((50, 40)), whole.getpixel((120, 90))
    assert isinstance(blue, tuple) and isinstance(pale, tuple)
    assert blue[2] > 150 > blue[0] and min(pale) > 200  # the photo itself, in every tile

    def decode(cut: bytes) -> tuple[str, int, int, bytes]:
        pixels = heic.heic_pixels(cut, "IMG.HEIC")
        return pixels.mode, pixels.width, pixels.height, bytes(pixels.samples)

    assert partial_cuts(data, range(12, len(data)), decode) == []


def test_the_iphone_photo_cut_at_each_tile_is_refused(ingest_corpus: Path) -> None:
    # 48 tiles: cut through each one's coded picture, the file still saying its `mdat` runs
    # to the end. Refused before any decoder runs (a decode of this photo takes a second).
    data = _mdat_to_the_end((ingest_corpus / "heic_iphone_photo.heic").read_bytes())
    mdat = data.index(b"mdat") + 4
    step = (len(data) - mdat) // 97
    for cut in range(mdat, len(data), step):
        with pytest.raises(InputRefused, match="is a damaged image"):
            heic.heic_pixels(data[:cut], "IMG_0001.HEIC")

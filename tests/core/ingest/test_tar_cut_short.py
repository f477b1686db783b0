"""A tarball cut short (an interrupted download, a truncated attachment) is refused, or reads
exactly as the whole one: never only its first files as if the archive ended there. Python's
`tarfile` takes a header it cannot read after the first for the end of the archive; a real tar
ends with a block of zeros, and one cut short does not. Some tools leave those zeros out: in a
compressed tarball, the compressed stream's own end shows that nothing is missing.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
from typing import Any

import pytest

from dossier.errors import InputRefused
from dossier.ingest.formats import extract_bytes
from tests.cuts import partial_cuts


def _tarball() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for number in range(3):
            data = f"Pièce {number} du dossier. ".encode() * 120
            member = tarfile.TarInfo(f"pieces/piece-{number}.txt")
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return out.getvalue()


def _members(data: bytes) -> list[tuple[str, bytes]]:
    return [(e.name, e.data) for e in extract_bytes(data, "envoi.tar", ocr=False).embedded]


@pytest.mark.parametrize("compressed", [False, True], ids=["tar", "tar.gz"])
def test_every_cut_of_a_tarball_is_refused_or_reads_whole(compressed: bool) -> None:
    data = _tarball()
    if compressed:
        data = gzip.compress(data)
    # Every cut at and around each 512-byte block, and every 37th byte between them.
    cuts = sorted({c for b in range(512, len(data), 512) for c in (b - 1, b, b + 1)})
    cuts += range(600, len(data), 37)
    assert partial_cuts(data, [c for c in cuts if 1 < c < len(data)], _members) == []


def _without_end_blocks(data: bytes) -> bytes:
    """The tarball as a writer that leaves out the end-of-archive zeros writes it."""
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.getmembers()
        end = archive.offset
    assert data[end:] == bytes(len(data) - end)
    return data[:end]


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress])
def test_a_compressed_tarball_without_its_end_blocks_reads_whole(compress: Any) -> None:
    data = _tarball()
    assert _members(compress(_without_end_blocks(data))) == _members(data)


def test_a_plain_tarball_without_its_end_blocks_is_refused_as_cut_short() -> None:
    # Nothing tells it from one cut at the end of a file: it may have lost the next ones.
    with pytest.raises(InputRefused, match="cut short"):
        _members(_without_end_blocks(_tarball()))

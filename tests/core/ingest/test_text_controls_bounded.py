"""A file whose head reads as text and whose rest decodes to control characters (a binary dump
behind a text header, 16-bit samples under a UTF-16 caption) is refused as binary without
the memory its controls would take one by one: up to 256 MiB is read as text, and a list of
every control found cost eight bytes per character, 2 GB for such a file."""

from __future__ import annotations

import tracemalloc

import pytest

from dossier.ingest.sniff import as_mail_bytes, decode_text

HEAD = "Relevé des appels, export du 3 mars. Numéro, durée, cellule.\r\n" * 40
SIZE = 4 * 2**20

HOSTILE = [
    ("UTF-8 head, control bytes after", HEAD.encode() + b"\x01" * SIZE),
    ("UTF-16 without BOM, 16-bit controls after", HEAD.encode("utf-16-le") + b"\x01\x00" * SIZE),
    ("UTF-16 with BOM, 16-bit controls after", HEAD.encode("utf-16") + b"\x02\x00" * SIZE),
    ("Windows-1252 head, controls after", HEAD.encode("cp1252") + b"\x02\x81" * SIZE),
]


def _peak(read: object, data: bytes) -> int:
    tracemalloc.start()
    try:
        assert callable(read)
        assert read(data) in (None, data)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(("label", "data"), HOSTILE, ids=[label for label, _ in HOSTILE])
def test_a_text_head_over_controls_is_refused_in_bounded_memory(label: str, data: bytes) -> None:
    # The decoded text itself is at most four bytes a character (two here): what a reading
    # needs beyond it must not grow with the number of controls found.
    for read in (decode_text, as_mail_bytes):
        peak = _peak(read, data)
        assert peak < 2.5 * len(data), f"{label}: {peak // 2**20} MiB for {len(data) // 2**20}"


def test_text_with_a_few_controls_is_still_text() -> None:
    text = ("Une ligne ordinaire de texte.\x0c\n" * 50) + "fin"
    assert decode_text(text.encode("utf-16-le")) == text
    assert decode_text(text.encode()) == text

"""An OLE2 compound file whose directory loops (a storage listed inside itself, as a damaged
or crafted Office file or Outlook message may have) is refused in one sentence.

olefile, reading the directory as a tree, followed the loop until Python's recursion limit:
the import ended in a RecursionError traceback instead of the sentence a damaged file gets.
"""

from __future__ import annotations

import struct

import pytest

from dossier.errors import InputRefused
from dossier.ingest.formats import extract_bytes
from tests.olegen import ole_file

_ENTRY = 128


def _looping(*streams: str, entry: int = 0, into: int = 0) -> bytes:
    """`ole_file(*streams)` with directory entry `entry` made a storage holding entry `into`
    (the root, entry 0, holding itself by default)."""
    data = bytearray(ole_file(*streams))
    at = data.index("Root Entry".encode("utf-16-le")) + entry * _ENTRY
    data[at + 66] = 1  # a storage (the root's kind said otherwise)
    data[at + 76 : at + 80] = struct.pack("<I", into)  # its first child
    return bytes(data)


LOOPS = {
    "the root in itself": _looping("EncryptionInfo", "EncryptedPackage"),
    "the root in itself, a message": _looping("__substg1.0_0037001F", "__properties_version1.0"),
    "a storage in itself": _looping("WordDocument", "Data", entry=1, into=1),
    "a storage holding the root": _looping("__substg1.0_0037001F", entry=1, into=0),
}


@pytest.mark.parametrize("data", LOOPS.values(), ids=LOOPS.keys())
@pytest.mark.parametrize("name", ["note.doc", "message.msg", "rapport.docx"])
def test_a_directory_that_loops_is_refused_in_one_sentence(data: bytes, name: str) -> None:
    with pytest.raises(InputRefused) as refused:
        extract_bytes(data, name)
    message = str(refused.value)
    assert "\n" not in message and name in message

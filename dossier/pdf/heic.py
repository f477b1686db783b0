"""HEIC/HEIF photos (what iPhones take), decoded in a short-lived child process for MuPDF.

MuPDF does not read HEIC, and its decoders (libheif, libde265) parse an intricate video format
with a history of memory-safety bugs. So the file is decoded by `dossier.pdf.heicchild` in a
process of its own, capped in memory and CPU time and unable to write a file or a core dump;
the bytes go in and the pixels come back through pipes, never a temporary file. A crash, a
hang or an answer that does not add up is a refusal in one sentence: the import of the other
files goes on. The pixels go to MuPDF as they are (`pixels`), so the page, its OCR and its word
boxes are made exactly as for any photo, and always the same from the same bytes (the viewer
decodes the stored original again). libheif applies the photo's own turn and mirror (`irot`,
`imir`), so a photo taken sideways arrives upright, as MuPDF does for a JPEG's EXIF orientation.
"""

from __future__ import annotations

import os
import subprocess
import sys

from dossier.errors import InputRefused
from dossier.i18n import _
from dossier.pdf.heicchild import CHILD_FLAG
from dossier.pdf.heifboxes import all_data_present
from dossier.pdf.imagesize import MAX_PICTURE_PIXELS, damaged, too_large
from dossier.pdf.pixels import Pixels

MEMORY_LIMIT = 3 * 1024**3
"""The child's address space: a 120-megapixel photo's planes and pixels fit, with libheif's
own buffers; a file that claims more memory than this fails to allocate and is refused."""
CPU_SECONDS = 60
"""The child's CPU time (a 12-megapixel iPhone photo takes about a second)."""
WALL_SECONDS = 120
"""A child still alive after this (blocked, not spinning) is killed."""
_FAULT: str | None = None
"""Tests only: one of `heicchild.FAULTS`, to show a spinning, crashing or ballooning decoder
ends in a refusal."""


def child_command() -> list[str]:
    """How to start the decoder: the frozen app runs itself with `CHILD_FLAG`."""
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG]
    return [sys.executable, "-m", "dossier.pdf.heicchild"]


def heic_pixels(data: bytes, name: str) -> Pixels:
    """The pixels of a HEIC file's primary picture; InputRefused if it is damaged, too
    large, cut short (checked before it is decoded: see `heifboxes`), or its decoder crashes
    or runs out of time."""
    if not all_data_present(data):
        raise damaged(name)
    head, pixels = _decode_in_child(data, name)
    fields = head.split()
    if fields[:1] == [b"too-large"] and len(fields) == 3:
        raise too_large(name, int(fields[1]), int(fields[2]))
    if fields[:1] != [b"pixels"] or len(fields) != 4:
        raise damaged(name)
    mode, width, height = fields[1].decode("ascii"), int(fields[2]), int(fields[3])
    if mode not in ("L", "RGB", "RGBA") or width * height > MAX_PICTURE_PIXELS:
        raise damaged(name)
    if len(pixels) != width * height * len(mode) or not width or not height:
        raise damaged(name)
    return Pixels(mode, width, height, pixels)


def _decode_in_child(data: bytes, name: str) -> tuple[bytes, memoryview]:
    """The child's first line and the bytes after it."""
    argv = [
        *child_command(),
        f"--memory={MEMORY_LIMIT}",
        f"--cpu={CPU_SECONDS}",
        f"--max-pixels={MAX_PICTURE_PIXELS}",
    ]
    if _FAULT:
        argv.append(f"--fault={_FAULT}")
    # One decoder thread and few malloc arenas: the address-space cap measures the picture,
    # not the threads' reserved stacks and heaps.
    env = {**os.environ, "MALLOC_ARENA_MAX": "2"}
    try:
        child = subprocess.run(
            argv,
            input=data,
            capture_output=True,
            timeout=WALL_SECONDS,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise _stopped(name) from None
    except OSError:
        raise _stopped(name) from None
    if child.returncode != 0:
        raise _stopped(name)
    answer: bytes = child.stdout
    end = answer.find(b"\n", 0, 64)
    if end < 0:
        raise damaged(name)
    return answer[:end], memoryview(answer)[end + 1 :]


def _stopped(name: str) -> InputRefused:
    return InputRefused(
        _(
            "{name} is a HEIC photo whose decoding crashed or ran out of time, so it was not "
            "imported; export it as JPEG and import that."
        ).format(name=name)
    )

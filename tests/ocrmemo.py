"""Tesseract's readings remembered for the test run: the same pixels at the same settings are
read once per process, and a reading asked again gets the bytes written the first time.

The tests read the same pictures over and over: every case of a page builder exports, then
self-checks, then reads as the recipient (four turns of each picture) the same memo picture;
a page read at import is read again by the export's self-check. Every reading goes through
`pymupdf.Pixmap.pdfocr_save`, which runs a fresh Tesseract engine each time, so a reading is a
function of the pixels and the settings: `tests.cpuclock` compares the bytes of every repeated
reading with the first (none has differed).

What the app asks of OCR is unchanged: how often it reads, what, at which resolution (tests
counting readings count the app's calls, above this). Held in this process's memory only,
compressed, at most `_BUDGET` bytes (the oldest dropped first): nothing of a test's pictures or
their words goes to the disk. `DOSSIER_TEST_OCR_MEMO=0` turns it off.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
import zlib
from collections import OrderedDict
from typing import Any

import pymupdf

_BUDGET = 64 * 1024 * 1024
"""Compressed bytes kept per process: a reading is its page's pixels and words, a few hundred
kilobytes once compressed (pages of text are mostly white)."""

_readings: OrderedDict[bytes, bytes] = OrderedDict()
_held = 0
_lock = threading.Lock()


def _key(pixmap: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bytes:
    shape = (
        pixmap.width,
        pixmap.height,
        pixmap.n,
        pixmap.alpha,
        pixmap.xres,
        pixmap.yres,
        pixmap.colorspace.name if pixmap.colorspace else None,
        args,
        sorted(kwargs.items()),
    )
    digest = hashlib.sha256(repr(shape).encode())
    digest.update(pixmap.samples_mv)
    return digest.digest()


def _write(filename: Any, data: bytes) -> None:
    if isinstance(filename, (str, os.PathLike)):
        with open(filename, "wb") as out:
            out.write(data)
    else:
        filename.write(data)


def install() -> None:
    """Wrap `pymupdf.Pixmap.pdfocr_save` (once per process)."""
    if os.environ.get("DOSSIER_TEST_OCR_MEMO") == "0":
        return
    read = pymupdf.Pixmap.pdfocr_save
    if getattr(read, "remembers", False):
        return

    def remembered(pixmap: Any, filename: Any, *args: Any, **kwargs: Any) -> None:
        global _held
        key = _key(pixmap, args, kwargs)
        with _lock:
            kept = _readings.get(key)
            if kept is not None:
                _readings.move_to_end(key)
        if kept is not None:
            _write(filename, zlib.decompress(kept))
            return
        out = io.BytesIO()
        read(pixmap, out, *args, **kwargs)
        data = out.getvalue()
        packed = zlib.compress(data, 1)
        with _lock:
            if key not in _readings and len(packed) <= _BUDGET:
                _readings[key] = packed
                _held += len(packed)
                while _held > _BUDGET:
                    _, dropped = _readings.popitem(last=False)
                    _held -= len(dropped)
        _write(filename, data)

    remembered.remembers = True  # type: ignore[attr-defined]
    pymupdf.Pixmap.pdfocr_save = remembered

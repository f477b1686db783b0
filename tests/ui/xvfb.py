"""A private X server for the screenshot tests, and the colour measure they assert with.

Xvfb picks its own free display number (`-displayfd`) and tells it back: two tests started
at once (pytest-xdist workers) never race for the same number, as a scan of /tmp/.X11-unix
would.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtGui import QColor, QImage

needs_xvfb = pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")


@contextmanager
def xvfb_display(timeout: float = 20.0) -> Iterator[str]:
    """Start Xvfb (1400x900, no TCP) on a free display; yields ":N", stops it afterwards."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        number = b""
        deadline = time.monotonic() + timeout
        while not number.endswith(b"\n"):
            left = deadline - time.monotonic()
            assert left > 0, "Xvfb did not start"
            ready, _, _ = select.select([read], [], [], left)
            chunk = os.read(read, 16) if ready else b""
            assert chunk or server.poll() is None, "Xvfb exited"
            number += chunk
        yield f":{int(number)}"
    finally:
        os.close(read)
        server.terminate()
        server.wait(timeout=20)


def colour_share(image: QImage, wanted: Callable[[QColor], bool], step: int = 3) -> float:
    """The share of sampled pixels (every `step`th in both directions) that `wanted` accepts.

    The sampled pixels are counted by colour first (in C: a screenshot has a few thousand
    colours among a million pixels), and `wanted` asked once a colour: asked once a pixel, the
    screenshot tests spent seconds of CPU here."""
    if image.isNull():
        return 0.0
    pixels = image.convertToFormat(QImage.Format.Format_ARGB32)  # what QImage.pixel() returns
    words = memoryview(pixels.constBits()).cast("I")  # one 0xAARRGGBB word a pixel
    row = pixels.bytesPerLine() // 4
    counts: Counter[int] = Counter()
    for y in range(0, pixels.height(), step):
        counts.update(words[y * row : y * row + pixels.width() : step])
    hits = sum(n for rgb, n in counts.items() if wanted(QColor(rgb)))
    return hits / max(1, counts.total())

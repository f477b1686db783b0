"""A mailbox's memory while it is read grows with its text, not with its parsed headers:
keeping every message's parsed headers took 80 times the mailbox's size (a 500 MB mailbox,
40 GB), where the text read from it is a few times its size."""

from __future__ import annotations

import gc
import multiprocessing
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import TypeVar

import pytest

from dossier.ingest.mbox import extract_mbox
from dossier.text.model import ExtractedDocument

_T = TypeVar("_T")
DEFAULT_SCHEDULE = (700, 10, 10)
"""CPython's collection thresholds."""


def _mailbox(count: int) -> bytes:
    return b"".join(
        (
            f"From sender{i}@example.org Mon Jan  1 00:00:00 2024\n"
            f"From: Personne {i} <p{i}@example.org>\n"
            f"To: Destinataire {i} <d{i}@example.net>\n"
            f"Subject: =?utf-8?q?R=C3=A9ponse_{i}?=\n"
            f"Date: Mon, 1 Jan 2024 10:{i % 60:02d}:00 +0100\n"
            f"Message-ID: <{i}@example.org>\n"
            "Content-Type: text/plain; charset=utf-8\n\n"
            f"Bonjour, voici la réponse numéro {i}.\n\n"
        ).encode()
        for i in range(count)
    )


def _read_with_peak(data: bytes) -> tuple[ExtractedDocument, int]:
    # Read once untraced first: what a first read builds for good (modules imported, patterns
    # compiled, caches that earlier tests in this process emptied) is not the mailbox's cost.
    extract_mbox(data[: data.find(b"\n\nFrom ", 1) + 2] or data, "boite.mbox")
    # The collector on Python's own schedule: in a full run, a test before this one in the
    # same process had left it off or far apart, and a mailbox's garbage cycles (parsed
    # messages) then stayed until the end of the read: 47 bytes a byte, 58 with it off, 12 on.
    enabled, schedule = gc.isenabled(), gc.get_threshold()
    gc.enable()
    gc.set_threshold(*DEFAULT_SCHEDULE)
    tracemalloc.start()
    try:
        document = extract_mbox(data, "boite.mbox")
        return document, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        gc.set_threshold(*schedule)
        if not enabled:
            gc.disable()


def _alone(measure: Callable[[], _T]) -> _T:
    """`measure` run in a process of its own, where no other thread allocates."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as alone:
        return alone.submit(measure).result()


def _growth(sizes: tuple[int, int]) -> tuple[float, bool]:
    small, large = _mailbox(sizes[0]), _mailbox(sizes[1])
    _, small_peak = _read_with_peak(small)
    document, large_peak = _read_with_peak(large)
    whole = f"Réponse {sizes[1] - 1}" in "".join(page.text for page in document.pages)
    return (large_peak - small_peak) / (len(large) - len(small)), whole


@pytest.mark.parametrize(
    "sizes",
    [
        pytest.param((100, 400), id="few"),
        pytest.param((300, 1000), id="all", marks=pytest.mark.slow),
    ],
)
def test_reading_a_mailbox_takes_memory_in_proportion_to_its_text(sizes: tuple[int, int]) -> None:
    """Read under tracemalloc, a message costs a few milliseconds of CPU: `make test` grows a
    mailbox from 100 to 400 messages (8 bytes a byte measured, and far more than the 64
    headers the old bounded memory held), the slow sweep (`make check`, CI) from 300 to 1000
    (12 bytes a byte)."""
    # Measured as growth between two sizes: what each more message costs. And in a process of
    # its own: tracemalloc counts every thread's allocations, and in a full run a thread an
    # earlier test left (an index merge reads up to 32 MB) made it 48 bytes a byte, not 12.
    growth, whole = _alone(partial(_growth, sizes))
    assert whole
    assert growth < 30, f"each more byte of mailbox took {growth:.0f} bytes of memory"


def _long_headers_mailbox(count: int) -> bytes:
    """Messages each from a list of about fifty addresses (1 KB of header): a parsed list of
    addresses weighs 200 times its text."""
    messages = []
    for i in range(count):
        sender = ", ".join(f"Personne {i}-{j} <p{i}x{j}@example.org>" for j in range(50))
        messages.append(
            (
                f"From sender{i}@example.org Mon Jan  1 00:00:00 2024\n"
                f"From: {sender[:1000]}\n"
                f"Subject: Objet {i}\n"
                f"Date: Mon, 1 Jan 2024 10:{i % 60:02d}:00 +0100\n\n"
                f"Bonjour {i}.\n\n"
            ).encode()
        )
    return b"".join(messages)


def test_long_headers_do_not_multiply_a_mailboxs_memory() -> None:
    # Remembering 64 parsed headers whatever their length held 190 times the mailbox's size
    # for these (400 MB for headers near the longest read, 32 KB each).
    messages, ratio = _alone(_long_headers_ratio)
    assert messages == 100
    assert ratio < 30, f"{ratio:.0f} times the mailbox's size"


def _long_headers_ratio() -> tuple[int, float]:
    data = _long_headers_mailbox(100)
    document, peak = _read_with_peak(data)
    return len(document.embedded), peak / len(data)

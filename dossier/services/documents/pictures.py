"""The page a photo or scan is shown as: the one its import read, turned as the import turned it.

A HEIC photo is decoded in a child process (a second or two for an iPhone's 12 megapixels) and
a WebP picture through Pillow, so the pages of those last shown are kept (`ShownPictures`): the
viewer opening a photo again, its thumbnails and the export preview draw them without decoding
it again. They are kept in memory only, up to `KEPT_BYTES`, and dropped when the vault locks.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from dossier.ingest.image_file import turns_of
from dossier.pdf.images import image_to_pdf
from dossier.services.dto import DocumentInfo

KEPT_BYTES = 192 * 1024**2
"""Pages kept at most: a dozen iPhone photos (their pixels compressed losslessly in a page)."""
SLOW_TO_DECODE = frozenset({"image/heic", "image/webp"})
"""Pictures decoded outside MuPDF, whose pages are worth keeping."""


def shown_pages(info: DocumentInfo, original: bytes) -> bytes:
    """`original`, or the PDF of its pages when the import turned any to read upright or when
    it is a picture slow to decode (made once, then kept by `ShownPictures`)."""
    turns = turns_of(info.metadata)
    if info.mime.startswith("image/") and (any(turns) or info.mime in SLOW_TO_DECODE):
        return image_to_pdf(original, info.filename or "this image", turns)
    return original


class ShownPictures:
    """The pages of the pictures slow to decode last shown, by document and stored original
    (a replaced original is another file), least recently shown dropped first."""

    def __init__(self) -> None:
        self._kept: OrderedDict[tuple[str, str, tuple[int, ...]], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def pages(self, info: DocumentInfo, blob_id: str, original: Callable[[], bytes]) -> bytes:
        """The pages `info` is shown as, made from `original()` when not kept."""
        key = (info.id, blob_id, tuple(turns_of(info.metadata)))
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        made = shown_pages(info, original())  # outside the lock: a decode takes seconds
        with self._lock:
            if key not in self._kept and len(made) <= KEPT_BYTES:
                self._kept[key] = made
                self._size += len(made)
                while self._size > KEPT_BYTES:
                    _, dropped = self._kept.popitem(last=False)
                    self._size -= len(dropped)
        return made

    def forget(self, doc_ids: set[str]) -> None:
        with self._lock:
            for key in [k for k in self._kept if k[0] in doc_ids]:
                self._size -= len(self._kept.pop(key))

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._size = 0

    @property
    def size(self) -> int:
        """Bytes kept."""
        return self._size

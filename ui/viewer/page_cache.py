"""Rendered pages kept in memory only (never a file), least recently used dropped first."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtGui import QImage

Key = tuple[str, int, int]


def zoom_key(zoom: float) -> int:
    """Zooms that differ by less than 0.1% share an image."""
    return round(zoom * 1000)


class PageCache:
    def __init__(self, max_bytes: int = 256 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._images: OrderedDict[Key, QImage] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._images)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def get(self, doc_id: str, page_index: int, zoom: float) -> QImage | None:
        key = (doc_id, page_index, zoom_key(zoom))
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
        return image

    def any_zoom(self, doc_id: str, page_index: int) -> QImage | None:
        """An image of the page at another zoom: drawn scaled while the right one renders."""
        for (doc, page, _), image in reversed(self._images.items()):
            if doc == doc_id and page == page_index:
                return image
        return None

    def put(self, doc_id: str, page_index: int, zoom: float, image: QImage) -> None:
        key = (doc_id, page_index, zoom_key(zoom))
        old = self._images.pop(key, None)
        if old is not None:
            self._bytes -= old.sizeInBytes()
        self._images[key] = image
        self._bytes += image.sizeInBytes()
        while self._bytes > self.max_bytes and len(self._images) > 1:
            _, dropped = self._images.popitem(last=False)
            self._bytes -= dropped.sizeInBytes()

    def drop_document(self, doc_id: str) -> None:
        for key in [k for k in self._images if k[0] == doc_id]:
            self._bytes -= self._images.pop(key).sizeInBytes()

    def clear(self) -> None:
        self._images.clear()
        self._bytes = 0

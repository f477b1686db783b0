"""Reading sealed index files as Whoosh reads files: positioned reads, windows, a shared cache.

`SealedView` is a read-only file object over a window of a sealed file: Whoosh's compound
segment files are read as many windows (`SubFile`s) of one file. Reads go through
`SealedReader`, which decrypts only the blocks a read touches; decrypted blocks are kept in a
`BlockCache` shared by every file of one index, with one bound for all of them.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict

from dossier.crypto.sealedfile import BLOCK, SealedReader


def seek_target(offset: int, whence: int, current: int, size: int) -> int:
    """The position `seek(offset, whence)` moves to, as `io` defines it (0: from the start,
    1: from `current`, 2: from the end, `size`); ValueError as `io` raises it."""
    if whence == 0:
        pos = offset
    elif whence == 1:
        pos = current + offset
    elif whence == 2:
        pos = size + offset
    else:
        raise ValueError(f"invalid whence {whence}")
    if pos < 0:
        raise ValueError("negative seek position")
    return pos


class BlockCache:
    """Decrypted blocks shared by every file one storage opens; least recently used goes first.

    One bound for the whole index instead of one per open file: a search touches a few blocks
    in each of many files, and the hot ones stay decrypted whichever file they belong to.
    """

    def __init__(self, max_blocks: int) -> None:
        self.max_blocks = max(1, max_blocks)
        self._blocks: OrderedDict[tuple[int, int], bytes] = OrderedDict()
        # Searches and a background writer's merge may read at the same time.
        self._lock = threading.Lock()

    def get(self, key: tuple[int, int]) -> bytes | None:
        with self._lock:
            block = self._blocks.get(key)
            if block is not None:
                self._blocks.move_to_end(key)
            return block

    def put(self, key: tuple[int, int], block: bytes) -> None:
        with self._lock:
            self._blocks[key] = block
            self._blocks.move_to_end(key)
            while len(self._blocks) > self.max_blocks:
                self._blocks.popitem(last=False)

    def __len__(self) -> int:
        return len(self._blocks)


_SERIALS = itertools.count(1)


class SealedView:
    """Read-only file object over a window of a sealed file (Whoosh's `SubFile`, decrypted).

    Several views share one `SealedReader`; only the view that opened it closes it.
    """

    def __init__(
        self,
        reader: SealedReader,
        base: int,
        length: int,
        *,
        owner: bool,
        cache: BlockCache | None = None,
        serial: int | None = None,
    ) -> None:
        self._reader = reader
        self._base = base
        self._length = length
        self._pos = 0
        self._owner = owner
        self._cache = cache
        # Names the file in the shared cache (a file is never rewritten under its serial).
        self._serial = next(_SERIALS) if serial is None else serial
        self.closed = False
        # The block this view read last (decrypted): one per view, so memory stays bounded.
        self._hot = b""
        self._hot_start = 0

    @property
    def length(self) -> int:
        return self._length

    def read_at(self, position: int, size: int) -> bytes:
        """Bytes at `position` without moving the file position (Whoosh's `get`)."""
        if position < 0 or size < 0:
            raise ValueError("negative position or size")
        size = min(size, self._length - position)
        if size <= 0:
            return b""
        start = self._base + position
        # Fast path: scoring reads a byte or a few per document from the same column block.
        offset = start - self._hot_start
        if 0 <= offset and offset + size <= len(self._hot):
            return self._hot[offset : offset + size]
        index = start // BLOCK
        last = (start + size - 1) // BLOCK
        if last == index:
            self._hot = self._block(index)
            self._hot_start = index * BLOCK
            offset = start - self._hot_start
            return self._hot[offset : offset + size]
        joined = b"".join(self._block(i) for i in range(index, last + 1))
        offset = start - index * BLOCK
        return joined[offset : offset + size]

    def _block(self, index: int) -> bytes:
        if self._cache is None:
            return self._reader.read_block(index)
        key = (self._serial, index)
        block = self._cache.get(key)
        if block is None:
            block = self._reader.read_block(index)
            self._cache.put(key, block)
        return block

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            size = self._length - self._pos
        data = self.read_at(self._pos, size)
        self._pos += len(data)
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:
        data = self.read(len(buffer))
        memoryview(buffer).cast("B")[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        # Only pickle calls this (on short protocol-0 lines); read a little at a time.
        limit = self._length - self._pos if size is None or size < 0 else size
        parts: list[bytes] = []
        taken = 0
        while taken < limit:
            chunk = self.read_at(self._pos + taken, min(256, limit - taken))
            if not chunk:
                break
            cut = chunk.find(b"\n")
            if cut >= 0:
                parts.append(chunk[: cut + 1])
                taken += cut + 1
                break
            parts.append(chunk)
            taken += len(chunk)
        self._pos += taken
        return b"".join(parts)

    def seek(self, offset: int, whence: int = 0) -> int:
        self._pos = seek_target(offset, whence, self._pos, self._length)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def sub(self, position: int, length: int) -> SealedView:
        return SealedView(
            self._reader,
            self._base + position,
            length,
            owner=False,
            cache=self._cache,
            serial=self._serial,
        )

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self._owner:
            self._reader.close()
        self._hot = b""

"""A sealed file that Whoosh can write as if it were a plain one.

Whoosh expects ordinary files: it seeks back to patch headers it has already written (compound
segment files) and reads back temporary files it is still writing (the per-document column
spill). `SealedBlockFile` writes the format of `dossier.crypto.sealedfile` (the result opens
with `SealedReader`) but keeps the file's last block, and any block it is asked to patch, in
memory until it is complete: a block is sealed once it can no longer be the last one, and
re-sealed with a fresh nonce if it is patched later.
Files are sealed padded, as originals are: the lengths of a segment's files follow from the words
of the documents it holds, which someone holding a leaked copy could match. The reading side is
in `sealedview.py`.
"""

from __future__ import annotations

import contextlib
import os
from collections import OrderedDict
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dossier.crypto.sealedfile import (
    BLOCK,
    LENGTH,
    NONCE,
    PADDED_HEADER,
    STORED_BLOCK,
    TAG,
    block_ad,
    padded_length,
)
from dossier.errors import CorruptData, os_failure
from dossier.fsutil import TEMP_PREFIX, fsync_dir
from dossier.i18n import _
from dossier.search.sealedview import seek_target


def _pwrite(fd: int, data: bytes, offset: int) -> None:
    if hasattr(os, "pwrite"):
        os.pwrite(fd, data, offset)
    else:  # Windows has no pwrite; the file descriptor is never shared between threads.
        os.lseek(fd, offset, os.SEEK_SET)
        os.write(fd, data)


def _pread(fd: int, size: int, offset: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


_READ_CACHE_BLOCKS = 4
"""Blocks of a file being written that stay decrypted for read-back (CompoundWriter reads its
spill file sequentially, in pieces smaller than a block)."""


class SealedBlockFile:
    """A writable, seekable, readable sealed file; it appears at `path` when `close()` succeeds.

    Deliberately not an `io.RawIOBase`: Whoosh treats any object with `fileno` as a real file.
    """

    def __init__(
        self,
        path: Path,
        key: bytes,
        ad: bytes,
        *,
        durable: bool = True,
        sync_dir: bool = True,
        what: str = "index file",
    ) -> None:
        self.path = path
        self.name = path.name
        self._aead = AESGCM(key)
        self._ad = ad
        self._durable = durable
        self._sync_dir = durable and sync_dir
        """Whether closing also syncs the folder (its new name): a file that a later synced
        rename must publish first leaves that to it (`EncryptedStorage.rename_file`)."""
        self._what = what
        self._tmp = path.parent / f"{TEMP_PREFIX}{os.urandom(8).hex()}"
        flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            self._fd: int | None = os.open(self._tmp, flags, 0o600)
            os.write(self._fd, PADDED_HEADER)
        except OSError as exc:
            raise os_failure(exc, _("the search index")) from exc
        self._pos = 0
        self._size = 0
        # Plaintext of blocks not sealed yet: always the last block, sometimes a patched one.
        self._dirty: dict[int, bytearray] = {0: bytearray()}
        self._clean: OrderedDict[int, bytes] = OrderedDict()
        self.closed = False

    # -- writing -------------------------------------------------------------------------

    def write(self, data: bytes | bytearray | memoryview) -> int:
        if self.closed:
            raise ValueError("write to a closed file")
        length = len(data)
        if not length:
            return 0
        pos = self._pos
        if pos > self._size:
            raise ValueError("Whoosh seeked past the end of a file it is writing")
        index, offset = divmod(pos, BLOCK)
        tail = self._dirty.get(index)
        if tail is not None and pos == self._size and offset + length <= BLOCK:
            # The common case: appending inside the last block.
            tail += data
            self._pos = self._size = pos + length
            return length
        view = memoryview(data).cast("B")
        while view:
            index, offset = divmod(pos, BLOCK)
            block = self._dirty.get(index)
            if block is None:
                block = self._load_for_write(index)
            take = min(BLOCK - offset, len(view))
            block[offset : offset + take] = view[:take]
            view = view[take:]
            pos += take
            self._size = max(self._size, pos)
        self._pos = pos
        self._seal_complete_blocks()
        return length

    def _last_index(self) -> int:
        return max(0, (self._size - 1) // BLOCK)

    def _load_for_write(self, index: int) -> bytearray:
        self._clean.pop(index, None)
        if index * BLOCK >= self._size:
            # A new block right after a full last one (the file never has holes).
            block = bytearray()
        else:
            # A block sealed earlier (never the last one): Whoosh is patching a header.
            block = bytearray(self._read_sealed(index))
        self._dirty[index] = block
        return block

    def _seal_complete_blocks(self) -> None:
        last = self._last_index()
        for index in [i for i in self._dirty if i < last]:
            self._seal(index, bytes(self._dirty.pop(index)), final=False)

    def _seal(self, index: int, plain: bytes, final: bool) -> None:
        assert self._fd is not None
        nonce = os.urandom(NONCE)
        sealed = nonce + self._aead.encrypt(
            nonce, plain, block_ad(self._ad, index, final, PADDED_HEADER)
        )
        try:
            _pwrite(self._fd, sealed, len(PADDED_HEADER) + index * STORED_BLOCK)
        except OSError as exc:
            raise os_failure(exc, _("the search index")) from exc

    # -- reading back --------------------------------------------------------------------

    def _read_sealed(self, index: int) -> bytes:
        assert self._fd is not None
        raw = _pread(self._fd, STORED_BLOCK, len(PADDED_HEADER) + index * STORED_BLOCK)
        try:
            return self._aead.decrypt(
                raw[:NONCE], raw[NONCE:], block_ad(self._ad, index, False, PADDED_HEADER)
            )
        except (InvalidTag, ValueError):
            raise CorruptData(
                _("{what} changed on disk while it was written").format(what=self._what)
            ) from None

    def _block(self, index: int) -> bytes | bytearray:
        dirty = self._dirty.get(index)
        if dirty is not None:
            return dirty
        cached = self._clean.get(index)
        if cached is None:
            cached = self._read_sealed(index)
            self._clean[index] = cached
            if len(self._clean) > _READ_CACHE_BLOCKS:
                self._clean.popitem(last=False)
        return cached

    def read(self, size: int | None = -1) -> bytes:
        if self.closed:
            raise ValueError("read from a closed file")
        end = self._size if size is None or size < 0 else min(self._size, self._pos + size)
        parts: list[bytes] = []
        pos = self._pos
        while pos < end:
            index, offset = divmod(pos, BLOCK)
            take = min(BLOCK - offset, end - pos)
            parts.append(bytes(self._block(index)[offset : offset + take]))
            pos += take
        self._pos = max(self._pos, pos)
        return b"".join(parts)

    def readinto(self, buffer: bytearray | memoryview) -> int:
        data = self.read(len(buffer))
        memoryview(buffer).cast("B")[: len(data)] = data
        return len(data)

    # -- positioning ---------------------------------------------------------------------

    def seek(self, offset: int, whence: int = 0) -> int:
        self._pos = seek_target(offset, whence, self._pos, self._size)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def flush(self) -> None:
        """Nothing to do: blocks are sealed when complete, the rest on close."""

    # -- ending --------------------------------------------------------------------------

    def close(self) -> None:
        if self.closed:
            return
        try:
            self._pad()
            last = self._last_index()
            for index in sorted(self._dirty):
                self._seal(index, bytes(self._dirty[index]), final=index == last)
            assert self._fd is not None
            last_len = self._size - last * BLOCK
            os.ftruncate(
                self._fd, len(PADDED_HEADER) + last * STORED_BLOCK + NONCE + last_len + TAG
            )
            if self._durable:
                os.fsync(self._fd)
            os.close(self._fd)
            self._fd = None
            os.replace(self._tmp, self.path)
            if self._sync_dir:
                fsync_dir(self.path.parent)
        except OSError as exc:
            self.abort()
            raise os_failure(exc, _("the search index")) from exc
        except BaseException:
            self.abort()
            raise
        self._dirty.clear()
        self._clean.clear()
        self.closed = True

    def _pad(self) -> None:
        """Zeros, then the content's length, up to `padded_length` (as `SealedWriter` does)."""
        size = self._size
        self._pos = size
        zeros = padded_length(size) - size - LENGTH.size
        while zeros > 0:
            step = min(zeros, BLOCK)
            self.write(bytes(step))
            zeros -= step
        self.write(LENGTH.pack(size))

    def abort(self) -> None:
        """Drop what was written: the final name never appears."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
        with contextlib.suppress(FileNotFoundError):
            self._tmp.unlink()
        self._dirty.clear()
        self._clean.clear()
        self.closed = True

    def __del__(self) -> None:
        # A file Whoosh dropped without closing (an error mid-write) must not be published.
        if not getattr(self, "closed", True):
            self.abort()

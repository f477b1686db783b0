"""Files encrypted in fixed-size blocks, each readable on its own.

Layout: an 8-byte header (magic, version, block size exponent, reserved), then blocks of
`nonce || AES-GCM(plaintext block) || tag`. Every block is bound to the file's associated data,
its block number and whether it is the last one, so reordering, truncation at a block boundary,
appending and moving a file to another name are all detected. Blobs (originals, up to hundreds of
MB) are written as a stream and never held twice in memory; the search index reads single blocks
through a small cache instead of decrypting whole files.

Version 2 (`padded`: the originals) seals the content followed by zeros and its length, up to
`padded_length`: a file's size on disk no longer tells the size of what it holds to the byte
(someone holding a leaked document could otherwise pick it out of a seized vault's originals by
its size alone).
"""

from __future__ import annotations

import contextlib
import os
import struct
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dossier.crypto.padding import padme
from dossier.errors import CorruptData, os_failure
from dossier.fsutil import TEMP_PREFIX, fsync_dirs, make_folder
from dossier.i18n import _

MAGIC = b"DSKF"
VERSION = 1
BLOCK_EXP = 16
BLOCK = 1 << BLOCK_EXP
NONCE = 12
TAG = 16
HEADER = MAGIC + bytes([VERSION, BLOCK_EXP, 0, 0])
PADDED_HEADER = MAGIC + bytes([2, BLOCK_EXP, 0, 0])
"""Version 2: the content padded, its length sealed at the end (`padded_length`)."""
LENGTH = struct.Struct(">Q")
STORED_BLOCK = NONCE + BLOCK + TAG


def padded_length(size: int) -> int:
    """Bytes sealed for `size` bytes of content and its length (Padmé, Nikitin et al. 2019:
    rounded up to keep only the top bits of the length's exponent, at most 12% more): files
    of many sizes share each padded size."""
    return padme(size + LENGTH.size)


def _block_ad(ad: bytes, index: int, final: bool, header: bytes = HEADER) -> bytes:
    # The header in every block's data: a padded file read as an unpadded one fails.
    return header + struct.pack(">QB", index, 1 if final else 0) + ad


def block_ad(ad: bytes, index: int, final: bool, header: bytes = HEADER) -> bytes:
    """Associated data of one block: public for writers that seal blocks out of order."""
    return _block_ad(ad, index, final, header)


class SealedWriter:
    """Sequential writer; the file appears at `path` only when `close()` succeeds.

    A write the system refuses (disk full) raises `EnvironmentFailure` naming `what`, and the
    partial file is removed: the temp file, or `path` itself when not `atomic`.
    """

    def __init__(
        self,
        path: Path,
        key: bytes,
        ad: bytes,
        *,
        atomic: bool = True,
        what: str = "the vault",
        padded: bool = False,
    ) -> None:
        self.path = path
        self._header = PADDED_HEADER if padded else HEADER
        self._what = what
        self._aead = AESGCM(key)
        self._ad = ad
        self._buf = bytearray()
        self._index = 0
        self._size = 0
        self._atomic = atomic
        self._finished = False
        self._tmp = path.parent / f"{TEMP_PREFIX}{os.urandom(8).hex()}" if atomic else path
        self._fd: int | None = None
        self._out = bytearray(self._header)
        """Sealed bytes not written yet: written a block at a time, the header with the first
        (a small original is one write, not one for the header and one for its block)."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
        if atomic:
            flags |= os.O_EXCL
        try:
            # The folder made only when missing: a batch of small originals made each of them
            # wait on two more calls to the system (a mkdir and a stat) for a folder that was
            # there, each a switch of the GIL between the import's threads.
            try:
                self._fd = os.open(self._tmp, flags, 0o600)
            except FileNotFoundError:
                make_folder(path.parent)
                self._fd = os.open(self._tmp, flags, 0o600)
        except OSError as exc:
            self.abort()
            raise os_failure(exc, what) from exc

    @property
    def size(self) -> int:
        """Plaintext bytes written so far."""
        return self._size

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self._size += len(data)
        self._feed(data)
        return len(data)

    def _feed(self, data: bytes | bytearray | memoryview) -> None:
        self._buf += data
        while len(self._buf) > BLOCK:
            # Strictly more than a block: the last block must be written with the final flag.
            self._emit(bytes(self._buf[:BLOCK]), final=False)
            del self._buf[:BLOCK]

    def _pad(self) -> None:
        """Zeros, then the content's length, up to `padded_length` (a block at a time: an
        original of hundreds of MB is padded by tens)."""
        if self._header != PADDED_HEADER:
            return
        zeros = padded_length(self._size) - self._size - LENGTH.size
        while zeros > 0:
            step = min(zeros, BLOCK)
            self._feed(bytes(step))
            zeros -= step
        self._feed(LENGTH.pack(self._size))

    def _emit(self, block: bytes, final: bool) -> None:
        assert self._fd is not None
        nonce = os.urandom(NONCE)
        ad = _block_ad(self._ad, self._index, final, self._header)
        self._out += nonce
        self._out += self._aead.encrypt(nonce, block, ad)
        self._index += 1
        self._write_out()

    def _write_out(self) -> None:
        """Write the sealed bytes held (the file descriptor is raw, not a buffered file: its
        opening asked the system three more things, its size, its block size, a terminal)."""
        assert self._fd is not None
        out = self._out
        try:
            written = os.write(self._fd, out)
            while written < len(out):  # a short write: a full disk says why at the next
                written += os.write(self._fd, out[written:])
        except OSError as exc:
            self.abort()
            raise os_failure(exc, self._what) from exc
        out.clear()

    def _last_block(self) -> None:
        self._pad()
        self._emit(bytes(self._buf), final=True)
        self._buf.clear()

    def close(self) -> None:
        if self._fd is None:
            return
        try:
            self._last_block()
            os.fsync(self._fd)
            self._close_fd()
            if self._atomic:
                os.replace(self._tmp, self.path)
            fsync_dirs([self.path.parent])
        except OSError as exc:
            self.abort()
            raise os_failure(exc, self._what) from exc
        except BaseException:
            self.abort()
            raise

    def _close_fd(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def finish(self) -> None:
        """Write the last block, neither synced nor in place yet: `sync` and `place` do, so a
        group of files is synced together (one wait, not one each). Atomic writers only:
        until `place`, nothing is at `path`."""
        if self._fd is None or self._finished:
            return
        assert self._atomic, "only an atomic writer can be settled later"
        try:
            self._last_block()
            self._finished = True
        except BaseException:
            self.abort()
            raise

    def sync(self) -> None:
        """Sync a finished file and close it (thread-safe: a group's files are synced side by
        side, and the system joins their waits). Until `place`, nothing is at `path`."""
        assert self._finished, "finish() the writer before its sync"
        try:
            if self._fd is not None:
                # Still open from its writing: not opened again only to be synced.
                os.fsync(self._fd)
                self._close_fd()
        except OSError as exc:
            self.abort()
            raise os_failure(exc, self._what) from exc

    def place(self) -> None:
        """Put a synced file in place; the caller syncs its folder afterwards (once for every
        file placed there). A crash before leaves only the temp file, which the next open
        removes: never a file at `path` whose content was not synced."""
        assert self._finished and self._fd is None, "sync() the writer before it is placed"
        try:
            os.replace(self._tmp, self.path)
        except OSError as exc:
            self.abort()
            raise os_failure(exc, self._what) from exc

    def abort(self) -> None:
        """Drop everything written; never raises (it runs while another failure is raised)."""
        self._buf.clear()
        self._out.clear()
        with contextlib.suppress(OSError):
            self._close_fd()
        with contextlib.suppress(OSError):
            self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> SealedWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


class SealedReader:
    """Random-access reader that decrypts only the blocks a read touches (LRU-cached)."""

    def __init__(self, path: Path, key: bytes, ad: bytes, *, what: str, cache_blocks: int = 8):
        self.path = path
        self._what = what
        self._aead = AESGCM(key)
        self._ad = ad
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._cache_blocks = max(1, cache_blocks)
        try:
            self._fh: BinaryIO | None = open(path, "rb")  # closed in close()
        except FileNotFoundError:
            raise CorruptData(_("{what} is missing").format(what=what)) from None
        stored = os.fstat(self._fh.fileno()).st_size - len(HEADER)
        self._header = self._fh.read(len(HEADER))
        if self._header not in (HEADER, PADDED_HEADER) or stored < NONCE + TAG:
            self.close()
            raise CorruptData(_("{what} is damaged (bad header or truncated)").format(what=what))
        self._blocks = -(-stored // STORED_BLOCK)
        last_len = stored - (self._blocks - 1) * STORED_BLOCK - NONCE - TAG
        if last_len < 0:
            self.close()
            raise CorruptData(_("{what} is truncated").format(what=what))
        self.size = (self._blocks - 1) * BLOCK + last_len
        # Decrypting the last block up front proves the file ends where it was written to end.
        try:
            self._block(self._blocks - 1)
            if self._header == PADDED_HEADER:
                self._unpad()
        except BaseException:
            self.close()
            raise

    def _unpad(self) -> None:
        """The content's own length, sealed at the end of a padded file."""
        sealed = self.size
        if sealed < LENGTH.size:
            raise CorruptData(_("{what} is truncated").format(what=self._what))
        (size,) = LENGTH.unpack(self.read_at(sealed - LENGTH.size, LENGTH.size))
        if padded_length(size) != sealed:
            raise CorruptData(
                _("{what} is damaged (bad header or truncated)").format(what=self._what)
            )
        self.size = size

    def _block(self, index: int) -> bytes:
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        assert self._fh is not None, "reader is closed"
        self._fh.seek(len(HEADER) + index * STORED_BLOCK)
        raw = self._fh.read(STORED_BLOCK)
        final = index == self._blocks - 1
        try:
            plain = self._aead.decrypt(
                raw[:NONCE], raw[NONCE:], _block_ad(self._ad, index, final, self._header)
            )
        except InvalidTag:
            raise CorruptData(
                _("{what} failed authentication at block {index}").format(
                    what=self._what, index=index
                )
            ) from None
        except ValueError:
            raise CorruptData(
                _("{what} is truncated at block {index}").format(what=self._what, index=index)
            ) from None
        if not final and len(plain) != BLOCK:
            raise CorruptData(
                _("{what} has a short block {index}").format(what=self._what, index=index)
            )
        self._cache[index] = plain
        if len(self._cache) > self._cache_blocks:
            self._cache.popitem(last=False)
        return plain

    def read_block(self, index: int) -> bytes:
        """The plaintext of block `index` (cached, not copied): for callers that slice it."""
        if not 0 <= index < self._blocks or index * BLOCK >= max(self.size, 1):
            raise ValueError(f"block {index} is outside the file")
        return self._block(index)[: self.size - index * BLOCK]

    def read_at(self, offset: int, length: int) -> bytes:
        if offset < 0 or length < 0:
            raise ValueError("negative offset or length")
        end = min(offset + length, self.size)
        if offset >= end:
            return b""
        first, last = offset // BLOCK, (end - 1) // BLOCK
        if first == last:
            start = offset - first * BLOCK
            return self._block(first)[start : start + end - offset]
        parts = [self._block(i) for i in range(first, last + 1)]
        joined = b"".join(parts)
        start = offset - first * BLOCK
        return joined[start : start + end - offset]

    def iter_chunks(self) -> Iterator[bytes]:
        for index in range(self._blocks):
            # A padded file's padding and length are not content.
            plain = self._block(index)[: max(0, self.size - index * BLOCK)]
            if plain:
                yield plain

    def read_all(self) -> bytes:
        return b"".join(self.iter_chunks())

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self._cache.clear()

    def __enter__(self) -> SealedReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_sealed(path: Path, key: bytes, ad: bytes, data: bytes) -> None:
    with SealedWriter(path, key, ad) as writer:
        writer.write(data)


def read_sealed(path: Path, key: bytes, ad: bytes, what: str) -> bytes:
    with SealedReader(path, key, ad, what=what) as reader:
        return reader.read_all()

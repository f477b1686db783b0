"""Opening a bundle for import: hostile until proven otherwise, and proven before any write.

A bundle is accepted only when `zipsafe` found nothing wrong with the archive, the manifest
parses, its signature is valid (and made by the expected key, when one is given), every listed
file is present with its size and hash, nothing unlisted is present, and every document is a
PDF. Only then does the caller write anything; a refusal says why in one sentence.

`materialized` hands an imported PDF to the normal import path, which reads files by path,
without writing its bytes to disk where the system allows it (a memory file on Linux).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dossier.errors import InputRefused
from dossier.export import manifest as manifest_mod
from dossier.export.verify import VerifyReport, load_bundle_bytes, verify_zip
from dossier.export.zipsafe import SafeZip
from dossier.fsutil import TEMP_PREFIX
from dossier.pdf.open import has_pdf_header


@dataclass(frozen=True)
class VerifiedBundle:
    manifest: manifest_mod.Manifest
    documents: dict[str, bytes]
    """Bundle path ("documents/01-x.pdf") -> bytes, checked against the manifest."""
    report: VerifyReport


def open_for_import(
    path: Path, *, passphrase: str | None = None, pubkey: str | None = None
) -> VerifiedBundle:
    """Read and prove a bundle; InputRefused (nothing written) at the first doubt."""
    data, _sealed = load_bundle_bytes(path, passphrase)
    report = verify_zip(data, path.name, pubkey)
    if not report.ok:
        details = [line for line in report.lines() if not line.startswith(("OK", "FAILED"))]
        raise InputRefused(
            f"{path.name} was refused: it does not verify ({'; '.join(details)}); "
            "nothing was written."
        )
    with SafeZip(data, label=path.name) as archive:
        parsed = manifest_mod.parse(
            archive.read(manifest_mod.MANIFEST, manifest_mod.MAX_MANIFEST_BYTES)
        )
        documents: dict[str, bytes] = {}
        for entry in parsed.files:
            if not manifest_mod.is_document_path(entry.path):
                continue
            content = archive.read(entry.path)
            if not has_pdf_header(content[:1024]):
                raise InputRefused(
                    f"{path.name} was refused: {entry.path} is not a PDF; nothing was written."
                )
            documents[entry.path] = content
    return VerifiedBundle(parsed, documents, report)


@contextlib.contextmanager
def materialized(name: str, data: bytes) -> Iterator[Path]:
    """A path whose content is `data`, named `name`, gone when the block ends.

    On Linux the bytes live in an anonymous memory file and the path is a link to it, so the
    imported document is never written to disk in clear. Elsewhere a private temporary file
    (mode 600, in a private folder) is used and deleted at once afterwards.
    """
    folder = Path(tempfile.mkdtemp(prefix="dossier-import-"))
    os.chmod(folder, 0o700)
    path = folder / name
    memfd = getattr(os, "memfd_create", None)
    fd = -1
    try:
        if memfd is not None and Path("/proc/self/fd").is_dir():
            fd = memfd(f"{TEMP_PREFIX}{secrets.token_hex(4)}")
            _write_all(fd, data)
            os.lseek(fd, 0, os.SEEK_SET)
            os.symlink(f"/proc/{os.getpid()}/fd/{fd}", path)
        else:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
        yield path
    finally:
        path.unlink(missing_ok=True)
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(OSError):
            folder.rmdir()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view[: 1 << 20])
        view = view[written:]

"""Opening a bundle for import: hostile until proven otherwise, and proven before any write.

A bundle is accepted only when `zipsafe` found nothing wrong with the archive, the manifest
parses, its signature is valid (and made by the expected key, when one is given), every listed
file is present with its size and hash, nothing unlisted is present, and every document is a
PDF. Only then does the caller write anything; a refusal says why in one sentence. The
documents stay in memory: the import path extracts and encrypts them from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dossier.errors import InputRefused
from dossier.export import manifest as manifest_mod
from dossier.export.verify import VerifyReport, load_bundle_bytes, verify_zip
from dossier.i18n import _
from dossier.pdf.open import has_pdf_header
from dossier.zipsafe import SafeZip


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
            _("{name} was refused: it does not verify ({details}); nothing was written.").format(
                name=path.name, details="; ".join(details)
            )
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
                    _("{name} was refused: {path} is not a PDF; nothing was written.").format(
                        name=path.name, path=entry.path
                    )
                )
            documents[entry.path] = content
    return VerifiedBundle(parsed, documents, report)

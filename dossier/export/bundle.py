"""Assembling a bundle: text files, manifest, signature, zip; written atomically or sealed.

The zip is built in memory (its PDFs already are: the self-check needs every one of them
before anything is finalized), then either written to a temporary file beside the destination
and renamed into place, or sealed under the bundle passphrase so its plaintext never reaches
the disk. On any failure the destination is left as it was.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.crypto.kdf import KdfParams
from dossier.export import html, manifest
from dossier.export.content import (
    BundleContent,
    letters_csv,
    people_csv,
    quotes_csv,
    timeline_csv,
)
from dossier.export.layout import zip_time
from dossier.export.signing import SigningKey
from dossier.fsutil import atomic_write

APP_NAME = "Dossier"


@dataclass(frozen=True)
class BuiltBundle:
    data: bytes
    """The zip's bytes."""
    manifest: bytes
    text_files: dict[str, bytes]
    fingerprint: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def text_files(content: BundleContent) -> dict[str, bytes]:
    return {
        "quotes.csv": quotes_csv(content),
        "letters.csv": letters_csv(content),
        "people.csv": people_csv(content),
        "timeline.csv": timeline_csv(content),
        "index.html": html.render(content),
    }


def manifest_dict(content: BundleContent, members: dict[str, bytes]) -> dict[str, Any]:
    return {
        "format": manifest.FORMAT,
        "format_version": manifest.FORMAT_VERSION,
        "app": {"name": APP_NAME, "version": content.app_version},
        "created_at": content.created_at,
        "case": {"name": content.case_name},
        "signing_key": {"algorithm": "Ed25519", "fingerprint": content.fingerprint},
        "files": [
            {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in sorted(members.items())
        ],
        "documents": [doc.to_json() for doc in content.documents],
        "quotes": [quote.to_json() for quote in content.quotes],
        "letters": [letter.to_json() for letter in content.letters],
        "people": [person.to_json() for person in content.people],
        "timeline": [entry.to_json() for entry in content.timeline],
        "redactions": content.redaction_totals(),
    }


def build(content: BundleContent, key: SigningKey) -> BuiltBundle:
    texts = text_files(content)
    members: dict[str, bytes] = dict(texts)
    for doc in content.documents:
        members[doc.path] = doc.data
    manifest_bytes = manifest.dump(manifest_dict(content, members))
    signature = key.sign_manifest(manifest_bytes)
    stamp = zip_time(content.created_at)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        ordered = [(manifest.MANIFEST, manifest_bytes), (manifest.SIGNATURE, signature)]
        ordered += [(name, texts[name]) for name in manifest.TEXT_FILES]
        ordered += [(doc.path, doc.data) for doc in content.documents]
        for name, data in ordered:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            # PDFs are compressed inside already: storing them keeps export fast.
            pdf = name.endswith(".pdf")
            info.compress_type = zipfile.ZIP_STORED if pdf else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return BuiltBundle(buffer.getvalue(), manifest_bytes, texts, key.fingerprint)


def write(out: Path, bundle: BuiltBundle, passphrase: str | None, params: KdfParams | None) -> None:
    """Put the bundle at `out`: as a plain zip, or sealed when a passphrase is given."""
    if passphrase is not None:
        from dossier.export.transport import write_sealed_bundle

        assert params is not None, "a sealed bundle needs KDF parameters"
        write_sealed_bundle(out, bundle.data, passphrase, params)
    else:
        atomic_write(out, bundle.data)

"""`manifest.json`: what a bundle holds, hashed, and the facts about it; and its strict reader.

The manifest lists every other file of the bundle (path, SHA-256, size) and describes the
documents (title, pages, how many redactions of each kind, never what was redacted), the
quotes (text, speaker or pseudonym, verdict, anchors as page + rectangles in the exported
PDFs) and the letters. It is signed as bytes (`manifest.sig`), so it is written once, in a
stable form (sorted keys, UTF-8), and never re-serialised before checking.

The reader validates the shape before anything trusts it: a bundle is hostile until proven
otherwise.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from dossier.errors import InputRefused
from dossier.i18n import _
from dossier.text import outside_json

FORMAT = "dossier-bundle"
FORMAT_VERSION = 2
"""2: people.csv and timeline.csv (and their lists in the manifest) were added."""
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MAX_MANIFEST_BYTES = 64 * 1024**2
DOCUMENTS_DIR = "documents/"
TEXT_FILES = ("quotes.csv", "letters.csv", "people.csv", "timeline.csv", "index.html")

_DOCUMENT_NAME = re.compile(r"^documents/[A-Za-z0-9][A-Za-z0-9._-]{0,118}\.pdf$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def is_document_path(path: str) -> bool:
    return bool(_DOCUMENT_NAME.match(path))


def allowed_path(path: str) -> bool:
    """Names a bundle may contain besides the manifest and its signature."""
    return path in TEXT_FILES or is_document_path(path)


def dump(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


@dataclass(frozen=True)
class FileEntry:
    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    raw: dict[str, Any]
    files: tuple[FileEntry, ...]

    @property
    def app_version(self) -> str:
        return str(self.raw.get("app", {}).get("version", ""))

    @property
    def created_at(self) -> str:
        return str(self.raw.get("created_at", ""))

    @property
    def documents(self) -> list[dict[str, Any]]:
        return [d for d in self.raw.get("documents", []) if isinstance(d, dict)]

    @property
    def case_name(self) -> str:
        case = self.raw.get("case")
        return str(case.get("name", "")) if isinstance(case, dict) else ""


def _refuse(reason: str) -> InputRefused:
    return InputRefused(
        _("the bundle's manifest.json is malformed: {reason}.").format(reason=reason)
    )


def parse(data: bytes) -> Manifest:
    """Validate and read manifest bytes; raises InputRefused naming the first problem."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise _refuse("it is too large")
    try:
        raw = outside_json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _refuse("it is not JSON text") from None
    if not isinstance(raw, dict):
        raise _refuse("it is not a JSON object")
    if raw.get("format") != FORMAT:
        raise _refuse("it is not a Dossier bundle manifest")
    version = raw.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _refuse("it has no format version")
    if version > FORMAT_VERSION or version < 1:
        raise InputRefused(
            _(
                "this bundle uses format version {version}; this Dossier reads version "
                "{FORMAT_VERSION}. Update Dossier to read it."
            ).format(version=version, FORMAT_VERSION=FORMAT_VERSION)
        )
    files = raw.get("files")
    if not isinstance(files, list):
        raise _refuse("it has no list of files")
    entries: list[FileEntry] = []
    seen: set[str] = set()
    for item in files:
        if not isinstance(item, dict):
            raise _refuse("a file entry is not an object")
        path, digest, size = item.get("path"), item.get("sha256"), item.get("size")
        if not isinstance(path, str) or not allowed_path(path):
            raise _refuse("a file entry has a name a bundle may not contain")
        if not isinstance(digest, str) or not _SHA256.match(digest):
            raise _refuse(f"the hash of {path} is not a SHA-256")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise _refuse(f"the size of {path} is not a number of bytes")
        if path in seen:
            raise _refuse(f"{path} is listed twice")
        seen.add(path)
        entries.append(FileEntry(path, digest, size))
    for key in ("documents", "quotes", "letters", "people", "timeline"):
        if key in raw and not isinstance(raw[key], list):
            raise _refuse(f"'{key}' is not a list")
    return Manifest(raw=raw, files=tuple(entries))

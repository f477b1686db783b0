"""Where the repository and the shared corpus are, for tests at any depth of the tree."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "pdfs"
INGEST_CORPUS = SHARED / "corpus" / "ingest"
"""Word, OpenDocument, RTF, Outlook, mailboxes, archives and photos as sources send them."""

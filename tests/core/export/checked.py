"""The self-check on its own, run on a bundle of the files a test names: what each test of a
leak the export's gate lets through builds, to show the check still finds it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Collection, Mapping

from dossier.redact.bundlecheck import Watchlist, check_bundle, needles
from dossier.redact.selfcheck import Finding


def bundle_of(files: Mapping[str, str | bytes]) -> bytes:
    """A zip of `files` (path: content), as a bundle is."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, content in files.items():
            archive.writestr(path, content)
    return buffer.getvalue()


def findings_in(
    files: Mapping[str, str | bytes],
    watchlist: Watchlist,
    ocr_pages: Mapping[str, Collection[int]] | None = None,
) -> list[Finding]:
    """What the self-check finds in a bundle of `files` watching for `watchlist`; `ocr_pages`:
    the pages of each PDF read by OCR."""
    found = needles(watchlist, lambda doc: [])
    return check_bundle(bundle_of(files), found, {}, ocr_pages=ocr_pages).findings

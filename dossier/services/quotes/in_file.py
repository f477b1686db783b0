"""Anchoring quotes in a PDF that is in no vault (`dossier anchor PDF QUOTE`).

A reader checking a published quote against a source file needs no vault: the file is read
once, then each quote is anchored in its pages the way a stored document's quotes are.
"""

from __future__ import annotations

from pathlib import Path

from dossier.anchor import AnchorResult, anchor_quote
from dossier.errors import InputRefused
from dossier.i18n import _
from dossier.pdf.extract import extract_pdf


class FileAnchoring:
    """The pages of one PDF, read once, and the quotes anchored in them."""

    def __init__(self, path: Path, *, ocr: bool = True) -> None:
        if not path.is_file():
            raise InputRefused(_("cannot read {path}: no such file").format(path=path))
        self._pages = extract_pdf(path, ocr=ocr).pages
        self._labels = {page.index: page.display_label for page in self._pages}

    def anchor(self, quote: str) -> AnchorResult:
        return anchor_quote(quote, self._pages)

    def page_label(self, page_index: int) -> str:
        """The label printed on the page (its number when it has none)."""
        return self._labels.get(page_index, str(page_index + 1))

"""Page rows of the catalog and the `PageText` values read from them and written into them.

Documents write pages (import, re-extraction); quotes read them (anchoring): both use these two.
"""

from __future__ import annotations

from dossier.db.models import Page
from dossier.text.model import PageText, unpack_words


def page_row(case_id: str, page: PageText) -> Page:
    """A new catalog row for an extracted page (the caller attaches it to its document)."""
    row = Page(case_id=case_id, page_index=page.index)
    fields = {
        "label": page.label,
        "text": page.text,
        "width": page.width,
        "height": page.height,
        "rotation": page.rotation,
        "ocr": page.ocr,
    }
    if page.full_text:
        fields["full_text"] = page.full_text
    row.set_sealed(fields)
    row.words = page.stored_words()
    return row


def page_text(page: Page, with_words: bool = True) -> PageText:
    return PageText(
        index=page.page_index,
        text=page.text,
        words=unpack_words(page.words) if with_words else [],
        label=page.label,
        width=page.width,
        height=page.height,
        rotation=page.rotation,
        ocr=page.ocr,
        full_text=page.full_text,
    )

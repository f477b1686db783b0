"""A quote whose speaker is merged into another person while the quote is anchored is stored
as said by the person kept, as the merge moved every quote it found.

A quote is anchored in one state of the catalog, without the write lock, then written: a
merge committed meanwhile left the new quote naming the person merged away, the only quote
the merge had not moved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dossier.services.workspace import Workspace
from tests.pdfgen import FRENCH_PARAGRAPHS, text_page, write_pdf


def test_a_quote_anchored_while_its_speaker_is_merged(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = workspace
    case = ws.cases.create("Merging").id
    path = tmp_path / "memo.pdf"
    write_pdf(path, [text_page(*FRENCH_PARAGRAPHS)])
    doc = ws.documents.import_file(case, path, ocr=False).id
    kept = ws.people.add(case, "Claire Dumas").id
    dropped = ws.people.add(case, "C. Dumas").id
    anchor = ws.quotes.locator.anchor

    def merging_meanwhile(*args: Any, **kwargs: Any) -> Any:
        ws.people.merge(case, kept, dropped)  # committed while the quote is anchored
        return anchor(*args, **kwargs)

    monkeypatch.setattr(ws.quotes.locator, "anchor", merging_meanwhile)
    words = " ".join(FRENCH_PARAGRAPHS).split()
    quote = ws.quotes.add(case, " ".join(words[:8]), speaker=dropped, source=doc)
    assert ws.quotes.get(quote.id).speaker_id == kept
    assert ws.fsck.run().problems == []

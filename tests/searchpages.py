"""Pages for search tests: index items as the import makes them, and text files imported into a
real vault, one document each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.search import IndexItem
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE


def page_item(
    doc: str, text: str, index: int = 0, *, ocr: bool = False, title: str | None = None
) -> IndexItem:
    """Page `index` of document `doc` (titled "Pièce <doc>" unless told), French."""
    return IndexItem(
        item_id=f"{doc}:{index}",
        doc_id=doc,
        case_id="case",
        item_type="page",
        kind="source",
        title=f"Pièce {doc}" if title is None else title,
        text=text,
        page_index=index,
        language="fr",
        ocr=ocr,
    )


def import_texts(
    workspace: Workspace, case: str, folder: Path, pages: dict[str, str]
) -> dict[str, str]:
    """Each text of `pages` imported as a text file named (and titled) by its key: the names by
    document id."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in pages.items():
        path = folder / f"{name}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        paths.append(path)
    outcomes = workspace.documents.import_many(case, paths, ocr=False)
    assert all(o.document is not None for o in outcomes)
    return {o.document.id: Path(o.path).stem for o in outcomes if o.document is not None}


def searched_vault(factory: pytest.TempPathFactory, name: str) -> Iterator[Workspace]:
    """An open vault for a module-scoped fixture whose tests only search it: made once for the
    module, closed after its last test."""
    with Workspace.create(factory.mktemp(name) / "vault", PASSPHRASE, TEST_ONLY_FAST) as opened:
        yield opened

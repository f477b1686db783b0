"""A seized catalog does not pick a known document out by the lengths of its pages.

Someone holding a leaked PDF can import it into a vault of their own and read, without any key,
what its page rows look like in catalog.sqlite: one row a page, each as long as the page's
sealed text and word map. Unpadded, that sequence of lengths named the document among all others
in a journalist's seized catalog. Now every sealed value is padded and the pages of a document
share one size a column: what is left is the page count and the size class of the longest page.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.workspace import Workspace
from tests.clirun import PASSPHRASE
from tests.pdfgen import text_page, write_pdf

_BANK = "préfet enquête logiciel caméra police budget marché rapport analyse image".split()


def _pdf(path: Path, lengths: list[int], seed: int) -> Path:
    rng = random.Random(seed)
    pages = [text_page(" ".join(rng.choice(_BANK) for _ in range(n))) for n in lengths]
    return write_pdf(path, pages)


def _fingerprints(vault: Path) -> dict[str, tuple[tuple[int, int], ...]]:
    """What the catalog shows without a key: each document's page rows, in order, by size."""
    db = sqlite3.connect(vault / "catalog.sqlite")
    try:
        rows = db.execute(
            "SELECT document_id, page_index, length(sealed), length(sealed_words) FROM page"
            " ORDER BY document_id, page_index"
        ).fetchall()
    finally:
        db.close()
    found: dict[str, list[tuple[int, int]]] = {}
    for document, _index, sealed, words in rows:
        found.setdefault(document, []).append((sealed, words))
    return {document: tuple(sizes) for document, sizes in found.items()}


def test_a_leaked_pdf_is_not_singled_out_by_its_page_lengths(
    workspace: Workspace, tmp_path: Path
) -> None:
    leaked_lengths = [40, 260, 90, 300, 150, 210, 35, 280]
    leaked = _pdf(tmp_path / "memo.pdf", leaked_lengths, seed=1)
    # Other documents of the case: as many pages, as long a longest page, other page lengths.
    rng = random.Random(7)
    others = []
    for number in range(5):
        lengths = [rng.randint(30, 290) for _ in leaked_lengths]
        lengths[number] = 300
        others.append(_pdf(tmp_path / f"autre-{number}.pdf", lengths, seed=10 + number))
    case = workspace.cases.create("Saisie").id
    outcomes = workspace.documents.import_many(case, [*others, leaked], ocr=False)
    assert all(o.document is not None for o in outcomes), [o.error for o in outcomes]
    seized = _fingerprints(workspace.vault.folder)

    adversary = Workspace.create(tmp_path / "Adversary.dossier", PASSPHRASE, TEST_ONLY_FAST)
    try:
        own_case = adversary.cases.create("Copie").id
        adversary.documents.import_file(own_case, leaked, ocr=False)
        (probe,) = _fingerprints(adversary.vault.folder).values()
    finally:
        adversary.close()

    for document, sizes in seized.items():
        assert len(set(sizes)) == 1, f"{document}'s page rows tell its page lengths: {sizes}"
    matches = [document for document, sizes in seized.items() if sizes == probe]
    # The leaked PDF's rows look like those of any document of as many pages whose longest page
    # falls in the same size class (5 of the 6 here).
    assert len(matches) >= 4, (
        f"the leaked PDF's page sizes match {len(matches)} of the case's 6 documents: {probe}"
    )


def test_every_value_in_the_catalog_is_sealed_padded(workspace: Workspace, tmp_path: Path) -> None:
    case = workspace.cases.create("Tout").id
    pdf = _pdf(tmp_path / "a.pdf", [20, 200, 60], seed=3)
    info = workspace.documents.import_file(case, pdf, ocr=False)
    person = workspace.people.add(case, "Patrick Leonard")
    workspace.quotes.add(case, "préfet enquête", speaker=person.id, source=info.id)
    db = sqlite3.connect(workspace.vault.folder / "catalog.sqlite")
    try:
        tables = [
            name
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if any(col[1] == "sealed" for col in db.execute(f'PRAGMA table_info("{name}")'))
        ]
        unpadded = []
        for table in tables:
            side = [
                col[1]
                for col in db.execute(f'PRAGMA table_info("{table}")')
                if col[1].startswith("sealed")
            ]
            for column in side:
                for (value,) in db.execute(f'SELECT "{column}" FROM "{table}"'):
                    if value and value[3] != 2:
                        unpadded.append(f"{table}.{column}")
    finally:
        db.close()
    assert {"page", "document", "person", "quote"} <= set(tables)
    assert unpadded == []


def test_a_documents_pages_read_again_share_one_size(workspace: Workspace, tmp_path: Path) -> None:
    case = workspace.cases.create("Relu").id
    first = workspace.documents.import_file(case, _pdf(tmp_path / "a.pdf", [30, 250, 90], 4))
    second = workspace.documents.import_file(case, _pdf(tmp_path / "b.pdf", [20, 60], 5))
    workspace.documents.reextract(first.id, ocr=False)
    workspace.documents.replace_original(second.id, _pdf(tmp_path / "c.pdf", [280, 40], 6))
    seized = _fingerprints(workspace.vault.folder)
    for document, sizes in seized.items():
        assert len(set(sizes)) == 1, f"{document}'s page rows tell its page lengths: {sizes}"

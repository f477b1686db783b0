"""A seized vault's search index does not tell, to the byte, what an imported document holds.

Each commit adds a segment to the case's sealed index: a handful of files whose lengths follow
from the document's words (its terms, postings, stored fields). Someone holding a leaked PDF can
import it into a vault of their own and read those lengths without a key; sealed unpadded, they
were the plaintext's lengths plus a fixed cost per block, and the same file gave the same bytes.
"""

from __future__ import annotations

import random
from pathlib import Path

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.crypto.padding import padme
from dossier.crypto.sealedfile import HEADER
from dossier.search.storage import sealed_length
from dossier.services.workspace import Workspace
from tests.clirun import PASSPHRASE
from tests.pdfgen import text_page, write_pdf

_BANK = "préfet enquête logiciel caméra police budget marché rapport analyse image".split()


def _pdf(path: Path, words: int, seed: int) -> Path:
    rng = random.Random(seed)
    extra = [f"mot{rng.randint(0, 10_000)}" for _ in range(words // 3)]
    text = " ".join(rng.choice(_BANK + extra) for _ in range(words))
    return write_pdf(path, [text_page(text)])


def _index_files(vault: Path) -> dict[str, int]:
    folder = vault / "index"
    return {
        str(path.relative_to(folder)): path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file()
    }


def _vault(folder: Path, pdfs: list[Path]) -> dict[str, int]:
    """The index files a vault holding `pdfs` in one case shows once closed (its index written)."""
    ws = Workspace.create(folder, PASSPHRASE, TEST_ONLY_FAST)
    try:
        case = ws.cases.create("Saisie").id
        for pdf in pdfs:
            ws.documents.import_file(case, pdf, ocr=False)
    finally:
        ws.close()
    return _index_files(folder)


def test_index_files_are_sealed_at_padded_lengths(tmp_path: Path) -> None:
    pdfs = [_pdf(tmp_path / f"d{n}.pdf", words, n) for n, words in enumerate((37, 181, 240, 95))]
    sizes = _vault(tmp_path / "Seized.dossier", pdfs)
    assert any(n.endswith(".seg") for n in sizes), f"the import wrote no index segment: {sizes}"
    exact = {}
    for name, stored in sizes.items():
        path = tmp_path / "Seized.dossier" / "index" / name
        with open(path, "rb") as fh:
            version = fh.read(len(HEADER))[len(HEADER) - 4]
        sealed = sealed_length(path)  # what the file seals, padding included
        if version != 2 or padme(sealed) != sealed:
            exact[name] = stored
    assert exact == {}, f"index files sealed at their exact lengths: {exact}"


def test_a_leaked_pdf_does_not_name_its_index_segment(tmp_path: Path) -> None:
    leaked = _pdf(tmp_path / "memo.pdf", 173, seed=99)
    probe = sorted(_vault(tmp_path / "Adversary.dossier", [leaked]).values())
    assert len(probe) == 3, f"not one segment: {probe}"
    seized = sorted(_vault(tmp_path / "Seized.dossier", [leaked]).values())
    others = [
        sorted(
            _vault(tmp_path / f"O{n}.dossier", [_pdf(tmp_path / f"o{n}.pdf", words, n)]).values()
        )
        for n, words in enumerate((160, 166, 170, 176, 180, 186))
    ]
    # Unpadded, not even the seized copy showed the probe's lengths to the byte (ids differ), but
    # it alone was within a few bytes; padded, documents of about its size show the same ones.
    alike = [sizes for sizes in (seized, *others) if sizes == probe]
    assert len(alike) >= 3, (
        f"the leaked PDF's index files {probe}; the seized {seized}, others {others}"
    )

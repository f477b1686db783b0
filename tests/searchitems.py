"""Index items for the search tests: pages and notes of 300 words, with a rare word each
("mot{n}x") and the words the analysis must fold, split and keep. Plain Python, without pytest:
the killed apps of `tests.killable` build them too."""

from __future__ import annotations

from dossier.search import IndexItem

KEY = bytes(range(32))
WORDS = "Léonard témoin e-mail 20/11/2023 préfecture l'enquête de Villepin 1 000 000 OCR".split()


def items(count: int, case_id: str = "case-a") -> list[IndexItem]:
    made = []
    for n in range(count):
        text = " ".join(
            WORDS[(n + k) % len(WORDS)] + ("" if k % 7 else f" mot{n}x") for k in range(300)
        )
        made.append(
            IndexItem(
                item_id=f"d{n // 3}:{n % 3}",
                doc_id=f"d{n // 3}",
                case_id=case_id,
                item_type="page" if n % 5 else "note",
                kind="source",
                title=f"Titre {n}",
                text=text,
                page_index=n % 3 if n % 5 else None,
                date="2023-11-20" if n % 2 else None,
                people=("p1",) if n % 3 == 0 else (),
                tags=("t",) if n % 4 == 0 else (),
                secondary="menu pied de page" if n % 6 == 0 else "",
                ocr=n % 8 == 0,
            )
        )
    return made

"""Saved web articles: how much of the article Dossier keeps, and how much boilerplate.

Pages: the 220 saved pages of `shared/corpus/articles/` (all of them are imported, to count
pages that raise), scored on those annotated in `bench/data/article_snippets.json` (snippets
of the article, and of the boilerplate around it, from a public evaluation set), plus news
pages generated here with a menu, a cookie banner, a "read also" list, comments and a footer.

A "with" snippet found in the text is a true positive (else a false negative); a "without"
snippet found is a false positive. Three readings of the same pages in the same run:
Dossier's import, the naive visible text (everything a reader could see), and trafilatura's
default `extract`. Goal (issue 18): Dossier's F1 >= 0.92, ahead of trafilatura's default,
and no page raising.

    python -m bench.bench_articles [--synthetic 40]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dossier.errors import DossierError
from dossier.ingest.formats import _declared_charset, extract_bytes
from dossier.ingest.html_text import visible_text
from dossier.ingest.sniff import decode_text

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "articles"
SNIPPETS = Path(__file__).resolve().parent / "data" / "article_snippets.json"
_SPACE = re.compile(r"\s+")


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    raised: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, text: str, with_: list[str], without: list[str]) -> None:
        flat = _flat(text)
        for snippet in with_:
            if _flat(snippet) in flat:
                self.tp += 1
            else:
                self.fn += 1
        for snippet in without:
            if _flat(snippet) in flat:
                self.fp += 1
            else:
                self.tn += 1

    def report(self) -> dict[str, object]:
        precision = self.tp / max(1, self.tp + self.fp)
        recall = self.tp / max(1, self.tp + self.fn)
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        return {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "raised": len(self.raised),
            "raised_pages": self.raised[:10],
            "refused": len(self.refused),
            "seconds": round(self.seconds, 2),
        }


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _decode(data: bytes) -> str:
    return _declared_charset(data) or decode_text(data) or data.decode("latin-1")


def dossier_text(data: bytes, name: str) -> str:
    return extract_bytes(data, name, ocr=False).text


def naive_text(data: bytes, name: str) -> str:
    return visible_text(_decode(data))


def trafilatura_default(data: bytes, name: str) -> str:
    import trafilatura

    return trafilatura.extract(_decode(data)) or ""


READERS: dict[str, Callable[[bytes, str], str]] = {
    "dossier": dossier_text,
    "naive_visible_text": naive_text,
    "trafilatura_default": trafilatura_default,
}


# -- pages generated here ------------------------------------------------------------------

_SUBJECTS = [
    "La préfecture", "Le conseil municipal", "La direction de l'hôpital", "Le ministère",
    "The county council", "The regional health authority", "The mayor's office", "The board",
]  # fmt: skip
_VERBS = [
    "a confirmé vendredi", "a reconnu devant les élus", "a refusé de commenter",
    "confirmed on Friday", "acknowledged before the committee", "declined to comment on",
]  # fmt: skip
_OBJECTS = [
    "le contrat signé avec le prestataire en {y}", "les retards du chantier du collège",
    "la subvention de {n} euros versée à l'association", "the contract signed in {y}",
    "the {n}-pound payment to the charity", "the delays on the school building site",
]  # fmt: skip
_MENU = ["Accueil", "Politique", "Économie", "Société", "Sports", "Culture", "Abonnez-vous"]
_FOOTER = ["Mentions légales", "Politique de confidentialité", "Nous contacter", "Plan du site"]
_COOKIE = "Nous utilisons des cookies pour améliorer votre expérience. Tout accepter Paramétrer"
_READ_ALSO = "Lire aussi"


def _sentence(rng: random.Random, number: int) -> str:
    obj = rng.choice(_OBJECTS).format(y=rng.randint(2015, 2024), n=rng.randint(10, 900) * 1000)
    return f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {obj} (fait n° {number})."


def synthetic_page(rng: random.Random, number: int) -> tuple[str, list[str], list[str]]:
    """A news page as a browser saves it, the snippets of its article and of its boilerplate."""
    paragraphs = [
        " ".join(_sentence(rng, number * 100 + p * 10 + s) for s in range(rng.randint(2, 4)))
        for p in range(rng.randint(4, 9))
    ]
    teasers = [f"Dossier annexe numéro {number}-{i} sur les marchés publics" for i in range(4)]
    comment = f"Commentaire de lecteur {number} : scandaleux, comme d'habitude."
    byline = f"Par Camille Martin{number}"
    menu = "".join(f'<li><a href="/{m.lower()}">{m}</a></li>' for m in _MENU)
    also = "".join(f'<li><a href="/a/{i}">{t}</a></li>' for i, t in enumerate(teasers))
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    markup = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>Enquête {number} | Le Courrier</title>"
        f'<meta property="og:site_name" content="Le Courrier">'
        f'<link rel="canonical" href="https://courrier.example/enquete-{number}"></head><body>'
        f'<div class="cookie-banner" id="cookies"><p>{_COOKIE}</p><button>OK</button></div>'
        f'<header class="site-header"><div class="logo">Le Courrier</div><ul class="menu">{menu}'
        "</ul></header>"
        f'<div class="content"><div class="post"><h1>Enquête {number}</h1>'
        f'<div class="byline">{byline}</div>{body}</div>'
        f'<div class="related"><h3>{_READ_ALSO}</h3><ul>{also}</ul></div>'
        f'<div class="comments"><h3>Commentaires</h3><p>{comment}</p></div></div>'
        f'<div class="footer">{" · ".join(_FOOTER)} © Le Courrier {number}</div>'
        "</body></html>"
    )
    with_ = [paragraphs[0][:60], paragraphs[len(paragraphs) // 2][-60:], paragraphs[-1][:60]]
    without = [_COOKIE[:40], teasers[1], comment, "Politique de confidentialité"]
    return markup, with_, without


# -- the run -------------------------------------------------------------------------------


def _run(
    reader: Callable[[bytes, str], str],
    pages: list[tuple[str, bytes, list[str] | None, list[str] | None]],
) -> Score:
    score = Score()
    start = time.perf_counter()
    for name, data, with_, without in pages:
        try:
            text = reader(data, name)
        except DossierError:
            score.refused.append(name)
            text = ""
        except Exception as exc:
            score.raised.append(f"{name}: {type(exc).__name__}")
            text = ""
        if with_ is not None and without is not None:
            score.add(text, with_, without)
    score.seconds = time.perf_counter() - start
    return score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=40, help="generated news pages")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(json.dumps({"error": f"corpus not found at {CORPUS}"}))
        return 1
    snippets = json.loads(SNIPPETS.read_text(encoding="utf-8"))
    corpus: list[tuple[str, bytes, list[str] | None, list[str] | None]] = []
    for path in sorted(CORPUS.iterdir()):
        note = snippets.get(path.name)
        corpus.append(
            (path.name, path.read_bytes(), note and note["with"], note and note["without"])
        )
    rng = random.Random(18)
    generated: list[tuple[str, bytes, list[str] | None, list[str] | None]] = []
    for number in range(args.synthetic):
        markup, with_, without = synthetic_page(rng, number)
        generated.append((f"generated-{number}.html", markup.encode(), with_, without))
    result: dict[str, object] = {
        "corpus_pages": len(corpus),
        "annotated_corpus_pages": sum(1 for page in corpus if page[2] is not None),
        "generated_pages": len(generated),
    }
    for label, pages in (("corpus", corpus), ("generated", generated)):
        result[label] = {name: _run(reader, pages).report() for name, reader in READERS.items()}
    print(json.dumps(result, indent=2, ensure_ascii=False))
    corpus_scores = result["corpus"]
    assert isinstance(corpus_scores, dict)
    ours = corpus_scores["dossier"]
    return 0 if ours["raised"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

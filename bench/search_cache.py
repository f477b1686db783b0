"""Indexes of the search bench's corpus, built once and kept under build/ for the next runs.

Indexing 50,000 pages twice (plain and sealed) takes longer than every search after it, so the
two indexes, the figures of the run that built them and the phrases the queries take from the
pages are kept in `build/bench-search/<pages>-<fingerprint>/`. The fingerprint covers what
changes the indexes: the corpus generator and its vocabulary, the schema and the analysis. Any
change to those builds afresh; a folder whose build did not finish is never used (it is built
under a temporary name and renamed when complete). The corpus is public generated text: nothing
kept here comes from a vault.
"""

from __future__ import annotations

import hashlib
import inspect
import itertools
import json
import os
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = ROOT / "build" / "bench-search"
BUILD_FILE = "build.json"
_SAMPLE = (
    "L’enquête sur la vidéo-surveillance en Haute-Garonne : 1 000 000 € le 20 novembre 2023, "
    "20/11/2023, 2023-11-20 ; un million d’euros. The e-mail of P. Léonard, ﬁnance, Œuvre."
)


def fingerprint(*, codec: bool = True) -> str:
    """A digest of everything the cached indexes depend on: the corpus generator and its
    vocabulary, what the schema and analysis make of pages (the Whoosh documents of the first
    pages and of a sample with compounds, numbers and dates), not the source text of those
    modules (an edited error message changes nothing kept here), and the codec the app writes
    segments with (its size is measured). Without `codec`: what search results depend on, for
    a vault whose index the app wrote and reads whichever codec wrote it (the quote bench)."""
    from bench import bench_search as bench  # the corpus lives there
    from dossier.search.codec import index_codec
    from dossier.search.model import IndexItem
    from dossier.search.schema import SCHEMA_VERSION, build_schema, to_document

    digest = hashlib.blake2b(digest_size=8)
    corpus_parts = (
        inspect.getsource(bench.Corpus),
        inspect.getsource(bench._rare_vocabulary),
        repr((bench.SEED, bench.PAGE_CHARS, bench.COMMIT_EVERY, bench.FRENCH, bench.ENGLISH)),
        repr((bench.FRENCH_ELIDED, bench.SYLLABLES, bench.PHRASE_PAGES)),
        repr((bench.FUNCTION_PHRASE_PAGES, sorted(bench.FUNCTION_WORDS))),
        repr((SCHEMA_VERSION, sorted((n, type(f).__name__) for n, f in build_schema().items()))),
    )
    for part in corpus_parts:
        digest.update(part.encode("utf-8"))
    sample = IndexItem("s:0", "s", "bench", "page", "source", "Échantillon", _SAMPLE, 0)
    pages = itertools.islice(bench.Corpus(200).items(), 200)
    for item in itertools.chain([sample], pages):
        digest.update(repr(sorted(to_document(item).items())).encode("utf-8"))
    if codec:
        written = index_codec()
        digest.update(repr((type(written).__name__, sorted(vars(written).items()))).encode())
    return digest.hexdigest()


def cache_folder(root: Path, pages: int) -> Path:
    return root / f"{pages}-{fingerprint()}"


def load(folder: Path) -> dict[str, Any] | None:
    """What the build recorded, or None when there is no finished build here."""
    try:
        loaded: dict[str, Any] = json.loads((folder / BUILD_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return loaded


def building(folder: Path) -> Path:
    """A fresh folder to build `folder` in (renamed by `finish`)."""
    work = folder.parent / f"{folder.name}.building-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    return work


def write_record(folder: Path, record: dict[str, Any]) -> None:
    (folder / BUILD_FILE).write_text(json.dumps(record, indent=2), "utf-8")


def finish(work: Path, folder: Path, record: dict[str, Any]) -> None:
    """Record the build and put the folder in place; older builds of this size go."""
    write_record(work, record)
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(work, folder)
    pages = folder.name.split("-", 1)[0]
    for other in folder.parent.glob(f"{pages}-*"):
        if other != folder:
            shutil.rmtree(other, ignore_errors=True)

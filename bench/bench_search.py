"""Search benchmark: sealed index storage against Whoosh's plain FileStorage, in the same run.

    python -m bench.bench_search                 # 5,000 pages
    python -m bench.bench_search --pages 50000   # 50,000 pages (indexes kept, see below)

A deterministic French and English corpus (seeded vocabulary with accented and elided words)
is indexed, then searched with a fixed set of one-word, two-word and phrase queries, once per
storage, each storage in its own subprocess so peak memory (max RSS) is its own. Both go
through the same code: Dossier's schema, analysis, query parser and snippets; only the storage
differs, and the codec the sealed index's segments are written with (the app's, `codec.py`).
Prints JSON with the figures and the ratios encrypted / plain.

The two indexes are built once per corpus size and kept under build/bench-search/ (see
`search_cache.py`; `--no-cache` builds them in a temporary folder): later runs search them and
report the indexing figures of the run that built them. Each search is timed in wall-clock and
in CPU time of the thread that runs it: on a machine other work is loading, the CPU time is what
the search itself cost, and the load averages at the start and end of the run say how loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench import search_cache
from bench.fts5_reference import Fts5Reference, time_queries
from dossier.search.codec import index_codec
from dossier.search.execute import Runner
from dossier.search.facade import WRITER_LIMIT_MB
from dossier.search.model import IndexItem, SearchFilters
from dossier.search.postings import PostingsCache
from dossier.search.query import filter_query, parse_query
from dossier.search.schema import INDEX_NAME, build_schema, to_document
from dossier.search.snippets import build_snippet
from dossier.search.storage import EncryptedStorage

SEED = 20240611
PAGE_CHARS = 3400
COMMIT_EVERY = 1000
LIMIT = 10

FRENCH = (
    "le la les de des du un une et est en que qui dans pour pas sur au aux avec ce cette il elle "
    "nous vous ils elles ont été sont était avait fait plus mais comme tout leur sans selon sous "
    "entre après avant depuis aussi encore déjà très bien dont où même autre chaque lors "
    "sécurité données police enquête rapport ministère préfecture reconnaissance faciale caméras "
    "surveillance algorithme société contrat marché public député assemblée sénat gouvernement "
    "président ministre conseil décision tribunal juge avocat plainte procédure témoin source "
    "document courrier réponse question délai publication article journaliste rédaction "
    "financement budget dépense coût euros millions entreprise fournisseur prestataire logiciel "
    "système déploiement expérimentation commune ville mairie région état européen loi décret "
    "règlement autorisation commission informatique libertés protection vie privée citoyens "
    "manifestation stade aéroport gare transport agents équipe données biométriques fichier "
    "traitement image vidéo intelligence artificielle évaluation résultat erreur taux efficacité "
    "année mois semaine jour hier aujourd’hui prochain dernier premier nouveau grand petit "
    "important nécessaire possible général national local officiel secret confidentiel"
).split()
FRENCH_ELIDED = (
    "l’utilisation l’enquête l’entreprise l’État l’article d’une d’un d’après qu’il qu’elle "
    "l’algorithme l’expérimentation d’accès l’autorisation s’agit n’est c’est jusqu’à"
).split()
ENGLISH = (
    "the of and to in is that for it as was with be by on not he this are or his from at which "
    "but have an they you were her she there been one all we their has would when if so what "
    "security data police investigation report ministry facial recognition cameras surveillance "
    "algorithm company contract public market member parliament government president minister "
    "council decision court judge lawyer complaint procedure witness source document letter "
    "reply question deadline publication article journalist newsroom funding budget spending "
    "cost million supplier contractor software system deployment trial city region state law "
    "regulation authority privacy protection citizens protest stadium airport station transport "
    "officers team biometric file processing image video intelligence artificial evaluation "
    "result error rate accuracy year month week day yesterday today next last first new large "
    "small important necessary possible general national local official secret confidential "
    "investigating investigated investigates"
).split()
SYLLABLES = (
    "ba bé ci da dé fo ga gè ho ja ka la lé mo na né pa po qui ra ré sa sé ta té va vo za "
    "tion ment ance ité eur ier ard ouin elle ette ique isme ôle âge"
).split()

ONE_WORD = ["police", "sécurité", "surveillance", "algorithme", "rapport", "court", "privacy"]
TWO_WORD = [
    "reconnaissance faciale",
    "données biométriques",
    "police surveillance",
    "marché public",
    "facial recognition",
    "security cameras",
    "ministre décision",
]
RARE_RANKS = (50, 400, 3000)
"""Synthetic words of these ranks are also searched (mid to rare frequency)."""
PHRASE_PAGES = (7, 77, 777, 1777)
"""Pages a three-word phrase is taken from, around a content word (as reporters search)."""
FUNCTION_PHRASE_PAGES = (2777, 3777, 4777)
"""Pages a three-word phrase is taken from as is: mostly function words, the worst case."""
FIXED_PHRASES = ['"reconnaissance faciale"', '"données biométriques"', '"facial recognition"']
FIXED_FUNCTION_PHRASES = ['"de la"', '"et de la"', '"il est dans"', '"of the"', '"to the"']
"""Phrases of function words only, in nearly every page: the costliest phrases to check."""
FUNCTION_WORDS = frozenset(FRENCH[:66] + ENGLISH[:40])


def _rare_vocabulary(rng: random.Random, size: int) -> list[str]:
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Corpus:
    """Deterministic pages; the time spent generating them is tracked to be subtracted."""

    def __init__(self, pages: int) -> None:
        self.pages = pages
        rng = random.Random(SEED)
        self.rare = _rare_vocabulary(rng, 30_000)
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.rare))]
        self._rare_cum = _cumulative(weights)
        self._fr_cum = _cumulative([1.0 / (r + 1) for r in range(len(FRENCH))])
        self._en_cum = _cumulative([1.0 / (r + 1) for r in range(len(ENGLISH))])
        self.gen_seconds = 0.0
        self.text_bytes = 0
        self.phrases: list[str] = []
        self.function_phrases: list[str] = []

    def _page_text(self, rng: random.Random, french: bool) -> str:
        common, cum = (FRENCH, self._fr_cum) if french else (ENGLISH, self._en_cum)
        parts: list[str] = []
        size = 0
        while size < PAGE_CHARS:
            length = rng.randint(8, 20)
            words = rng.choices(common, cum_weights=cum, k=length)
            rare = rng.choices(self.rare, cum_weights=self._rare_cum, k=length // 3)
            for word in rare:
                words[rng.randrange(length)] = word
            if french and rng.random() < 0.5:
                words[rng.randrange(length)] = rng.choice(FRENCH_ELIDED)
            sentence = " ".join(words)
            sentence = sentence[0].upper() + sentence[1:] + rng.choice(".......?!;")
            parts.append(sentence)
            size += len(sentence) + 1
        return " ".join(parts)

    def items(self) -> Iterator[IndexItem]:
        rng = random.Random(SEED + 1)
        for number in range(self.pages):
            started = time.perf_counter()
            french = rng.random() < 0.6
            text = self._page_text(rng, french)
            doc = number // 20
            item = IndexItem(
                item_id=f"d{doc}:{number % 20}",
                doc_id=f"d{doc}",
                case_id="bench",
                item_type="page",
                kind=rng.choice(("article", "letter", "reply", "interview", "source")),
                title=f"Document {doc}",
                text=text,
                page_index=number % 20,
                page_label=str(number % 20 + 1),
                language="fr" if french else "en",
                date=f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            )
            if number in PHRASE_PAGES or number in FUNCTION_PHRASE_PAGES:
                words = [w.strip(".?!;") for w in text.split()]
                start = len(words) // 2
                if number in PHRASE_PAGES:
                    while words[start].lower() in FUNCTION_WORDS:
                        start += 1
                    self.phrases.append('"' + " ".join(words[start - 1 : start + 2]) + '"')
                else:
                    self.function_phrases.append('"' + " ".join(words[start : start + 3]) + '"')
            self.text_bytes += len(text.encode("utf-8"))
            self.gen_seconds += time.perf_counter() - started
            yield item


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


KINDS = ("plain", "encrypted")


def _make_storage(kind: str, folder: Path) -> Any:
    if kind == "encrypted":
        return EncryptedStorage(folder, bytes(range(32)), context="bench").create()
    from whoosh.filedb.filestore import FileStorage  # the baseline is plain Whoosh itself

    return FileStorage(str(folder)).create()


class _Indexer:
    """One index, fed batch by batch (one commit per batch, as imports do), timed."""

    def __init__(self, kind: str, folder: Path, *, existing: bool = False) -> None:
        self.kind = kind
        self.folder = folder
        storage = _make_storage(kind, folder)
        if existing:
            self.ix = storage.open_index(INDEX_NAME, schema=build_schema())
        else:
            self.ix = storage.create_index(build_schema(), indexname=INDEX_NAME)
        self.seconds = 0.0
        self.cpu_seconds = 0.0

    def add(self, batch: list[IndexItem]) -> None:
        started, cpu = time.perf_counter(), time.process_time()
        codec = index_codec() if self.kind == "encrypted" else None  # the app's, or Whoosh's
        writer = self.ix.writer(limitmb=WRITER_LIMIT_MB, procs=1, codec=codec)
        for item in batch:
            writer.add_document(**to_document(item))
        writer.commit()
        self.seconds += time.perf_counter() - started
        self.cpu_seconds += time.process_time() - cpu


def _batches(corpus: Corpus) -> Iterator[list[IndexItem]]:
    batch: list[IndexItem] = []
    for item in corpus.items():
        batch.append(item)
        if len(batch) == COMMIT_EVERY:
            yield batch
            batch = []
    if batch:
        yield batch


def _queries(corpus: Corpus) -> dict[str, list[str]]:
    rare = [corpus.rare[r] for r in RARE_RANKS]
    return {
        "one_word": ONE_WORD + rare,
        "two_word": [*TWO_WORD, f"{rare[0]} {rare[1]}", f"police {rare[2]}"],
        "phrase": corpus.phrases + FIXED_PHRASES,
        "phrase_function_words": corpus.function_phrases + FIXED_FUNCTION_PHRASES,
        "prefix": ["surveil*", "rapp*", "investig*", *(f"{w[:4]}*" for w in rare)],
        "fuzzy": ["polise~1", "survaillance~2", *(f"{w[:-1]}x~1" for w in rare)],
        "filtered": ["police", "surveillance", "reconnaissance faciale", rare[1]],
    }


GOAL_CATEGORIES = ("one_word", "two_word", "phrase")
"""Categories in "all" (the goals); the others are reported on their own."""
FILTER = SearchFilters(kinds=("article",), date_from="2015-01-01")
"""The filter of the "filtered" queries."""


def _search(runner: Runner, parsed: Any, restrict: Any = None) -> tuple[float, float, list[str]]:
    """Milliseconds (wall-clock, then this thread's CPU) for the search and the stored fields
    of the hits (what a hit list needs), as the app runs it (`SearchIndex._run`)."""
    started, cpu = time.perf_counter(), time.thread_time()
    found = runner.ranked(parsed.query, LIMIT, restrict)
    elapsed = (time.perf_counter() - started) * 1000
    ids = [fields["item_id"] for _score, fields, _parts in found]
    return elapsed, (time.thread_time() - cpu) * 1000, ids


def _summary(values: list[float]) -> dict[str, float]:
    return {"p50": round(_percentile(values, 0.5), 2), "p95": round(_percentile(values, 0.95), 2)}


def _restored(pages: int, folder: Path) -> Corpus:
    """The corpus of a kept build, its phrases read from the build's record (not generated)."""
    corpus = Corpus(pages)
    record = search_cache.load(folder)
    if record is None:
        raise SystemExit(f"no finished build of the bench's indexes in {folder}")
    corpus.phrases = record["phrases"]
    corpus.function_phrases = record["function_phrases"]
    corpus.text_bytes = record["text_bytes"]
    return corpus


def run_memory_worker(
    kind: str, pages: int, folder: Path, rounds: int, existing: bool
) -> dict[str, Any]:
    """Index (unless `existing`) then search with one storage alone in this process: its peak
    memory is its own."""
    if existing:
        corpus = _restored(pages, folder.parent)
        indexer = _Indexer(kind, folder, existing=True)
    else:
        corpus = Corpus(pages)
        indexer = _Indexer(kind, folder)
        for batch in _batches(corpus):
            indexer.add(batch)
    schema = build_schema()
    with indexer.ix.searcher() as searcher:
        runner = Runner(searcher, PostingsCache())
        for _ in range(rounds):
            for texts in _queries(corpus).values():
                for text in texts:
                    parsed = parse_query(text, schema)
                    runner.ranked(parsed.query, LIMIT)
    return {
        "storage": kind,
        "text_mb": round(corpus.text_bytes / 1e6, 2),
        "index_seconds": round(indexer.seconds, 2),
        "index_cpu_seconds": round(indexer.cpu_seconds, 2),
        "index_size_mb": round(_folder_size(folder) / 1e6, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "indexed_in_this_run": not existing,
        "phrases": corpus.phrases,
        "function_phrases": corpus.function_phrases,
        "text_bytes": corpus.text_bytes,
    }


def run_ab_worker(pages: int, folder: Path, rounds: int, existing: bool) -> dict[str, Any]:
    """Both storages in one process, their work interleaved batch by batch and query by query,
    so that load from other processes on the machine weighs on both alike. With `existing`,
    the indexes the memory workers built are searched and nothing is indexed here."""
    corpus = _restored(pages, folder) if existing else Corpus(pages)
    indexers = {kind: _Indexer(kind, folder / kind, existing=existing) for kind in KINDS}
    if not existing:
        for number, batch in enumerate(_batches(corpus)):
            for kind in KINDS if number % 2 == 0 else KINDS[::-1]:
                indexers[kind].add(batch)
    schema = build_schema()
    queries = {name: texts for name, texts in _queries(corpus).items() if texts}
    timings: dict[str, dict[str, list[float]]] = {k: {n: [] for n in queries} for k in KINDS}
    cpu_timings: dict[str, dict[str, list[float]]] = {k: {n: [] for n in queries} for k in KINDS}
    first_timings: dict[str, dict[str, list[float]]] = {k: {n: [] for n in queries} for k in KINDS}
    first_cpu: dict[str, dict[str, list[float]]] = {k: {n: [] for n in queries} for k in KINDS}
    tops: dict[str, dict[str, list[str]]] = {kind: {} for kind in KINDS}
    searchers = {kind: indexers[kind].ix.searcher() for kind in KINDS}
    runners = {kind: Runner(searcher, PostingsCache()) for kind, searcher in searchers.items()}
    restrict = filter_query(FILTER)
    turn = 0
    # Round 0 warms caches: its times are reported apart ("first_search_ms", each query's
    # first run on a fresh searcher, as right after unlocking), not among the timed rounds.
    for round_number in range(rounds + 1):
        for name, texts in queries.items():
            for text in texts:
                parsed = parse_query(text, schema)
                turn += 1
                for kind in KINDS if turn % 2 == 0 else KINDS[::-1]:
                    elapsed, cpu, top = _search(
                        runners[kind], parsed, restrict if name == "filtered" else None
                    )
                    if round_number == 0:
                        tops[kind][text] = top
                        first_timings[kind][name].append(elapsed)
                        first_cpu[kind][name].append(cpu)
                    else:
                        timings[kind][name].append(elapsed)
                        cpu_timings[kind][name].append(cpu)
    for searcher in searchers.values():
        searcher.close()
    result: dict[str, Any] = {
        "pages": pages,
        "text_mb": round(corpus.text_bytes / 1e6, 2),
        "same_hits": tops["plain"] == tops["encrypted"],
        "snippets_ms_per_query_p50": _snippet_ms(pages, queries, tops["encrypted"], schema),
        "fts5_reference": _fts5(pages, queries, rounds),
    }
    for kind in KINDS:
        everything, everything_cpu = (
            [
                t
                for name, values in measured[kind].items()
                if name in GOAL_CATEGORIES
                for t in values
            ]
            for measured in (timings, cpu_timings)
        )
        result[kind] = {
            "index_size_mb": round(_folder_size(folder / kind) / 1e6, 2),
            "search_ms": {
                **{name: _summary(values) for name, values in timings[kind].items()},
                "all": _summary(everything),
            },
            "search_cpu_ms": {
                **{name: _summary(values) for name, values in cpu_timings[kind].items()},
                "all": _summary(everything_cpu),
            },
            "first_search_ms": {
                name: _summary(values) for name, values in first_timings[kind].items()
            },
            "first_search_cpu_ms": {
                name: _summary(values) for name, values in first_cpu[kind].items()
            },
        }
        if not existing:
            result[kind]["index_seconds"] = round(indexers[kind].seconds, 2)
            result[kind]["index_cpu_seconds"] = round(indexers[kind].cpu_seconds, 2)
    return result


def _snippet_ms(
    pages: int, queries: dict[str, list[str]], tops: dict[str, list[str]], schema: Any
) -> float:
    """Median time to cut the snippets of a query's hits from their pages' texts (which the
    app reads from the catalog: the index does not store them)."""
    wanted = {item_id for top in tops.values() for item_id in top}
    texts = {item.item_id: item.text for item in Corpus(pages).items() if item.item_id in wanted}
    timings = []
    for query_texts in queries.values():
        for text in query_texts:
            parsed = parse_query(text, schema)
            started = time.perf_counter()
            for item_id in tops[text]:
                build_snippet(texts[item_id], parsed.highlight)
            timings.append((time.perf_counter() - started) * 1000)
    return round(_percentile(timings, 0.5), 2)


def _fts5(pages: int, queries: dict[str, list[str]], rounds: int) -> dict[str, Any]:
    reference = Fts5Reference(Corpus(pages).items())
    timings, cpu = time_queries(reference, queries, rounds, LIMIT)
    everything = [t for name, values in timings.items() if name in GOAL_CATEGORIES for t in values]
    return {
        "index_seconds": round(reference.index_seconds, 2),
        "search_ms": {
            **{name: _summary(values) for name, values in timings.items()},
            "all": _summary(everything),
        },
        "search_cpu_ms": {name: _summary(values) for name, values in cpu.items()},
    }


def load_averages() -> list[float]:
    """The machine's load averages: a wall-clock figure means something only beside them."""
    return [round(load, 2) for load in os.getloadavg()]


def _ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else float("nan")


def _run(args: list[str]) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.bench_search", *args]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _run_together(runs: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    """Each run's JSON, the runs in processes side by side: the two builds of a large corpus
    take a core each instead of one after the other (each process's peak memory stays its
    own; its CPU seconds are its own whatever else runs)."""
    started = {
        name: subprocess.Popen(
            [sys.executable, "-m", "bench.bench_search", *args], stdout=subprocess.PIPE, text=True
        )
        for name, args in runs.items()
    }
    results: dict[str, dict[str, Any]] = {}
    for name, process in started.items():
        out, _ = process.communicate()
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, process.args)
        results[name] = json.loads(out)
    return results


def _measure(args: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The memory workers' figures, the interleaved timings, and where the indexes came from."""
    ab_indexing = args.ab_indexing if args.ab_indexing is not None else args.pages <= 10_000
    common = ["--pages", str(args.pages), "--rounds", str(args.rounds)]
    temp = Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    folder = temp if args.no_cache else search_cache.cache_folder(args.cache, args.pages)
    try:
        record = None if args.no_cache else search_cache.load(folder)
        built: dict[str, Any] = {"folder": str(folder), "indexing_interleaved": ab_indexing}
        if record is None:
            work = temp if args.no_cache else search_cache.building(folder)
            memory = _run_together(
                {kind: ["--worker", kind, *common, "--folder", str(work / kind)] for kind in KINDS}
            )
            record = {
                "memory": memory,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                **{key: memory["encrypted"][key] for key in ("phrases", "function_phrases")},
                "text_bytes": memory["encrypted"]["text_bytes"],
            }
            if args.no_cache:
                search_cache.write_record(work, record)
            else:
                search_cache.finish(work, folder, record)
        else:
            built["kept_from"] = record["built_at"]
            kept = ["--existing", *common]
            memory = {
                kind: _run([*kept, "--worker", kind, "--folder", str(folder / kind)])
                for kind in KINDS
            }
            for kind in KINDS:
                for key in ("index_seconds", "index_cpu_seconds"):
                    memory[kind][key] = record["memory"][kind][key]
        for figures in memory.values():
            for key in ("phrases", "function_phrases", "text_bytes"):
                figures.pop(key, None)
        if ab_indexing:
            timed = _run(["--worker", "ab", *common, "--folder", str(temp / "ab")])
        else:
            timed = _run(["--worker", "ab", *common, "--folder", str(folder), "--existing"])
            for kind in KINDS:
                timed[kind]["index_seconds"] = memory[kind]["index_seconds"]
                timed[kind]["index_cpu_seconds"] = memory[kind]["index_cpu_seconds"]
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return memory, timed, built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5, help="timed search rounds")
    parser.add_argument(
        "--ab-indexing",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="index again with both storages interleaved for the timing ratio (default: up "
        "to 10,000 pages; above, the two sequential memory runs give the indexing figures)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=search_cache.DEFAULT_CACHE,
        help="where the built indexes are kept between runs (default: build/bench-search)",
    )
    parser.add_argument("--no-cache", action="store_true", help="build in a temporary folder")
    parser.add_argument("--worker", choices=(*KINDS, "ab"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--existing", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "ab":
        print(json.dumps(run_ab_worker(args.pages, args.folder, args.rounds, args.existing)))
        return 0
    if args.worker:
        worker = run_memory_worker(args.worker, args.pages, args.folder, args.rounds, args.existing)
        print(json.dumps(worker))
        return 0
    load_before = load_averages()
    memory, timed, built = _measure(args)
    plain, sealed = timed["plain"], timed["encrypted"]
    for kind in KINDS:
        timed[kind]["index_mb_per_s"] = round(timed["text_mb"] / timed[kind]["index_seconds"], 3)
    ratios = {
        "index_over_text_size": _ratio(sealed["index_size_mb"], timed["text_mb"]),
        "indexing_time": _ratio(sealed["index_seconds"], plain["index_seconds"]),
        "indexing_cpu_time": _ratio(sealed["index_cpu_seconds"], plain["index_cpu_seconds"]),
        "index_size": _ratio(sealed["index_size_mb"], plain["index_size_mb"]),
        "peak_rss": _ratio(memory["encrypted"]["peak_rss_mb"], memory["plain"]["peak_rss_mb"]),
    }
    for name in sealed["search_ms"]:
        for q in ("p50", "p95"):
            ratios[f"search_{name}_{q}"] = _ratio(
                sealed["search_ms"][name][q], plain["search_ms"][name][q]
            )
    goals = {
        "indexing_within_1.2x": ratios["indexing_time"] <= 1.2,
        "search_p95_within_1.2x": ratios["search_all_p95"] <= 1.2,
        "search_p95_under_100ms": sealed["search_ms"]["all"]["p95"] < 100,
        "every_query_type_p95_under_100ms": all(
            v["p95"] < 100 for v in sealed["search_ms"].values()
        ),
        "every_query_type_p95_under_100ms_cpu": all(
            v["p95"] < 100 for v in sealed["search_cpu_ms"].values()
        ),
        "index_within_2x_text": sealed["index_size_mb"] <= 2 * timed["text_mb"],
        "indexing_at_least_1_mb_per_s": sealed["index_mb_per_s"] >= 1.0,
        "peak_memory_within_1.5x": ratios["peak_rss"] <= 1.5,
        "same_hits": timed["same_hits"],
    }
    report = {
        "load_average_1_5_15_min": {"start": load_before, "end": load_averages()},
        "cpus": os.cpu_count(),
        "indexes_built": built,
        "timed": timed,
        "memory": memory,
        "ratios": ratios,
        "goals": goals,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

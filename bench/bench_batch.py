"""Batch import: folders as users bring them, against plain Whoosh indexing the same text.

Three shapes, each imported end to end into a fresh encrypted vault (extraction, encryption,
catalog and index, until the index is committed):

- `small`: many text files of 16 KB (a folder of notes or exported articles);
- `big`: a few long text files, one page per form feed (transcripts, exported PDFs);
- `mailbox`: thousands of tiny documents (a mailbox split into messages);
- `mbox`: one mailbox file whose messages each carry an attachment (a Thunderbird export):
  one import, thousands of documents out of it.

The baseline, measured in the same run, is plain single-process Whoosh (its own `FileStorage`,
no encryption) indexing exactly the pages the import stored, through Dossier's schema, in one
writer and one commit. Goal: `import_over_plain_whoosh` ≤ 1.0 for every shape. The same pages
indexed alone by Dossier's encrypted index (its worker processes analysing them) give
`encrypted_index_mb_per_s` (goal: ≥ 1 MB/s on 2 cores, faster than plain Whoosh), its worker
processes started first (`index_workers_spawn_seconds`, paid once a session; the import's
time includes it: an import starts them as it begins).

On a shared machine wall times are mostly waits for a core: each side's thread also gives its
CPU, its time in the run queue and its time blocked (`bench.threadclock`).

    python -m bench.bench_batch [--scale 1.0] [--shapes small,big,mailbox]
"""

from __future__ import annotations

import argparse
import email.message
import json
import resource
import shutil
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import wait
from pathlib import Path
from typing import Any

from bench.bench_search import Corpus
from bench.threadclock import Spent, ThreadClock, load
from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.search import analysed, built
from dossier.search.facade import WRITER_LIMIT_MB
from dossier.search.model import IndexItem
from dossier.search.schema import INDEX_NAME, build_schema, to_document
from dossier.services.workspace import Workspace

SHAPES: dict[str, tuple[int, int, int]] = {
    # name: (files, pages per file, characters per page)
    "small": (300, 1, 16_000),
    "big": (3, 300, 3_400),
    "mailbox": (2_000, 1, 600),
    # one mailbox of 1,000 messages: (messages, 1, characters of a body); each message has
    # an attachment of four times its body
    "mbox": (1_000, 1, 600),
}
MBOX_SHAPES = {"mbox"}


def _texts(corpus_pages: Iterator[IndexItem], size: int) -> Iterator[str]:
    """Endless page texts of about `size` characters, cut from the search bench's corpus."""
    buffer = ""
    for item in corpus_pages:
        buffer += item.text + "\n"
        while len(buffer) >= size:
            cut = buffer.rfind(" ", 0, size)
            cut = cut if cut > 0 else size
            yield buffer[:cut].strip()
            buffer = buffer[cut:]


def make_folder(folder: Path, files: int, pages: int, chars: int, *, mbox: bool = False) -> int:
    """Write the shape's files; returns the bytes of text written."""
    folder.mkdir(parents=True)
    if mbox:
        return make_mbox(folder / "export.mbox", files, chars)
    texts = _texts(Corpus(files * pages * (chars // 3000 + 2)).items(), chars)
    written = 0
    for number in range(files):
        body = "\f".join(next(texts) for _ in range(pages))
        data = body.encode("utf-8")
        (folder / f"doc-{number:05d}.txt").write_bytes(data)
        written += len(data)
    return written


def make_mbox(path: Path, messages: int, chars: int) -> int:
    """A mailbox of `messages` messages of `chars` characters, each with a text attachment
    four times as long; returns the bytes of text (bodies and attachments) written."""
    texts = _texts(Corpus(messages * 5 * (chars // 3000 + 2)).items(), chars)
    written = 0
    with path.open("wb") as out:
        for number in range(messages):
            body, attached = next(texts), " ".join(next(texts) for _ in range(4))
            message = email.message.EmailMessage()
            message["From"] = f"Source {number % 37} <source{number % 37}@example.org>"
            message["To"] = "desk@example.org"
            message["Subject"] = f"Message {number}: {' '.join(body[:40].split())}"
            message["Date"] = f"Mon, {1 + number % 28:02d} Jan 2024 10:00:00 +0000"
            message.set_content(body)
            message.add_attachment(attached, filename=f"notes-{number:05d}.txt")
            raw = message.as_bytes().replace(b"\nFrom ", b"\n>From ")
            out.write(b"From source@example.org Mon Jan  1 10:00:00 2024\n" + raw + b"\n")
            written += len(body.encode("utf-8")) + len(attached.encode("utf-8"))
    return written


def _end_workers() -> None:
    """Stop the index workers and reap them: a killed worker's CPU counts among the ended
    children's only once it is waited for, which the pool does later, in its own thread."""
    pool = analysed._pool
    processes = list((pool._processes or {}).values()) if pool is not None else []
    analysed.shutdown()
    for process in processes:
        process.join()


def _children_cpu() -> float:
    """CPU seconds of the ended child processes (the index workers, once a lock ended them)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _merge_after(ws: Workspace, case_id: str) -> float:
    """Seconds the index's workers go on merging segments after the import's last commit
    (a merge its commits planned). Everything is searchable before; the merge is waited for
    so that its CPU counts among the workers' (stopped at once, it was partly counted)."""
    index = ws.search._indexes.get(case_id)
    future = index._merger._future if index is not None else None
    started = time.perf_counter()
    if future is not None:
        wait([future], timeout=120)
    return time.perf_counter() - started


def dossier_import(folder: Path, vault: Path) -> tuple[Spent, list[IndexItem], dict[str, Any]]:
    """Seconds to import every file of `folder` until the index is committed, the pages the
    catalog holds afterwards (for the baseline) and the import's outcome, with the CPU seconds
    it took in the app and in its index workers (on a loaded machine, CPU is what the app and
    plain Whoosh compete for: a core's share goes to a session, however many processes it
    runs)."""
    paths = sorted(folder.iterdir())
    workers_before = _children_cpu()
    with Workspace.create(vault, "bench passphrase", TEST_ONLY_FAST) as ws:
        case = ws.cases.create("bench")
        ws.search.query("warm", case=case.id)  # opens the (empty) index outside the timing
        clock, cpu = ThreadClock(), time.process_time()
        outcomes = ws.documents.import_many(case.id, paths, ocr=False)
        hits = ws.search.query("police", case=case.id, limit=5)  # everything is committed now
        spent, cpu = clock.spent(), time.process_time() - cpu
        merge = _merge_after(ws, case.id)
        items = list(ws.search._iter_page_items(case.id, ws.search._doc_ids(case.id)))
        refused = [o.error for o in outcomes if o.error]
        _end_workers()
    workers = _children_cpu() - workers_before  # their start included
    return (
        spent,
        items,
        {
            "refused": len(refused),
            "hits": len(hits),
            "import_cpu_app_seconds": round(cpu, 2),
            "import_cpu_workers_seconds": round(workers, 2),
            "merge_after_import_seconds": round(merge, 2),
        },
    )


def plain_whoosh(items: list[IndexItem], folder: Path) -> Spent:
    """Time plain single-process Whoosh takes to index `items`: one writer, one commit."""
    from whoosh.filedb.filestore import FileStorage

    storage = FileStorage(str(folder)).create()
    ix = storage.create_index(build_schema(), indexname=INDEX_NAME)
    clock = ThreadClock()
    writer = ix.writer(limitmb=WRITER_LIMIT_MB, procs=1)
    for item in items:
        writer.add_document(**to_document(item))
    writer.commit()
    return clock.spent()


def start_workers() -> float:
    """Seconds to start the index's worker processes (locking a vault ends them: the import
    above paid their start, as the first import after an unlock does)."""
    started = time.perf_counter()
    wait(built.start_workers())
    return time.perf_counter() - started


def encrypted_index(items: list[IndexItem], folder: Path) -> float:
    """Seconds Dossier's encrypted index takes to index `items` in one batch, committed
    (its segments built by the worker processes, started beforehand as in the app)."""
    from dossier.search.facade import SearchIndex

    with SearchIndex.open(folder, bytes(range(32)), items[0].case_id) as index:
        started = time.perf_counter()
        index.add(items)
        index.flush()
        return time.perf_counter() - started


def run_shape(name: str, scale: float, work: Path) -> dict[str, Any]:
    files, pages, chars = SHAPES[name]
    files = max(1, round(files * scale))
    source = work / f"{name}-files"
    text_bytes = make_folder(source, files, pages, chars, mbox=name in MBOX_SHAPES)
    started_load = load()
    spent, items, outcome = dossier_import(source, work / f"{name}-vault")
    baseline_cpu = time.process_time()
    plain = plain_whoosh(items, work / f"{name}-plain")
    baseline_cpu = time.process_time() - baseline_cpu
    imported, baseline = spent.wall, plain.wall
    spawn = start_workers()
    indexed = encrypted_index(items, work / f"{name}-index")
    _end_workers()  # as a lock would: the next shape's import starts them again
    text_mb = sum(len(item.text.encode("utf-8")) for item in items) / 1e6
    return {
        "files": len(list(source.iterdir())),
        "documents": len({item.doc_id for item in items}),
        "pages": len(items),
        "text_mb": round(text_bytes / 1e6, 2),
        "import_seconds": round(imported, 2),
        "plain_whoosh_seconds": round(baseline, 2),
        "import_mb_per_s": round(text_bytes / 1e6 / imported, 3),
        "import_over_plain_whoosh": round(imported / baseline, 3),
        # Where each wall time went: on a loaded machine mostly to the run queue, on either
        # side; the import's blocked time is mostly its last search waiting for the index's
        # workers (processes of their own, queued as well).
        **spent.figures("import"),
        **plain.figures("plain_whoosh"),
        "load_average": [started_load, load()],
        "index_workers_spawn_seconds": round(spawn, 2),
        "encrypted_index_seconds": round(indexed, 2),
        "encrypted_index_mb_per_s": round(text_mb / indexed, 3),
        "plain_whoosh_mb_per_s": round(text_mb / baseline, 3),
        "encrypted_index_over_plain_whoosh": round(indexed / baseline, 3),
        "plain_whoosh_cpu_seconds": round(baseline_cpu, 2),
        "import_cpu_over_plain_whoosh_cpu": round(
            (outcome["import_cpu_app_seconds"] + outcome["import_cpu_workers_seconds"])
            / baseline_cpu,
            3,
        ),
        **outcome,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the file counts")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="dossier-bench-batch-"))
    results: dict[str, Any] = {}
    try:
        for name in args.shapes.split(","):
            results[name] = run_shape(name, args.scale, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    goal = 1.0
    report = {
        "shapes": results,
        "goal_import_over_plain_whoosh_max": goal,
        "goal_met": all(r["import_over_plain_whoosh"] <= goal for r in results.values()),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

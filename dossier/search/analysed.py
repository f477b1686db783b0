"""Items analysed into their postings, in worker processes when a batch is large.

Analysing text (the variants of `exact_value`, then Whoosh's tokenizer and posting encoder)
is two thirds of the CPU time of indexing, and it needs nothing but the item. So a large
batch is cut into chunks analysed by a pool of worker processes; each hands back, in memory,
every field's postings, length and stored value. The parent alone writes them into the
index, through its encrypted storage: a worker never writes a file (nothing in clear on
disk, no temp segment to leave behind on a crash) and never opens a connection.

The workers are spawned (not forked: the parent holds threads, open files and keys), which
works in the frozen app too (`multiprocessing.freeze_support` in its entry point). A pool
that fails (a worker killed, memory refused) is dropped and the batch analysed in process.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
import time
import types
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from whoosh import formats

from dossier.crypto.nodump import forbid_core_dumps
from dossier.jobs import CancelToken, check
from dossier.search.analysis import FoldingAnalyzer, index_postings
from dossier.search.model import IndexItem
from dossier.search.schema import build_schema, to_document

PARALLEL_MIN_BYTES = 64 * 1024
"""Text below which a batch is analysed in process (the pool, once started, is kept)."""
CHUNK_BYTES = 256 * 1024
CHUNK_ITEMS = 64
_CANCEL_POLL = 0.1
"""Seconds between two looks at the cancel token while a worker builds."""
_IN_FLIGHT = 4
# Added to the niceness of each worker process: see `_worker_start`.
WORKER_NICENESS = 5
"""Chunks queued per worker: enough to keep them busy, few enough to bound memory."""

Part = TypeVar("Part")
Result = TypeVar("Result")
Posting = tuple[bytes, int, float, bytes]
"""(term, frequency, weight, encoded value), as Whoosh's `field.index` yields them."""


@dataclass(frozen=True)
class FieldPart:
    name: str
    postings: list[Posting] | None
    """None when the field is not indexed."""
    length: int
    stored: Any
    column: Any


@dataclass(frozen=True)
class Analysed:
    """One item ready for the writer: what `add_document` would compute from it."""

    item_id: str
    doc_id: str
    size: int
    fields: list[FieldPart]


_schema: Any = None
_folded: dict[str, float] = {}
"""The field boost of each field of folded words with positions (`index_postings`)."""


def _folded_fields(schema: Any) -> dict[str, float]:
    return {
        name: field.format.field_boost
        for name, field in schema.items()
        if isinstance(field.analyzer, FoldingAnalyzer) and type(field.format) is formats.Positions
    }


def analyse(item: IndexItem) -> Analysed:
    global _schema, _folded
    if _schema is None:
        _schema = build_schema()
        _folded = _folded_fields(_schema)
    doc = to_document(item)
    parts = []
    for name in sorted(doc):
        value = doc[name]
        if value is None:
            continue
        field = _schema[name]
        postings: list[Posting] | None = None
        length = 0
        if field.indexed:
            if name in _folded and isinstance(value, str):
                postings = index_postings(value, _folded[name])
            else:
                postings = list(field.index(value))
            if field.scorable:
                length = sum(freq for _term, freq, _weight, _value in postings)
        stored = value if field.stored else None
        column = field.to_column_value(value) if field.column_type else None
        parts.append(FieldPart(name, postings, length, stored, column))
    return Analysed(item.item_id, item.doc_id, len(item.text), parts)


def analyse_chunk(items: list[IndexItem]) -> list[Analysed]:
    return [analyse(item) for item in items]


def write(writer: Any, analysed: Analysed) -> None:
    """Add one analysed item to a Whoosh segment writer, as `add_document` would have.

    The schema has no spelling fields, vectors or boosts (a test holds the index this writes
    to the one `add_document` writes)."""
    schema = writer.schema
    perdoc = writer.perdocwriter
    docnum = writer.docnum
    add_post = writer.pool.add
    perdoc.start_doc(docnum)
    try:
        for part in analysed.fields:
            field = schema[part.name]
            if part.postings is not None:
                for term, _freq, weight, value in part.postings:
                    add_post((part.name, term, docnum, weight, value))
            perdoc.add_field(part.name, field, part.stored, part.length)
            if part.column is not None:
                perdoc.add_column_value(part.name, field.column_type, part.column)
    except Exception:
        perdoc.cancel_doc()
        raise
    perdoc.finish_doc()
    writer._added = True
    writer.docnum += 1


def _chunks(items: Iterable[IndexItem]) -> Iterator[list[IndexItem]]:
    chunk: list[IndexItem] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += len(item.text)
        if size >= CHUNK_BYTES or len(chunk) >= CHUNK_ITEMS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def worker_count() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


_BUILD_MODULES = ("dossier.search.built", "whoosh.writing")


def _worker_start() -> None:
    """Worker start: no core dump (its memory holds the pages it analyses), and an end with
    its parent, however that ends (a parent killed would otherwise leave its workers waiting
    forever, holding its output pipes open)."""
    forbid_core_dumps()
    # Background work: a core the GUI thread or the app's import thread wants goes to them
    # first (on a 2-core laptop the two workers otherwise held the GUI frames past 100 ms).
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: no os.nice (Windows)
        os.nice(WORKER_NICENESS)
    # Ready to build segments (`built.py`, most batches' work) from its start, paid once a
    # session with it: Whoosh's writer, codec and readers, imported by the first batch's build
    # instead, cost an 8-file OpenDocument batch's workers more than the build. By name: that
    # module imports this one, and Whoosh imports its writer's module at a writer's first use.
    for module in _BUILD_MODULES:
        importlib.import_module(module)
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _get_pool() -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            # Inherited by the workers from their first instruction, before their own start
            # does it (one killed while it starts would dump its memory otherwise).
            forbid_core_dumps()
            _pool = ProcessPoolExecutor(
                max_workers=worker_count(),
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_start,
            )
            _spawn_all(_pool)
        return _pool


def _nothing(_nothing: None) -> None:
    """A task that only makes the pool start a worker."""


def _spawn_all(pool: ProcessPoolExecutor) -> None:
    """Start every worker now (the pool starts one per task submitted, until it has them all),
    each without the parent's main module.

    A spawned child imports its parent's main module before its first task, unless that is a
    package's `__main__`: for the `dossier` command's script (or a bench) that is the whole
    app, 900 modules and a second of CPU per worker, for a process that needs only the search
    package. So while they start, the parent's main module is a bare one, which a child has
    nothing to import for; the tasks they run are all in `dossier.search`."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        for _ in range(worker_count()):
            pool.submit(_nothing, None)
    finally:
        sys.modules["__main__"] = main


def _submit(
    pool: ProcessPoolExecutor, work: Callable[[Part], Result], part: Part
) -> Future[Result]:
    try:
        return pool.submit(work, part)
    except RuntimeError as exc:  # shut down by another thread since `_get_pool` returned it
        raise BrokenProcessPool(str(exc)) from exc


_LOST = (BrokenProcessPool, CancelledError)
"""What a chunk's future raises when its pool died or was shut down (a vault locked while
another one's batch was in the workers): the chunk is then analysed in process."""


def shutdown() -> None:
    """Stop the worker processes (they are started again when next needed). Locking a vault
    does it: their memory held the pages they analysed."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is None:
        return
    # Killed, not waited for: a stuck worker (stopped, swapped out, slow on a hostile text)
    # would hold the lock or the app's exit forever. Python 3.11 has no public way to reach
    # them (3.14's kill_workers). A chunk of another vault still open is then analysed in
    # process (`_LOST`).
    _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    processes = list((pool._processes or {}).values())
    # Both gone from the pool once it is shut down (private: Python 3.11 has no public way).
    answers: Any = pool._result_queue
    manager = cast("threading.Thread | None", pool._executor_manager_thread)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()
    for process in processes:
        process.join()
    # A worker killed while writing its answer left the executor's thread reading the rest
    # of it forever (Python 3.11): with every worker gone, our end of their pipe is the last
    # one that could write, and closing it ends that read, so the thread can end.
    if answers is not None:
        answers._writer.close()
    pool.shutdown(wait=True)
    if manager is not None:
        manager.join(_MANAGER_ENDS)  # bounded: a lock or an exit must never hang on it


_DEATH_NOTICED = 5.0
"""Seconds the pool has to report a dead worker itself before it is taken for stuck."""
_MANAGER_ENDS = 5.0
"""Seconds a stopped pool's thread has to end (at once, unless it is stuck reading)."""


def _result(
    pool: ProcessPoolExecutor, future: Future[Result], cancel: CancelToken | None = None
) -> Result:
    """`future.result()` (Cancelled when `cancel` is), or BrokenProcessPool when a worker died
    and the pool did not notice: one killed while writing its answer (out of memory, a user)
    leaves the executor's thread waiting for the rest of it, and every future of the pool
    waiting forever."""
    dead_since: float | None = None
    while True:
        check(cancel)
        try:
            return future.result(timeout=_CANCEL_POLL)
        except TimeoutError:
            pass
        if dead_since is None:
            if any(p.exitcode is not None for p in list((pool._processes or {}).values())):
                dead_since = time.monotonic()
        elif time.monotonic() - dead_since > _DEATH_NOTICED:
            with _pool_lock:
                global _pool
                if _pool is pool:
                    _pool = None
            _stop(pool)
            raise BrokenProcessPool("a worker died while handing back its work")


atexit.register(shutdown)


def start(ready: Callable[[None], None]) -> list[Future[None]]:
    """Start the worker processes if they are not running, each with the task `ready`, without
    waiting for them (the futures say when they are ready)."""
    try:
        pool = _get_pool()
        return [_submit(pool, ready, None) for _ in range(worker_count())]
    except BrokenProcessPool:  # shut down meanwhile (a vault locking): started when needed
        shutdown()
        return []


def workers_running() -> bool:
    """Whether the worker processes are started (a batch handed to them waits for no
    start)."""
    return _pool is not None and worker_count() > 1


def large(items: list[IndexItem]) -> bool:
    """Whether a batch holds enough text to be worth the worker processes (read at each call:
    one setting for every caller, tests included)."""
    return sum(len(item.text) for item in items) >= PARALLEL_MIN_BYTES


def analyse_all(
    items: list[IndexItem], cancel: CancelToken | None, *, parallel: bool | None = None
) -> Iterator[list[Analysed]]:
    """The items analysed, chunk by chunk and in order; in worker processes when `parallel`
    (by default: when they hold `PARALLEL_MIN_BYTES` of text or more)."""
    if parallel is None:
        parallel = large(items)
    chunks = list(_chunks(items))
    done = [0]
    if parallel and len(chunks) > 1 and worker_count() > 1:
        try:
            yield from in_workers(chunks, cancel, done)
            return
        except _LOST:
            shutdown()
    for chunk in chunks[done[0] :]:
        check(cancel)
        yield analyse_chunk(chunk)


class Background(Generic[Part, Result]):
    """Parts of a batch, all handed to the worker processes at once: the caller goes on while
    `work` runs on each, and `results` gathers them in order (running in process what a
    broken pool could not)."""

    def __init__(self, parts: list[Part], work: Callable[[Part], Result]) -> None:
        self.parts = parts
        self._work = work
        self._futures: list[Future[Result]] = []
        self._pool: ProcessPoolExecutor | None = None
        try:
            self._pool = _get_pool()
            self._futures = [_submit(self._pool, work, part) for part in parts]
        except BrokenProcessPool:
            shutdown()

    def results(self, cancel: CancelToken | None = None) -> Iterator[Result]:
        for number, part in enumerate(self.parts):
            check(cancel)
            result: Result | None = None
            if number < len(self._futures):
                assert self._pool is not None  # futures only come from it
                try:
                    result = _result(self._pool, self._futures[number], cancel)
                except _LOST:
                    shutdown()
                    self._futures = []
            yield self._work(part) if result is None else result

    def future(self, number: int) -> Future[Result] | None:
        """The worker's result for part `number`, or None if no worker has it."""
        return self._futures[number] if number < len(self._futures) else None

    def ready(self, timeout: float) -> bool:
        """Whether every part is back (or lost, to be done in process) within `timeout`
        seconds."""
        _done, waiting = wait(self._futures, timeout=max(0.0, timeout))
        return not waiting

    def cancel(self) -> None:
        for future in self._futures:
            future.cancel()


def shared(
    work: Callable[[Part], Result], parts: Sequence[Part], cancel: CancelToken | None = None
) -> Iterator[Result]:
    """`work` on each part, the results in order: the worker processes take parts from the
    front while this process takes them from the back, so the job is never slower than done
    here alone (the workers yield a core to the app: under load they may get little of one),
    and the app is not idle while they run. A part is handed to a worker only when one is
    about to be free (never cancelled once handed: a pool that breaks would fail on it), a
    broken pool leaves its parts to this process, and a cancel stops at the next part."""
    pool: ProcessPoolExecutor | None = None
    with contextlib.suppress(BrokenProcessPool):
        pool = _get_pool() if worker_count() > 1 and len(parts) > 1 else None
    handed: dict[int, Future[Result]] = {}
    done: dict[int, Result] = {}
    front, back = 0, len(parts) - 1  # the next part to hand out; the next to do here
    ahead = worker_count() + 1
    for number in range(len(parts)):
        while pool is not None and front <= back and front - number < ahead:
            try:
                handed[front] = _submit(pool, work, parts[front])
            except BrokenProcessPool:
                shutdown()
                pool = None
                break
            front += 1
        while back >= front and number not in done and not _finished(handed.get(number)):
            check(cancel)
            done[back] = work(parts[back])
            back -= 1
        check(cancel)
        if number in done:
            yield done.pop(number)
            continue
        future = handed.pop(number, None)
        if future is not None and pool is not None:
            try:
                yield _result(pool, future, cancel)
                continue
            except _LOST:
                shutdown()
                pool = None
        yield work(parts[number])  # no pool, or it broke: done here, in order


def _finished(future: Future[Any] | None) -> bool:
    return future is None or future.done()


class _Lending:
    """Every `Lent` batch of this process, each part handed to the worker processes only when
    one is free, the batches in the order they came (one feeder thread for all of them): a
    batch queued behind another keeps its parts until the workers are done with the first,
    so whoever waits for the first can take the second's meanwhile instead of waiting idle."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.batches: list[Lent[Any, Any]] = []
        """Batches with parts neither handed nor taken, oldest first."""
        self.running: set[Future[Any]] = set()
        self.wake = threading.Event()
        self.feeder: threading.Thread | None = None

    def add(self, batch: Lent[Any, Any]) -> None:
        with self.lock:
            self.batches.append(batch)
            if self.feeder is None:
                self.feeder = threading.Thread(target=self._feed, name="index-feed", daemon=True)
                self.feeder.start()
        self.hand()

    def hand(self) -> None:
        """Hand the oldest parts not handed, one per free worker."""
        with self.lock:
            while self.batches and len(self.running) < worker_count():
                batch = self.batches[0]
                if batch._pool is None or batch._front > batch._back:
                    self.batches.pop(0)
                    continue
                try:
                    future = _submit(batch._pool, batch._work, batch.parts[batch._front])
                except BrokenProcessPool:
                    batch._pool = None  # its handed parts raise it too: `results` redoes them
                    continue
                self.running.add(future)
                future.add_done_callback(self._done)
                batch._handed[batch._front] = future
                batch._front += 1

    def _done(self, future: Future[Any]) -> None:
        # No lock: a future done before its callback is added calls it in `hand`, which holds it.
        self.running.discard(future)
        self.wake.set()

    def _feed(self) -> None:
        while True:
            self.wake.wait()
            self.wake.clear()
            self.hand()
            with self.lock:
                if not self.batches:
                    self.feeder = None
                    return

    def take(self, batch: Lent[Any, Any], number: int) -> tuple[Lent[Any, Any], int] | None:
        """A part nobody has, for the caller waiting for part `number` of `batch` to do itself
        (the lock is held): that batch's last, or else the last of the newest batch queued
        after it, which the wait for `batch` would reach next; None if there is none."""
        if batch._back >= batch._front:
            taken = batch._back
            batch._back -= 1
            return batch, taken
        # Batches are handed in order: every batch still listed after this one came later.
        later = (
            self.batches[self.batches.index(batch) + 1 :] if batch in self.batches else self.batches
        )
        for other in reversed(later):
            if other._back >= other._front:
                taken = other._back
                other._back -= 1
                return other, taken
        return None


_lending = _Lending()


class _Failed:
    """A part a waiter took and could not do: what it raised, for the next wait for it."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


class Lent(Background[Part, Result]):
    """`Background`, but each part is handed to a worker process only when one is free (by a
    feeder thread, in order, after the parts of the batches lent before: `_Lending`), and
    whoever waits for the results (`results`) takes the parts no worker has yet, from the back
    of this batch, then of the batches lent after it: a batch written while an import goes on
    is built by the workers, and the app is not idle when it must wait for it (the workers
    yield a core to the app: on a loaded machine they get little of one). A part handed is
    never cancelled (a pool that breaks would fail on it); a broken pool leaves the rest to
    whoever waits."""

    def __init__(self, parts: list[Part], work: Callable[[Part], Result]) -> None:
        self.parts = parts
        self._work = work
        self._futures = []
        self._pool = None
        self._handed: dict[int, Future[Result]] = {}
        self._here: dict[int, Result | _Failed] = {}
        self._front, self._back = 0, len(parts) - 1  # the next part to hand; the next to take
        try:
            self._pool = _get_pool()
        except BrokenProcessPool:
            shutdown()
            return
        self._source = self._pool
        _lending.add(self)

    def results(self, cancel: CancelToken | None = None) -> Iterator[Result]:
        for number in range(len(self.parts)):
            yield self._part(number, cancel)

    def _part(self, number: int, cancel: CancelToken | None) -> Result:
        while True:
            check(cancel)
            with _lending.lock:
                if number in self._here:
                    done = self._here.pop(number)
                    if isinstance(done, _Failed):
                        raise done.error
                    return done
                future = self._handed.get(number)
                taken = None
                if future is None or not future.done():
                    taken = _lending.take(self, number)
            if taken is not None:
                owner, part = taken
                try:
                    result = owner._work(owner.parts[part])
                except BaseException as exc:
                    # No worker will have it now: a wait for it (closing the index) would
                    # never end. It fails as it failed here.
                    with _lending.lock:
                        owner._here[part] = _Failed(exc)
                    raise
                with _lending.lock:
                    owner._here[part] = result
                continue
            if future is None:  # not handed, and taken by another waiter: it comes
                time.sleep(_CANCEL_POLL / 10)
                continue
            try:
                return _result(self._source, future, cancel)
            except _LOST:
                shutdown()
                with _lending.lock:
                    self._pool = None
                return self._work(self.parts[number])

    def future(self, number: int) -> Future[Result] | None:
        return self._handed.get(number)

    def ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            with _lending.lock:
                left = self._back >= self._front
                running = [f for f in self._handed.values() if not f.done()]
                broken = self._pool is None
            if not left and not running:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0 or (left and broken and not running):
                return False
            if running:
                wait(running, timeout=remaining, return_when=FIRST_COMPLETED)
            else:
                time.sleep(min(_CANCEL_POLL / 10, remaining))  # the feeder is handing them

    def cancel(self) -> None:
        with _lending.lock:
            self._back = self._front - 1  # the parts handed end on their own, unread
        _lending.wake.set()


def in_workers(
    chunks: list[list[IndexItem]], cancel: CancelToken | None, done: list[int]
) -> Iterator[list[Analysed]]:
    """The chunks analysed by the pool, in order (`done[0]`: how many were handed back);
    raises BrokenProcessPool if a worker could not start or died."""
    pool = _get_pool()
    queued: list[Future[list[Analysed]]] = []
    ahead = _IN_FLIGHT * worker_count()
    try:
        for number in range(len(chunks)):
            while len(queued) < ahead and number + len(queued) < len(chunks):
                queued.append(_submit(pool, analyse_chunk, chunks[number + len(queued)]))
            result = _result(pool, queued.pop(0), cancel)
            done[0] = number + 1
            yield result
    finally:
        for future in queued:
            future.cancel()

"""Where the suite's CPU goes: an opt-in plugin, off unless named (`-p tests.cpuclock`).

    pytest -p tests.cpuclock --cpuclock=DIR ...   then   python -m tests.cpuclock DIR

Wall times say nothing on a machine shared with other runs; CPU does. Each process (each xdist
worker, or the lone pytest) writes `DIR/<worker>.jsonl`: a line per test phase with the CPU of
the process itself and of the children it has reaped (the CLI, index workers, Tesseract, the
HEIC decoder), a line per fixture set up with its scope (a module's fixture is paid by its first
test), and the process's CPU when collection ended and when the session ended. Threads are
counted in the process's own figure.

Each OCR (every reading funnels into `pymupdf.Pixmap.pdfocr_save`) is a line too, with its CPU
and whether the same pixels, at the same resolution and settings, were read before in this
process (a digest kept in memory only: nothing of a test's pictures is written), and if so whether
Tesseract wrote the same bytes again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import resource
import sys
from collections import defaultdict
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import IO, Any

import pytest

_OPTION = "--cpuclock"


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


class _Clock:
    def __init__(self, folder: Path, worker: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._out: IO[str] = (folder / f"{worker}.jsonl").open("w", encoding="utf-8")
        self.worker = worker

    def write(self, **record: Any) -> None:
        self._out.write(json.dumps(record) + "\n")
        self._out.flush()

    def close(self) -> None:
        self._out.close()


_clock: _Clock | None = None


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(_OPTION, metavar="DIR", help="write each test's CPU to DIR/<worker>.jsonl")


def pytest_configure(config: pytest.Config) -> None:
    global _clock
    folder = config.getoption(_OPTION)
    if folder is None:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if worker == "main" and getattr(config.option, "numprocesses", None):
        return  # the controller only hands out tests; its workers measure them
    _clock = _Clock(Path(folder), worker)
    _tally_ocr()


_current_test = ""


def _tally_ocr() -> None:
    import pymupdf

    save = pymupdf.Pixmap.pdfocr_save
    seen: dict[bytes, tuple[str, bytes]] = {}

    def tallied(pixmap: Any, filename: Any, *args: Any, **kwargs: Any) -> Any:
        key = hashlib.sha256(bytes(pixmap.samples))
        key.update(
            repr((pixmap.width, pixmap.height, pixmap.n, pixmap.xres, args, kwargs)).encode()
        )
        digest = key.digest()
        first = seen.get(digest)
        own, children = _cpu()
        out = io.BytesIO()
        save(pixmap, out, *args, **kwargs)
        own2, children2 = _cpu()
        written = hashlib.sha256(out.getvalue()).digest()
        if first is None:
            seen[digest] = (_current_test, written)
        if _clock is not None:
            _clock.write(
                event="ocr",
                test=_current_test,
                pixels=pixmap.width * pixmap.height,
                cpu=own2 - own + children2 - children,
                repeat=first is not None,
                first_read_by=None if first is None else first[0],
                same_output=None if first is None else first[1] == written,
            )
        if isinstance(filename, (str, os.PathLike)):
            Path(filename).write_bytes(out.getvalue())
        else:
            filename.write(out.getvalue())

    # What the wrapped reading says of itself (the OCR memo's `remembers`) stays true of it.
    tallied.__dict__.update(getattr(save, "__dict__", {}))
    pymupdf.Pixmap.pdfocr_save = tallied


def _mark(event: str, **fields: Any) -> None:
    if _clock is not None:
        own, children = _cpu()
        _clock.write(event=event, own=own, children=children, **fields)


def pytest_collection_finish(session: pytest.Session) -> None:
    _mark("collected", tests=len(session.items))


def pytest_sessionfinish(session: pytest.Session) -> None:
    global _clock
    _mark("finished")
    if _clock is not None:
        _clock.close()
        _clock = None


def _timed(phase: str, item: pytest.Item) -> Generator[None, None, None]:
    global _current_test
    if _clock is None:
        yield
        return
    _current_test = item.nodeid
    own, children = _cpu()
    try:
        yield
    finally:  # a phase that raised (a failing test) cost its CPU too
        own2, children2 = _cpu()
        _clock.write(
            event="phase",
            test=item.nodeid,
            phase=phase,
            own=own2 - own,
            children=children2 - children,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    yield from _timed("setup", item)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    yield from _timed("call", item)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    yield from _timed("teardown", item)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(
    fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest
) -> Generator[None, Any, Any]:
    if _clock is None:
        return (yield)
    own, children = _cpu()
    try:
        return (yield)
    finally:
        own2, children2 = _cpu()
        _clock.write(
            event="fixture",
            fixture=fixturedef.argname,
            scope=fixturedef.scope,
            test=request.node.nodeid,
            own=own2 - own,
            children=children2 - children,
        )


# -- the report ------------------------------------------------------------------------------


def _records(folder: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield path.stem, json.loads(line)


def report(folder: Path, top: int = 40) -> str:
    tests: dict[str, float] = defaultdict(float)
    children: dict[str, float] = defaultdict(float)
    fixtures: dict[tuple[str, str], list[float]] = defaultdict(list)
    workers: dict[str, dict[str, float]] = defaultdict(dict)
    ocr: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0, 0.0])
    differed = 0
    for worker, record in _records(folder):
        if record["event"] == "ocr":
            tally = ocr[record["test"].split("::")[0]]
            tally[0] += 1
            tally[1] += record["cpu"]
            if record["repeat"]:
                tally[2] += 1
                tally[3] += record["cpu"]
                differed += not record["same_output"]
        elif record["event"] == "phase":
            tests[record["test"]] += record["own"] + record["children"]
            children[record["test"]] += record["children"]
        elif record["event"] == "fixture":
            cost = record["own"] + record["children"]
            fixtures[(record["fixture"], record["scope"])].append(cost)
        else:
            workers[worker][record["event"]] = record["own"] + record["children"]
    files: dict[str, float] = defaultdict(float)
    for test, cost in tests.items():
        files[test.split("::")[0]] += cost
    lines = []
    total = sum(w.get("finished", 0.0) for w in workers.values())
    startup = sum(w.get("collected", 0.0) for w in workers.values())
    lines.append(
        f"workers {len(workers)}  tests {len(tests)}  session CPU {total:.1f} s  "
        f"(collection {startup:.1f} s, tests {sum(tests.values()):.1f} s, "
        f"of which children {sum(children.values()):.1f} s)"
    )
    for worker, marks in sorted(workers.items()):
        lines.append(
            f"  {worker}: collected at {marks.get('collected', 0):.1f} s, "
            f"finished at {marks.get('finished', 0):.1f} s"
        )
    lines.append(f"\nfiles by CPU (top {top})")
    for name, cost in sorted(files.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"  {cost:7.1f}  {name}")
    lines.append(f"\ntests by CPU (top {top})")
    for name, cost in sorted(tests.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"  {cost:7.1f}  (children {children[name]:5.1f})  {name}")
    lines.append(f"\nfixtures by total set-up CPU (top {top})")
    ranked = sorted(fixtures.items(), key=lambda kv: -sum(kv[1]))[:top]
    for (name, scope), costs in ranked:
        lines.append(f"  {sum(costs):7.1f}  x{len(costs):<4} {scope:8} {name}")
    readings = [sum(t[i] for t in ocr.values()) for i in range(4)]
    lines.append(
        f"\nOCR: {readings[0]:.0f} readings, {readings[1]:.1f} CPU-s; of which {readings[2]:.0f} "
        f"of pixels read before in the same process, {readings[3]:.1f} CPU-s ({differed} of these "
        "read otherwise than the first time)"
    )
    for name, (count, cpu, repeats, repeat_cpu) in sorted(ocr.items(), key=lambda kv: -kv[1][1]):
        lines.append(
            f"  {cpu:7.1f}  x{count:<4.0f} repeats x{repeats:<4.0f} {repeat_cpu:6.1f}  {name}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 40))

"""Shared fixtures: vaults with test-only KDF parameters, the real corpus; the CLI runners."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from dossier import i18n
from dossier.crypto.kdf import TEST_KDF_ENV, TEST_ONLY_FAST
from dossier.search import analysed
from dossier.services.workspace import Workspace
from tests import heap, ocrmemo
from tests.clirun import PASSPHRASE, cli_env, run_cli, run_cli_process
from tests.paths import CORPUS, INGEST_CORPUS, REPO
from tools.catalog import compile_all

# The suite's vaults use TEST_ONLY_FAST: opening one is expected here, not warned about (the
# warning's own tests remove the variable).
os.environ[TEST_KDF_ENV] = "1"

# The .mo files the app reads, from the committed .po (as `make` does): a checkout whose .po
# changed is tested with its own translations.
compile_all()

# The same pixels are read by Tesseract once per worker (`tests.ocrmemo`): a test reads the
# pictures the export read again, as the self-check and as the recipient.
ocrmemo.install()

# Property tests try the same examples at every run (drawn from each test's own seed), so a run
# fails only where the code changed, never on a draw of its own; and they are not timed, a
# loaded machine being slow to draw them as well as to run them. Their own settings (how many
# examples) keep these.
settings.register_profile(
    "dossier",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("dossier")

__all__ = ["PASSPHRASE", "REPO", "cli_env", "run_cli", "run_cli_process"]


@pytest.fixture(autouse=True, scope="session")
def _private_state_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """What a computer remembers of vaults (`dossier.vault.seen`) never goes to the real home."""
    state = tmp_path_factory.mktemp("state")
    previous = os.environ.get("DOSSIER_STATE_DIR")
    os.environ["DOSSIER_STATE_DIR"] = str(state)
    yield
    if previous is None:
        os.environ.pop("DOSSIER_STATE_DIR", None)
    else:
        os.environ["DOSSIER_STATE_DIR"] = previous


_SCHEDULE = gc.get_threshold()
"""The collector's thresholds as the run started (CPython's own)."""


@pytest.fixture(autouse=True)
def _young_heap() -> None:
    """Each test's garbage collections scan only what it made itself.

    Objects that outlive a test (imported modules, caches, session fixtures) are moved out of
    the collector's sight once, so the app's own `gc.collect()` at lock, and Python's automatic
    full collections, cost what the test allocated, not what the whole run has accumulated
    (measured: about a third of a second per UI test late in a full run). Garbage left by the
    previous test is collected first, so nothing unreachable is frozen.

    A window's lock thaws the whole heap and collects it in full (the app's way to let
    decrypted bytes go): right after it, a second full pass over the thawed heap found ~10
    objects and cost 0.2 s per UI test, so only the young generations are collected then.
    """
    gc.collect() if heap.frozen() else gc.collect(1)
    gc.freeze()
    # And on Python's own schedule: a window closed in the middle of an import leaves full
    # collections off (`ui.heap.importing`), a job still ending in another thread the young
    # ones far apart; a test after it in the same process measured what it should not.
    gc.enable()
    gc.set_threshold(*_SCHEDULE)


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Every test starts in English, whatever the machine's locale; a test may switch."""
    i18n.set_language("en")
    yield
    i18n.set_language("en")


SLOW_TIMEOUT_S = 1800
"""What pytest-timeout gives a test marked slow (the suite's own is 600 s, for tests of a few
CPU-s): such a test takes tens of CPU-s, and a 2-core machine at load 22 gives a process a
twelfth of a core (the Lessig book's redaction sweep, about 40 CPU-s, was stopped at 600 s).
A test that hangs is still stopped, later."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("slow") and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(SLOW_TIMEOUT_S))


PATIENCE_MS = 60_000
"""The least any wait of a test for a condition or a signal gives it. A CI machine loaded by
other runs is ten times slower than a quiet one or more (a 5 s wait for a worker's read is too
little there), and a wait that is met returns at once: only a test that fails waits it out."""

_WAITS = ("waitUntil", "waitSignal", "waitSignals", "waitCallback", "waitActive", "waitExposed")


def _patient(wait: Callable[..., Any]) -> Callable[..., Any]:
    def patient(*args: Any, timeout: int | None = PATIENCE_MS, **kwargs: Any) -> Any:
        return wait(*args, timeout=None if timeout is None else max(timeout, PATIENCE_MS), **kwargs)

    return patient


@pytest.fixture
def qtbot(qtbot: Any) -> Any:
    """pytest-qt's, each wait given at least `PATIENCE_MS`, whatever timeout a test wrote
    (which says how long the wait takes on a quiet machine)."""
    for name in _WAITS:
        setattr(qtbot, name, _patient(getattr(qtbot, name)))
    return qtbot


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "Test.dossier"


@pytest.fixture
def workspace(vault_path: Path) -> Iterator[Workspace]:
    ws = Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST)
    try:
        yield ws
    finally:
        if ws.vault.is_open:
            ws.close()


@pytest.fixture
def index_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every batch is analysed for the index in the test's own process, however much text it
    holds: for tests of something else (originals, folders, rollbacks) whose files are large
    enough to start the index's worker processes, which cost 0.4 CPU-s a start and end with
    each vault. The workers' own tests (tests/core/search) and the imports that lend them
    their parts keep them."""
    monkeypatch.setattr(analysed, "PARALLEL_MIN_BYTES", 1 << 40)


@pytest.fixture
def ingest_corpus() -> Path:
    """Word, OpenDocument, RTF, mail, archives and photos as sources send them."""
    if not INGEST_CORPUS.is_dir():
        pytest.skip("shared ingest corpus not available")
    return INGEST_CORPUS


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not available")
    return CORPUS

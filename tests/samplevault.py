"""The sample vault for tests: built once per test run, each module gets its own copy.

Building it imports, extracts (and OCRs) every sample document, a few seconds each time; the
modules that only need a sample to work on share one build (`tests.runshared`) and copy it. A
copy is the same vault as the build (same keys, same rows), so a module also gets an empty
memory of vaults seen (`dossier.vault.seen`): otherwise a copy opened after another module's
copy had committed would be warned about as an older copy of itself, which is what it is.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.sample.build import SampleBuilt, build_sample
from dossier.vault.seen import STATE_ENV
from tests.runshared import built_once

_PRISTINE: dict[bool, SampleBuilt] = {}
"""One build per test run and per OCR choice (`tests.runshared`); never opened after it was
built."""


def _pristine(factory: pytest.TempPathFactory, ocr: bool) -> SampleBuilt:
    if ocr not in _PRISTINE:

        def build(folder: Path) -> dict[str, object]:
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv(STATE_ENV, str(factory.mktemp("pristine-state")))
                built = build_sample(folder, TEST_ONLY_FAST, ocr=ocr)
            return {"case_id": built.case_id, "ocr": built.ocr, "notice": built.notice}

        folder, built = built_once(factory, f"sample-ocr-{ocr}", "Sample.dossier", build)
        _PRISTINE[ocr] = SampleBuilt(
            folder, str(built["case_id"]), bool(built["ocr"]), str(built["notice"])
        )
    return _PRISTINE[ocr]


@contextlib.contextmanager
def sample_copy(factory: pytest.TempPathFactory, *, ocr: bool = False) -> Iterator[SampleBuilt]:
    """A private copy of the sample vault, seen by nobody, for as long as the block runs.

    `ocr=True` builds it as `make run` does (the scanned memo read by OCR when the data is
    installed); `SampleBuilt.ocr` says whether it was.
    """
    pristine = _pristine(factory, ocr)
    folder = factory.mktemp("sample") / "Sample.dossier"
    shutil.copytree(pristine.folder, folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(STATE_ENV, str(factory.mktemp("state")))
        yield dataclasses.replace(pristine, folder=folder)

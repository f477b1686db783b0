"""The `allowed` import-linter contract (tools/import_rules.py) breaks on an unlisted import."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

from tools.import_rules import AllowedImportsContract

_TREE = {
    "core/__init__.py": "",
    "core/services/__init__.py": "",
    "core/services/cases.py": "from core import db\n",
    "core/db.py": "",
    "front/__init__.py": "",
    "front/ok.py": "import core\nfrom core.services import cases\nfrom front import bad\n",
    "front/bad.py": "import json\n\nfrom core import db\n",
}


@pytest.fixture
def graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[grimp.ImportGraph]:
    for name, text in _TREE.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield grimp.build_graph("core", "front", cache_dir=None)
    for name in [m for m in sys.modules if m.split(".")[0] in ("core", "front")]:
        del sys.modules[name]


def _contract(allowed: list[str]) -> AllowedImportsContract:
    options = {"source_modules": ["front"], "scope": ["core"], "allowed_modules": allowed}
    return AllowedImportsContract(name="front", session_options={}, contract_options=options)


def test_an_import_outside_the_list_breaks_it(graph: grimp.ImportGraph) -> None:
    check = _contract(["core", "core.services"]).check(graph, verbose=False)
    assert not check.kept
    # `core` itself is allowed, not everything under it; the front end's own modules are free.
    assert check.metadata["bad"] == [{"importer": "front.bad", "imported": "core.db", "lines": [3]}]


def test_listing_it_keeps_it(graph: grimp.ImportGraph) -> None:
    assert _contract(["core", "core.services", "core.db"]).check(graph, verbose=False).kept

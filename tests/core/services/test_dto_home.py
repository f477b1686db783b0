"""One home for the data classes services return: a `dto.py`, and nowhere else.

The rule a newcomer can guess: a feature package's value types live in its own `dto.py`
(`services/quotes/dto.py`, `services/letters/dto.py`, ...); those of the top-level services
(`audit`, `fsck`, `rekey`, `search`, `timeline`, ...) and those several features share live in
`services/dto.py`. A `dto.py` depends on no service, only on other `dto.py` files and
`constants.py`, so any service and any front end may import it without a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

SERVICES = REPO / "dossier" / "services"
VALUE_BASES = {"NamedTuple", "TypedDict", "Enum", "StrEnum", "IntEnum", "Flag", "IntFlag"}


def _modules() -> list[Path]:
    return sorted(SERVICES.rglob("*.py"))


def _value_types(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        decorated = any("dataclass" in ast.unparse(d).split("(")[0] for d in node.decorator_list)
        bases = {ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases}
        if decorated or bases & VALUE_BASES:
            found.append(node.name)
    return found


def test_value_types_live_only_in_dto_modules() -> None:
    strays = []
    for path in _modules():
        if path.name == "dto.py":
            continue
        for name in _value_types(ast.parse(path.read_text(encoding="utf-8"))):
            strays.append(f"{path.relative_to(REPO)}: {name}")
    assert strays == [], "move these into the feature's dto.py (or services/dto.py)"


def test_every_feature_package_has_its_dto_module() -> None:
    packages = [p.parent for p in SERVICES.glob("*/__init__.py")]
    assert packages, "the services have feature packages"
    missing = [str(p.relative_to(REPO)) for p in packages if not (p / "dto.py").is_file()]
    assert missing == []


def test_dto_modules_depend_on_no_service() -> None:
    allowed = {"dossier.services.dto", "dossier.services.constants"}
    offenders = []
    for path in _modules():
        if path.name != "dto.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = node.module
                if not module.startswith("dossier.services"):
                    continue
                if module in allowed or module.endswith(".dto"):
                    continue
                offenders.append(f"{path.relative_to(REPO)} imports {module}")
    assert offenders == []


def test_the_check_sees_a_stray_data_class() -> None:
    # The rule must be able to fail: a dataclass, a NamedTuple and an Enum written in a
    # service module are all caught, a service class is not.
    tree = ast.parse(
        "from dataclasses import dataclass\n"
        "import enum\n"
        "from typing import NamedTuple\n"
        "@dataclass(frozen=True)\nclass A:\n    x: int\n"
        "@dataclass\nclass B:\n    x: int\n"
        "class C(NamedTuple):\n    x: int\n"
        "class D(enum.Enum):\n    X = 1\n"
        "class FooService:\n    pass\n"
    )
    assert _value_types(tree) == ["A", "B", "C", "D"]

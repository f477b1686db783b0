"""Whoosh stays behind the search facade: no other part of Dossier imports it."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.paths import REPO


def _imports_whoosh(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            if any(alias.name.split(".")[0] == "whoosh" for alias in node.names):
                return True
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "whoosh":
            return True
    return False


def test_only_dossier_search_imports_whoosh() -> None:
    offenders = [
        str(path.relative_to(REPO))
        for folder in ("dossier", "ui")
        for path in sorted((REPO / folder).rglob("*.py"))
        if path.relative_to(REPO).parts[:2] != ("dossier", "search") and _imports_whoosh(path)
    ]
    assert offenders == []
    assert _imports_whoosh(REPO / "dossier" / "search" / "storage.py"), "the check must work"

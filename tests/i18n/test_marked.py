"""No English sentence reaches a user unmarked: a message written as a plain string (or an
f-string, which gettext cannot look up) where users read it fails here. The catalog tests then
make sure every marked one has its French."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from pathlib import Path

import dossier.errors
from tests.paths import REPO

ERROR_KINDS = {
    name
    for name, value in vars(dossier.errors).items()
    if inspect.isclass(value) and issubclass(value, dossier.errors.DossierError)
}
# Where a user reads a string argument: (function name, argument position).
SHOWN = {("report", 2), ("os_failure", 1), ("warn", 0), ("say", 0), ("print", 0), ("emit", 1)}
# Only the command line prints to a user; elsewhere print() is for developers (bench, tools).
CLI_ONLY = {"print", "say", "emit"}


def _name(call: ast.Call) -> str:
    func = call.func
    return (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else ""
    )


def _words(text: str) -> bool:
    # "dossier: " before a message is the program's name, as every command-line tool writes it.
    return any(c.isalpha() for c in text.replace("dossier:", ""))


def _is_sentence(node: ast.expr) -> bool:
    """A literal with words in it (not a bare placeholder, a newline or punctuation)."""
    if isinstance(node, ast.IfExp):
        return _is_sentence(node.body) or _is_sentence(node.orelse)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _words(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and _words(str(v.value)) for v in node.values)
    return False


def unmarked(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    local_kinds = ERROR_KINDS | {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and any(isinstance(b, ast.Name) and b.id in ERROR_KINDS for b in node.bases)
    }
    cli = "cli" in path.parts
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        name = _name(call)
        positions = [0] if name in local_kinds else [p for n, p in SHOWN if n == name]
        if name in CLI_ONLY and not cli:
            continue
        shown = [call.args[p] for p in positions if p < len(call.args)]
        if cli:  # --help: each option's help and each command's description
            shown += [k.value for k in call.keywords if k.arg in ("help", "description")]
        for node in shown:
            if _is_sentence(node):
                where = path.relative_to(REPO) if path.is_relative_to(REPO) else path.name
                yield f"{where}:{call.lineno}: {ast.unparse(node)[:70]}"


def test_every_message_of_the_core_and_the_cli_is_marked_for_translation() -> None:
    found = [
        line
        for path in sorted((REPO / "dossier").rglob("*.py"))
        if "migrations" not in path.parts
        for line in unmarked(path)
    ]
    assert found == [], "wrap these in _() with named placeholders (see docs/architecture.md)"


def test_the_check_itself_finds_a_plain_message(tmp_path: Path) -> None:
    sample = REPO / "dossier" / "__i18n_probe__.py"
    try:
        sample.write_text(
            "from dossier.errors import UsageError\n"
            'def f(x):\n    raise UsageError(f"no such thing {x}")\n',
            encoding="utf-8",
        )
        assert len(list(unmarked(sample))) == 1
    finally:
        sample.unlink()

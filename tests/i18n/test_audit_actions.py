"""Every action the audit trail records has a name in the user's language (the app's audit
trail showed codes such as `person.add` in the French app)."""

from __future__ import annotations

import ast

from dossier import i18n
from dossier.labels import AUDIT_ACTIONS, audit_action
from tests.conftest import REPO


def _recorded_actions() -> set[str]:
    """The action codes written in the core: `audit.append(session, "code", ...)` and
    `action="code"` arguments."""
    found: set[str] = set()
    for path in (REPO / "dossier").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in ("append", "append_many"):
                owner = func.value
                if isinstance(owner, ast.Attribute) and owner.attr == "audit":
                    for arg in node.args[1:2]:
                        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                            found.add(arg.value)
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "action" and isinstance(value, ast.Constant):
                    if isinstance(value.value, str) and "." in value.value:
                        found.add(value.value)
    return found


def test_every_recorded_action_has_a_name() -> None:
    recorded = _recorded_actions()
    assert {"case.create", "person.add", "redaction.add", "vault.passwd"} <= recorded
    assert sorted(recorded - set(AUDIT_ACTIONS)) == []


def test_actions_read_in_french() -> None:
    i18n.set_language("fr")
    try:
        assert audit_action("person.add") == "personne ajoutée"
        assert audit_action("quote.restore") == "modification annulée ou rétablie"
    finally:
        i18n.set_language("en")
    assert audit_action("case.create") == "case created"
    assert audit_action("some.future") == "some.future"

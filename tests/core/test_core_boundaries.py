"""Architecture rules that must hold in every build."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_core_imports_without_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, dossier\n"
        "for m in pkgutil.walk_packages(dossier.__path__, 'dossier.'):\n"
        "    if '.migrations' in m.name or m.name.endswith('__main__'): continue\n"
        "    importlib.import_module(m.name)\n"
        "bad = [n for n in sys.modules if n.split('.')[0] in ('PySide6', 'shiboken6', 'ui')]\n"
        "print(len([n for n in sys.modules if n.startswith('dossier')]))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert int(result.stdout.strip()) > 20  # the walk really imported the core


def test_core_never_opens_sockets() -> None:
    # The app is offline by design: no module of the core may even import a network client.
    offenders = []
    for path in (REPO / "dossier").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in (
            "import socket",
            "import urllib.request",
            "import http.client",
            "import requests",
            "from urllib.request",
            "from http.client",
        ):
            if needle in text:
                offenders.append(f"{path.relative_to(REPO)}: {needle}")
    assert offenders == []

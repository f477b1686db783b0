"""What a bug leaves behind: where it happened, never what it was working on.

A traceback's messages and source lines can quote a case (a `ValueError` repeating a title, a
`KeyError` naming a person), so a bug report holds only versions, exception types and the
stack's file, line and function names. That is enough to find the bug, and safe to keep in a
log file on an unencrypted disk or to paste into a bug report.
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from dossier import __version__

LOG_DIR_ENV = "DOSSIER_LOG_DIR"
"""Overrides where CLI bug reports are written (tests, or a machine without a home folder)."""


def _frames(exc: BaseException) -> list[str]:
    lines: list[str] = []
    for frame in traceback.extract_tb(exc.__traceback__):
        lines.append(f"  {_short(frame.filename)}:{frame.lineno} in {frame.name}")
    return lines


def _short(filename: str) -> str:
    # From the package down: the folder above it can name the user (/home/<name>/...).
    parts = Path(filename).parts
    for anchor in ("dossier", "ui", "site-packages"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) :])
    return Path(filename).name


def bug_report(exc: BaseException) -> str:
    """The report of a bug: exception types and stack frames, with no message text."""
    header = f"Dossier {__version__}, Python {sys.version.split()[0]}, {sys.platform}"
    lines = [header, ""]
    seen: set[int] = set()
    current: BaseException | None = exc
    chain: list[BaseException] = []
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or current.__context__
    for index, item in enumerate(reversed(chain)):
        if index:
            lines.append("which led to:")
        lines.append(f"{type(item).__module__}.{type(item).__qualname__} (message not recorded)")
        lines.extend(_frames(item))
    return "\n".join(lines) + "\n"


def log_folder() -> Path:
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir("Dossier", appauthor=False))


def write_bug_report(exc: BaseException, what: str) -> Path | None:
    """Write `bug_report(exc)` to a new file in the log folder; None if that failed too.

    `what` says what was running (a command name, never its arguments: they may be a query).
    """
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    try:
        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"bug-{stamp}-{os.getpid()}.txt"
        path.write_text(f"While running: {what}\n{bug_report(exc)}", encoding="utf-8")
    except OSError:
        return None
    return path

"""What every CLI command shares: passphrase sources, the opened workspace, output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dossier.errors import UsageError, safe_text
from dossier.i18n import _
from dossier.services.constants import (
    KDF_DEFAULT,
    KDF_TEST_ONLY_FAST,
    KdfParams,
    weak_vault_expected,
)
from dossier.services.workspace import Workspace

PASSPHRASE_ENV = "DOSSIER_PASSPHRASE"
NEW_PASSPHRASE_ENV = "DOSSIER_NEW_PASSPHRASE"
# Test-only: tiny Argon2id parameters so test suites can create hundreds of vaults. Never set
# by any front end; the header records the parameters actually used.


def _default(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _readable(line: str) -> str:
    # Tabs align columns in listings: the one control kept.
    return "\t".join(safe_text(part) for part in line.split("\t"))


def to_json(data: Any) -> str:
    return json.dumps(data, default=_default, ensure_ascii=False, indent=2)


def read_secret_file(path: str) -> str:
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            _("cannot read {path}: {strerror}").format(path=path, strerror=exc.strerror)
        ) from None
    except UnicodeDecodeError:
        raise UsageError(
            _("{path} is not valid UTF-8 text; save it in UTF-8 and try again").format(
                path=safe_text(path)
            )
        ) from None
    # Only the line ending an editor adds is dropped; other spaces are part of the passphrase.
    return raw.removesuffix("\n").removesuffix("\r")


class CliContext:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._workspace: Workspace | None = None
        self._passphrase: str | None = None

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    def vault_path(self) -> Path:
        vault = getattr(self.args, "vault", None) or os.environ.get("DOSSIER_VAULT")
        if not vault:
            raise UsageError(_("this command needs --vault DIR"))
        return Path(vault).expanduser()

    def passphrase(self, *, new: bool = False, confirm: bool = False) -> str:
        if new:
            return self._read_passphrase(new=True, confirm=confirm)
        if self._passphrase is None:
            # Asked once: a command that needs it again (rekey) does not prompt twice.
            self._passphrase = self._read_passphrase(new=False, confirm=confirm)
        return self._passphrase

    def _read_passphrase(self, *, new: bool, confirm: bool) -> str:
        env = NEW_PASSPHRASE_ENV if new else PASSPHRASE_ENV
        file_arg = getattr(self.args, "new_passphrase_file" if new else "passphrase_file", None)
        if file_arg:
            return read_secret_file(file_arg)
        # Taken out of the environment once read: every process this one starts (the HEIC
        # decoder, row and index workers) inherits it, readable in /proc/PID/environ by any
        # process of the user's while the child is dumpable.
        from_environment = os.environ.pop(env, "")
        if from_environment:
            return from_environment
        if not sys.stdin.isatty():
            raise UsageError(
                _("no passphrase: set {env}, pass {option}, or run in a terminal").format(
                    env=env, option="--new-passphrase-file" if new else "--passphrase-file"
                )
            )
        prompt = _("New passphrase: ") if new else _("Passphrase: ")
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass(_("Repeat it: ")) != first:
            raise UsageError(_("the two passphrases differ"))
        return first

    def kdf(self) -> KdfParams:
        # The shipped app never makes a weak vault, whatever its environment says: the
        # variable is for the test suite and benchmarks run from source.
        if weak_vault_expected():
            self.warn(_("warning: insecure test KDF parameters in use"))
            return KDF_TEST_ONLY_FAST
        return KDF_DEFAULT

    def workspace(self, *, strict: bool = True) -> Workspace:
        """The unlocked vault; `strict=False` only for fsck, which reports what others refuse."""
        if self._workspace is None:
            self._workspace = Workspace.open(self.vault_path(), self.passphrase(), strict=strict)
            for warning in self._workspace.warnings:
                print(
                    "dossier: " + _("warning: {warning}").format(warning=warning), file=sys.stderr
                )
        return self._workspace

    def create_workspace(self) -> Workspace:
        path = self.vault_path()
        self._workspace = Workspace.create(path, self.passphrase(confirm=True), self.kdf())
        return self._workspace

    def emit(self, data: Any, human: str | None = None) -> None:
        if self.json or human is None:
            print(to_json(data))
        else:
            self.say(human)

    @staticmethod
    def say(human: str) -> None:
        """Print lines for a reader: outside text in them (titles, file names) is escaped, so a
        name cannot add lines, drive the terminal or reverse what follows it."""
        print("\n".join(_readable(line) for line in human.split("\n")))

    @staticmethod
    def warn(message: str) -> None:
        """One line on stderr, escaped like every error message."""
        print(f"dossier: {safe_text(message)}", file=sys.stderr)

    def close(self) -> None:
        self._passphrase = None
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None

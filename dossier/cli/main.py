"""Entry point of the `dossier` console script.

Exit codes (README lists them): 0 ok, 1 cancelled, 2 usage, 3 wrong passphrase, 4 vault in use
or locked, 5 corrupt or tampered data, 6 input file refused, 7 not enough disk space or a file
could not be written or read, 70 internal error (a bug), 130 interrupted. Errors are one clear
line on stderr, never a traceback; a bug's details go to a log file that holds no case content.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from dossier import __version__, i18n
from dossier.cli import parser_words
from dossier.cli.arguments import path_argument, valid_arguments
from dossier.cli.commands import (
    anchor,
    audit,
    cases,
    docs,
    export,
    letters,
    people,
    quotes,
    redact,
    search,
    timeline,
    vault,
)
from dossier.cli.context import CliContext
from dossier.errors import DossierError, InternalError, os_failure, safe_text
from dossier.i18n import _
from dossier.services.bugreport import write_bug_report

# Command modules, in the order `--help` lists them. Each has `register(subparsers)`.
COMMAND_MODULES = (
    vault,
    cases,
    docs,
    search,
    anchor,
    quotes,
    people,
    letters,
    timeline,
    audit,
    redact,
    export,
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse prints usage then exits 2; keep the exit code, make the line clear.
        self.exit(
            2, "dossier: " + _("{message} (see 'dossier --help')").format(message=message) + "\n"
        )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dossier", description=_("Encrypted case archive for journalists."))
    parser.add_argument("--version", action="version", version=f"dossier {__version__}")
    parser.add_argument("--vault", metavar="DIR", type=path_argument, help=_("vault folder"))
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        type=path_argument,
        help=_("read the passphrase from FILE"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


_PARSERS: dict[str, argparse.ArgumentParser] = {}
"""The parser of each language, built once per process (~10 ms: a process that runs many
commands, such as the test suite's in-process runs, pays it once). Its help and argparse's own
sentences are translated as it is built, hence one per language."""


def _parser() -> argparse.ArgumentParser:
    language = i18n.current_language()
    if language not in _PARSERS:
        _PARSERS[language] = build_parser()
    return _PARSERS[language]


def main(argv: Sequence[str] | None = None) -> int:
    # The command speaks the environment's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG).
    i18n.set_language("auto")
    parser_words.use_catalog()
    logging.basicConfig(level=logging.WARNING, format="dossier: %(message)s")
    parser = _parser()
    args = valid_arguments(parser.parse_args(argv))
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    ctx = CliContext(args)
    try:
        try:
            return int(handler(args, ctx))
        finally:
            ctx.close()
    except BrokenPipeError:
        return 0
    except DossierError as exc:
        return _report(exc)
    except KeyboardInterrupt:
        print("dossier: " + _("interrupted; nothing half-written was kept"), file=sys.stderr)
        return 130
    except OSError as exc:
        # The machine refused something the core did not expect to fail (it wraps the writes
        # it knows about): still one sentence and exit code 7.
        return _report(os_failure(exc, _("a file")))
    except Exception as exc:  # a bug: one line, the details in a log file without case content
        return _bug(exc, str(getattr(args, "command", None) or "dossier"))


def _report(exc: DossierError) -> int:
    print(f"dossier: {safe_text(str(exc))}", file=sys.stderr)
    return exc.exit_code


def _bug(exc: Exception, command: str) -> int:
    path = write_bug_report(exc, f"dossier {command}")
    where = (
        _("details in {path}").format(path=safe_text(str(path)))
        if path
        else _("no log file could be written")
    )
    message = _(
        "internal error ({kind}), a bug in Dossier; nothing half-written was kept; {where} "
        "(it holds no case content)"
    ).format(kind=type(exc).__name__, where=where)
    print(f"dossier: {message}", file=sys.stderr)
    return InternalError.exit_code


if __name__ == "__main__":
    sys.exit(main())

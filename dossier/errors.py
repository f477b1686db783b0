"""Failures that reach the user, each with the CLI exit code it maps to.

Three kinds of failure (see STYLE.md): the user's and the environment's are subclasses of
`DossierError` and carry a clear sentence; anything else is a bug and is reported as one.
"""

from __future__ import annotations

import errno
import re

from dossier.i18n import _


class DossierError(Exception):
    """An expected failure with a message fit to show to a journalist."""

    exit_code = 1


class UsageError(DossierError):
    """Bad arguments or an unknown name (case, document, person)."""

    exit_code = 2


class NotFoundError(UsageError):
    """A case, document, person, letter or quote that does not exist."""


class WrongPassphrase(DossierError):
    exit_code = 3


class VaultInUse(DossierError):
    exit_code = 4


class VaultLocked(DossierError):
    exit_code = 4


class CorruptData(DossierError):
    """Authentication failed, a file is truncated, or a structure cannot be parsed."""

    exit_code = 5


class InputRefused(DossierError):
    """A file offered for import (or a bundle) that Dossier will not take."""

    exit_code = 6


class AlreadyInCase(InputRefused):
    """A file whose content is already a document of the case: skipped, not imported twice."""

    def __init__(self, message: str, document_id: str) -> None:
        super().__init__(message)
        self.document_id = document_id


class PasswordRequired(InputRefused):
    """A PDF that needs a password: the caller may ask for it and try again."""


class Cancelled(DossierError):
    """The user cancelled a long job; nothing was written."""

    exit_code = 1


class EnvironmentFailure(DossierError):
    """Disk full, a write or read the system refused, missing OCR data: the machine, not the
    input. Whatever was being written is removed; what was committed before is intact."""

    exit_code = 7


class InternalError(DossierError):
    """A bug: the CLI reports it in one line and writes the details to a log file."""

    exit_code = 70


# Characters that must never reach a message raw: controls (a newline splits a message, an
# escape sequence drives the terminal), the bidi controls that reorder what follows (an RLO
# turns "cod.exe" into "exe.doc" on screen), line/paragraph separators, and the lone surrogates
# by which Python keeps a file name that is not valid UTF-8 (they cannot be printed at all).
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if code < 0x20 or 0x7F <= code < 0xA0 or char in _BIDI_CONTROLS:
        return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"
    if 0xD800 <= code < 0xE000 or char in "\u2028\u2029":
        return f"\\u{code:04x}"
    return char


_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + "".join(sorted(_BIDI_CONTROLS)) + "]"
)
"""Every character `_escaped` changes: the text is gone over once, in C, and a text with
none (nearly every title and file name) is returned as it is. Character by character in
Python, the window's thread spent half a second of a 10,000-file import on the titles and
file names it showed."""


def safe_text(text: str) -> str:
    """`text` from outside (a file name, a subject line, a title) made safe to show in a
    message: every control, bidi control and unprintable surrogate escaped as `\\x..`/`\\u....`;
    everything else, accents and scripts included, kept as it is."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda found: _escaped(found.group()), text)


def quoted(name: str) -> str:
    """A name from outside as every message shows it: escaped, between the quotation marks of
    the user's language (“English”, « français »)."""
    return _("“{name}”").format(name=safe_text(name))


_NO_SPACE = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG)


def os_failure(exc: OSError, what: str) -> EnvironmentFailure:
    """The sentence for a refused read or write of `what` ("the catalog", a file's name)."""
    what = safe_text(what)
    if exc.errno in _NO_SPACE:
        return EnvironmentFailure(
            _(
                "not enough disk space to write {what}; nothing half-written was kept "
                "(free some space and try again)"
            ).format(what=what)
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return EnvironmentFailure(_("Dossier is not allowed to write {what}").format(what=what))
    if exc.errno == errno.EROFS:
        return EnvironmentFailure(_("{what} is on a read-only disk").format(what=what))
    reason = safe_text(exc.strerror or type(exc).__name__)
    return EnvironmentFailure(
        _("could not write {what}: {reason}").format(what=what, reason=reason)
    )

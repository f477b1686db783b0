"""Failures that reach the user, each with the CLI exit code it maps to.

Three kinds of failure (see STYLE.md): the user's and the environment's are subclasses of
`DossierError` and carry a clear sentence; anything else is a bug and is reported as one.
"""

from __future__ import annotations


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


class PasswordRequired(InputRefused):
    """A PDF that needs a password: the caller may ask for it and try again."""


class Cancelled(DossierError):
    """The user cancelled a long job; nothing was written."""

    exit_code = 1


class EnvironmentFailure(DossierError):
    """Disk full, permissions, missing OCR data: the machine, not the input."""

    exit_code = 1

"""argparse's own sentences ("usage:", "the following arguments are required"), in our catalog.

argparse translates them with the standard `gettext` functions of its module; `use_catalog()`
points those at Dossier's catalog, so `dossier --help` and usage errors speak the user's
language like the rest of the command. The list below only marks argparse's messages (as
Python 3.11 writes them) for extraction; a wording a later Python changes stays English.
"""

from __future__ import annotations

import argparse

from dossier import i18n
from dossier.i18n import N_

MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)


def use_catalog() -> None:
    """Make argparse translate through Dossier's catalog (English when none is chosen)."""
    setattr(argparse, "_", i18n.gettext)  # noqa: B010 (argparse's module-level name)
    setattr(argparse, "ngettext", i18n.ngettext)  # noqa: B010

"""Command-line words made valid text, file names kept as the system gave them.

On Linux and macOS the arguments are bytes; Python decodes those that are not UTF-8 (a title
typed in a Latin-1 terminal, a file name made on an old Windows) with lone surrogates
("surrogateescape"). Such a string opens the right file, but cannot be sealed, indexed or
printed. So every word of a command is made valid text (`dossier.text.clean.valid_text`: a
byte that was not UTF-8 becomes its Latin-1 letter) except the arguments naming files, typed
`path_argument`, which must reach the system unchanged. An argument naming a file that is not
so typed is cleaned too: a clear "no such file", never a crash.
"""

from __future__ import annotations

import argparse

from dossier.text.clean import valid_text


class PathArgument(str):
    """A file or folder name exactly as the system gave it."""

    __slots__ = ()


def path_argument(value: str) -> PathArgument:
    return PathArgument(value)


def _valid(value: object) -> object:
    if isinstance(value, PathArgument) or not isinstance(value, str):
        return value
    return valid_text(value)


def valid_arguments(args: argparse.Namespace) -> argparse.Namespace:
    """`args` with every string (and every string of a list) valid text, but file names."""
    for name, value in vars(args).items():
        if isinstance(value, list):
            setattr(args, name, [_valid(item) for item in value])
        else:
            setattr(args, name, _valid(value))
    return args

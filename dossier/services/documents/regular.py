"""Reading a file offered for import, refusing anything that is not a regular file.

A symbolic link named `notes.txt` that points at `/etc/passwd` must not bring the password file
into a case, and a FIFO or a device must not hang or flood an import. The file is opened once,
without following a final symbolic link and without blocking on a FIFO, and what was opened is
checked on the descriptor itself (`fstat`) and against what the name pointed to (`lstat`), then
read whole from that descriptor: nothing can swap the file between the check and the read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from dossier.errors import EnvironmentFailure, InputRefused
from dossier.i18n import N_, _

_NOT_REGULAR = (
    (stat.S_ISFIFO, N_("a named pipe (FIFO)")),
    (stat.S_ISCHR, N_("a character device")),
    (stat.S_ISBLK, N_("a block device")),
    (stat.S_ISSOCK, N_("a socket")),
    (stat.S_ISDIR, N_("a folder")),
)
_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
CHUNK = 1024 * 1024


def _what(mode: int) -> str | None:
    """What a non-regular file is, or None for a regular file."""
    for test, what in _NOT_REGULAR:
        if test(mode):
            return what
    return None if stat.S_ISREG(mode) else "not a regular file"


def _symlink_refusal(path: Path) -> InputRefused:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return InputRefused(
        _(
            "“{name}” is a symbolic link (to {target}); Dossier imports only "
            "regular files: choose the file it points to itself"
        ).format(name=path.name, target=target)
    )


def check_regular(path: Path) -> os.stat_result:
    """The `lstat` of `path`, or InputRefused when it is missing or not a regular file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise InputRefused(_("“{name}”: no such file").format(name=path.name)) from None
    except OSError as exc:
        raise EnvironmentFailure(
            _("“{name}” cannot be read: {strerror}").format(name=path.name, strerror=exc.strerror)
        ) from None
    if stat.S_ISLNK(info.st_mode):
        raise _symlink_refusal(path)
    what = _what(info.st_mode)
    if what is not None:
        raise InputRefused(
            _("“{name}” is {what}; Dossier imports only regular files").format(
                name=path.name, what=_(what)
            )
        )
    return info


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file `path` (at most `limit`, else InputRefused)."""
    path = Path(path)
    before = check_regular(path)
    try:
        fd = os.open(path, _FLAGS)
    except FileNotFoundError:
        raise InputRefused(_("“{name}”: no such file").format(name=path.name)) from None
    except OSError as exc:
        if os.path.islink(path):  # swapped for a link after the check (ELOOP)
            raise _symlink_refusal(path) from None
        raise EnvironmentFailure(
            _("“{name}” cannot be read: {strerror}").format(name=path.name, strerror=exc.strerror)
        ) from None
    try:
        opened = os.fstat(fd)
        what = _what(opened.st_mode)
        if what is not None:
            raise InputRefused(
                _("“{name}” is {what}; Dossier imports only regular files").format(
                    name=path.name, what=_(what)
                )
            )
        if (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino):
            raise InputRefused(
                _("“{name}” was replaced while it was being opened; try again").format(
                    name=path.name
                )
            )
        if opened.st_size > limit:
            raise InputRefused(
                _("“{name}” is larger than {limit} GB; split it before importing").format(
                    name=path.name, limit=limit // 1024**3
                )
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, CHUNK):
            total += len(chunk)
            if total > limit:
                raise InputRefused(
                    _("“{name}” grew while it was being read; try again").format(name=path.name)
                )
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise EnvironmentFailure(
            _("“{name}” cannot be read: {strerror}").format(name=path.name, strerror=exc.strerror)
        ) from None
    finally:
        os.close(fd)

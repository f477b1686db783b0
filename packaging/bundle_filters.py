"""What build.spec keeps of what PyInstaller's hooks collect: the mechanics, not the policy.

PyInstaller's Qt hooks collect every plugin of every type a Qt module may use (GTK themes,
Wayland, EGL, image formats, TLS...) and every Qt translation; the spec says which ones
Dossier needs, and these functions apply that to the Analysis tables. Removing a plugin
leaves behind the libraries only it needed (the GTK theme alone drags in cairo, pango, atk):
`drop_unreachable_libraries` removes those by walking the link-time dependencies again.

Entries are PyInstaller TOC tuples: (destination name, source path, type code).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import PurePosixPath

Entry = tuple[str, str, str]

# PySide6's layout: PySide6/Qt/plugins/<type>/libq<name>.so (Linux), .../<name>.dylib (macOS),
# PySide6/plugins/<type>/q<name>.dll (Windows); translations beside them.
_PLUGIN = re.compile(r"^PySide6/(?:Qt/)?plugins/(?P<type>[^/]+)/(?P<file>[^/]+)$")
_TRANSLATION = re.compile(r"^PySide6/(?:Qt/)?translations/(?P<file>[^/]+)$")


def _dest(entry: Entry) -> str:
    return PurePosixPath(entry[0].replace("\\", "/")).as_posix()


def plugin_name(file_name: str) -> str:
    """'libqxcb.so' -> 'qxcb', 'qwindows.dll' -> 'qwindows', 'libqcocoa.dylib' -> 'qcocoa'."""
    stem = file_name.split(".", 1)[0]
    return stem[3:] if stem.startswith("lib") else stem


def keep_qt_files(
    entries: Iterable[Entry], plugins: Mapping[str, set[str]], translations: set[str]
) -> list[Entry]:
    """Drop the Qt plugins not named in `plugins` ({type: {name}}) and the translation files
    not named in `translations`; every other entry is kept as it is."""
    kept: list[Entry] = []
    for entry in entries:
        dest = _dest(entry)
        plugin = _PLUGIN.match(dest)
        if plugin is not None:
            if plugin_name(plugin["file"]) not in plugins.get(plugin["type"], set()):
                continue
        translation = _TRANSLATION.match(dest)
        if translation is not None and translation["file"] not in translations:
            continue
        kept.append(entry)
    return kept


def is_qt_plugin(entry: Entry) -> bool:
    return _PLUGIN.match(_dest(entry)) is not None


def drop_unreachable_libraries(
    binaries: Iterable[Entry],
    datas: Iterable[Entry],
    is_root: Callable[[Entry], bool],
    needed_by: Callable[[str], Iterable[str]],
) -> tuple[list[Entry], list[Entry]]:
    """Keep the roots and the shared libraries they need, directly or not; drop the rest.

    `is_root` names what is loaded by something other than the dynamic linker (Python
    extensions, Qt plugins, the Python library the bootloader opens); `needed_by(path)` gives
    the library names a binary links against. The symbolic links PyInstaller adds among the
    data entries (type SYMLINK) follow their target.
    """
    binaries = list(binaries)
    by_name: dict[str, list[Entry]] = {}
    for entry in binaries:
        by_name.setdefault(PurePosixPath(_dest(entry)).name, []).append(entry)
    reachable: set[str] = set()
    todo = [entry for entry in binaries if is_root(entry)]
    while todo:
        entry = todo.pop()
        if entry[0] in reachable:
            continue
        reachable.add(entry[0])
        for name in needed_by(entry[1]):
            todo += by_name.get(PurePosixPath(name).name, [])
    kept_binaries = [entry for entry in binaries if entry[0] in reachable]
    dropped = {entry[0] for entry in binaries} - reachable
    kept_datas = [entry for entry in datas if not (entry[2] == "SYMLINK" and entry[1] in dropped)]
    return kept_binaries, kept_datas

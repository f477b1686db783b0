"""`python packaging/check_dist.py dist/Dossier`: does the built folder hold what build.spec says?

Run by `make package-test` after the build (Linux). The self-test proves the app works; this
proves the folder stays lean and complete: no excluded Qt module or plugin crept back in,
only the French and English Qt translations, the OCR data and the font are there, Whoosh's
broken legacy modules and PyMuPDF's optional extras are out, the ELF binaries are stripped.
Prints the folder's size; exits 1 with one line per problem.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PyInstaller.archive.readers import pkg_archive_contents

QT_LIBRARIES_FORBIDDEN = (
    "Network", "Qml", "Quick", "WebEngine", "Multimedia", "3D", "Pdf", "Sql", "Svg",
    "Wayland", "EglFS", "OpenGL",
)  # fmt: skip
PLUGINS_EXPECTED = {
    "platforms": {"libqoffscreen.so", "libqminimal.so", "libqxcb.so"},
    "platforminputcontexts": {
        "libcomposeplatforminputcontextplugin.so",
        "libibusplatforminputcontextplugin.so",
    },
    "xcbglintegrations": {"libqxcb-glx-integration.so"},
}
TRANSLATIONS_EXPECTED = {"qtbase_fr.qm", "qtbase_en.qm"}
RESOURCES_EXPECTED = (
    "resources/tessdata/fra.traineddata",
    "resources/tessdata/eng.traineddata",
    "resources/tessdata/LICENSE",
    "resources/fonts/DejaVuSans.ttf",
    "resources/fonts/DejaVuSans-Bold.ttf",
    "resources/fonts/LICENSE",
    "resources/locale/fr/LC_MESSAGES/dossier.mo",
    "resources/guide/guide.md",
    "resources/guide/guide.fr.md",
    "dossier/db/migrations/env.py",
    "dossier/db/migrations/versions/0001_initial_schema.py",
)
MODULES_EXPECTED = (
    "whoosh.codec.whoosh3", "dossier.selftest", "ui.selftest", "alembic",
    # Pillow decodes WebP pictures: its WebP reader must be in the archive.
    "PIL.WebPImagePlugin",
    # The HEIC decoder's child process: pi_heif and its decode-only libheif.
    "dossier.pdf.heicchild", "pi_heif",
    # The child process that reads a page by OCR.
    "dossier.pdf.ocrchild",
)  # fmt: skip
MODULES_FORBIDDEN = (
    # DESIGN.md section 8: whoosh-reloaded's legacy modules that fail to import.
    "whoosh.codec.whoosh2", "whoosh.filedb.filepostings", "whoosh.filedb.filereading",
    "whoosh.filedb.filewriting", "whoosh.filedb.gae", "whoosh.filedb.misc",
    "whoosh.filedb.pools", "whoosh.support.bench",
    # PyMuPDF's optional extras, TLS, developer tools.
    "fontTools", "pymupdf_fonts", "pandas", "numpy", "cppyy",
    "ssl", "tkinter", "pygments", "setuptools", "pytest", "PyInstaller",
    "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick",
    # The tests' HEIC encoder (bundles the GPL x265 encoder).
    "pillow_heif",
)  # fmt: skip


def has_symbol_table(path: Path) -> bool:
    """Whether an ELF file still has a `.symtab` section (what `strip` removes)."""
    with path.open("rb") as f:
        ident = f.read(16)
        if ident[:4] != b"\x7fELF":
            return False
        wide, order = ident[4] == 2, "<" if ident[5] == 1 else ">"
        header = f.read(48 if wide else 36)
        if wide:
            shoff, shentsize, shnum, shstrndx = (
                struct.unpack_from(order + "Q", header, 24)[0],
                *struct.unpack_from(order + "HHH", header, 42),
            )
        else:
            shoff, shentsize, shnum, shstrndx = (
                struct.unpack_from(order + "I", header, 16)[0],
                *struct.unpack_from(order + "HHH", header, 30),
            )
        if shoff == 0 or shnum == 0:
            return False
        f.seek(shoff)
        table = f.read(shentsize * shnum)
        offsets = [
            struct.unpack_from(order + ("IIQQQQ" if wide else "IIIIII"), table, i * shentsize)
            for i in range(shnum)
        ]
        names_offset, names_size = offsets[shstrndx][4], offsets[shstrndx][5]
        f.seek(names_offset)
        names = f.read(names_size)
    return any(names[o[0] :].split(b"\0", 1)[0] == b".symtab" for o in offsets)


def problems(dist: Path) -> list[str]:
    found: list[str] = []
    internal = dist / "_internal"
    exe = dist / "Dossier"
    if not exe.is_file():
        return [f"no executable at {exe}"]
    for name in RESOURCES_EXPECTED:
        if not (internal / name).is_file():
            found.append(f"missing {name}")
    files = [p for p in internal.rglob("*") if p.is_file() and not p.is_symlink()]
    for path in files:
        if path.name.startswith("libQt6") and any(
            path.name.startswith(f"libQt6{part}") for part in QT_LIBRARIES_FORBIDDEN
        ):
            found.append(f"excluded Qt library present: {path.relative_to(internal)}")
    plugins_dir = internal / "PySide6/Qt/plugins"
    plugins = {
        folder.name: {p.name for p in folder.iterdir()}
        for folder in plugins_dir.iterdir()
        if folder.is_dir()
    }
    if plugins != PLUGINS_EXPECTED:
        found.append(f"Qt plugins differ: {plugins} instead of {PLUGINS_EXPECTED}")
    translations = {p.name for p in (internal / "PySide6/Qt/translations").iterdir()}
    if translations != TRANSLATIONS_EXPECTED:
        found.append(f"Qt translations differ: {sorted(translations)}")
    found += [
        f"an HEVC encoder is in the folder (GPL, and the app only decodes): {p.name}"
        for p in files
        if "x265" in p.name.lower()
    ]
    modules = set(pkg_archive_contents(str(exe)))
    found += [f"module missing from the archive: {m}" for m in MODULES_EXPECTED if m not in modules]
    for forbidden in MODULES_FORBIDDEN:
        hits = sorted(m for m in modules if m == forbidden or m.startswith(forbidden + "."))
        if hits:
            found.append(f"excluded module in the archive: {hits[0]}")
    found += [
        f"not stripped: {path.relative_to(dist)}"
        for path in [exe, *files]
        if path.suffix in ("", ".so") or ".so." in path.name
        if has_symbol_table(path)
    ]
    return found


def main(argv: list[str]) -> int:
    dist = Path(argv[1] if len(argv) > 1 else "dist/Dossier")
    size = sum(p.stat().st_size for p in dist.rglob("*") if p.is_file() and not p.is_symlink())
    count = sum(1 for p in dist.rglob("*") if p.is_file())
    print(f"{dist}: {size / 1024**2:.1f} MiB in {count} files")
    found = problems(dist)
    for line in found:
        print(f"FAIL  {line}")
    print("dist check OK" if not found else f"dist check FAILED: {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

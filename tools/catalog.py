"""The translation catalogs: extract the marked strings, bring each `.po` in step, compile `.mo`.

    python -m tools.catalog update    # after changing marked strings: new ones appear untranslated
    python -m tools.catalog compile   # .po -> .mo (make does it; so do the tests)
    python -m tools.catalog check     # what the completeness test checks, as a list

Strings are marked with `_()`, `N_()`, `ngettext()` (dossier.i18n) or `tr()` (ui.i18n). The
`.po` files carry no source locations and are sorted by msgid, so two people changing different
strings do not conflict and moving code does not touch them. Babel is a development tool here:
the app reads the compiled `.mo` with the standard library.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parents[1]
LOCALE = REPO / "resources" / "locale"
DOMAIN = "dossier"
SOURCES = ("dossier", "ui")
# None: the first argument is the message; (1, 2): singular and plural.
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None,
    "N_": None,
    "tr": None,
    "gettext": None,
    "ngettext": (1, 2),
    "ntr": (1, 2),  # ui.i18n: the app's plural forms
    "_t": None,  # dossier/export/html.py: a sentence of index.html, its values escaped
}
HEADER = "Translations of Dossier, an offline encrypted case archive for journalists."


def po_files() -> list[Path]:
    return sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def extract() -> dict[str | tuple[str, str], list[str]]:
    """Every marked message of the code, with where it is (file:line)."""
    found: dict[str | tuple[str, str], list[str]] = {}
    for source in SOURCES:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            REPO / source, keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True
        ):
            if isinstance(message, tuple):
                # A plural call whose plural is not a literal is not a message of ours.
                if any(not m for m in message):
                    continue
                key: str | tuple[str, str] = (message[0], message[1])
            else:
                if not message:
                    continue
                key = message
            found.setdefault(key, []).append(f"{source}/{filename}:{lineno}")
    return found


def read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


def write(catalog: Catalog, path: Path) -> None:
    out = io.BytesIO()
    write_po(out, catalog, width=100, no_location=True, omit_header=False, sort_output=True)
    _atomic_write(path, out.getvalue())


def update() -> None:
    """Add new messages (untranslated) to each .po and drop those the code no longer has; the
    header and every existing translation are kept as they are."""
    messages = extract()
    for path in po_files():
        catalog = read(path)
        wanted = {key if isinstance(key, str) else key[0]: key for key in messages}
        for message in list(catalog):
            if (
                message.id
                and (message.id if isinstance(message.id, str) else message.id[0]) not in wanted
            ):
                catalog.delete(message.id)
        for singular, key in wanted.items():
            existing = catalog.get(singular)
            if existing is None or existing.id != key:
                catalog[key] = Message(key, "" if isinstance(key, str) else ("", ""))
        catalog.obsolete.clear()
        write(catalog, path)


def compiled(path: Path) -> bytes:
    out = io.BytesIO()
    write_mo(out, read(path), use_fuzzy=False)
    return out.getvalue()


def compile_all() -> list[Path]:
    """Write each .mo beside its .po when it is absent or differs; returns those written."""
    written = []
    for po in po_files():
        mo = po.with_suffix(".mo")
        data = compiled(po)
        if not mo.exists() or mo.read_bytes() != data:
            _atomic_write(mo, data)
            written.append(mo)
    return written


def _atomic_write(path: Path, data: bytes) -> None:
    # Test workers may compile at the same moment: each writes its own file, then renames.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.fchmod(fd, 0o644)  # a catalog, not a secret: readable like the rest of the checkout
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def problems(path: Path) -> Iterator[str]:
    """What keeps the catalog at `path` from covering the code: one line per problem."""
    catalog = read(path)
    code = extract()
    ids = {m.id for m in catalog if m.id}
    for key, where in sorted(code.items(), key=lambda kv: str(kv[0])):
        message = catalog.get(key if isinstance(key, str) else key[0])
        if message is None or message.id != key:
            yield f"not in the catalog: {key!r} ({where[0]})"
        elif message.fuzzy:
            yield f"fuzzy: {key!r} ({where[0]})"
        elif not message.string or (isinstance(message.string, tuple) and not all(message.string)):
            yield f"untranslated: {key!r} ({where[0]})"
    for msgid in sorted(ids - set(code), key=str):
        yield f"no longer in the code: {msgid!r}"


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        update()
        return 0
    if command == "compile":
        for path in compile_all():
            print(f"compiled {path.relative_to(REPO)}")
        return 0
    if command == "check":
        found = [f"{po.relative_to(REPO)}: {p}" for po in po_files() for p in problems(po)]
        print("\n".join(found) or "every catalog covers the code")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

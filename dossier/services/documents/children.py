"""Files inside a file (attachments, a mailbox's messages, an archive's members) read into a
tree of documents, in memory, before anything of the import is stored.

Each embedded file is extracted like any imported file; one that cannot be read is left out
with its reason (it stays inside its container's encrypted original) and the rest go on.
Depth, count and the bytes held are bounded: a message forwarding a message forwarding a
message is normal, a thousand levels is an attack; so is a small tarball of compressed files
that each pass their own ratio check but together unpack to many gigabytes.
"""

from __future__ import annotations

from dossier.errors import InputRefused, PasswordRequired
from dossier.i18n import _
from dossier.jobs import CancelToken, Progress, check, report
from dossier.services.documents.dto import Child, ChildReport
from dossier.text.model import CUT_SHORT, ExtractedDocument

MAX_DEPTH = 6
"""Levels below the imported file: mailbox › message › forwarded message › attachment › …"""
MAX_DOCUMENTS = 20_000
"""Documents one import may create; a mailbox of more should be split."""
UNPACKED_FLOOR = 1024**3
"""Bytes of embedded files one import may hold in memory whatever its size (one archive's
unpacked limit, `dossier.ingest.archive.MAX_ARCHIVE_BYTES`)."""
UNPACKED_PER_BYTE = 2
"""...plus this many per byte of the imported file: a mailbox's messages and their decoded
attachments come to about twice the mailbox."""


def read_children(
    parent: ExtractedDocument,
    parent_name: str,
    *,
    ocr: bool,
    progress: Progress | None,
    cancel: CancelToken | None,
    size: int = 0,
) -> ChildReport:
    """Extract every file embedded in `parent` (a file of `size` bytes), recursively; progress
    names each one."""
    found = ChildReport(budget=UNPACKED_FLOOR + UNPACKED_PER_BYTE * size)
    found.children = _read(parent, parent_name, 1, found, ocr, progress, cancel)
    return found


def _read(
    parent: ExtractedDocument,
    path: str,
    depth: int,
    found: ChildReport,
    ocr: bool,
    progress: Progress | None,
    cancel: CancelToken | None,
) -> list[Child]:
    from dossier.ingest.formats import extract_bytes

    children: list[Child] = []
    total = len(parent.embedded)
    for number, item in enumerate(parent.embedded):
        check(cancel)
        where = f"{path} › {item.name}"
        if depth == 1:
            report(
                progress,
                number / max(1, total),
                _("{origin} {number} of {total}: {name}").format(
                    origin=item.origin, number=number + 1, total=total, name=item.name
                ),
            )
        if depth > MAX_DEPTH:
            found.left_out.append(
                _("{where}: nested too deep (more than {limit} levels)").format(
                    where=where, limit=MAX_DEPTH
                )
            )
            continue
        if found.count >= MAX_DOCUMENTS:
            found.left_out.append(
                _("{where}: more than {limit} documents in one import").format(
                    where=where, limit=MAX_DOCUMENTS
                )
            )
            continue
        if found.held + len(item.data) > found.budget:
            found.left_out.append(
                _("{where}: more than {n} MB unpacked in one import").format(
                    where=where, n=found.budget // 1024**2
                )
            )
            continue
        if item.metadata.get(CUT_SHORT):
            found.left_out.append(
                _("{where}: its message ends inside it (cut short)").format(where=where)
            )
            continue
        found.held += len(item.data)
        try:
            extracted = item.extracted or extract_bytes(
                item.data, item.name, ocr=ocr, cancel=cancel
            )
        except PasswordRequired:
            found.left_out.append(_("{where}: protected by a password").format(where=where))
            continue
        except InputRefused as exc:
            found.left_out.append(_("{where}: {exc}").format(where=where, exc=exc))
            continue
        found.count += 1
        if item.path:
            extracted.metadata = {**extracted.metadata, "path_in_archive": item.path}
        if item.metadata:
            extracted.metadata = {**extracted.metadata, **item.metadata}
        child = Child(item.name, item.data, item.origin, extracted)
        child.children = _read(extracted, where, depth + 1, found, ocr, None, cancel)
        extracted.embedded = []  # the bytes now live in the children; free the copies
        children.append(child)
    return children

"""The files of a case index: creating it with its version stamp, opening and checking it.

The stamp (`dossier-index.meta`, sealed like every index file) names the format, the schema
version and the case: an index of another version or another case is refused, and rebuilt.
"""

from __future__ import annotations

import json
import pickle
import shutil
import struct
from pathlib import Path
from typing import Any

from whoosh.index import TOC
from whoosh.index import IndexError as WhooshIndexError

from dossier.errors import CorruptData
from dossier.i18n import _
from dossier.search.schema import INDEX_NAME, SCHEMA_VERSION, build_schema
from dossier.search.storage import EncryptedStorage

META_NAME = "dossier-index.meta"
META_FORMAT = "dossier-search-index"
# What a damaged or foreign index can raise while being opened (its bytes are authenticated,
# so beyond CorruptData these mean "written by another version" rather than tampering).
DAMAGE = (CorruptData, WhooshIndexError, pickle.UnpicklingError, EOFError, struct.error)


class IndexUnfinished(CorruptData):
    """An index whose build was interrupted before its stamp was written (a kill during a
    rebuild or a rekey): derived data that is simply built again, not damage."""


def fresh_index(storage: EncryptedStorage, case_id: str) -> Any:
    storage.destroy()
    storage.create()
    ix = storage.create_index(build_schema(), indexname=INDEX_NAME)
    meta = {"format": META_FORMAT, "schema": SCHEMA_VERSION, "case_id": case_id}
    with storage.create_file(META_NAME) as out:
        out.write(json.dumps(meta).encode("utf-8"))
    return ix


def open_existing(storage: EncryptedStorage, case_id: str) -> Any:
    if not storage.file_exists(META_NAME):
        raise IndexUnfinished(_("the index has no version stamp"))
    with storage.open_file(META_NAME) as meta_file:
        try:
            meta = json.loads(meta_file.read().decode("utf-8"))
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise CorruptData(_("the index version stamp is unreadable")) from exc
    if meta.get("format") != META_FORMAT or meta.get("case_id") != case_id:
        raise CorruptData(_("the index belongs to something else"))
    if meta.get("schema") != SCHEMA_VERSION:
        raise CorruptData(
            _("the index was made by another version ({value})").format(value=meta.get("schema"))
        )
    # Our schema, not the pickled one: a renamed class must not make an index unreadable.
    ix = storage.open_index(INDEX_NAME, schema=build_schema())
    with ix.searcher() as searcher:
        # Opening a searcher opens every segment: sealed headers and last blocks are checked.
        searcher.doc_count_all()
    return ix


def remove_stale_siblings(folder: Path) -> None:
    # A rebuild that crashed leaves `<name>.rebuild-*` or `<name>.old-*` beside the index.
    if not folder.parent.is_dir():
        return
    for sibling in folder.parent.glob(f"{folder.name}.*-*"):
        if sibling.name.startswith((f"{folder.name}.rebuild-", f"{folder.name}.old-")):
            shutil.rmtree(sibling, ignore_errors=True)


def committed_files(storage: EncryptedStorage, ix: Any) -> list[str]:
    """The files of the index as its latest table of contents has it: that table, its
    segments' files and the stamp, not what a writer has written for a commit to come (nor
    what a crash left: `SearchIndex.open` removes that)."""
    generation = ix.latest_generation()
    segments = {segment.segment_id() for segment in ix._segments()}
    toc_name = TOC._pattern(INDEX_NAME)
    segment_file = TOC._segment_pattern(INDEX_NAME)
    names = []
    for name in storage.list():
        toc = toc_name.match(name)
        segment = segment_file.match(name)
        if toc is not None:
            if int(toc.group(1)) == generation:
                names.append(name)
        elif segment is not None:
            if segment.group(1) in segments:
                names.append(name)
        elif ".toc." not in name:  # a table of contents a crash left unrenamed
            names.append(name)
    return names

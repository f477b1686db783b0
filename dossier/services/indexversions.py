"""Which version of each document a case's search index holds, and which the catalog holds.

Every sealed index file is authentic on its own, so an old copy of a case's index put back by
someone with the disk but not the key opens as well as the current one: only its freshness is
wrong. Each indexed item therefore carries the version of its document: a digest of the row
MACs of the document and of its pages, as read with the text that was indexed (a row's MAC
covers every value in it, so the same MACs mean the same text). The non-page items (quotes,
letters, people...) carry a digest of themselves. At a case's first use in a session the
versions in the index are compared with the catalog's, and every document whose versions
differ is indexed again: whatever was restored (a folder, a file, a mix, a marker removed),
and whenever an update was lost (a crash between the catalog's commit and the index's), never
a rebuild of what is still right.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from dossier.db.models import Document, Page
from dossier.search.model import IndexItem

_DIGEST = 16


def doc_version(doc_mac: bytes, page_macs: Iterable[bytes]) -> str:
    """The version of a document: its row MAC and its pages' in page order."""
    digest = hashlib.blake2b(doc_mac, digest_size=_DIGEST)
    for mac in page_macs:
        digest.update(mac)
    return digest.hexdigest()


def catalog_versions(session: Session, case_id: str) -> dict[str, str]:
    """The current version of every document of the case, from the row MACs alone (nothing
    decrypted): what its index must hold."""
    query = select(Document.id, Document.row_mac).where(Document.case_id == case_id)
    heads: dict[str, bytes] = dict(session.execute(query).tuples().all())
    macs: dict[str, list[bytes]] = {doc_id: [] for doc_id in heads}
    pages = session.execute(
        select(Page.document_id, Page.row_mac)
        .where(Page.case_id == case_id)
        .order_by(Page.document_id, Page.page_index)
    )
    for doc_id, mac in pages:
        found = macs.get(doc_id)
        if found is not None:
            found.append(mac)
    return {doc_id: doc_version(heads[doc_id], page_macs) for doc_id, page_macs in macs.items()}


def versioned_items(items: Sequence[IndexItem]) -> list[IndexItem]:
    """The non-page items of a case, each carrying the digest of them all (they are replaced
    together)."""
    digest = hashlib.blake2b(digest_size=_DIGEST)
    for item in sorted(items, key=lambda i: i.item_id):
        digest.update(repr(item).encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    version = digest.hexdigest()
    return [replace(item, version=version) for item in items]


def stale(indexed: dict[str, set[str]], catalog: dict[str, str]) -> set[str]:
    """Documents in both whose index holds anything but the catalog's one version."""
    return {
        doc_id for doc_id, version in catalog.items() if indexed.get(doc_id, {version}) != {version}
    }

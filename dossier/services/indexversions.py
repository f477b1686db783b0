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

from dossier.db.inventory import CaseMacs
from dossier.db.models import Document, Page
from dossier.db.rowauth import MAC_LEN, MODULUS, mac_to_int
from dossier.search.model import IndexItem
from dossier.vault.vault import Vault

_DIGEST = 16


def doc_version(doc_mac: bytes, page_macs: Iterable[bytes]) -> str:
    """The version of a document: its row MAC and its pages' (in no order: each MAC covers
    its page's number)."""
    return summed_version(mac_to_int(doc_mac), sum(mac_to_int(mac) for mac in page_macs))


def summed_version(doc_mac: int, pages_mac_sum: int) -> str:
    """`doc_version` from the MACs as numbers, the pages' summed, as the case's check sums
    them."""
    digest = hashlib.blake2b(doc_mac.to_bytes(MAC_LEN, "big"), digest_size=_DIGEST)
    digest.update((pages_mac_sum % MODULUS).to_bytes(MAC_LEN, "big"))
    return digest.hexdigest()


def catalog_versions(vault: Vault, case_id: str) -> dict[str, str]:
    """The current version of every document of the case that has pages, from the row MACs
    alone (nothing decrypted): what its index must hold. Right after the case's check (the
    first search after unlock), from the MACs it read: every page row is read once, not twice."""
    macs = vault.checked_macs(case_id)
    if macs is None:
        macs = CaseMacs()
        # One state of the catalog: a document's row and its pages read from two commits
        # made a version the index never held, and a needless re-index of that document.
        with vault.reading() as session:
            query = select(Document.id, Document.row_mac).where(Document.case_id == case_id)
            for doc_id, mac in session.execute(query).tuples():
                macs.documents[doc_id] = mac_to_int(mac)
            query = select(Page.document_id, Page.row_mac).where(Page.case_id == case_id)
            for doc_id, mac in session.execute(query).tuples():
                macs.pages[doc_id] = macs.pages.get(doc_id, 0) + mac_to_int(mac)
    # A document without pages has nothing in the index (a mailbox, an archive: their
    # messages and members have the pages); listed, it would be "missing" at every unlock.
    return {
        _text(doc_id): summed_version(mac, macs.pages[doc_id])
        for doc_id, mac in macs.documents.items()
        if doc_id in macs.pages
    }


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


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

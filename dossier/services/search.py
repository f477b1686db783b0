"""Search use cases: keep each case's sealed index in step with the catalog, answer queries.

The index is derived data. Pages are indexed when a document is imported or edited; quotes,
letters, questions, replies and people are re-indexed lazily, before the next search, after any
committed change to them (the vault tells us through its commit listener). On first use in a
session an index is reconciled with the catalog by the version of each document
(`indexversions.py`: a crash between a commit and the index update loses nothing, an old copy
of the index put back is brought up to date), and a missing or damaged index is rebuilt, never
fatal.

An index update that fails after the catalog committed (the disk filled up between the two)
does not undo or fail the change: the case's index is removed and marked pending (`pending`),
and its next use, in this session or the next, rebuilds it from the catalog.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, undefer

from dossier.db.models import Case, Document, Letter, Page, Person, Question, Quote, Reply
from dossier.db.rowauth import mac_to_int, read_rows_by_id
from dossier.errors import DossierError, NotFoundError
from dossier.i18n import N_, _
from dossier.jobs import CancelToken, ChunkMap, Progress, report
from dossier.search import analysed
from dossier.search.analysed import Lent
from dossier.search.built import start_workers
from dossier.search.facade import (
    UNFINISHED,
    IndexClosed,
    IndexDamaged,
    SearchIndex,
    lent_early,
    search_many,
)
from dossier.search.model import Hit, IndexItem, SearchFilters
from dossier.services.dates import as_utc, parse_date
from dossier.services.dto import SearchHit
from dossier.services.indexversions import (
    catalog_versions,
    doc_version,
    stale,
    summed_version,
    versioned_items,
)
from dossier.services.people.dto import ScreenMask
from dossier.vault.vault import macs_ahead, sealed_macs

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

log = logging.getLogger(__name__)
_DOCS_PER_QUERY = 64
_MACS_PER_QUERY = 500
_PAGES_PER_FETCH = 256

ITEMS_DOC = "catalog-items"
"""Synthetic document id grouping a case's non-page items, so they are replaced in one go."""
_ITEM_TABLES = {"quote", "letter", "question", "reply", "person", "note", "event"}


def page_item(case_id: str, doc: Document, page: Page, version: str = "") -> IndexItem:
    """A page as the index holds it (`version`: its document's, if known)."""
    return IndexItem(
        item_id=f"{doc.id}:{page.page_index}",
        doc_id=doc.id,
        case_id=case_id,
        item_type="page",
        kind=doc.kind,
        title=doc.title,
        text=page.text,
        page_index=page.page_index,
        page_label=page.label or str(page.page_index + 1),
        language=doc.language,
        date=doc.date,
        people=tuple(doc.people),
        tags=tuple(doc.tags),
        secondary=page.full_text,
        ocr=bool(page.ocr),
        version=version,
    )


def _sealed_versions(session: Session, docs: Sequence[Document]) -> dict[str, str]:
    """The versions of those of `docs` whose rows (document and pages) the session's last
    commit signed, from the MACs it stored (`sealed_macs`), without reading them back."""
    sealed = sealed_macs(session)
    versions = {}
    for doc in docs:
        head = sealed.get(("document", doc.id))
        pages = [sealed.get(("page", page.id)) for page in doc.pages]
        if head is not None and None not in pages:
            versions[doc.id] = doc_version(head, [mac for mac in pages if mac is not None])
    return versions


def _imported_versions(session: Session, docs: Sequence[Document]) -> dict[str, str]:
    """The versions of `docs`, committed by `session` and still in memory, from their rows'
    MACs as stored."""
    ids = [doc.id for doc in docs]
    heads = dict(
        session.execute(select(Document.id, Document.row_mac).where(Document.id.in_(ids)))
        .tuples()
        .all()
    )
    macs: dict[str, dict[int, bytes]] = {}
    query = select(Page.document_id, Page.page_index, Page.row_mac).where(Page.document_id.in_(ids))
    for doc_id, index, mac in session.execute(query).tuples():
        macs.setdefault(doc_id, {})[index] = mac
    versions = {}
    for doc in docs:
        stored = macs.get(doc.id, {})
        versions[doc.id] = doc_version(heads[doc.id], [stored[p.page_index] for p in doc.pages])
    return versions


def _versioned(case_id: str, docs: Sequence[Document], versions: dict[str, str]) -> list[IndexItem]:
    items: list[IndexItem] = []
    for doc in docs:
        version = versions[doc.id]
        pages = sorted(doc.pages, key=lambda page: page.page_index)
        items += [page_item(case_id, doc, page, version) for page in pages]
    return items


def _item_versions(docs: Sequence[Document], versions: dict[str, str]) -> list[tuple[str, str]]:
    """(item id, version) of each page of `docs`, in the order `_versioned` lists them."""
    return [
        (f"{doc.id}:{page.page_index}", versions[doc.id])
        for doc in docs
        for page in sorted(doc.pages, key=lambda page: page.page_index)
    ]


def _storing_items(
    session: Session, case_id: str, key: bytes, docs: Sequence[Document]
) -> list[IndexItem]:
    """The pages of `docs` before the commit, with the versions of the rows as the caller's
    transaction stored them, MACed as its commit will MAC them (the same stored values, the
    same key: `dossier.db.inventory.seal_changes`). Rows inserted with their MACs made ahead
    (`dossier.db.bulk`) are not read back: if one was stored otherwise, the commit signs it
    anew and `documents_imported` drops these versions for the ones it stored."""
    wanted: list[tuple[str, str]] = []
    for doc in docs:
        wanted += [("document", doc.id), *(("page", page.id) for page in doc.pages)]
    made = macs_ahead(session)  # the commit takes them for the rows it finds unchanged
    unknown = [entry for entry in wanted if entry not in made or made[entry][1] != key]
    for entry, row in zip(unknown, read_rows_by_id(session.connection(), unknown), strict=True):
        if row is None:
            return []
        made[entry] = (row, key, row.mac(key))
    macs = iter([made[entry][2] for entry in wanted])
    versions = {}
    for doc in docs:
        head = next(macs)
        versions[doc.id] = doc_version(head, [next(macs) for _page in doc.pages])
    return _versioned(case_id, docs, versions)


def _early_items(early: object | None) -> list[IndexItem]:
    """The items `documents_storing` made before the commit (handed to the workers or not)."""
    if isinstance(early, Lent):
        return [item for part in early.parts for item in part]
    return early if isinstance(early, list) else []


class SearchService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._indexes: dict[str, SearchIndex] = {}
        self._reconciled: set[str] = set()
        self._stale_items: set[str] = set()
        self._pending: set[str] = set()
        self._catalog_reads: dict[str, int] = {}
        """Times each case's index was rebuilt or reconciled from the catalog."""
        self._lock = threading.RLock()
        self._rebuilding: dict[str, int] = {}
        """Cases whose index a thread (by its id) removed and is rebuilding (`rebuilding`)."""
        self._rebuilt = threading.Condition(self._lock)
        self._small_to_workers = False
        self._closed = False
        """The workspace is locked: a job still running after it (locking waits for them only
        so long) updates no index; the next open finds what it changed in the catalog."""
        ws.vault.add_commit_listener(self._on_commit)

    # -- keeping the index in step -----------------------------------------------------------

    def _on_commit(self, changes: set[tuple[str, str | None, str]]) -> None:
        with self._lock:
            for table, case_id, _row in changes:
                if table in _ITEM_TABLES and case_id:
                    self._stale_items.add(case_id)

    def _index(self, case_id: str, *, wait: bool = True) -> SearchIndex:
        """The case's index, open, reconciled and its items up to date. Without `wait`, an
        index already open is handed over at once while another thread (an import) updates
        it: its items are brought up to date only if the lock is free."""
        index = None if wait else self._indexes.get(case_id)
        if index is not None and not index.needs_rebuild and case_id in self._reconciled:
            if self._lock.acquire(blocking=False):
                try:
                    self._update_items(case_id, index)
                finally:
                    self._lock.release()
            return index
        with self._lock:
            self._wait_rebuilt(case_id)
            index = self._indexes.get(case_id)
            if index is None:
                index = self._indexes[case_id] = self._open(case_id)
                index.small_to_workers = self._small_to_workers
            if index.needs_rebuild:
                self._rebuild(case_id, index)
            elif case_id not in self._reconciled:
                self._reconcile(case_id, index)
            self._update_items(case_id, index)
            return index

    def _update_items(self, case_id: str, index: SearchIndex) -> None:
        if case_id in self._stale_items:
            self._stale_items.discard(case_id)
            index.replace_documents([ITEMS_DOC], self._catalog_items(case_id))

    def _open(self, case_id: str, *, verify: bool = True) -> SearchIndex:
        # Unverified only to read the index while the case's rows are checked (`_first_use`).
        keys = self.ws.vault.case_keys(case_id, verify=verify)
        index = SearchIndex.open(self.ws.vault.index_dir(case_id), keys.index, case_id)
        index.page_texts = lambda pages: self._page_texts(case_id, pages)
        return index

    def _page_texts(self, case_id: str, pages: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
        """The catalog's texts of these pages: snippets are cut from them."""
        wanted = sorted(set(pages))
        texts: dict[tuple[str, int], str] = {}
        with self.ws.vault.session() as session:
            # In parts: SQLite refuses an expression of a thousand terms (a search asking for
            # a thousand hits).
            for start in range(0, len(wanted), _PAGES_PER_FETCH):
                where = or_(
                    *(
                        and_(Page.document_id == d, Page.page_index == i)
                        for d, i in wanted[start : start + _PAGES_PER_FETCH]
                    )
                )
                # Found by their documents' index, the case checked here: with the case in the
                # query, SQLite walked every page of the case (0.2 s at 50,000 pages) instead.
                for page in session.scalars(select(Page).where(where)):
                    if page.case_id == case_id:
                        texts[(page.document_id, page.page_index)] = page.text
        return texts

    def _reconcile(self, case_id: str, index: SearchIndex) -> None:
        indexed = index.doc_versions()
        catalog = catalog_versions(self.ws.vault, case_id)
        missing = catalog.keys() - indexed.keys()
        extra = indexed.keys() - catalog.keys() - {ITEMS_DOC}
        older = stale(indexed, catalog)
        items = self._catalog_items(case_id)
        items_version = {items[0].version} if items else set()
        # Not written when in step: writing nothing was a commit (and a pending marker,
        # fsynced) at the first search after every unlock.
        items_behind = indexed.get(ITEMS_DOC, set()) != items_version
        if items_behind and ITEMS_DOC in indexed:
            older.add(ITEMS_DOC)
        in_step = catalog.keys() - missing - older
        doubled = self._doubled(case_id, index, in_step, in_step == catalog.keys(), len(items))
        if doubled:
            log.info(
                "search index of case %s: %d document(s) indexed twice (a hand-off that added "
                "what a rebuild had read): indexed again",
                case_id,
                len(doubled),
            )
            older |= doubled
            items_behind = items_behind or ITEMS_DOC in doubled
        if older:
            log.info(
                "search index of case %s: %d document(s) older than the catalog (an old copy "
                "put back, an update a crash interrupted or left for a search that never came): "
                "indexed again",
                case_id,
                len(older),
            )
        if extra:
            index.remove(extra)
        redo = missing | (older - {ITEMS_DOC})
        if redo:
            index.replace_documents(redo, self._page_items(case_id, sorted(redo)))
        if items_behind:
            # The items just read and versioned, not read (and decrypted) again for the update.
            index.replace_documents([ITEMS_DOC], items)
        if index.pending_since is not None:
            # A crash left writes uncommitted: redo those of documents changed since then.
            changed = self._changed_since(case_id, index.pending_since) - redo
            if changed:
                index.replace_documents(changed, self._page_items(case_id, sorted(changed)))
            self._stale_items.add(case_id)
            index.pending_redone()
        self._reconciled.add(case_id)
        self._pending.discard(case_id)
        self._catalog_reads[case_id] = self._catalog_reads.get(case_id, 0) + 1

    def _doubled(
        self, case_id: str, index: SearchIndex, in_step: set[str], every: bool, item_count: int
    ) -> set[str]:
        """Those of the documents `in_step` (`every` one the catalog has) and of the catalog's
        items the index holds more items of than the catalog has pages (items): indexed twice
        under the right version."""
        counts = index.doc_item_counts()
        doubled = {ITEMS_DOC} if counts.get(ITEMS_DOC, 0) > item_count else set()
        held = sum(counts.get(doc_id, 0) for doc_id in in_step)
        # The pages counted, not each document's (10 ms at 5,000 pages, ten times more): in
        # step, the index holds as many pages as the catalog, more if one is doubled.
        if every and held == self._page_count(case_id):
            return doubled
        with self.ws.vault.reading() as session:
            query = (
                select(Page.document_id, func.count())
                .where(Page.case_id == case_id)
                .group_by(Page.document_id)
            )
            pages = dict(session.execute(query).tuples().all())
        return doubled | {
            doc_id for doc_id in in_step if counts.get(doc_id, 0) > pages.get(doc_id, 0)
        }

    def _changed_since(self, case_id: str, since: datetime) -> set[str]:
        margin = since - timedelta(minutes=5)  # clocks and the order of two threads' commits
        with self.ws.vault.session() as session:
            query = select(Document.id, Document.updated_at).where(Document.case_id == case_id)
            return {
                doc_id
                for doc_id, updated in session.execute(query)
                if updated is None or as_utc(updated) >= margin
            }

    def _rebuild(
        self,
        case_id: str,
        index: SearchIndex,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> int:
        # Pages stream from the catalog into the writer: a rebuild never holds every page's
        # decrypted text at once (50,000 pages are ~180 MB of text).
        catalog_items = self._catalog_items(case_id)
        total = self._page_count(case_id) + len(catalog_items)
        pages = self._iter_page_items(case_id, self._doc_ids(case_id))
        count = index.rebuild(itertools.chain(pages, catalog_items), progress, cancel, total=total)
        self._catalog_reads[case_id] = self._catalog_reads.get(case_id, 0) + 1
        self._reconciled.add(case_id)
        self._stale_items.discard(case_id)
        self._pending.discard(case_id)
        return count

    def _doc_ids(self, case_id: str) -> list[str]:
        with self.ws.vault.session() as session:
            return list(session.scalars(select(Document.id).where(Document.case_id == case_id)))

    def _page_count(self, case_id: str) -> int:
        with self.ws.vault.session() as session:
            query = select(func.count()).select_from(Page).where(Page.case_id == case_id)
            return int(session.scalar(query) or 0)

    def _page_items(self, case_id: str, doc_ids: Iterable[str]) -> list[IndexItem]:
        return list(self._iter_page_items(case_id, doc_ids))

    def _iter_page_items(self, case_id: str, doc_ids: Iterable[str]) -> Iterator[IndexItem]:
        """The pages of these documents of the case, document by document in the order given,
        each in page order; read a few dozen documents per query (two queries a document made
        a mailbox's hand-off to the index cost as much as its import)."""
        with self.ws.vault.session() as session:
            ids = iter(doc_ids)
            while batch := list(itertools.islice(ids, _DOCS_PER_QUERY)):
                query = (
                    select(Document)
                    .where(Document.id.in_(batch))
                    .options(undefer(Document.row_mac))
                )
                docs = {doc.id: doc for doc in session.scalars(query) if doc.case_id == case_id}
                macs: dict[str, int] = {}
                pages = session.scalars(
                    select(Page)
                    .where(Page.document_id.in_(list(docs)))
                    .options(undefer(Page.row_mac))
                    .order_by(Page.document_id, Page.page_index)
                    .execution_options(yield_per=_PAGES_PER_FETCH)
                )
                by_doc: dict[str, list[IndexItem]] = {}
                for page in pages:
                    doc = docs[page.document_id]
                    by_doc.setdefault(doc.id, []).append(page_item(case_id, doc, page))
                    macs[doc.id] = macs.get(doc.id, 0) + mac_to_int(page.row_mac)
                    # Each page's decrypted text leaves memory once indexed.
                    session.expunge(page)
                for doc_id in batch:
                    # Versioned with the MACs of the very rows read: the same MACs, the same text.
                    version = (
                        summed_version(mac_to_int(docs[doc_id].row_mac), macs.get(doc_id, 0))
                        if doc_id in docs
                        else ""
                    )
                    for item in by_doc.pop(doc_id, ()):
                        yield replace(item, version=version)
                for doc in docs.values():
                    session.expunge(doc)

    def _catalog_items(self, case_id: str) -> list[IndexItem]:
        found = list(self.ws.letters.searchable_items(case_id))
        found += self.ws.quotes.searchable_items(case_id)
        return versioned_items(
            [
                IndexItem(
                    item_id=f"{item.item_type}:{item.item_id}",
                    doc_id=ITEMS_DOC,
                    case_id=case_id,
                    item_type=item.item_type,
                    kind=item.item_type,
                    title=item.title,
                    text=item.text,
                    date=item.date,
                    people=tuple(item.people),
                )
                for item in found
            ]
        )

    # -- the hooks the document service calls -------------------------------------------------

    def document_changed(self, case_id: str, doc_id: str) -> None:
        with self._lock, self._or_pending(case_id):
            # Always replaced, even right after the first use's reconciliation: that one only
            # adds missing documents, and an edited title is in the index already.
            index = self._index(case_id)
            index.replace_documents([doc_id], self._page_items(case_id, [doc_id]))

    def documents_storing(
        self, session: Session, case_id: str, docs: Sequence[Document]
    ) -> object | None:
        """New documents whose rows the caller's transaction has written, before it commits:
        a large batch of their pages is handed to the index's workers now, which build its
        segments while the commit signs and syncs (they waited idle through it: the most of a
        mailbox's import, serial). What it returns goes to `documents_imported` after the
        commit, or is dropped by `abandon_storing` if the commit fails."""
        items = _storing_items(session, case_id, self.ws.vault.case_keys(case_id).rows, docs)
        if not items:
            return None
        # A batch too small for the workers is kept to be indexed after the commit, as made.
        return lent_early(items) or items

    @staticmethod
    def abandon_storing(early: object | None) -> None:
        """The commit `documents_storing` handed pages for failed: the workers drop them."""
        if isinstance(early, Lent):
            early.cancel()

    def documents_imported(
        self,
        session: Session,
        case_id: str,
        docs: Sequence[Document],
        early: object | None = None,
    ) -> None:
        """`documents_changed` for documents the caller's session has just committed, their
        pages still in memory: only their row MACs are read back (the versions), not their
        text decrypted again (a fifth of the app's work for a mailbox of small messages).
        `early`: what `documents_storing` made (or handed the workers) before the commit,
        taken if its items and versions are those read back now (else dropped, and the items
        made again: its pages are those of `docs`, in memory, only the versions could differ).
        """
        with self._lock, self._or_pending(case_id):
            read = self._catalog_reads.get(case_id, 0)
            index = self._index(case_id)
            if self._catalog_reads.get(case_id, 0) != read:
                # Rebuilt or reconciled from the catalog just now (it failed since the group's
                # `prepare_case`: a commit the disk refused, damage a search found), which
                # read these documents, committed: added again, each would be found twice.
                self.abandon_storing(early)
                return
            versions = _sealed_versions(session, docs)
            unsealed = [doc for doc in docs if doc.id not in versions]
            for start in range(0, len(unsealed), _MACS_PER_QUERY):
                versions |= _imported_versions(session, unsealed[start : start + _MACS_PER_QUERY])
            items = _early_items(early)
            same = [(item.item_id, item.version) for item in items] == _item_versions(
                docs, versions
            )
            if not same:
                self.abandon_storing(early)
                items = _versioned(case_id, docs, versions)
            lent = early if isinstance(early, Lent) and same else None
            if items:
                # New documents: none of theirs is in the index to delete, and one a crash
                # keeps out of it is found missing by the next reconciliation.
                index.replace_documents_soon([], items, new=True, lent=lent)

    def documents_changed(self, case_id: str, doc_ids: Sequence[str]) -> None:
        """`document_changed` for the documents of one import (a mailbox's messages and their
        attachments): one index writer and one commit for all of them."""
        with self._lock, self._or_pending(case_id):
            # Replaced even right after the first use's reconciliation (see document_changed).
            index = self._index(case_id)
            if doc_ids:
                index.replace_documents_soon(doc_ids, self._iter_page_items(case_id, doc_ids))

    def spare_the_window(self) -> None:
        """A window shares this process: an import's small batches are analysed by the
        index's worker processes too (`SearchIndex.small_to_workers`), not by the app's
        threads, which hold the GIL the window's thread waits for."""
        with self._lock:
            self._small_to_workers = True
            for index in self._indexes.values():
                index.small_to_workers = True

    def prepare_batch(self, text: int | None = None) -> bool:
        """A batch of imports has read `text` characters so far (or the user opened a case to
        import into, without `text`): start the index's worker processes now, in the
        background, so that they are ready when its pages come (a front end may call this as
        its import panel opens). Whether they were asked to start.

        None start for a batch whose text is too small to reach them (`analysed.large`), as
        each costs CPU to start, whatever its files' bytes (a PDF's are mostly fonts and
        pictures); a batch asks again as it reads more."""
        if text is not None and text < analysed.PARALLEL_MIN_BYTES:
            return False
        start_workers()
        return True

    def shared_work(self, cancel: CancelToken | None) -> ChunkMap:
        """The index's worker processes lent to read a large file in parts (a mailbox's
        messages): they take parts while the caller's thread takes those none has started."""

        def chunk_map(work: Callable[[Any], Any], parts: Sequence[Any]) -> Iterator[Any]:
            return analysed.shared(work, parts, cancel)

        return chunk_map

    def prepare_case(self, case_id: str) -> None:
        """Documents are about to be committed to the case: its index is opened (and checked
        against the catalog) before, not by their hand-off, whose check would find them missing
        and read them back from the catalog to index them twice (a whole mailbox, in a
        session's first import into its case)."""
        with self._lock, self._or_pending(case_id):
            self._index(case_id)

    def document_removed(self, case_id: str, doc_id: str) -> None:
        with self._lock, self._or_pending(case_id):
            self._index(case_id).remove([doc_id])

    @contextlib.contextmanager
    def importing(self, case_id: str) -> Iterator[None]:
        """An import into the case runs: a search typed meanwhile answers from what is committed
        and leaves the import's writes to the index's timer (committing them itself cost each
        such search up to a second on a loaded machine)."""
        index: SearchIndex | None = None
        with self._lock, self._or_pending(case_id):
            index = self._index(case_id)
            index.importers += 1
        try:
            yield
        finally:
            if index is not None:
                with self._lock:
                    index.importers -= 1

    def commit(self, case_id: str) -> None:
        """The case's index brought up to date and its pending writes committed now, as the
        next search or the workspace's closing would (`dossier import` ends with the latter),
        without searching: what an import has handed over is on disk and found."""
        with self._lock, self._or_pending(case_id):
            self._index(case_id).flush()

    def pending(self, case_id: str) -> bool:
        """Whether the last update of this case's index failed and waits for its next use."""
        with self._lock:
            return case_id in self._pending

    @contextlib.contextmanager
    def _or_pending(self, case_id: str) -> Iterator[None]:
        # The catalog has committed: a failed index update must not report the change as
        # failed. The index may now hold a stale entry, so it is removed (a removal works on
        # a full disk too); its next use, in this process or the next, rebuilds it from the
        # catalog.
        try:
            yield
        except DossierError as exc:
            if self._closed:
                # No keys any more, not a failed write: removing the index would cost its
                # whole rebuild at the next unlock.
                log.info("index not updated after the lock (%s)", type(exc).__name__)
                return
            log.info("a search index update is pending (%s)", type(exc).__name__)
            index = self._indexes.pop(case_id, None)
            if index is not None:
                with contextlib.suppress(Exception):
                    index.close()
            shutil.rmtree(self.ws.vault.index_dir(case_id), ignore_errors=True)
            self._reconciled.discard(case_id)
            self._pending.add(case_id)
        else:
            self._pending.discard(case_id)

    @contextlib.contextmanager
    def rebuilding(self, case_id: str) -> Iterator[None]:
        """While this thread removes the case's index and builds it anew (a rekey's switch to
        the new key): a search of the case on another thread waits for the new index instead
        of building one itself from the catalog, which the rebuild then did again."""
        with self._lock:
            self._rebuilding[case_id] = threading.get_ident()
        try:
            yield
        finally:
            with self._lock:
                self._rebuilding.pop(case_id, None)
                self._rebuilt.notify_all()

    def _wait_rebuilt(self, case_id: str) -> None:
        # Under the lock, which the wait lets go of; the rebuilding thread's own calls pass.
        me = threading.get_ident()
        while self._rebuilding.get(case_id, me) != me:
            self._rebuilt.wait()

    def case_removed(self, case_id: str) -> None:
        # The files go under the lock: a search opening the case's index meanwhile opens it
        # once they are gone (it is rebuilt, or the case is not found), not before, to have
        # them deleted under it. One that had it in hand finds it closed (`IndexClosed`).
        with self._lock:
            index = self._indexes.pop(case_id, None)
            if index is not None:
                index.close()
            self._reconciled.discard(case_id)
            self._stale_items.discard(case_id)
            shutil.rmtree(self.ws.vault.index_dir(case_id), ignore_errors=True)

    # -- use cases ------------------------------------------------------------------------------

    def query(
        self,
        text: str,
        *,
        case: str | None = None,
        kinds: Sequence[str] | None = None,
        people: Sequence[str] | None = None,
        tags: Sequence[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        item_types: Sequence[str] | None = None,
        limit: int = 50,
        reveal: bool = False,
        fresh: bool = True,
    ) -> list[SearchHit]:
        """Search one case (by name or id) or, with `case=None`, every case of the vault.

        Titles and snippets show protected people under their pseudonym unless `reveal`
        (audited): the index holds the real text, so the masking happens here, on the way out.
        With `fresh` False (the app, as the user types) it answers at once from what is
        already indexed when an import is writing the index, instead of waiting for it.
        """
        case_ids = [self._first_use(case, text, limit)] if case else self._all_case_ids()
        person_ids: list[str] = []
        for ref in people or ():
            found = []
            for case_id in case_ids:
                try:
                    found.append(self.ws.people.resolve(case_id, ref))
                except NotFoundError:
                    continue
            if not found:
                where = _("this case") if case else _("any case")
                raise NotFoundError(
                    _("nobody called {ref} in {where}").format(ref=repr(ref), where=where)
                )
            person_ids += found
        filters = SearchFilters(
            kinds=tuple(kinds or ()),
            people=tuple(person_ids),
            tags=tuple(tags or ()),
            date_from=parse_date(date_from, N_("start date")),
            date_to=parse_date(date_to, N_("end date")),
            item_types=tuple(item_types or ()),
        )
        indexes = [self._index(case_id, wait=fresh) for case_id in case_ids]
        try:
            hits = search_many(indexes, text, filters, limit, wait=fresh)
        except (IndexDamaged, IndexClosed):
            # The cases' indexes as they are now: a damaged one rebuilt, one closed meanwhile
            # (its case deleted or re-encrypted, the vault locked) opened again, or its case
            # not found; a closed one is never rebuilt, which wrote a deleted case's back.
            case_ids = case_ids if case else self._all_case_ids()
            indexes = [self._index(case_id) for case_id in case_ids]
            hits = search_many(indexes, text, filters, limit)
        return self._masked(self._targets(hits), reveal)

    def _first_use(self, case: str, text: str, limit: int) -> str:
        """The case's id, its rows checked. At its first use, a large case's pages are checked
        by worker processes while its index is opened and `text` ranked once (the hits dropped:
        the search after the check finds what it reads of the index read); nothing of the
        catalog is read before the check ends, and no hit leaves before it."""
        case_id = self.ws.cases.resolve(case, check=False)
        with self.ws.vault.checking(case_id) as ahead:
            if ahead:
                self._warm(case_id, text, limit)
        return case_id

    def _warm(self, case_id: str, text: str, limit: int) -> None:
        # What fails here (an index to rebuild, a query that does not parse) fails again in
        # the search itself, which says so once the case is checked.
        with contextlib.suppress(DossierError):
            with self._lock:
                if case_id in self._indexes:
                    return
                index = self._indexes[case_id] = self._open(case_id, verify=False)
                index.small_to_workers = self._small_to_workers
            if not index.needs_rebuild:
                index.warm(text, limit)

    def candidate_pages(self, case_id: str, text: str, limit: int) -> list[tuple[str, int]]:
        """(document id, page index) of the pages of a case most likely to hold the quote
        `text`, best first: where to anchor it when the case is too big to anchor everywhere."""
        try:
            return self._index(case_id).candidate_pages(text, limit)
        except (IndexDamaged, IndexClosed):
            # As `query`: the case's index as it is now, rebuilt if damaged.
            return self._index(case_id).candidate_pages(text, limit)

    def _masked(self, hits: list[SearchHit], reveal: bool) -> list[SearchHit]:
        masks: dict[str, ScreenMask] = {}
        shown: list[SearchHit] = []
        for hit in hits:
            mask = masks.get(hit.case_id)
            if mask is None:
                # Revealed for this call, or for the session (the app's toggle) in that case.
                revealed = reveal or self.ws.screen.revealed(hit.case_id)
                mask = masks[hit.case_id] = self.ws.screen.mask(
                    hit.case_id, reveal=revealed, where="search"
                )
            snippet, highlights = mask.snippet(hit.snippet, hit.highlights)
            shown.append(
                replace(
                    hit,
                    title=mask.text(shown_title(hit.item_type, hit.title)),
                    # A page label is the document's own text (a PDF's /PageLabels).
                    page_label=mask.text(hit.page_label),
                    snippet=snippet,
                    highlights=highlights,
                    # A matched word that is a protected name is not handed to a viewer.
                    terms=tuple(t for t in hit.terms if mask.text(t) == t),
                    # A protected name is not spelled out in why a hit scores either.
                    parts=tuple(
                        p if mask.text(p.term) == p.term else replace(p, term="[masked]")
                        for p in hit.parts
                    ),
                )
            )
        return shown

    def reindex(
        self,
        case: str | None = None,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> dict[str, int]:
        """Rebuild the index of one case or of every case from the catalog."""
        case_ids = [self.ws.cases.resolve(case)] if case else self._all_case_ids()
        counts: dict[str, int] = {}
        for number, case_id in enumerate(case_ids):

            def case_progress(fraction: float, message: str, n: int = number) -> None:
                report(progress, (n + fraction) / len(case_ids), message)

            with self._lock:
                index = self._indexes.get(case_id)
                if index is None:
                    index = self._indexes[case_id] = self._open(case_id)
                counts[case_id] = self._rebuild(case_id, index, case_progress, cancel)
        return counts

    def verify_all(self) -> tuple[list[str], int]:
        """For fsck: authenticate every index file of every case (damage is repairable)."""
        problems: list[str] = []
        count = 0
        for case_id in self._all_case_ids():
            folder = self.ws.vault.index_dir(case_id)
            if not folder.exists():
                continue
            count += sum(1 for p in folder.rglob("*") if p.is_file())
            try:
                keys = self.ws.vault.case_keys(case_id)
                # The app's own index, or the folder read as it is: a second index opened on
                # it would remove the segments the app's writer has not committed yet. Under
                # the lock, no index of the case is opened meanwhile.
                with self._lock:
                    index = self._indexes.get(case_id)
                    if index is None:
                        SearchIndex.verify_folder(folder, keys.index, case_id)
                        continue
                if index.needs_rebuild and index.rebuild_reason != UNFINISHED:
                    raise IndexDamaged(index.rebuild_reason or "the search index is damaged")
                with contextlib.suppress(IndexClosed):  # removed meanwhile: nothing to check
                    index.verify()
            except DossierError as exc:
                problems.append(
                    _("search index of case {case_id}: {exc} (run 'dossier reindex')").format(
                        case_id=case_id, exc=exc
                    )
                )
        return problems, count

    def _all_case_ids(self) -> list[str]:
        with self.ws.vault.session() as session:
            return list(session.scalars(select(Case.id)))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for index in self._indexes.values():
                # Closing commits pending index writes. If the disk refuses them, the catalog
                # is still complete and the index's pending marker has the next open redo them.
                try:
                    index.close()
                except DossierError as exc:
                    log.info("index not committed on close (%s)", type(exc).__name__)
            self._indexes.clear()
            self._reconciled.clear()
        # The index workers' memory held the pages they analysed: they end with the keys.
        analysed.shutdown()

    # -- where a hit leads ----------------------------------------------------------------------

    def _targets(self, hits: list[Hit]) -> list[SearchHit]:
        results: list[SearchHit] = []
        with self.ws.vault.session() as session:
            gone = _gone(session, hits)
            for hit in hits:
                if hit.item_id in gone:
                    # Deleted since the index took it in (an index behind its catalog: a
                    # search that must not wait while an import writes): never shown.
                    continue
                doc_id: str | None = hit.doc_id
                page = hit.page_index
                ref_id: str | None = None
                if hit.item_type != "page":
                    ref_id = hit.item_id.split(":", 1)[1]
                    doc_id, page = _target_of(session, hit.item_type, ref_id)
                results.append(
                    SearchHit(
                        item_id=hit.item_id,
                        item_type=hit.item_type,
                        case_id=hit.case_id,
                        doc_id=doc_id,
                        title=hit.title,
                        kind=hit.kind,
                        page_index=page,
                        page_label=hit.page_label,
                        date=hit.date,
                        score=hit.score,
                        snippet=hit.snippet,
                        highlights=hit.highlights,
                        terms=hit.terms,
                        ref_id=ref_id,
                        parts=hit.parts,
                    )
                )
        return results


_ITEM_MODELS: dict[str, Any] = {
    "quote": Quote,
    "letter": Letter,
    "question": Question,
    "reply": Reply,
    "person": Person,
}
"""The row a hit of each item type stands for (a page's is its document)."""


def _gone(session: Session, hits: list[Hit]) -> set[str]:
    """The item ids of `hits` whose rows the catalog no longer holds (one query per type)."""
    wanted: dict[Any, dict[str, str]] = {}
    for hit in hits:
        if hit.item_type == "page":
            wanted.setdefault(Document, {})[hit.item_id] = hit.doc_id
        elif hit.item_type in _ITEM_MODELS:
            ref_id = hit.item_id.split(":", 1)[1]
            wanted.setdefault(_ITEM_MODELS[hit.item_type], {})[hit.item_id] = ref_id
    gone: set[str] = set()
    for model, refs in wanted.items():
        found = set(session.scalars(select(model.id).where(model.id.in_(set(refs.values())))))
        gone |= {item_id for item_id, ref in refs.items() if ref not in found}
    return gone


def _target_of(session: Session, item_type: str, ref_id: str) -> tuple[str | None, int | None]:
    """The document (and page) a quote, letter, question or reply hit opens."""
    if item_type == "quote":
        quote = session.get(Quote, ref_id)
        if quote is not None and quote.source_doc_id:
            spans = quote.spans
            page = int(spans[0]["page_index"]) if spans else 0
            return quote.source_doc_id, page
        return None, None
    if item_type == "question":
        question = session.get(Question, ref_id)
        ref_id = question.letter_id if question is not None else ""
        item_type = "letter"
    if item_type == "letter":
        letter = session.get(Letter, ref_id)
        return (
            (letter.document_id, 0) if letter is not None and letter.document_id else (None, None)
        )
    if item_type == "reply":
        reply = session.get(Reply, ref_id)
        if reply is not None and reply.document_id:
            return reply.document_id, 0
        return None, None
    return None, None


def shown_title(item_type: str, title: str) -> str:
    """A letter's, question's, reply's or quote's title as the index keeps it, in the user's
    language. The index holds the English that `searchable()` writes (letters/views.py,
    quotes/views.py), so it stays one index whatever the language; only our own words around the
    names are translated here, where a hit is shown."""
    if item_type == "question":
        head, sep, number = title.rpartition(", question ")
        if sep and number.isdigit():
            return _("{title}, question {number}").format(
                title=shown_title("letter", head), number=number
            )
    if item_type in ("letter", "question") and title.startswith("Letter from "):
        return _("Letter from {sender}").format(sender=title.removeprefix("Letter from "))
    if item_type == "reply" and title.startswith("Reply from "):
        return _("Reply from {sender}").format(sender=title.removeprefix("Reply from "))
    if item_type == "quote" and title.endswith("»") and ": «" in title:
        speaker, _sep, quote = title[:-1].partition(": «")
        if speaker == "Unattributed":
            speaker = _("Unattributed")
        return _("{speaker}: «{quote}»").format(speaker=speaker, quote=quote)
    return title

"""Sealed rows: one AES-GCM payload per row holds every sensitive field of that row.

Clear columns are ids, foreign keys, enum kinds and timestamps. Everything a person wrote or a
document contains lives in `sealed` (JSON, then AEAD under the case's field key), bound to the
table, the row id and the case id, so a payload copied to another row fails to decrypt. Large
binary values (word maps) get their own sealed column, deferred so lists never load them.

Attribute access is transparent (`doc.title`): a descriptor decrypts on first read, using the
key provider the vault puts in `session.info["keys"]`, and the payload is re-sealed at flush.

Every value is sealed padded (`aead.seal_padded`), and the rows of one document's pages that
are sealed together share one size a column (`pad_together`): the lengths of a document's pages
are a fingerprint that someone holding a leaked copy could pick out of a seized catalog, where
they can only learn the page count and the padded size of the longest page.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Generic, Protocol, TypeVar, overload

from sqlalchemy import LargeBinary, event, text
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.base import instance_state

from dossier.crypto import aead
from dossier.errors import CorruptData, VaultLocked
from dossier.i18n import _

T = TypeVar("T")
ZERO_MAC_SQL = "X'" + "00" * 32 + "'"
"""Placeholder MAC of a row just written: same size as a MAC, so setting it rewrites in place."""
TAGS = "_tags"
"""Payload key holding the GCM tag of each sealed side column (e.g. `sealed_words`)."""


def seal_ad(table: str, column: str, row_id: str, case_id: str | None) -> bytes:
    """Associated data binding a sealed value to its table, column, row and case."""
    return f"{table}|{column}|{row_id}|{case_id or ''}".encode()


class KeyProvider(Protocol):
    def fields_key(self, scope: str, case_id: str | None) -> bytes: ...


class Sealed:
    """Mixin for rows with a sealed payload. Subclasses set `__seal_scope__`."""

    __seal_scope__: ClassVar[str] = "case"
    """`case`: sealed with the case's field key (shredded with the case); `vault`: master key."""
    __sealed_bytes__: ClassVar[tuple[str, ...]] = ()
    __pad_together__: ClassVar[str | None] = None
    """A column whose rows sealed together share one padded size (a page's document)."""

    sealed: Mapped[bytes] = mapped_column(LargeBinary, nullable=False, default=b"")
    row_mac: Mapped[bytes] = mapped_column(
        LargeBinary, nullable=False, server_default=text(ZERO_MAC_SQL), deferred=True
    )
    """HMAC over the whole row as stored, set at commit (`dossier.db.rowauth`)."""

    def _seal_case_id(self) -> str | None:
        return getattr(self, "case_id", None)

    def _seal_ad(self, column: str = "sealed") -> bytes:
        table = getattr(self, "__tablename__", type(self).__name__)
        return seal_ad(table, column, str(getattr(self, "id", "")), self._seal_case_id())

    def _keys(self) -> KeyProvider:
        session = object_session(self)
        provider = session.info.get("keys") if session is not None else None
        if provider is None:
            provider = self.__dict__.get("_sealing_keys")
        if provider is None:
            raise VaultLocked(_("the vault is locked; unlock it to read this item"))
        return provider  # type: ignore[no-any-return]

    def _key(self) -> bytes:
        return self._keys().fields_key(self.__seal_scope__, self._seal_case_id())

    def _what(self) -> str:
        return f"{getattr(self, '__tablename__', 'row')} {getattr(self, 'id', '?')}"

    def _plain(self) -> dict[str, Any]:
        cached: dict[str, Any] | None = self.__dict__.get("_plain_cache")
        if cached is not None:
            return cached
        raw = self.__dict__.get("sealed")
        if instance_state(self).has_identity and raw is None:
            raw = self.sealed  # expired or deferred: load it
        plain: dict[str, Any] = {}
        if raw:
            data = aead.open_sealed(self._key(), raw, self._seal_ad(), self._what())
            try:
                loaded = json.loads(data)
            except ValueError:
                raise CorruptData(
                    _("{value} holds an unreadable payload").format(value=self._what())
                ) from None
            if not isinstance(loaded, dict):
                raise CorruptData(
                    _("{value} holds an unreadable payload").format(value=self._what())
                )
            plain = loaded
        self.__dict__["_plain_cache"] = plain
        return plain

    def _mark_dirty(self) -> None:
        self.__dict__["_plain_dirty"] = True
        state = instance_state(self)
        if state.has_identity and "sealed" in state.dict:
            flag_modified(self, "sealed")

    def set_sealed(self, values: dict[str, Any]) -> None:
        """Set several sealed fields at once, as setting each in turn would: a row made with a
        dozen of them (a document imported) is marked changed once, not once a field."""
        names = _sealed_fields(type(self))
        if not names.issuperset(values):
            unknown = sorted(set(values) - names)[0]
            raise TypeError(f"{type(self).__name__} has no sealed field {unknown!r}")
        self._plain().update(values)
        self._mark_dirty()

    def unseal_all(self) -> None:
        """Decrypt and authenticate every sealed value (fsck)."""
        self._plain()
        for column in self.__sealed_bytes__:
            getattr(type(self), column.removeprefix("sealed_")).__get__(self, type(self))

    def seal_with(self, keys: KeyProvider) -> None:
        """Seal the payload now with `keys`, for a new row in no session that is written by
        a bulk INSERT rather than a flush (`dossier.db.bulk`), or whose sealed bytes are
        needed before it is written (the audit chain links them)."""
        self.__dict__["_sealing_keys"] = keys
        try:
            self._reseal()
        finally:
            del self.__dict__["_sealing_keys"]

    def _will_reseal(self) -> bool:
        return bool(
            self.__dict__.get("_bytes_pending")
            or self.__dict__.get("_plain_dirty")
            or not self.__dict__.get("sealed")
        )

    def _sizes_wanted(self) -> tuple[dict[str, int], bytes | None]:
        """The bytes each column's value will hold when sealed next (the payload with the tags
        of the side columns about to be sealed, which are all of one length), and the
        payload's JSON but its tags (`_body`), handed to `_reseal` not to encode it twice."""
        pending: dict[str, bytes] = self.__dict__.get("_bytes_pending", {})
        plain = self._plain()
        tags = plain.get(TAGS)
        if pending:
            tags = {**(tags or {}), **dict.fromkeys(pending, _NO_TAG)}
        body = _body(plain)
        if body is None:
            size = len(_dumps(plain if tags is None else {**plain, TAGS: tags}))
        else:
            size = len(_closed(body, tags))
        sizes = {"sealed": size}
        sizes.update((column, len(value)) for column, value in pending.items())
        return sizes, body

    def _reseal(self, sizes: dict[str, int] | None = None, body: bytes | None = None) -> None:
        """Seal what changed, each column padded to `sizes` (`pad_together`); `body`: the
        payload's JSON as `_sizes_wanted` encoded it just now."""
        sizes = sizes or {}
        pending: dict[str, bytes] = self.__dict__.pop("_bytes_pending", {})
        if pending:
            # Side columns first: the payload records their GCM tags, so the row MAC (which
            # covers the payload, not the large side columns) pins them too.
            tags = dict(self._plain().get(TAGS, {}))
            for column, value in pending.items():
                envelope = aead.seal_padded(
                    self._key(), value, self._seal_ad(column), sizes.get(column)
                )
                setattr(self, column, envelope)
                tags[column] = envelope[-aead.TAG_LEN :].hex()
            self._plain()[TAGS] = tags
            self.__dict__["_plain_dirty"] = True
        if self.__dict__.pop("_plain_dirty", False) or not self.__dict__.get("sealed"):
            plain = self._plain()
            if body is None:
                body = _body(plain)
            payload = _dumps(plain) if body is None else _closed(body, plain.get(TAGS))
            self.sealed = aead.seal_padded(
                self._key(), payload, self._seal_ad(), sizes.get("sealed")
            )


_NO_TAG = "0" * (2 * aead.TAG_LEN)
_FIELDS: dict[type, frozenset[str]] = {}


def _sealed_fields(cls: type) -> frozenset[str]:
    """The names of the class's `SealedField`s."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = frozenset(
            name
            for klass in cls.__mro__
            for name, value in vars(klass).items()
            if isinstance(value, SealedField)
        )
    return names


def _dumps(plain: Any) -> bytes:
    return json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode()


_TAGS_KEY = _dumps(TAGS) + b":"


def _body(plain: dict[str, Any]) -> bytes | None:
    """The payload's JSON without its tags and closing brace, where the tags are its last
    key or absent (they are added last, and stay last until a field is first set after them),
    for `_closed`; None otherwise."""
    if TAGS in plain and next(reversed(plain)) != TAGS:
        return None
    fields = {key: value for key, value in plain.items() if key != TAGS} if TAGS in plain else plain
    return _dumps(fields)[:-1]


def _closed(body: bytes, tags: dict[str, str] | None) -> bytes:
    """`_dumps` of the payload whose `_body` is `body`, with `tags` last: the same bytes."""
    if tags is None:
        return body + b"}"
    return b"".join((body, b"," if len(body) > 1 else b"", _TAGS_KEY, _dumps(tags), b"}"))


def pad_together(rows: Iterable[object], keys: KeyProvider | None = None) -> None:
    """Give the rows about to be sealed that share their `__pad_together__` column (the pages
    of one document) one padded size a column, the size the longest needs: their sizes then
    tell nothing of each page's length. `keys` reads rows in no session (a bulk insert's)."""
    groups: dict[tuple[type, object], list[Sealed]] = {}
    for row in rows:
        column = getattr(type(row), "__pad_together__", None)
        if column is not None and isinstance(row, Sealed) and row._will_reseal():
            key = getattr(row, column)
            if key is None:
                # A row not flushed yet may name its parent by the relationship only (a
                # document's pages read again): pages of two documents stay apart.
                key = id(row.__dict__.get(column.removesuffix("_id")))
            groups.setdefault((type(row), key), []).append(row)
    for members in groups.values():
        if len(members) < 2:
            continue
        # Sealed here, each payload encoded once to learn its size and sealed as encoded: a
        # flush or a bulk insert then finds them sealed.
        for row in members:
            if keys is not None:
                row.__dict__["_sealing_keys"] = keys
        try:
            wanted: dict[str, int] = {}
            bodies = []
            for row in members:
                sizes, body = row._sizes_wanted()
                bodies.append(body)
                for column, size in sizes.items():
                    wanted[column] = max(size, wanted.get(column, 0))
            padded = {column: aead.padded_size(size) for column, size in wanted.items()}
            for row, body in zip(members, bodies, strict=True):
                row._reseal(padded, body)
        finally:
            for row in members:
                row.__dict__.pop("_sealing_keys", None)


class SealedField(Generic[T]):
    """A sensitive attribute stored inside the row's sealed JSON payload."""

    def __init__(self, default: T | None = None, factory: Callable[[], T] | None = None) -> None:
        self.default = default
        self.factory = factory
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> SealedField[T]: ...
    @overload
    def __get__(self, obj: Sealed, owner: type) -> T: ...
    def __get__(self, obj: Sealed | None, owner: type) -> T | SealedField[T]:
        if obj is None:
            return self
        plain = obj._plain()
        if self.name in plain:
            return plain[self.name]  # type: ignore[no-any-return]
        if self.factory is not None:
            value = self.factory()
            plain[self.name] = value  # mutable default must persist once handed out
            return value
        return self.default  # type: ignore[return-value]

    def __set__(self, obj: Sealed, value: T) -> None:
        obj._plain()[self.name] = value
        obj._mark_dirty()


class SealedBytes:
    """A large binary value sealed in its own (deferred) column, e.g. `sealed_words`."""

    def __init__(self, column: str) -> None:
        self.column = column
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> SealedBytes: ...
    @overload
    def __get__(self, obj: Sealed, owner: type) -> bytes: ...
    def __get__(self, obj: Sealed | None, owner: type) -> bytes | SealedBytes:
        if obj is None:
            return self
        pending: dict[str, bytes] = obj.__dict__.get("_bytes_pending", {})
        if self.column in pending:
            return pending[self.column]
        raw = getattr(obj, self.column)
        expected = obj._plain().get(TAGS, {}).get(self.column)
        if not raw and expected is None:
            return b""
        if not raw or expected != raw[-aead.TAG_LEN :].hex():
            raise CorruptData(
                _("{obj}: {column} was replaced or removed").format(
                    obj=obj._what(), column=self.column
                )
            )
        return aead.open_sealed(obj._key(), raw, obj._seal_ad(self.column), obj._what())

    def __set__(self, obj: Sealed, value: bytes) -> None:
        obj.__dict__.setdefault("_bytes_pending", {})[self.column] = value
        if instance_state(obj).has_identity:
            obj._mark_dirty()


def install(session_factory: Any) -> None:
    """Seal pending payloads before every flush of sessions made by `session_factory`."""

    @event.listens_for(session_factory, "before_flush")
    def _seal_before_flush(session: Session, _ctx: object, _instances: object) -> None:
        objects = [o for o in (*session.new, *session.dirty) if isinstance(o, Sealed)]
        pad_together(objects)
        for obj in objects:
            obj._reseal()

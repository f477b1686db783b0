"""Small originals sealed in the catalog (`models.Original`), read as stored with a case's keys.

Read with the keys the caller names, not the session's: a re-encryption reads them under the
old key while the keyring already knows the new one. The content's tag is checked against the
one its payload records (the payload is what the row MAC covers), as `SealedBytes` checks it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from dossier.crypto import aead
from dossier.crypto.keys import CaseKeys
from dossier.db.models import Original
from dossier.db.sealed import TAGS, seal_ad
from dossier.errors import CorruptData
from dossier.i18n import _

TABLE = "original"
CONTENT = "sealed_content"


def _what(blob_id: str) -> str:
    return f"blob {blob_id[:12]}"


def _fetch(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    result = conn.exec_driver_sql(sql, params)
    return list(result.fetchall()) if result.returns_rows else []


def ids(conn: Any, case_id: str) -> frozenset[str]:
    rows = _fetch(conn, "SELECT id FROM original WHERE case_id = ?", (case_id,))
    return frozenset(str(row[0]) for row in rows)


def held(conn: Any, blob_ids: list[str]) -> set[str]:
    """Those of `blob_ids` the catalog holds (the table's key: in any case). A statement of
    its own, not the ORM's: built and compiled again at each call, it was a sixth of a
    one-file import's commit."""
    found: set[str] = set()
    for start in range(0, len(blob_ids), _IDS_A_QUERY):
        chunk = tuple(blob_ids[start : start + _IDS_A_QUERY])
        marks = ",".join("?" * len(chunk))
        found |= {
            str(row[0])
            for row in _fetch(conn, f"SELECT id FROM original WHERE id IN ({marks})", chunk)
        }
    return found


_IDS_A_QUERY = 500
"""Below SQLite's older limit on a statement's parameters (999)."""


def case_ids(conn: Any) -> set[str]:
    return {str(row[0]) for row in _fetch(conn, "SELECT DISTINCT case_id FROM original")}


def read(conn: Any, keys: CaseKeys, blob_id: str) -> bytes | None:
    """The original's content, None if the catalog holds no original of that id in the
    case; CorruptData if what it holds does not open under the case's key."""
    rows = _fetch(
        conn,
        # As bytes whatever their type: a value made text outside Dossier (`x || y` of two
        # blobs is text) is then refused as an edit of that original, not as an undecodable
        # catalog quoting the ciphertext.
        "SELECT CAST(sealed AS BLOB), CAST(sealed_content AS BLOB) FROM original "
        "WHERE id = ? AND case_id = ?",
        (blob_id, keys.case_id),
    )
    if not rows:
        return None
    return opened(keys, blob_id, rows[0][0], rows[0][1])[1]


def opened(
    keys: CaseKeys, blob_id: str, payload: bytes, content: bytes | None
) -> tuple[dict[str, Any], bytes]:
    """(payload, content) of a stored original, each authenticated under `keys`."""
    what = _what(blob_id)
    case_id = keys.case_id
    plain = aead.open_sealed(keys.fields, payload, seal_ad(TABLE, "sealed", blob_id, case_id), what)
    try:
        data = json.loads(plain)
        expected = data[TAGS][CONTENT]
    except (ValueError, TypeError, KeyError):
        raise CorruptData(_("{value} holds an unreadable payload").format(value=what)) from None
    if not content or expected != content[-aead.TAG_LEN :].hex():
        raise CorruptData(
            _("{obj}: {column} was replaced or removed").format(obj=what, column=CONTENT)
        )
    ad = seal_ad(TABLE, CONTENT, blob_id, case_id)
    return data, aead.open_sealed(keys.fields, content, ad, what)


def resealed(
    old: CaseKeys, new: CaseKeys, blob_id: str, payload: bytes, content: bytes | None
) -> tuple[str, bytes, bytes]:
    """(new id, payload, content) of a stored original sealed again under `new`, each at
    the padded size it had: its id is its blob id, which new keys change."""
    data, plain = opened(old, blob_id, payload, content)
    digest = hashlib.sha256(plain).digest()
    if old.blob_id(digest) != blob_id:
        raise CorruptData(_("blob {blob_id} does not match its id").format(blob_id=blob_id[:12]))
    new_id = new.blob_id(digest)
    assert content is not None  # `opened` refused an empty one
    sealed_content = aead.seal_padded(
        new.fields,
        plain,
        seal_ad(TABLE, CONTENT, new_id, new.case_id),
        aead.sealed_size(content),
    )
    data[TAGS] = {**data[TAGS], CONTENT: sealed_content[-aead.TAG_LEN :].hex()}
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    sealed = aead.seal_padded(
        new.fields, body, seal_ad(TABLE, "sealed", new_id, new.case_id), aead.sealed_size(payload)
    )
    return new_id, sealed, sealed_content


class _Under:
    """The sealing keys of one case's rows (`Sealed.seal_with`), not the session's."""

    def __init__(self, keys: CaseKeys) -> None:
        self.keys = keys

    def fields_key(self, scope: str, case_id: str | None) -> bytes:
        assert scope == "case" and case_id == self.keys.case_id
        return self.keys.fields


def insert(conn: Any, keys: CaseKeys, blob_id: str, data: bytes) -> None:
    """A new row holding `data`, sealed under `keys` (a re-encryption's new ones, which the
    session does not use before its commit), as an import's commit seals one; its row MAC
    is left to the caller (`dossier.db.rekey.rebuild_case_inventory`)."""
    row = Original(id=blob_id, case_id=keys.case_id)
    row.content = data
    row.seal_with(_Under(keys))
    _fetch(
        conn,
        "INSERT INTO original (id, case_id, sealed, sealed_content) VALUES (?, ?, ?, ?)",
        (blob_id, keys.case_id, row.sealed, row.sealed_content),
    )

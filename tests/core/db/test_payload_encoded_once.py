"""A row's payload is encoded as JSON once per sealing, and the bytes sealed are what they were.

The pages of a document sealed together are padded to one size, which is the length of the
longest page's payload: each payload was encoded to learn its length, then again to be sealed
(a few microseconds a page of an import). Encoded once, the plaintext sealed is byte for byte
the JSON of the row's fields in their order, as before: a catalog written before and after
reads alike, and the padded sizes are those the lengths give.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from dossier.crypto import aead
from dossier.db import sealed
from dossier.db.models import Document, Page
from dossier.services.workspace import Workspace

TEXTS = [f"Page {n} du rapport : le préfet a reçu la délégation. " * (n + 1) for n in range(4)]


@pytest.fixture
def encoded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every value `dossier.db.sealed` encodes as JSON, in order."""
    values: list[Any] = []
    real = json.dumps

    class Counting:
        loads = staticmethod(json.loads)

        @staticmethod
        def dumps(value: Any, **kwargs: Any) -> str:
            values.append(value)
            return real(value, **kwargs)

    monkeypatch.setattr(sealed, "json", Counting)
    yield values


@pytest.fixture
def plaintexts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[bytes, bytes]]]:
    """(associated data, plaintext) of every value sealed, in order."""
    sealed_values: list[tuple[bytes, bytes]] = []
    real = aead.seal_padded

    def recording(key: bytes, plaintext: bytes, ad: bytes, size: int | None = None) -> bytes:
        sealed_values.append((ad, plaintext))
        return real(key, plaintext, ad, size)

    monkeypatch.setattr(sealed.aead, "seal_padded", recording)
    yield sealed_values


def _times_encoded(values: list[Any], text: str) -> int:
    return sum(1 for value in values if isinstance(value, dict) and value.get("text") == text)


def _canonical(payload: bytes) -> bytes:
    """The JSON a payload holds, encoded as the rows' payloads always were."""
    plain = json.loads(payload)
    return json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode()


def _payloads(recorded: list[tuple[bytes, bytes]]) -> list[bytes]:
    return [plaintext for ad, plaintext in recorded if ad.startswith(b"page|sealed|")]


def test_pages_imported_together_are_each_encoded_once(
    workspace: Workspace, encoded: list[Any], plaintexts: list[tuple[bytes, bytes]]
) -> None:
    case = workspace.cases.create("Préfecture").id
    workspace.documents.import_bytes(case, "\f".join(TEXTS).encode(), "rapport.txt")
    assert [_times_encoded(encoded, text) for text in TEXTS] == [1, 1, 1, 1]
    payloads = _payloads(plaintexts)
    assert len(payloads) == len(TEXTS)
    assert all(payload == _canonical(payload) for payload in payloads)


def test_pages_flushed_together_are_each_encoded_once_as_they_were(
    workspace: Workspace, encoded: list[Any], plaintexts: list[tuple[bytes, bytes]]
) -> None:
    case = workspace.cases.create("Préfecture").id
    doc_id = workspace.documents.import_bytes(case, b"Premier jet.", "rapport.txt").id
    del plaintexts[:]
    with workspace.vault.session() as session:
        for n, text in enumerate(TEXTS, 1):
            page = Page(document_id=doc_id, case_id=case, page_index=n, text=text)
            page.words = bytes(40 * n)  # a side column: its tag goes into the payload, last
            session.add(page)
        session.commit()
    assert [_times_encoded(encoded, text) for text in TEXTS] == [1, 1, 1, 1]
    with workspace.vault.session() as session:
        pages = list(session.scalars(select(Page).where(Page.document_id == doc_id)))
        for page in pages:
            if page.page_index:
                # A field set after the tags were (they are no longer last), new words beside.
                page.full_text = f"Texte entier {page.page_index}"
                page.words = bytes(8 * page.page_index)
        session.commit()
    payloads = _payloads(plaintexts)
    assert len(payloads) == 2 * len(TEXTS)
    assert all(payload == _canonical(payload) for payload in payloads)
    # What was sealed last is each page as it reads now, its keys in their order.
    with workspace.vault.session() as session:
        rows = session.scalars(select(Page).where(Page.document_id == doc_id, Page.page_index > 0))
        now = {
            json.dumps(page._plain(), ensure_ascii=False, separators=(",", ":")) for page in rows
        }
        assert {payload.decode() for payload in payloads[len(TEXTS) :]} == now
        assert session.get(Document, doc_id) is not None

"""Catalog models. Clear: ids, foreign keys, kinds, ordering numbers, timestamps. Sealed: the rest.

Tags, aliases, recipients and quote spans are lists inside the sealed payload rather than join
tables: nothing ever queries them in SQL (search answers from the index), and one payload per
row means one authenticated unit per row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from dossier.db.base import Base, HasId, Timestamps
from dossier.db.sealed import Sealed, SealedBytes, SealedField

DOCUMENT_KINDS = ("article", "letter", "reply", "interview", "source", "note")


class Case(HasId, Timestamps, Sealed, Base):
    __tablename__ = "case"
    __seal_scope__ = "case-row"
    """Sealed with the case's key, but the row itself is vault-level (its MAC, its inventory)."""
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)

    name = SealedField[str]("")
    description = SealedField[str]("")
    status = SealedField[str]("open")
    published_on = SealedField[str | None](None)
    """Publication date of the story (ISO): letters without reply by then are flagged."""

    def _seal_case_id(self) -> str | None:
        return self.id


class Document(HasId, Timestamps, Sealed, Base):
    __tablename__ = "document"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))

    title = SealedField[str]("")
    outlet = SealedField[str]("")
    author = SealedField[str]("")
    date = SealedField[str | None](None)
    filename = SealedField[str]("")
    mime = SealedField[str]("")
    size = SealedField[int](0)
    page_count = SealedField[int](0)
    language = SealedField[str | None](None)
    extractor_version = SealedField[str]("")
    original_blob = SealedField[str | None](None)
    ocr_pages = SealedField[int](0)
    metadata_ = SealedField[dict[str, Any]](factory=dict)
    tags = SealedField[list[str]](factory=list)
    people = SealedField[list[str]](factory=list)
    """Ids of persons this document is by or about (author, sender, subject)."""
    notes = SealedField[str]("")
    parent_id = SealedField[str | None](None)
    """The document this one came out of (a message for its attachment, a mailbox for its
    message, an archive for its member); sealed, so the tree is no clue to anyone without the
    key. Its children are deleted with it."""
    origin = SealedField[str]("")
    """Where it sat in its parent, for a person: "attachment", "message 12", "member a/b.pdf"."""

    pages: Mapped[list[Page]] = relationship(
        back_populates="document",
        order_by="Page.page_index",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Page(HasId, Sealed, Base):
    __tablename__ = "page"
    __sealed_bytes__ = ("sealed_words",)
    __pad_together__ = "document_id"
    document_id: Mapped[str] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    page_index: Mapped[int] = mapped_column(Integer)
    sealed_words: Mapped[bytes] = deferred(mapped_column(LargeBinary, default=b""))

    label = SealedField[str]("")
    text = SealedField[str]("")
    width = SealedField[float](0.0)
    height = SealedField[float](0.0)
    rotation = SealedField[int](0)
    ocr = SealedField[bool](False)
    full_text = SealedField[str]("")
    """A saved web page's whole visible text (menus, footer...), on its first page only: searched
    below the article, so that nothing on the page is lost."""
    words = SealedBytes("sealed_words")

    document: Mapped[Document] = relationship(back_populates="pages")


class Original(Sealed, Base):
    """A small original file, sealed in the catalog rather than in a file of its own
    (`dossier.blobstore.SMALL`): a file each cost a batch of small files an inode, a write,
    a sync and a rename apiece, where a row goes in with its group's one commit. Its id is
    its blob id (`CaseKeys.blob_id`), as a file's name is; its content is sealed padded
    (`aead.seal_padded`, the padding of a blob file) in a side column whose tag the payload
    records, so the row MAC pins it."""

    __tablename__ = "original"
    __sealed_bytes__ = ("sealed_content",)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    sealed_content: Mapped[bytes] = deferred(mapped_column(LargeBinary, default=b""))

    content = SealedBytes("sealed_content")


class Person(HasId, Timestamps, Sealed, Base):
    __tablename__ = "person"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    merged_into_id: Mapped[str | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )

    name = SealedField[str]("")
    aliases = SealedField[list[str]](factory=list)
    role = SealedField[str]("other")
    protection = SealedField[str]("on_record")
    pseudonym = SealedField[str]("")
    organisation = SealedField[str]("")
    notes = SealedField[str]("")


class Quote(HasId, Timestamps, Sealed, Base):
    __tablename__ = "quote"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    speaker_id: Mapped[str | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True, index=True
    )
    source_doc_id: Mapped[str | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), nullable=True, index=True
    )
    published_in_id: Mapped[str | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), nullable=True
    )

    text = SealedField[str]("")
    said_on = SealedField[str | None](None)
    language = SealedField[str | None](None)
    verdict = SealedField[str]("unchecked")
    score = SealedField[float](0.0)
    diff = SealedField[list[dict[str, str]]](factory=list)
    spans = SealedField[list[dict[str, Any]]](factory=list)
    extractor_version = SealedField[str]("")
    review = SealedField[str | None](None)
    """Outcome of the last re-check: unchanged, moved, degraded or lost."""
    notes = SealedField[str]("")


class Letter(HasId, Timestamps, Sealed, Base):
    __tablename__ = "letter"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[str | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), nullable=True
    )

    subject = SealedField[str]("")
    sender_id = SealedField[str | None](None)
    recipient_ids = SealedField[list[str]](factory=list)
    cosigner_ids = SealedField[list[str]](factory=list)
    """People who sign the letter with the sender (e.g. several deputies)."""
    sent_on = SealedField[str | None](None)
    channel = SealedField[str]("post")
    deadline = SealedField[str | None](None)
    deadline_days = SealedField[int | None](None)
    working_days = SealedField[bool](False)
    jurisdiction = SealedField[str | None](None)
    """Where the recipient is (a `jurisdictions` code): the holidays a working-day deadline
    skips. None (letters from before) is metropolitan France."""
    direction = SealedField[str]("sent")

    questions: Mapped[list[Question]] = relationship(
        order_by="Question.number", cascade="all, delete-orphan", passive_deletes=True
    )


class Question(HasId, Sealed, Base):
    __tablename__ = "question"
    letter_id: Mapped[str] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)

    text = SealedField[str]("")


class Reply(HasId, Timestamps, Sealed, Base):
    __tablename__ = "reply"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    letter_id: Mapped[str | None] = mapped_column(
        ForeignKey("letter.id", ondelete="SET NULL"), nullable=True, index=True
    )
    document_id: Mapped[str | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), nullable=True
    )

    sender_id = SealedField[str | None](None)
    received_on = SealedField[str | None](None)
    channel = SealedField[str]("")
    answers = SealedField[dict[str, str]](factory=dict)
    """Question id -> "answered" | "partly" | "declined"."""
    summary = SealedField[str]("")
    via = SealedField[str]("")
    """For a reply without a letter: where it was made (e.g. a statement to the press)."""


class Redaction(HasId, Timestamps, Sealed, Base):
    __tablename__ = "redaction"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[str | None] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(16))

    page_index = SealedField[int | None](None)
    rects = SealedField[list[list[float]]](factory=list)
    term = SealedField[str]("")
    pattern = SealedField[str]("")
    person_id = SealedField[str | None](None)
    reason = SealedField[str]("")


class Note(HasId, Timestamps, Sealed, Base):
    __tablename__ = "note"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)

    title = SealedField[str]("")
    body = SealedField[str]("")
    date = SealedField[str | None](None)
    tags = SealedField[list[str]](factory=list)
    people = SealedField[list[str]](factory=list)
    document_id = SealedField[str | None](None)
    """A note on a passage of a document (the annotations of Hypothesis): sealed, like every
    link of a note, so nobody without the key learns which document was annotated."""
    page_index = SealedField[int](0)
    start = SealedField[int](0)
    end = SealedField[int](0)
    excerpt = SealedField[str]("")
    """The passage noted, as it read when the note was written."""


class Event(HasId, Timestamps, Sealed, Base):
    __tablename__ = "event"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)

    date = SealedField[str]("")
    title = SealedField[str]("")
    kind = SealedField[str]("entry")
    people = SealedField[list[str]](factory=list)
    ref = SealedField[str | None](None)


class AuditEntry(Sealed, Base):
    """Append-only, hash-chained: `chain` = HMAC(audit key, previous chain || seq || sealed)."""

    __tablename__ = "audit_entry"
    __seal_scope__ = "vault"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    case_id: Mapped[str | None] = mapped_column(String(24), nullable=True, index=True)
    chain: Mapped[bytes] = mapped_column(LargeBinary)

    at = SealedField[str]("")
    action = SealedField[str]("")
    details = SealedField[dict[str, Any]](factory=dict)

    @property
    def id(self) -> str:
        return str(self.seq)


class VaultSecret(Sealed, Base):
    """Vault-wide secrets and settings (e.g. the Ed25519 bundle-signing key)."""

    __tablename__ = "vault_secret"
    __seal_scope__ = "vault"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)

    value = SealedField[str]("")

    @property
    def id(self) -> str:
        return self.name

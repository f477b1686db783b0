"""Build the sample vault: the case of `dossier.sample.content`, entered through the services.

Everything goes through the same use cases as the app and the CLI (import, letters, replies,
quotes anchored by the engine, people, marks, timeline), so the sample shows real verdicts and
real letter states, and a change in a service that breaks them breaks the sample's test.

The vault is built in a hidden sibling folder and renamed into place at the end: a build that
fails or is cancelled leaves nothing behind, and `--if-absent` never mistakes a half-built
vault for a finished one.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dossier.crypto.kdf import DEFAULT, KdfParams
from dossier.errors import EnvironmentFailure, UsageError
from dossier.i18n import _
from dossier.jobs import CancelToken, Progress, check, report
from dossier.pdf.ocr import tessdata_dir
from dossier.resources import resource_path
from dossier.sample import content as c
from dossier.sample.pdfs import Rect, printed_pdf, scanned_pdf
from dossier.sample.texts import read_blocks
from dossier.services.documents.dto import DocumentEdit
from dossier.services.workspace import Workspace

SAMPLE_PASSPHRASE = "exemple-dossier-2023"
SAMPLE_CASE = c.CASE_NAME

NO_OCR_DATA = "The French and English Tesseract data were not found"
OCR_FAILED = "OCR failed ({reason})"
WITHOUT_OCR = (
    ", so the scanned memo was imported without its text (it is listed as needing OCR). "
    "Install tesseract-ocr-fra and tesseract-ocr-eng, then re-extract it from the app."
)


@dataclass(frozen=True)
class SampleBuilt:
    folder: Path
    case_id: str
    ocr: bool
    """Whether the scanned memo was read by OCR."""
    notice: str = ""
    """Something the user should know (no OCR data), or empty."""


def build_sample(
    folder: Path,
    kdf: KdfParams = DEFAULT,
    *,
    ocr: bool = True,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> SampleBuilt:
    """Create the sample vault in `folder` (new or empty), with `SAMPLE_PASSPHRASE`."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(
            _("{folder} is not empty; the sample vault needs a new folder").format(folder=folder)
        )
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial = folder.parent / f".{folder.name}.partial-{secrets.token_hex(4)}"
    try:
        with Workspace.create(partial, SAMPLE_PASSPHRASE, kdf) as ws:
            built = _SampleBuilder(ws, ocr, progress, cancel).run()
        if folder.exists():
            folder.rmdir()  # empty (checked above); Windows cannot rename onto a folder
        os.rename(partial, folder)
    except BaseException:
        _discard(partial)
        raise
    report(progress, 1.0, _("sample vault ready"))
    return SampleBuilt(folder, built.case_id, built.ocr, built.notice)


def _discard(partial: Path) -> None:
    """Remove a half-built vault; a folder that cannot be removed is named, not hidden."""
    if not partial.exists():
        return
    try:
        shutil.rmtree(partial)
    except OSError as exc:
        raise EnvironmentFailure(
            _(
                "the sample vault was not finished and {partial} could not be removed; delete it"
            ).format(partial=partial)
        ) from exc


class _SampleBuilder:
    """One build: keeps the ids of what it created, by the keys of `content`."""

    def __init__(
        self,
        ws: Workspace,
        ocr: bool,
        progress: Progress | None,
        cancel: CancelToken | None,
    ) -> None:
        self.ws = ws
        self.ocr = ocr and tessdata_dir() is not None
        self.notice = "" if self.ocr or not ocr else NO_OCR_DATA + WITHOUT_OCR
        self.progress = progress
        self.cancel = cancel
        self.case_id = ""
        self.people: dict[str, str] = {}
        self.docs: dict[str, str] = {}
        self.letter_id = ""
        self.memo_rect: Rect | None = None

    def run(self) -> _SampleBuilder:
        # The texts are public sample material, not case secrets: writing their PDFs to a
        # private temporary folder (mode 0700, removed at the end) so that the ordinary import
        # can read them is acceptable here, unlike anything taken from a vault.
        with tempfile.TemporaryDirectory(prefix="dossier-sample-") as scratch:
            steps = (
                ("case and people", self._case_and_people),
                ("notes", self._notes),
                ("investigation", lambda: self._document(c.ARTICLE, Path(scratch))),
                ("letter", lambda: self._letter(Path(scratch))),
                ("interview", lambda: self._document(c.INTERVIEW, Path(scratch))),
                ("press reply", lambda: self._press_reply(Path(scratch))),
                ("scanned memo (OCR)", lambda: self._memo(Path(scratch))),
                ("quotes", self._quotes),
                ("redaction marks", self._redactions),
                ("timeline", self._timeline),
            )
            for number, (label, step) in enumerate(steps):
                check(self.cancel)
                report(self.progress, number / len(steps), _("sample: {label}").format(label=label))
                step()
        return self

    # -- steps --------------------------------------------------------------------------------

    def _case_and_people(self) -> None:
        ws = self.ws
        self.case_id = ws.cases.create(c.CASE_NAME, c.CASE_DESCRIPTION).id
        for person in c.PEOPLE:
            info = ws.people.add(
                self.case_id,
                person.name,
                aliases=person.aliases,
                role=person.role,
                protection=person.protection,
                pseudonym=person.pseudonym,
                organisation=person.organisation,
                notes=person.notes,
            )
            self.people[person.key] = info.id
        ws.cases.update(self.case_id, published_on=c.PUBLISHED_ON)

    def _notes(self) -> None:
        for note in (c.WORK_NOTE, c.SOURCE_NOTE):
            info = self.ws.documents.import_file(
                self.case_id,
                resource_path("sample", note.file),
                kind=note.kind,
                title=note.title,
                date=note.date,
                ocr=False,
            )
            self._describe(info.id, note)

    def _write(self, doc: c.SampleDocument, scratch: Path) -> Path:
        blocks = read_blocks(resource_path("sample", doc.file))
        metadata = {
            "title": doc.title,
            "author": doc.author or doc.outlet,
            "creationDate": f"D:{doc.date.replace('-', '')}120000",
        }
        if doc.scanned:
            data, lines = scanned_pdf(blocks, metadata)
            marked = [line for line in lines if line.text.startswith(c.RECT_LINE_START)]
            self.memo_rect = marked[0].rect if marked else None
        else:
            data = printed_pdf(blocks, metadata)
        path = scratch / f"{Path(doc.file).stem}.pdf"
        path.write_bytes(data)
        return path

    def _document(self, doc: c.SampleDocument, scratch: Path) -> None:
        info = self.ws.documents.import_file(
            self.case_id,
            self._write(doc, scratch),
            kind=doc.kind,
            title=doc.title,
            date=doc.date,
            ocr=self.ocr,
            cancel=self.cancel,
        )
        self._describe(info.id, doc)

    def _describe(self, doc_id: str, doc: c.SampleDocument) -> None:
        """Outlet, author and people of a document, and its kind (a reply may be an article)."""
        self.docs[doc.key] = doc_id
        self.ws.documents.update(
            doc_id,
            DocumentEdit(
                kind=doc.kind,
                title=doc.title,
                date=doc.date,
                outlet=doc.outlet,
                author=doc.author,
                people=[self.people[key] for key in doc.people],
            ),
        )

    def _letter(self, scratch: Path) -> None:
        letter = self.ws.letters.add(
            self.case_id,
            sender=self.people["clouet"],
            recipients=[self.people["ddsp"]],
            cosigners=[self.people[key] for key in c.DEPUTIES[1:]],
            questions=c.QUESTIONS,
            sent_on=c.LETTER_SENT_ON,
            deadline_days=c.LETTER_DEADLINE_WORKING_DAYS,
            working_days=True,
            subject=c.LETTER_SUBJECT,
            channel="post",
            file=self._write(c.LETTER, scratch),
        )
        self.letter_id = letter.id
        assert letter.document_id is not None  # a letter given a file always has its document
        self._describe(letter.document_id, c.LETTER)

    def _press_reply(self, scratch: Path) -> None:
        """The denial quoted in the press: a reply without a letter, tied to the questions it
        touches; its document is the press article itself."""
        reply = self.ws.letters.add_reply(
            self.case_id,
            sender=self.people["leonard"],
            received_on=c.REPLY_RECEIVED_ON,
            answers=[f"{self.letter_id}:{answer}" for answer in c.REPLY_ANSWERS],
            via=c.REPLY_VIA,
            channel="presse",
            summary=c.REPLY_SUMMARY,
            file=self._write(c.PRESS, scratch),
        )
        assert reply.document_id is not None
        self._describe(reply.document_id, c.PRESS)

    def _memo(self, scratch: Path) -> None:
        try:
            self._document(c.MEMO, scratch)
        except EnvironmentFailure as exc:
            if not self.ocr:
                raise
            # The data was found but Tesseract could not use it: keep the page, unread.
            self.ocr = False
            self.notice = OCR_FAILED.format(reason=str(exc).rstrip(".")) + WITHOUT_OCR
            self._document(c.MEMO, scratch)

    def _quotes(self) -> None:
        for quote in c.QUOTES:
            self.ws.quotes.add(
                self.case_id,
                quote.text,
                speaker=self.people[quote.speaker],
                source=self.docs[quote.source],
                published_in=self.docs[quote.published_in] if quote.published_in else None,
                said_on=quote.said_on,
                notes=quote.notes,
            )

    def _redactions(self) -> None:
        marks = self.ws.redactions
        marks.add_person(self.people["source"], reason=c.PERSON_REASON)
        if self.memo_rect is not None:
            marks.add_rect(self.docs["memo"], 0, [self.memo_rect], reason=c.RECT_REASON)

    def _timeline(self) -> None:
        for entry in c.TIMELINE:
            self.ws.timeline.add_entry(
                self.case_id,
                when=entry.when,
                title=entry.title,
                kind=entry.kind,
                people=[self.people[key] for key in entry.people],
            )

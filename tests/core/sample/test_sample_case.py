"""The sample vault `make run` opens: built once with the fast test KDF, then checked the way a
journalist would look at it (documents, OCR, letter states, press reply, quote verdicts,
protected source, redaction marks, export).

OCR runs when the Tesseract French and English data are installed; the assertions that read
the scanned memo are marked `ocr` and skipped otherwise.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import Cancelled, UsageError
from dossier.jobs import CancelToken
from dossier.pdf.extract import TEXT_FLAGS
from dossier.pdf.ocr import ocr_words, tessdata_dir
from dossier.sample import __main__ as sample_cli
from dossier.sample import content as c
from dossier.sample.build import SAMPLE_CASE, SAMPLE_PASSPHRASE, SampleBuilt, build_sample
from dossier.services.export.bundle_verify import verify
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.samplevault import sample_copy

TESSDATA = tessdata_dir()
needs_ocr = pytest.mark.skipif(TESSDATA is None, reason="Tesseract fra/eng data not installed")
LETTER_STATES = {
    "2023-11-19": "draft",  # the day before it was sent
    "2023-11-21": "awaiting",  # sent, deadline running
    "2023-11-22": "partly_answered",  # the denial in the press answers two questions in part
    "2023-12-20": "partly_answered",  # after the deadline: still only the press denial
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleBuilt]:
    with sample_copy(tmp_path_factory, ocr=True) as sample:  # OCR when the data is there
        yield sample


@pytest.fixture
def ws(built: SampleBuilt) -> Iterator[Workspace]:
    workspace = Workspace.open(built.folder, SAMPLE_PASSPHRASE)
    try:
        yield workspace
    finally:
        workspace.close()


def doc_id(ws: Workspace, title: str) -> str:
    matches = [d.id for d in ws.documents.of_case(SAMPLE_CASE) if d.title == title]
    assert len(matches) == 1, title
    return matches[0]


def test_one_case_with_documents_of_every_kind(ws: Workspace, built: SampleBuilt) -> None:
    assert [case.name for case in ws.cases.all()] == [SAMPLE_CASE]
    case = ws.cases.get(SAMPLE_CASE)
    assert case.id == built.case_id and case.published_on == c.PUBLISHED_ON
    kinds = sorted(d.kind for d in ws.documents.of_case(SAMPLE_CASE))
    assert kinds == ["article", "article", "interview", "letter", "note", "note", "source"]
    article = ws.documents.get(doc_id(ws, c.ARTICLE.title))
    assert (article.page_count, article.ocr_pages, article.is_pdf) == (2, 0, True)
    assert article.outlet == "Disclose" and article.date == "2023-11-14"
    second_page = ws.documents.page(article.id, 1).text
    assert "Toulouse parmi les sites équipés" in second_page  # a real text layer, accents kept


def test_the_scanned_memo_has_no_text_layer_of_its_own(ws: Workspace, built: SampleBuilt) -> None:
    memo = ws.documents.get(doc_id(ws, c.MEMO.title))
    original = pymupdf.open(stream=ws.documents.original(memo.id))
    assert original[0].get_text().strip() == ""
    assert original[0].get_images()
    if built.ocr:
        assert memo.ocr_pages == 1 and not built.notice
    else:
        assert memo.metadata.get("pages_needing_ocr") == "1" and built.notice


@pytest.mark.ocr
@needs_ocr
def test_the_scanned_memo_was_read_by_ocr(ws: Workspace) -> None:
    page = ws.documents.page(doc_id(ws, c.MEMO.title), 0)
    assert page.ocr
    for word in ("Valadier", "visages", "messagerie"):
        assert word in page.text


def test_letter_with_four_questions_a_deadline_and_states_by_date(ws: Workspace) -> None:
    (letter,) = ws.letters.of_case(SAMPLE_CASE)
    assert [q.text for q in letter.questions] == list(c.QUESTIONS)
    assert [q.number for q in letter.questions] == [1, 2, 3, 4]
    assert (letter.sent_on, letter.channel, letter.deadline_days) == ("2023-11-20", "post", 15)
    assert letter.working_days and letter.deadline == "2023-12-11"  # 15 working days later
    assert letter.sender == "Hadrien Clouet"
    assert sorted(letter.cosigners) == ["Anne Stambach", "Christophe Bex", "François Piquemal"]
    (recipient,) = letter.recipient_ids
    assert ws.people.get(SAMPLE_CASE, recipient).role == "official"
    assert ws.documents.get(str(letter.document_id)).kind == "letter"
    states = {day: ws.letters.get(letter.id, as_of=day).state for day in LETTER_STATES}
    assert states == LETTER_STATES
    answered = ws.letters.get(letter.id, as_of="2023-11-22")
    assert [q.status for q in answered.questions] == [
        "partly",
        "partly",
        "unanswered",
        "unanswered",
    ]


def test_the_press_denial_is_a_reply_without_a_letter(ws: Workspace) -> None:
    (reply,) = ws.letters.replies(SAMPLE_CASE)
    (letter,) = ws.letters.of_case(SAMPLE_CASE)
    assert reply.letter_id is None and reply.via == "La Dépêche du Midi"
    assert reply.sender == "Patrick Léonard" and reply.received_on == "2023-11-22"
    assert [(a.letter_id, a.number, a.status) for a in reply.answers] == [
        (letter.id, 1, "partly"),
        (letter.id, 2, "partly"),
    ]
    press = ws.documents.get(str(reply.document_id))
    assert (press.kind, press.outlet) == ("article", "La Dépêche du Midi")
    assert "Patrick Léonard" in ws.documents.text(press.id)


@pytest.mark.parametrize("expected", c.QUOTES, ids=[q.verdict for q in c.QUOTES])
def test_quote_verdicts_and_spans(ws: Workspace, expected: c.SampleQuote) -> None:
    (quote,) = [q for q in ws.quotes.of_case(SAMPLE_CASE) if q.text == expected.text]
    assert quote.verdict == expected.verdict
    source = doc_id(ws, {"interview": c.INTERVIEW, "press": c.PRESS}[expected.source].title)
    assert quote.source_doc_id == source and quote.spans
    page = ws.documents.page(source, 0)
    for span in quote.spans:
        assert page.text[span.start : span.end] == span.text and span.rects
    joined = " ".join(" ".join(span.text.split()) for span in quote.spans)
    if expected.verdict == "verbatim":
        assert joined == expected.text and quote.score == 1.0
    if expected.verdict == "trimmed":
        before, after = expected.text.split(" […] ")
        assert [" ".join(s.text.split()) for s in quote.spans] == [before, after]
    if expected.verdict == "altered":
        changes = {(op.op, op.published, op.source) for op in quote.diff if op.op != "equal"}
        assert ("delete", "", "clairement") in changes
        assert ("insert", "secrètes", "") in changes
        assert 0.5 < quote.score < 1.0
    if expected.verdict == "normalized":
        assert joined == expected.text.replace("'", "\u2019")


def test_the_protected_source_shows_only_its_pseudonym(ws: Workspace) -> None:
    shown = {p.name: p for p in ws.people.of_case(SAMPLE_CASE)}
    assert c.SOURCE_NAME not in shown
    source = shown[c.SOURCE_PSEUDONYM]
    assert source.masked and source.protection == "protected" and source.role == "source"
    assert source.aliases == [] and source.notes == ""
    revealed = ws.people.get(SAMPLE_CASE, source.id, reveal=True)
    assert revealed.name == c.SOURCE_NAME
    timeline_names = {n for item in ws.timeline.items(SAMPLE_CASE) for n in item.names}
    assert c.SOURCE_PSEUDONYM in timeline_names and c.SOURCE_NAME not in timeline_names
    # Her real name is in the note about her: the vault keeps it, exports must not.
    assert c.SOURCE_NAME in ws.documents.text(doc_id(ws, c.SOURCE_NOTE.title))


def test_ready_made_redaction_marks(ws: Workspace) -> None:
    marks = {m.kind: m for m in ws.redactions.of_case(SAMPLE_CASE)}
    # No term rule on her surname: a protected person's name parts are hidden on their own.
    assert sorted(marks) == ["person", "rect"]
    source_id = ws.people.resolve(SAMPLE_CASE, c.SOURCE_PSEUDONYM)
    assert marks["person"].person_id == source_id
    memo = doc_id(ws, c.MEMO.title)
    assert (marks["rect"].document_id, marks["rect"].page_index) == (memo, 0)
    x0, y0, x1, y1 = marks["rect"].rects[0]
    assert 40 < x0 < x1 < 560 and 100 < y0 < y1 < 260


@pytest.mark.ocr
@needs_ocr
def test_the_rectangle_covers_the_memo_reference(ws: Workspace) -> None:
    (rect,) = [m for m in ws.redactions.of_case(SAMPLE_CASE) if m.kind == "rect"]
    box = pymupdf.Rect(rect.rects[0])
    page = ws.documents.page(doc_id(ws, c.MEMO.title), 0)
    covered = [page.text[w.start : w.end] for w in page.words if box.contains(pymupdf.Rect(w.rect))]
    assert any("SP31" in word for word in covered)
    assert not any("Objet" in word or "poste" in word for word in covered)


def test_search_finds_french_words_typed_without_accents(ws: Workspace) -> None:
    hits = ws.search.query("videosurveillance", case=SAMPLE_CASE)
    assert {"article", "letter"} <= {hit.kind for hit in hits if hit.item_type == "page"}
    phrase = ws.search.query('"chaîne de décision"', case=SAMPLE_CASE)
    interview = doc_id(ws, c.INTERVIEW.title)
    assert [hit.doc_id for hit in phrase if hit.item_type == "page"] == [interview]
    # The quote taken from that interview says it too: indexed by the build's last change,
    # which the next session finds (it was lost when the build closed before any search).
    assert [hit.doc_id for hit in phrase if hit.item_type == "quote"] == [interview]


@pytest.mark.ocr
@needs_ocr
def test_search_finds_the_words_read_by_ocr(ws: Workspace) -> None:
    hits = ws.search.query("messagerie", case=SAMPLE_CASE)
    assert [hit.doc_id for hit in hits] == [doc_id(ws, c.MEMO.title)]


def test_export_passes_its_self_check_and_holds_no_real_name(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "sample-bundle.zip"
    result = ws.exports.export(ExportRequest(case=SAMPLE_CASE, out=out))
    assert result.selfcheck.ok and result.quotes == len(c.QUOTES) and result.letters == 1
    assert len(result.documents) == 7  # the two notes leave as typeset, redacted PDFs
    memo = next(d for d in result.documents if "note-interne" in d.path)
    assert memo.redactions.get("rect") == 1 and memo.redactions.get("person", 0) >= 1
    assert verify(out).ok
    with zipfile.ZipFile(out) as bundle:
        for name in bundle.namelist():
            data = bundle.read(name)
            text = data.decode("utf-8", "replace")
            if name.endswith(".pdf"):
                pdf = pymupdf.open(stream=data)
                text = "".join(pdf[number].get_text() for number in range(pdf.page_count))
            for secret in (c.SOURCE_NAME, c.SOURCE_SURNAME, "Corinne"):
                assert secret.casefold() not in text.casefold(), (secret, name)
        if TESSDATA is not None:
            # The memo is a picture: read the exported picture again to be sure the name is
            # blacked out, not merely missing from a text layer.
            exported = pymupdf.open(stream=io.BytesIO(bundle.read(memo.path)))
            words = [w[4] for w in ocr_words(exported[0], TESSDATA, TEXT_FLAGS)]
            assert "brigadière" in words
            assert not any(c.SOURCE_SURNAME.casefold() in w.casefold() for w in words)


def test_a_failed_or_cancelled_build_leaves_nothing(tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError):
        build_sample(busy, TEST_ONLY_FAST, ocr=False)
    assert [p.name for p in busy.iterdir()] == ["notes.txt"]
    token = CancelToken()
    steps: list[str] = []

    def cancel_midway(fraction: float, message: str) -> None:
        steps.append(message)
        if "letter" in message:
            token.cancel()

    with pytest.raises(Cancelled):
        build_sample(tmp_path / "S.dossier", TEST_ONLY_FAST, progress=cancel_midway, cancel=token)
    assert any("letter" in step for step in steps)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy"]


@pytest.mark.parametrize("broken", ["missing", "damaged"])
def test_without_usable_ocr_data_the_memo_waits_for_ocr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    if broken == "missing":
        monkeypatch.setattr("dossier.sample.build.tessdata_dir", lambda: None)
    else:
        # TESSDATA_PREFIX wins over the system's data: point it at files Tesseract rejects.
        bad = tmp_path / "tessdata"
        bad.mkdir()
        for language in ("fra", "eng"):
            (bad / f"{language}.traineddata").write_bytes(b"not a traineddata file")
        monkeypatch.setenv("TESSDATA_PREFIX", str(bad))
    built = build_sample(tmp_path / "S.dossier", TEST_ONLY_FAST)
    assert not built.ocr and "needing OCR" in built.notice
    with Workspace.open(built.folder, SAMPLE_PASSPHRASE) as ws:
        memo = ws.documents.get(doc_id(ws, c.MEMO.title))
        assert memo.ocr_pages == 0 and memo.metadata["pages_needing_ocr"] == "1"
        assert len(ws.redactions.of_case(SAMPLE_CASE)) == 2


def test_if_absent_keeps_an_existing_vault(
    built: SampleBuilt, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (built.folder / "catalog.sqlite").stat().st_mtime_ns
    assert sample_cli.main(["--vault", str(built.folder), "--if-absent"]) == 0
    assert "already" in capsys.readouterr().out
    assert (built.folder / "catalog.sqlite").stat().st_mtime_ns == before

"""Quotes in the vault: anchored on import, from a selection, found across documents, re-checked
after a document changes, and the pre-publication check of an article."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from dossier.anchor import Span
from dossier.errors import NotFoundError, PasswordRequired, UsageError
from dossier.ingest.formats import HTML_EXTRACTOR_VERSION
from dossier.services.quotes.dto import QuoteEdit, QuoteInfo, QuoteReview
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.pdfgen import ENGLISH_PARAGRAPHS, FRENCH_PARAGRAPHS, text_page, write_pdf

FR0, FR1, FR2, FR3 = FRENCH_PARAGRAPHS
VERBATIM = "la présidente a refusé de répondre et a renvoyé les journalistes"
TRIMMED = (
    "Le conseil départemental a voté jeudi soir une subvention exceptionnelle […] "
    "pour la rénovation du collège"
)
ALTERED = "le chantier avait pris dix-huit mois de retard avant le vote de l’assemblée"
DELAY = "le chantier avait déjà pris dix-huit mois de retard avant même le vote"
SAFETY = "la sécurité des élèves n’a été menacée à aucun moment"

INTERVIEW = """Entretien avec Marie Dupont, présidente du conseil départemental.

Question : pourquoi ce vote ?
Marie Dupont : Nous avons voté cette subvention parce que le collège tombait en ruine depuis des \
années. Les familles attendaient une réponse claire de notre part.
Question : et le retard du chantier ?
Marie Dupont : Le retard est réel, mais il ne met pas en danger la sécurité des élèves. Nous \
suivons le dossier chaque semaine avec les services techniques.
"""

ARTICLE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Collège : la subvention contestée</title></head><body>
<h1>Collège : la subvention contestée</h1>
<p>La présidente assume : « Nous avons voté cette subvention parce que le collège tombait en
ruine depuis des années. »</p>
<p>Sur le chantier, elle reconnaît : « Le retard est réel […] nous suivons le dossier chaque
semaine. »</p>
<p>Elle ajoute : « Les familles attendaient une réponse rapide de notre part. »</p>
<p>Enfin, « nous ne commenterons jamais les décisions de justice en cours », a-t-elle conclu.</p>
</body></html>
"""


@pytest.fixture
def case(workspace: Workspace) -> str:
    ws = workspace
    case_id = ws.cases.create("Collège").id
    ws.people.add(case_id, "Marie Dupont", role="elected")
    ws.people.add(case_id, "Paul Martin", role="source", protection="protected")
    return case_id


def _import_pdf(
    ws: Workspace, case: str, path: Path, *pages: list[str], kind: str = "source"
) -> str:
    write_pdf(path, [text_page(*paragraphs) for paragraphs in pages])
    return ws.documents.import_file(case, path, kind=kind, ocr=False).id


def _import_text(ws: Workspace, case: str, path: Path, text: str, kind: str) -> str:
    path.write_text(text, encoding="utf-8")
    return ws.documents.import_file(case, path, kind=kind).id


@pytest.fixture
def memo(workspace: Workspace, case: str, tmp_path: Path) -> str:
    """A two-page PDF: FR0 and FR1 on page 1, FR2 and FR3 on page 2."""
    return _import_pdf(workspace, case, tmp_path / "memo.pdf", [FR0, FR1], [FR2, FR3])


def _page_slice(ws: Workspace, doc_id: str, span: Span) -> str:
    return ws.documents.page(doc_id, span.page_index).text[span.start : span.end]


def test_verbatim_trimmed_and_altered_quotes_are_stored_and_reopened(
    workspace: Workspace, case: str, memo: str, vault_path: Path
) -> None:
    ws = workspace
    verbatim = ws.quotes.add(
        case, VERBATIM, speaker="Marie Dupont", source=memo, said_on="2024-03-12"
    )
    trimmed = ws.quotes.add(case, f"« {TRIMMED} »", speaker="dupont", source=memo[:8])
    altered = ws.quotes.add(case, ALTERED, speaker="Marie Dupont", source=memo)

    assert (verbatim.verdict, verbatim.score, verbatim.review) == ("verbatim", 1.0, None)
    assert verbatim.speaker == "Marie Dupont" and verbatim.said_on == "2024-03-12"
    assert verbatim.source_doc_id == memo and verbatim.source_title == "memo"
    [span] = verbatim.spans
    assert span.page_index == 0 and span.text == VERBATIM
    assert _page_slice(ws, memo, span) == VERBATIM
    assert span.prefix.endswith("fonds, ") and span.suffix.startswith(" vers le")
    assert len(span.rects) >= 1 and all(r[0] < r[2] and r[1] < r[3] for r in span.rects)

    assert trimmed.verdict == "trimmed" and len(trimmed.spans) == 2
    assert [op.op for op in trimmed.diff] == ["equal", "delete", "equal"]
    assert "1 200 000 euros" in trimmed.diff[1].source

    assert altered.verdict == "altered" and 0.5 < altered.score < 1.0
    assert {op.source for op in altered.diff if op.op == "delete"} >= {"déjà", "même"}
    assert altered.spans[0].page_index == 1

    before = [q.to_json() for q in ws.quotes.of_case(case)]
    ws.close()
    with Workspace.open(vault_path, PASSPHRASE) as again:
        after = [q.to_json() for q in again.quotes.of_case(case)]
        assert after == before
        shown = again.quotes.get(verbatim.id[:6])
        assert shown.spans == verbatim.spans
        assert [q.id for q in again.quotes.of_case(case, doc_id=memo)] == [q["id"] for q in after]
        actions = [r for r in again.audit.records() if r.action == "quote.add"]
        assert [r.details["verdict"] for r in actions] == ["verbatim", "trimmed", "altered"]
        assert all(VERBATIM not in repr(r.details) for r in again.audit.records())


def test_quote_from_a_selection_is_exact(workspace: Workspace, case: str, memo: str) -> None:
    ws = workspace
    page = ws.documents.page(memo, 0)
    start = page.text.index("subvention")
    words = "subvention exceptionnelle"
    quote = ws.quotes.add_from_selection(
        case, memo, 0, start - 1, start + len(words) + 1, speaker="Marie Dupont"
    )  # the blanks caught at either end are left out
    assert (quote.text, quote.verdict, quote.score) == (words, "verbatim", 1.0)
    assert (quote.spans[0].start, quote.spans[0].end) == (start, start + len(words))
    assert len(quote.spans[0].rects) == 1

    # Across a line break: the quote reads with one space, its span keeps the page's text.
    end = page.text.index("élus") + len("élus")
    long = ws.quotes.add_from_selection(case, memo, 0, start, end)
    assert "\n" in long.spans[0].text and "\n" not in long.text
    assert long.verdict == "verbatim" and len(long.spans[0].rects) == 2
    assert {r.status for r in ws.quotes.check(case)} == {"unchanged"}

    with pytest.raises(UsageError, match="no page 3"):
        ws.quotes.add_from_selection(case, memo, 2, 0, 5)
    with pytest.raises(UsageError, match="outside page"):
        ws.quotes.add_from_selection(case, memo, 0, 10, 100_000)
    with pytest.raises(UsageError, match="no text"):
        ws.quotes.add_from_selection(case, memo, 0, start - 1, start)


def test_find_candidates_across_documents_and_confirm_one(
    workspace: Workspace, case: str, memo: str, tmp_path: Path
) -> None:
    ws = workspace
    edited = FR1.replace("refusé de répondre", "refusé net de répondre")
    notes = _import_text(ws, case, tmp_path / "notes.txt", f"Notes.\n\n{edited}\n", "note")
    _import_text(ws, case, tmp_path / "other.txt", "\n\n".join(ENGLISH_PARAGRAPHS), "note")

    candidates = ws.quotes.find(case, VERBATIM)
    assert [(c.doc_id, c.verdict) for c in candidates] == [(memo, "verbatim"), (notes, "altered")]
    assert candidates[1].score < 1.0 and candidates[1].doc_title == "notes"
    assert [op.source for op in candidates[1].diff if op.op == "delete"] == ["net"]
    assert [c.doc_id for c in ws.quotes.find(case, VERBATIM, doc_ids=[notes])] == [notes]
    assert ws.quotes.find(case, "une phrase que personne n’a jamais écrite nulle part") == []

    confirmed = ws.quotes.add(case, VERBATIM, spans=candidates[1].spans)
    assert (confirmed.source_doc_id, confirmed.verdict) == (notes, "altered")
    assert confirmed.spans == candidates[1].spans
    assert confirmed.score == pytest.approx(candidates[1].score)

    # A passage chosen by hand, wider than the quote: judged against its own text.
    wide = Span(0, candidates[0].spans[0].start - 7, candidates[0].spans[0].end, "", "", "")
    chosen = ws.quotes.add(case, VERBATIM, source=memo, spans=[wide])
    assert chosen.verdict == "verbatim" and chosen.spans[0].text.startswith("fonds, la")

    with pytest.raises(UsageError, match="not in the quote's source"):
        ws.quotes.add(case, VERBATIM, source=memo, spans=candidates[1].spans)
    stale = Span(0, 0, 10, "not there", "", "", doc_id=memo)
    with pytest.raises(UsageError, match="changed since"):
        ws.quotes.add(case, VERBATIM, spans=[stale])


def test_without_a_source_the_case_is_searched(
    workspace: Workspace, case: str, tmp_path: Path
) -> None:
    ws = workspace
    alone = ws.quotes.add(case, VERBATIM, speaker="Marie Dupont")
    assert (alone.verdict, alone.spans, alone.source_doc_id) == ("unchecked", [], None)

    # The article that published a quote is never taken for its source.
    article = _import_text(ws, case, tmp_path / "article.txt", f"Titre\n\n{FR1}\n", "article")
    quote = ws.quotes.add(case, VERBATIM, published_in=article)
    assert quote.verdict == "unchecked" and quote.published_in_id == article
    assert quote.published_in_title == "article"
    _import_text(ws, case, tmp_path / "english.txt", ENGLISH_PARAGRAPHS[0], "note")
    missing = {r.quote_id: r for r in ws.quotes.check(case)}
    assert missing[quote.id].status == "unchanged" and missing[quote.id].after.verdict == (
        "not_found"
    )
    assert missing[alone.id].after.verdict == "verbatim"  # it did not publish this one

    memo = _import_pdf(ws, case, tmp_path / "memo.pdf", [FR0, FR1])
    found = {r.quote_id: r for r in ws.quotes.check(case)}
    assert found[quote.id].status == "found" and found[quote.id].after.verdict == "verbatim"
    assert ws.quotes.get(quote.id).source_doc_id == memo
    assert ws.quotes.get(quote.id).review == "found"


def test_refusals(workspace: Workspace, case: str, memo: str, tmp_path: Path) -> None:
    ws = workspace
    other = ws.cases.create("Autre affaire").id
    foreign = _import_pdf(ws, other, tmp_path / "foreign.pdf", [FR0])
    with pytest.raises(UsageError, match="needs its text"):
        ws.quotes.add(case, "  \n ", source=memo)
    with pytest.raises(NotFoundError, match="no person"):
        ws.quotes.add(case, VERBATIM, speaker="Inconnu Total", source=memo)
    with pytest.raises(NotFoundError, match="no document"):
        ws.quotes.add(case, VERBATIM, source="ffffffffffff")
    with pytest.raises(UsageError, match="another case"):
        ws.quotes.add(case, VERBATIM, source=foreign)
    with pytest.raises(UsageError, match="invalid date"):
        ws.quotes.add(case, VERBATIM, source=memo, said_on="12/03/2024")
    with pytest.raises(NotFoundError):
        ws.quotes.add("Pas une affaire", VERBATIM)
    with pytest.raises(NotFoundError, match="no quote"):
        ws.quotes.get("0000000000")
    ws.quotes.add(case, VERBATIM, source=memo)
    with pytest.raises(TypeError):  # a verdict is found by anchoring, never edited
        QuoteEdit(verdict="verbatim")  # type: ignore[call-arg]
    assert len(ws.quotes.of_case(case)) == 1


def test_edit_delete_and_masked_speakers(workspace: Workspace, case: str, memo: str) -> None:
    ws = workspace
    quote = ws.quotes.add(case, VERBATIM, speaker="Paul Martin", source=memo)
    assert quote.speaker == "Source A"
    assert ws.quotes.get(quote.id, reveal=True).speaker == "Paul Martin"
    items = ws.quotes.searchable_items(case)
    assert [i.item_type for i in items] == ["quote"]
    assert items[0].title.startswith("Source A: «la présidente")
    assert "Paul Martin" not in repr(items) and VERBATIM in items[0].text

    edited = ws.quotes.update(quote.id, QuoteEdit(text=ALTERED, speaker="Marie Dupont"))
    assert edited.verdict == "altered" and edited.spans[0].page_index == 1
    assert edited.speaker == "Marie Dupont"
    moved = ws.quotes.update(
        quote.id, QuoteEdit(text=SAFETY, said_on="2024-03-13", notes="vérifié")
    )
    assert (moved.verdict, moved.said_on, moved.notes) == ("verbatim", "2024-03-13", "vérifié")
    cleared = ws.quotes.update(quote.id, QuoteEdit(source=None))
    assert cleared.source_doc_id == memo  # looked for in the case again, and found there
    ws.quotes.delete(quote.id[:6])
    assert ws.quotes.of_case(case) == []
    actions = [r.action for r in ws.audit.records(case)]
    assert actions.count("quote.edit") == 3 and "quote.delete" in actions
    assert "person.reveal" in actions


def _statuses(reviews: list[QuoteReview], quotes: dict[str, QuoteInfo]) -> dict[str, str]:
    names = {q.id: name for name, q in quotes.items()}
    return {names[r.quote_id]: r.status for r in reviews}


def test_corrected_file_moves_degrades_and_loses_anchors(
    workspace: Workspace, case: str, memo: str, tmp_path: Path
) -> None:
    ws = workspace
    quotes = {
        "kept": ws.quotes.add(case, TRIMMED, source=memo),
        "moved": ws.quotes.add(case, VERBATIM, source=memo),
        "degraded": ws.quotes.add(case, DELAY, source=memo),
        "lost": ws.quotes.add(case, SAFETY, source=memo),
    }
    assert {q.verdict for q in quotes.values()} == {"trimmed", "verbatim"}
    old_blob = ws.documents.original(memo)

    corrected = tmp_path / "memo-corrige.pdf"
    # An adverb dropped from the source leaves the quote a misquote to review ("degraded"); a
    # number corrected there ("dix-huit" / "vingt") would make it another sentence ("lost").
    write_pdf(corrected, [text_page(FR0), text_page(FR1, FR2.replace("déjà ", ""))])
    refresh = ws.documents.replace_original(memo, corrected, ocr=False)
    assert refresh.replaced and refresh.document.id == memo
    assert refresh.document.filename == "memo-corrige.pdf" and refresh.document.title == "memo"
    assert _statuses(refresh.reviews, quotes) == {
        "kept": "unchanged",
        "moved": "moved",
        "degraded": "degraded",
        "lost": "lost",
    }
    assert set(_statuses(refresh.needing_review, quotes)) == {"moved", "degraded", "lost"}
    assert ws.documents.original(memo) == corrected.read_bytes() != old_blob

    by_id = {q.id: q for q in ws.quotes.of_case(case)}
    moved = by_id[quotes["moved"].id]
    assert moved.review == "moved" and moved.verdict == "verbatim"
    assert moved.spans[0].page_index == 1 and _page_slice(ws, memo, moved.spans[0]) == VERBATIM
    degraded = by_id[quotes["degraded"].id]
    assert degraded.review == "degraded" and degraded.verdict == "altered"
    changed = [(op.published, op.source) for op in degraded.diff if op.op != "equal"]
    assert changed and all("déjà" in pub and not src for pub, src in changed)
    lost = by_id[quotes["lost"].id]
    assert (lost.review, lost.verdict, lost.spans) == ("lost", "not_found", [])
    assert by_id[quotes["kept"].id].review is None

    review = next(r for r in refresh.reviews if r.quote_id == quotes["moved"].id)
    assert (review.before.spans[0].page_index, review.after.spans[0].page_index) == (0, 1)
    assert review.to_json()["before"]["verdict"] == "verbatim"

    # A later clean check does not hide what is still to be reviewed.
    again = ws.quotes.check(case)
    assert {r.status for r in again} == {"unchanged"}
    assert ws.quotes.get(quotes["moved"].id).review == "moved"
    assert ws.quotes.update(quotes["moved"].id, QuoteEdit(review=None)).review is None

    entries = [r for r in ws.audit.records(case) if r.action == "quote.check"]
    assert entries[0].details["doc_id"] == memo and entries[0].details["checked"] == 4
    assert {c["status"] for c in entries[0].details["changed"]} == {"moved", "degraded", "lost"}
    assert "document.replace" in [r.action for r in ws.audit.records(case)]


def test_reextraction_reads_the_original_in_memory(
    workspace: Workspace,
    case: str,
    memo: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ws = workspace
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    quote = ws.quotes.add(case, VERBATIM, source=memo)
    pages_before = ws.documents.pages(memo)
    seen: list[float] = []
    refresh = ws.documents.reextract(memo, ocr=False, progress=lambda f, _m: seen.append(f))
    assert [r.status for r in refresh.reviews] == ["unchanged"]
    assert refresh.needing_review == [] and not refresh.replaced
    assert [p.text for p in ws.documents.pages(memo)] == [p.text for p in pages_before]
    assert ws.quotes.get(quote.id).spans == quote.spans
    assert seen[-1] == 1.0 and seen == sorted(seen)
    assert list(temp.iterdir()) == []  # nothing decrypted was spilled to a temporary file
    assert ws.quotes.reanchor_document(memo)[0].status == "unchanged"
    actions = [r.action for r in ws.audit.records(case)]
    assert "document.reextract" in actions and actions.count("quote.check") == 2


def test_prepublication_check_of_an_imported_article(
    workspace: Workspace, case: str, tmp_path: Path
) -> None:
    ws = workspace
    interview = _import_text(ws, case, tmp_path / "entretien.txt", INTERVIEW, "interview")
    article = _import_text(ws, case, tmp_path / "article.html", ARTICLE, "article")
    checks = ws.quotes.prepublication_check(case, article)
    assert [(c.number, c.verdict) for c in checks] == [
        (1, "verbatim"),
        (2, "trimmed"),
        (3, "altered"),
        (4, "not_found"),
    ]
    assert [c.issue for c in checks] == [None, None, "altered", "not_found"]
    assert {c.doc_id for c in checks[:3]} == {interview} and checks[3].doc_id is None
    assert checks[0].doc_title == "entretien"
    assert [(op.published, op.source) for op in checks[2].diff if op.op == "replace"] == [
        ("rapide", "claire")
    ]
    article_text = ws.documents.text(article)
    assert all(c.article_spans for c in checks)
    assert checks[0].article_spans[0].text in article_text
    assert checks[3].to_json()["issue"] == "not_found"
    assert ws.quotes.prepublication_check(case, article, min_words=12)[0].number == 1
    assert len(ws.quotes.prepublication_check(case, article, min_words=12)) == 1


def test_reextraction_of_text_and_password_protected_files(
    workspace: Workspace, case: str, tmp_path: Path
) -> None:
    ws = workspace
    article = _import_text(ws, case, tmp_path / "article.html", ARTICLE, "article")
    text_before = ws.documents.text(article)
    assert ws.documents.reextract(article).document.extractor_version == HTML_EXTRACTOR_VERSION
    assert ws.documents.text(article) == text_before

    locked = tmp_path / "locked.pdf"
    write_pdf(locked, [text_page(FR0, FR1)], user_password="s3cret")
    doc = ws.documents.import_file(case, locked, password="s3cret", ocr=False).id
    quote = ws.quotes.add(case, VERBATIM, source=doc)
    with pytest.raises(PasswordRequired):
        ws.documents.reextract(doc)
    refresh = ws.documents.reextract(doc, password="s3cret")
    assert [r.status for r in refresh.reviews] == ["unchanged"]
    assert ws.quotes.get(quote.id).spans == quote.spans


def test_a_deleted_source_loses_its_quotes(workspace: Workspace, case: str, memo: str) -> None:
    ws = workspace
    quote = ws.quotes.add(case, VERBATIM, source=memo)
    ws.documents.delete(memo)
    assert ws.quotes.get(quote.id).source_doc_id is None
    [review] = ws.quotes.check(case)
    assert (review.status, review.after.verdict, review.after.spans) == ("lost", "not_found", [])
    assert review.before.spans == quote.spans
    assert ws.quotes.get(quote.id).review == "lost"

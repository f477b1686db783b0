"""Attacks on what leaves the vault: the bundle unzipped and decoded as its recipient would.

A box over a quoted passage, a protected person's surname alone in a title, a marked term in
a letter subject, a question, a timeline entry and an organisation: none of it may be found in
any file of the bundle, its file names or its zip comment. And when the gate is bypassed, the
independent self-check must still stop the export, name the file, and write nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.redact import disclosure
from dossier.redact.disclosure import BOX_MARKER
from dossier.sample import content as c
from dossier.sample.build import SAMPLE_CASE, SAMPLE_PASSPHRASE, SampleBuilt
from dossier.services.export.dto import ExportRequest
from dossier.services.export.service import SelfCheckFailed
from dossier.services.workspace import Workspace
from tests.conftest import run_cli
from tests.pdfgen import text_page, write_pdf
from tests.recipient import fold, leaks, read_bundle
from tests.samplevault import sample_copy

PROTECTED = "Wilhelmina Quartermaine"
ALIAS = "Quartz"
TERM = "Opération Bélier"
PHONE = "06 71 42 93 18"
EMAIL = "w.q@relais-discret.fr"
PASSAGE = (
    "Le contremaître Anselme Villarzel a reconnu les livraisons nocturnes de fûts toxiques "
    "vers la carrière abandonnée, puis il a demandé que son nom ne soit jamais cité."
)


def _covered_words(ws: Workspace, doc_id: str, page_index: int, box: tuple[float, ...]) -> set[str]:
    """Words under `box` that stand nowhere else uncovered in the case (they must vanish)."""
    page = ws.documents.page(doc_id, page_index)
    x0, y0, x1, y1 = box
    under, elsewhere = set(), set()
    for doc in ws.documents.of_case(ws.documents.get(doc_id).case_id):
        for other in ws.documents.pages(doc.id):
            for word in other.words:
                text = fold(other.text[word.start : word.end])
                cx, cy = (word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2
                hit = x0 <= cx <= x1 and y0 <= cy <= y1
                if other.index == page.index and doc.id == doc_id and hit:
                    under.update(text.split())
                else:
                    elsewhere.update(text.split())
    return {w for w in under - elsewhere if len(w) >= 3}


def _generated(ws: Workspace, folder: Path) -> dict[str, str]:
    pdf = write_pdf(
        folder / "temoignage.pdf",
        [
            text_page(
                "Compte rendu de l’entretien réalisé le 3 mars au café de la gare.",
                PASSAGE,
                f"{PROTECTED}, que ses collègues appellent « {ALIAS} », confirme. "
                f"Quartermaine a gardé les bordereaux de l’{TERM}.",
                "La suite de l’entretien porte sur les horaires de la carrière.",
            )
        ],
    )
    memo = write_pdf(
        folder / "memo.pdf", [text_page("Quartermaine transmet les bordereaux du mois.")]
    )
    case = ws.cases.create("Affaire de la carrière")
    doc = ws.documents.import_file(case.id, pdf, title="Entretien à la carrière")
    memo_doc = ws.documents.import_file(case.id, memo, title="Memo from Quartermaine")
    person = ws.people.add(
        case.id,
        PROTECTED,
        aliases=[ALIAS],
        protection="protected",
        notes=f"Joignable au {PHONE} ou à {EMAIL}, jamais au bureau.",
    )
    ws.people.add(case.id, "Paul Ravenne", role="official", organisation=f"Cellule {TERM}")
    ws.people.add(case.id, "Jeanne Rédac", role="journalist")
    ws.redactions.add_term(TERM, case=case.id)
    quote = ws.quotes.add(case.id, PASSAGE, speaker=person.id, source=doc.id)
    ws.quotes.add(case.id, f"{ALIAS} m’a tout raconté", source=doc.id)
    ws.letters.add(
        case.id,
        sender="Jeanne Rédac",
        recipients=["Paul Ravenne"],
        questions=[
            f"Qui a autorisé l’{TERM} ?",
            "Pourquoi Quartermaine a-t-elle été écartée ?",
            f"Confirmez-vous avoir appelé le {PHONE} ou écrit à {EMAIL} ?",
        ],
        sent_on="2024-03-05",
        subject=f"Questions sur l’{TERM} et Quartermaine",
    )
    ws.timeline.add_entry(case.id, when="2024-03-04", title=f"Appel avec {ALIAS} sur l’{TERM}")
    return {"case": case.id, "doc": doc.id, "memo": memo_doc.id, "quote": quote.id}


def _box_over_quote(ws: Workspace, quote_id: str, case: str) -> tuple[str, int, tuple[float, ...]]:
    (quote,) = [q for q in ws.quotes.of_case(case) if q.id == quote_id]
    span = quote.spans[0]
    doc_id = span.doc_id or quote.source_doc_id
    assert doc_id is not None and span.rects
    box = span.rects[0]
    ws.redactions.add_rect(doc_id, span.page_index, [box])
    return doc_id, span.page_index, box


def test_generated_case_leaks_nothing_under_boxes_names_or_terms(
    workspace: Workspace, tmp_path: Path
) -> None:
    ids = _generated(workspace, tmp_path)
    doc_id, page_index, box = _box_over_quote(workspace, ids["quote"], ids["case"])
    covered = _covered_words(workspace, doc_id, page_index, box)
    assert {"villarzel", "contremaitre"} <= covered
    out = tmp_path / "out.zip"
    result = workspace.exports.export(ExportRequest(case=ids["case"], out=out))
    assert result.selfcheck.ok
    names = [PROTECTED, "Wilhelmina", "Quartermaine", ALIAS, TERM, "Bélier", PHONE, EMAIL]
    names += sorted(covered)
    assert leaks(out, names) == []
    texts = read_bundle(out)
    # The quote leaves with the covered words replaced, and the export says so.
    assert fold(BOX_MARKER) in texts["quotes.csv"]
    assert "abandonnee puis il a demande" in texts["quotes.csv"]  # the uncovered rest stays
    (changed,) = [o for o in result.quote_outcomes if o.quote_id == ids["quote"]]
    assert changed.under_boxes > 0 and "under a redaction box" in changed.reason
    assert "documents 02 memo from source a pdf" in texts["(file names)"]
    assert "source a" in texts["people.csv"] and "cellule redacted" in texts["people.csv"]
    assert "appel avec source a sur l redacted" in texts["timeline.csv"]
    assert "appele le redacted ou ecrit a redacted" in texts["letters.csv"]


def test_a_quote_wholly_under_a_box_is_left_out(workspace: Workspace, tmp_path: Path) -> None:
    ids = _generated(workspace, tmp_path)
    (quote,) = [q for q in workspace.quotes.of_case(ids["case"]) if q.id == ids["quote"]]
    span = quote.spans[0]
    workspace.redactions.add_rect(ids["doc"], span.page_index, list(span.rects))
    out = tmp_path / "out.zip"
    result = workspace.exports.export(ExportRequest(case=ids["case"], out=out))
    (outcome,) = [o for o in result.quote_outcomes if o.quote_id == ids["quote"]]
    assert outcome.left_out and "left out" in outcome.reason
    assert ids["quote"] not in "".join(read_bundle(out).values())
    assert leaks(out, ["Villarzel", "livraisons nocturnes"]) == []


def test_a_bypassed_gate_is_caught_by_the_self_check(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _generated(workspace, tmp_path)
    monkeypatch.setattr(disclosure.Disclosure, "text", lambda self, value, where: value)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(SelfCheckFailed) as caught:
        workspace.exports.export(ExportRequest(case=ids["case"], out=out_dir / "b.zip"))
    message = str(caught.value)
    assert "nothing was written" in message and "Quartermaine" not in message
    findings = caught.value.report.findings
    assert "Bélier" not in " ".join(map(str, findings))
    files = {f.file for f in findings}
    assert {"letters.csv", "people.csv", "timeline.csv", "manifest.json", "index.html"} <= files
    assert list(out_dir.iterdir()) == []


def test_a_bypassed_quote_gate_is_caught_too(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _generated(workspace, tmp_path)
    _box_over_quote(workspace, ids["quote"], ids["case"])

    def passthrough(self, quote_id, text, sources):  # type: ignore[no-untyped-def]
        return disclosure.DisclosedQuote(quote_id, text, 1, 0)

    monkeypatch.setattr(disclosure.Disclosure, "quote", passthrough)
    out = tmp_path / "b.zip"
    with pytest.raises(SelfCheckFailed) as caught:
        workspace.exports.export(ExportRequest(case=ids["case"], out=out))
    files = {f.file for f in caught.value.report.findings}
    assert {"quotes.csv", "manifest.json", "index.html"} <= files
    assert any("under a redaction box" in f.what for f in caught.value.report.findings)
    assert not out.exists()


def test_the_cli_says_which_quotes_changed_and_why(workspace: Workspace, tmp_path: Path) -> None:
    ids = _generated(workspace, tmp_path)
    _box_over_quote(workspace, ids["quote"], ids["case"])
    vault = str(workspace.folder)
    workspace.close()
    out = tmp_path / "cli.zip"
    result = run_cli(tmp_path, "--vault", vault, "export", "--case", ids["case"], "--out", str(out))
    assert result.returncode == 0, result.stderr
    (line,) = [x for x in result.stdout.splitlines() if x.startswith(f"quote {ids['quote']}")]
    assert BOX_MARKER in line and "under a redaction box" in line and "Villarzel" not in line
    assert "Quartermaine" not in result.stdout and leaks(out, ["Villarzel", ALIAS]) == []


def test_marks_equal_to_template_words_do_not_block_the_export(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Security" is in index.html's Content-Security-Policy and "public" in manifest.sig's
    keys: Dossier's own words, not leaks. The same words in the content still are."""
    ids = _generated(workspace, tmp_path)
    workspace.redactions.add_term("security", case=ids["case"])
    workspace.people.add(ids["case"], "Joe Public", protection="anonymous")
    workspace.timeline.add_entry(ids["case"], when="2024-03-06", title="Security review")
    out = tmp_path / "ok.zip"
    result = workspace.exports.export(ExportRequest(case=ids["case"], out=out))
    assert result.selfcheck.ok
    assert "redacted review" in read_bundle(out)["timeline.csv"]
    monkeypatch.setattr(disclosure.Disclosure, "text", lambda self, value, where: value)
    with pytest.raises(SelfCheckFailed) as caught:
        workspace.exports.export(ExportRequest(case=ids["case"], out=tmp_path / "no.zip"))
    assert any(f.file == "timeline.csv" for f in caught.value.report.findings)


def test_a_mark_made_for_one_document_leaves_the_others_alone(
    workspace: Workspace, tmp_path: Path
) -> None:
    """The memo's own term mark blacks it out there only; the other PDF keeps the word, and
    the self-check does not take that for a leak. Texts Dossier writes mask it everywhere."""
    ids = _generated(workspace, tmp_path)
    workspace.redactions.add_term("bordereaux", doc_id=ids["memo"])
    workspace.timeline.add_entry(ids["case"], when="2024-03-07", title="Lecture des bordereaux")
    out = tmp_path / "scoped.zip"
    result = workspace.exports.export(ExportRequest(case=ids["case"], out=out))
    assert result.selfcheck.ok
    texts = read_bundle(out)
    (memo,) = [n for n in texts if n.startswith("documents/02-")]
    (interview,) = [n for n in texts if n.startswith("documents/01-")]
    assert "bordereaux" not in texts[memo] and "bordereaux" in texts[interview]
    assert "lecture des redacted" in texts["timeline.csv"]


def test_a_retyped_quote_of_a_document_left_behind_is_masked_too(
    workspace: Workspace, tmp_path: Path
) -> None:
    """The box's document is not exported, and the quote was retyped (a word changed): the
    covered words, and the word that replaced one of them, still do not leave."""
    ids = _generated(workspace, tmp_path)
    _box_over_quote(workspace, ids["quote"], ids["case"])
    retyped = PASSAGE.replace("a reconnu", "a avoué").replace("fûts", "futs")
    quote = workspace.quotes.add(ids["case"], retyped, source=ids["doc"])
    assert quote.verdict in ("altered", "normalized")
    out = tmp_path / "memo-only.zip"
    request = ExportRequest(case=ids["case"], out=out, doc_ids=(ids["memo"],))
    result = workspace.exports.export(request)
    (outcome,) = [o for o in result.quote_outcomes if o.quote_id == quote.id]
    assert outcome.text is not None and BOX_MARKER in outcome.text
    assert leaks(out, ["Villarzel", "contremaître", "avoué", "Anselme"]) == []
    assert outcome.text.endswith("abandonnée, puis il a demandé que son nom ne soit jamais cité.")


# -- the sample case ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleBuilt]:
    with sample_copy(tmp_path_factory) as built:
        yield built


@pytest.fixture
def sample_ws(sample: SampleBuilt) -> Iterator[Workspace]:
    with Workspace.open(sample.folder, SAMPLE_PASSPHRASE) as ws:
        yield ws


def test_sample_box_over_the_trimmed_quote(sample_ws: Workspace, tmp_path: Path) -> None:
    ws = sample_ws
    memo = write_pdf(
        tmp_path / "memo.pdf", [text_page(f"{c.SOURCE_SURNAME} a transmis la note le 17.")]
    )
    ws.documents.import_file(
        ws.cases.resolve(SAMPLE_CASE), memo, title=f"Memo from {c.SOURCE_SURNAME}", ocr=False
    )
    (trimmed,) = [q for q in ws.quotes.of_case(SAMPLE_CASE) if q.verdict == "trimmed"]
    doc_id, page_index, box = _box_over_quote(ws, trimmed.id, SAMPLE_CASE)
    covered = _covered_words(ws, doc_id, page_index, box)
    assert "enregistre" in covered
    out = tmp_path / "sample.zip"
    result = ws.exports.export(ExportRequest(case=SAMPLE_CASE, out=out))
    assert result.selfcheck.ok
    secrets = [c.SOURCE_NAME, c.SOURCE_SURNAME, "Corinne", *sorted(covered)]
    assert leaks(out, secrets) == []
    texts = read_bundle(out)
    assert fold(f"{BOX_MARKER} pister quelqu") in texts["quotes.csv"]
    assert fold(f"memo from {c.SOURCE_PSEUDONYM}.pdf") in texts["(file names)"]

"""Exporting a case: what the bundle holds, what it must never hold, and how it is written."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pytest
from sqlalchemy import select

from dossier.anchor.engine import anchor_quote
from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.db.models import Page, Quote
from dossier.errors import Cancelled, UsageError, WrongPassphrase
from dossier.export.transport import is_sealed, read_sealed_bundle
from dossier.export.verify import verify_bundle
from dossier.jobs import CancelToken
from dossier.redact import produce
from dossier.services.export.dto import ExportRequest
from dossier.services.export.service import SelfCheckFailed
from dossier.services.workspace import Workspace
from dossier.text.model import pack_words
from tests.pdfgen import text_page, write_pdf
from tests.recipient import leaks

SOURCE = "Aurélien Vasseur"
ALIAS = "le Corbeau"
TERM = "Opération Castor"
EMAIL = "a.vasseur@exemple.org"
OFFICIAL = "Claire Dumas"


@dataclass
class Built:
    case_id: str
    doc_id: str
    source_id: str
    official_id: str
    quote_id: str


def build_case(ws: Workspace, folder: Path, name: str = "Affaire du port") -> Built:
    """A case with a protected source, an official, a term and a pattern to redact,
    a quote by the source that names him, and a letter with questions."""
    pdf = write_pdf(
        folder / "note.pdf",
        [
            text_page(
                f"Selon {SOURCE}, surnommé « {ALIAS} », l’{TERM} visait le port. "
                f"Il écrit depuis {EMAIL}.",
                f"La préfète {OFFICIAL} a déclaré : « Nous n’avons rien à cacher sur ce "
                "dossier portuaire. »",
                "Un paragraphe ordinaire sur la météo du port et les horaires des ferries.",
            ),
            text_page(f"Annexe : la chronologie de l’{TERM}, établie par la rédaction."),
        ],
        metadata={"title": f"Note sur {SOURCE}", "author": SOURCE},
        attachments={"source.txt": SOURCE.encode()},
    )
    case = ws.cases.create(name)
    doc = ws.documents.import_file(case.id, pdf, title=f"Note interne ({SOURCE})")
    source = ws.people.add(case.id, SOURCE, aliases=[ALIAS], protection="protected")
    official = ws.people.add(case.id, OFFICIAL, role="official")
    ws.redactions.add_term(TERM, case=case.id)
    ws.redactions.add_pattern("email", case=case.id)
    pages = ws.documents.pages(doc.id)
    quote_text = f"Selon {SOURCE}, surnommé « {ALIAS} »"
    result = anchor_quote(quote_text, pages, doc_id=doc.id)
    assert result.found
    with ws.vault.session() as session:
        quote = Quote(case_id=case.id, speaker_id=source.id, source_doc_id=doc.id)
        quote.text = quote_text
        quote.verdict = result.verdict
        quote.score = result.score
        quote.spans = [span.to_json() for span in result.spans]
        session.add(quote)
        session.commit()
        quote_id = quote.id
    ws.letters.add(
        case.id,
        sender=OFFICIAL,
        recipients=[SOURCE],
        questions=[f"Confirmez-vous le rôle de {SOURCE} ?", f"Qui a lancé l’{TERM} ?"],
        sent_on="2024-03-01",
        deadline="2024-03-08",
        subject=f"Questions à {SOURCE}",
    )
    return Built(case.id, doc.id, source.id, official.id, quote_id)


def partly_answered(ws: Workspace, folder: Path) -> str:
    """The case `build_case` makes, its letter answered in part by the official; its id."""
    built = build_case(ws, folder)
    letter = ws.letters.of_case(built.case_id)[0]
    ws.letters.add_reply(
        built.case_id, sender=OFFICIAL, letter=letter.id, answers=["1:partly"],
        received_on="2024-03-05",
    )  # fmt: skip
    return built.case_id


def _bundle_texts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if not name.endswith(".pdf")
        }


def test_bundle_layout_and_nothing_protected_in_it(workspace: Workspace, tmp_path: Path) -> None:
    built = build_case(workspace, tmp_path)
    out = tmp_path / "out" / "bundle.zip"
    result = workspace.exports.export(ExportRequest(case=built.case_id, out=out))
    assert out.is_file() and not is_sealed(out)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        pdf = archive.read(names[-1])
    assert names[:7] == [
        "manifest.json",
        "manifest.sig",
        "quotes.csv",
        "letters.csv",
        "people.csv",
        "timeline.csv",
        "index.html",
    ]
    assert names[7].startswith("documents/01-") and names[7].endswith(".pdf")
    texts = _bundle_texts(out)
    everything = "\n".join(texts.values()).casefold()
    for secret in (SOURCE, "Vasseur", ALIAS, TERM, EMAIL):
        assert secret.casefold() not in everything, secret
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        text = " ".join(" ".join(page.get_text().split()) for page in doc)
    for secret in ("Vasseur", "Corbeau", "Castor", EMAIL):
        assert secret not in text
    assert OFFICIAL in text and "météo du port" in text
    manifest = json.loads(texts["manifest.json"])
    assert manifest["format"] == "dossier-bundle" and manifest["format_version"] == 2
    assert manifest["app"]["version"]
    (document,) = manifest["documents"]
    # The source's e-mail address holds his name: it counts as the person's, not the pattern's.
    assert document["redactions"] == {"rect": 0, "term": 2, "pattern": 0, "person": 3}
    assert document["title"] == "Note interne (Source A)"
    (quote,) = manifest["quotes"]
    assert quote["speaker"] == "Source A"
    assert quote["text"] == "Selon Source A, surnommé « Source A »"
    assert quote["anchors"][0]["document"] == document["path"]
    assert quote["anchors"][0]["page"] == 1 and quote["anchors"][0]["redacted"] is True
    assert {f["path"] for f in manifest["files"]} == set(names) - {"manifest.json", "manifest.sig"}
    assert (
        "Source A" in texts["letters.csv"]
        and "Confirmez-vous le rôle de Source A" in texts["letters.csv"]
    )
    assert result.fingerprint == manifest["signing_key"]["fingerprint"]
    assert result.selfcheck.ok and result.selfcheck.files == 8
    assert verify_bundle(out).ok
    # The original in the vault is untouched by the export.
    original = workspace.documents.original(built.doc_id)
    assert original == (tmp_path / "note.pdf").read_bytes()


def test_index_html_has_no_script_and_escapes(workspace: Workspace, tmp_path: Path) -> None:
    built = build_case(workspace, tmp_path, name="<script>alert(1)</script> & co")
    out = tmp_path / "b.zip"
    workspace.exports.export(ExportRequest(case=built.case_id, out=out))
    page = _bundle_texts(out)["index.html"]
    assert "<script" not in page.casefold()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert 'href="documents/01-' in page and "#page=1" in page


def test_signing_key_is_made_once_and_kept(workspace: Workspace, tmp_path: Path) -> None:
    built = build_case(workspace, tmp_path)
    first = workspace.exports.export(ExportRequest(case=built.case_id, out=tmp_path / "1.zip"))
    second = workspace.exports.export(ExportRequest(case=built.case_id, out=tmp_path / "2.zip"))
    assert first.fingerprint == second.fingerprint == workspace.exports.fingerprint()
    assert len(first.fingerprint.split()) == 8


def test_export_is_audited_without_terms(workspace: Workspace, tmp_path: Path) -> None:
    built = build_case(workspace, tmp_path)
    result = workspace.exports.export(ExportRequest(case=built.case_id, out=tmp_path / "b.zip"))
    (entry,) = [r for r in workspace.audit.records(built.case_id) if r.action == "export"]
    assert entry.details["bundle_sha256"] == result.sha256
    assert entry.details["redactions"] == result.redactions
    dumped = json.dumps(entry.details, ensure_ascii=False).casefold()
    for secret in (SOURCE, ALIAS, TERM, EMAIL):
        assert secret.casefold() not in dumped
    marks = [r for r in workspace.audit.records(built.case_id) if r.action == "redaction.add"]
    assert len(marks) == 2 and "Castor" not in json.dumps(marks[0].details)


def test_sealed_bundle_for_transport(workspace: Workspace, tmp_path: Path) -> None:
    built = build_case(workspace, tmp_path)
    out = tmp_path / "sealed.zip"
    request = ExportRequest(
        case=built.case_id, out=out, bundle_passphrase="voyage sûr", kdf=TEST_ONLY_FAST
    )
    result = workspace.exports.export(request)
    assert result.sealed and is_sealed(out)
    raw = out.read_bytes()
    assert b"manifest.json" not in raw and b"%PDF" not in raw
    with pytest.raises(WrongPassphrase):
        read_sealed_bundle(out, "mauvais")
    report = verify_bundle(out, passphrase="voyage sûr")
    assert report.ok and report.sealed
    assert not any(p.name.startswith(".tmp-") for p in tmp_path.iterdir())


def test_rasterized_export_still_passes(workspace: Workspace, tmp_path: Path) -> None:
    built = build_case(workspace, tmp_path)
    out = tmp_path / "r.zip"
    result = workspace.exports.export(
        ExportRequest(case=built.case_id, out=out, rasterize_redacted=True)
    )
    assert result.documents[0].rasterized_pages == [1, 2]
    with zipfile.ZipFile(out) as archive:
        pdf = archive.read(result.documents[0].path)
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert doc[0].get_images() and "météo" in doc[0].get_text()


def _lose_the_word_map(workspace: Workspace, built: Built) -> None:
    with workspace.vault.session() as session:
        page = session.scalar(
            select(Page).where(Page.document_id == built.doc_id, Page.page_index == 1)
        )
        assert page is not None
        page.words = pack_words([])
        session.commit()


def test_a_stale_word_map_still_leaves_no_term(workspace: Workspace, tmp_path: Path) -> None:
    # The boxes are planned on the glyphs the copy draws as well as on the stored words.
    built = build_case(workspace, tmp_path)
    _lose_the_word_map(workspace, built)
    out = tmp_path / "out.zip"
    assert workspace.exports.export(ExportRequest(case=built.case_id, out=out)).selfcheck.ok
    assert leaks(out, [TERM, "Castor"]) == []


def test_a_finding_stops_the_export_and_writes_nothing(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = build_case(workspace, tmp_path)
    # A stale word map (boxes lost) and no plan on the glyphs mean a match without a box:
    # the copy would keep the term, and the self-check must catch it.
    _lose_the_word_map(workspace, built)
    monkeypatch.setattr(produce, "_plan_drawn_text", lambda *args: None)
    out = tmp_path / "never.zip"
    with pytest.raises(SelfCheckFailed) as caught:
        workspace.exports.export(ExportRequest(case=built.case_id, out=out))
    assert not out.exists()
    assert not any(p.name.startswith(".tmp-") for p in tmp_path.iterdir())
    message = str(caught.value)
    assert "page 2" in message and "a redacted term" in message
    assert "Castor" not in message
    assert not [r for r in workspace.audit.records(built.case_id) if r.action == "export"]


def test_cancel_and_progress(workspace: Workspace, tmp_path: Path) -> None:
    built = build_case(workspace, tmp_path)
    token = CancelToken()
    seen: list[float] = []

    def progress(fraction: float, message: str) -> None:
        seen.append(fraction)
        if fraction >= 0.85:
            token.cancel()

    out = tmp_path / "c.zip"
    with pytest.raises(Cancelled):
        workspace.exports.export(
            ExportRequest(case=built.case_id, out=out), progress=progress, cancel=token
        )
    assert not out.exists()
    assert seen and seen == sorted(seen)
    done: list[float] = []
    workspace.exports.export(
        ExportRequest(case=built.case_id, out=out), progress=lambda f, m: done.append(f)
    )
    assert done[-1] == 1.0


def test_archive_listings_are_not_exported_and_only_this_case(
    workspace: Workspace, tmp_path: Path
) -> None:
    built = build_case(workspace, tmp_path)
    other = workspace.cases.create("Autre")
    with pytest.raises(UsageError):
        workspace.exports.export(
            ExportRequest(case=other.id, out=tmp_path / "x.zip", doc_ids=(built.doc_id,))
        )
    packed = tmp_path / "n.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("n.txt", "Une note sans importance.")
    listing = workspace.documents.import_file(built.case_id, packed, kind="note")
    (note,) = workspace.documents.children(listing.id)
    with pytest.raises(UsageError, match="archive or a mailbox"):
        workspace.exports.export(
            ExportRequest(case=built.case_id, out=tmp_path / "x.zip", doc_ids=(listing.id,))
        )
    result = workspace.exports.export(ExportRequest(case=built.case_id, out=tmp_path / "y.zip"))
    assert result.skipped == [listing.id]
    assert {d.doc_id for d in result.documents} == {built.doc_id, note.id}

"""Masking holds against a hurried user's searches and the notices that echo a document.

The attacks: a search for "quarter" highlighted half of "Quarter-\\nmaine" (a surname
hyphenated across two lines) and the snippet was masked piece by piece between the highlights,
so neither half was a name part and "Quarter- maine" was printed; a second import of a file
answered with the first one's title, unmasked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.errors import AlreadyInCase
from dossier.services.workspace import Workspace
from dossier.text.fold import contains_term

CASE = "Affaire"
PARTS = ("Wilhelmina", "Quartermaine", "Quartz")
TEXT = (
    "Le mémo de Quartermaine's team. d'Quartermaine a signé. QUARTERMAINE. W. Quarter-\n"
    "maine a appelé. Écrire à w.quartermaine@example.org ou https://ex.org/quartermaine/cv "
    "puis voir Wilhelmina."
)


def _leaked(text: str) -> list[str]:
    return [part for part in PARTS if contains_term(text, part)]


@pytest.fixture
def notes(workspace: Workspace, tmp_path: Path) -> Path:
    workspace.cases.create(CASE)
    workspace.people.add(
        CASE, "Wilhelmina Quartermaine", aliases=["Quartz"], role="source", protection="protected"
    )
    path = tmp_path / "Quartermaine-notes.txt"
    path.write_text(TEXT, encoding="utf-8")
    workspace.documents.import_file(CASE, path, kind="source")
    return path


@pytest.mark.parametrize(
    "query", ["quarter", "Quarter*", "maine", "*maine", "quartermain~", "example", "mémo", "W"]
)
def test_a_snippet_whose_highlight_cuts_a_name_shows_only_the_pseudonym(
    workspace: Workspace, notes: Path, query: str
) -> None:
    for hit in workspace.search.query(query, case=CASE):
        shown = " ".join([hit.title, hit.snippet, *hit.terms])
        assert not _leaked(shown), (query, shown)
        for start, end in hit.highlights:
            assert 0 <= start < end <= len(hit.snippet), (hit.snippet, hit.highlights)


def test_the_highlight_of_a_cut_name_covers_its_whole_pseudonym(
    workspace: Workspace, notes: Path
) -> None:
    hits = workspace.search.query("quarter", case=CASE)
    assert hits
    for hit in hits:
        shown = [hit.snippet[a:b] for a, b in hit.highlights]
        assert shown and all("Source" in s for s in shown), (hit.snippet, hit.highlights)


def test_a_second_import_names_the_first_document_masked(
    workspace: Workspace, notes: Path, tmp_path: Path
) -> None:
    again = tmp_path / "copie.txt"
    again.write_bytes(notes.read_bytes())
    with pytest.raises(AlreadyInCase) as refused:
        workspace.documents.import_file(CASE, again)
    assert not _leaked(str(refused.value)), str(refused.value)


def test_import_progress_names_what_comes_out_of_a_file_masked(
    workspace: Workspace, notes: Path, tmp_path: Path
) -> None:
    """The import panel shows "attachment 1 of 1: <name>" as the attachment is read."""
    mail = tmp_path / "rdv.eml"
    mail.write_text(
        "From: Paul <paul@example.org>\nTo: Paul <paul@example.org>\nSubject: Rendez-vous\n"
        'Content-Type: multipart/mixed; boundary="XX"\n\n--XX\n'
        "Content-Type: text/plain; charset=utf-8\n\nBonjour.\n--XX\n"
        'Content-Type: text/plain; name="Quartermaine-cv.txt"\n'
        'Content-Disposition: attachment; filename="Quartermaine-cv.txt"\n\nCV.\n--XX--\n',
        encoding="utf-8",
    )
    messages: list[str] = []
    workspace.documents.import_file(CASE, mail, progress=lambda _f, m: messages.append(m))
    assert any("attachment 1 of 1" in m for m in messages), messages
    assert not _leaked("\n".join(messages)), messages


def test_a_name_glued_inside_an_e_mail_or_web_address_is_masked(
    workspace: Workspace, tmp_path: Path
) -> None:
    """ "wquartermaine@gmail.com" names her as surely as "W. Quartermaine"; the address goes
    whole, while prose keeps words that merely contain a part ("Quartzite")."""
    workspace.cases.create(CASE)
    workspace.people.add(
        CASE, "Wilhelmina Quartermaine", aliases=["Quartz"], role="source", protection="protected"
    )
    path = tmp_path / "contacts.txt"
    path.write_text(
        "Écrire à wquartermaine@gmail.com ou WILHELMINAQ@proton.me, voir "
        "https://example.org/profils/quartermainew et la roche Quartzite.",
        encoding="utf-8",
    )
    doc = workspace.documents.import_file(CASE, path)
    shown = [p.page.text for p in workspace.screen.pages(doc.id, keep_offsets=False)]
    viewer = workspace.screen.pages(doc.id)
    hits = workspace.search.query("gmail", case=CASE) + workspace.search.query("profils", case=CASE)
    texts = [*shown, *(p.page.text for p in viewer), *(h.snippet for h in hits)]
    assert hits and texts
    for text in texts:
        folded = text.casefold()
        assert "quartermaine" not in folded and "wilhelmina" not in folded, text
    assert "Quartzite" in shown[0]


def test_a_name_glued_to_letters_is_masked_on_screen_as_in_exports(
    workspace: Workspace, tmp_path: Path
) -> None:
    """The rule of `dossier.redact.glued`, through the same masker: "QuartermaineW" and the
    family's "Quartermaines" go; ordinary words holding a protected name stay."""
    workspace.cases.create(CASE)
    workspace.people.add(CASE, "Wilhelmina Quartermaine", role="source", protection="protected")
    workspace.people.add(CASE, "Sophie Marchetti", role="source", protection="protected")
    path = tmp_path / "glued.txt"
    path.write_text(
        "Signé QuartermaineW, copie à xQuartermaine, chez les Quartermaines. "
        "Un cours de philosophie.",
        encoding="utf-8",
    )
    doc = workspace.documents.import_file(CASE, path, title="Note QuartermaineW")
    shown = [p.page.text for p in workspace.screen.pages(doc.id, keep_offsets=False)]
    viewer = [p.page.text for p in workspace.screen.pages(doc.id)]
    hits = workspace.search.query("philosophie", case=CASE)
    titles = [d.title for d in workspace.documents.of_case(CASE)]
    texts = [*shown, *viewer, *(h.snippet for h in hits), *titles]
    assert hits and texts
    for text in texts:
        assert "quartermaine" not in text.casefold(), text
    assert "philosophie" in shown[0]

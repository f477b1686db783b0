"""A protected name glued to digits ("Quartermaine2024", a scan's title as typed from its file
name) is still the name: the gate masks it and the self-check finds it when the gate does not.

Found by attack: the title "Scan Quartermaine2024 notes" left as
`documents/01-scan-quartermaine2024-notes.pdf` and in manifest.json and index.html, and the
self-check passed (both matched whole words only, and "quartermaine2024" is one word).
"""

from __future__ import annotations

import json
from pathlib import Path

from dossier.redact.bundlecheck import Watchlist, needles
from dossier.redact.disclosure import slug
from dossier.redact.glued import ORDINARY_WORDS
from dossier.redact.masking import TextMasker
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.core.export.checked import findings_in
from tests.pdfgen import text_page, write_pdf
from tests.recipient import read_bundle

PROTECTED = "Wilhelmina Quartermaine"
TITLES = ("Scan Quartermaine2024 notes", "Note 2024quartermaine", "Appel 3Quartermaine4")
WATCH = Watchlist(people=[("a protected person's name", [PROTECTED])])


def _case(ws: Workspace, folder: Path) -> str:
    case = ws.cases.create("Affaire")
    for number, title in enumerate(TITLES):
        pdf = write_pdf(folder / f"scan{number}.pdf", [text_page("Rien de particulier ce jour.")])
        ws.documents.import_file(case.id, pdf, title=title)
    ws.people.add(case.id, PROTECTED, protection="protected")
    return case.id


def _holding(out: Path, secret: str) -> list[str]:
    """Decoded files holding `secret` anywhere, even inside a longer word."""
    return [name for name, text in read_bundle(out).items() if secret in text.replace(" ", "")]


def test_a_name_glued_to_digits_is_masked(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out.zip"
    result = workspace.exports.export(ExportRequest(case=_case(workspace, tmp_path), out=out))
    assert result.selfcheck.ok
    assert _holding(out, "quartermaine") == []
    assert "2024" in read_bundle(out)["manifest.json"]  # only the name went


def test_the_self_check_finds_a_name_glued_to_digits() -> None:
    bundle = {f"documents/{slug(title)}.txt": "rien" for title in TITLES}
    bundle["manifest.json"] = json.dumps({"title": TITLES[0]})
    bundle["index.html"] = f"<p>{TITLES[1]}</p>"
    files = {f.file for f in findings_in(bundle, WATCH)}
    assert files == {"the bundle", "manifest.json", "index.html"}


ADDRESSES = (
    "écrire à wquartermaine@proton.me",
    "#QuartermaineLeaks",
    "voir www.ex.org/quartermainew",
)


def test_a_name_glued_inside_an_address_or_a_hashtag_is_masked(
    workspace: Workspace, tmp_path: Path
) -> None:
    case_id = _case(workspace, tmp_path)
    for number, text in enumerate(ADDRESSES):
        workspace.timeline.add_entry(case_id, when=f"2024-01-0{number + 1}", title=text)
    out = tmp_path / "out.zip"
    result = workspace.exports.export(ExportRequest(case=case_id, out=out))
    assert result.selfcheck.ok
    assert _holding(out, "quartermaine") == []


def test_the_self_check_finds_a_name_glued_inside_an_address() -> None:
    bundle = {
        "letters.csv": f"subject\n{ADDRESSES[0]}\n",
        "index.html": f"<p>{ADDRESSES[1]}</p>",
        "manifest.json": json.dumps({"x": "wilhelmina.q@proton.me"}),
    }
    files = {f.file for f in findings_in(bundle, WATCH)}
    assert files == {"letters.csv", "index.html", "manifest.json"}


# A name glued to letters, outside any address: the rule of `dossier.redact.glued`.
GLUED_TO_LETTERS = (
    "Note QuartermaineW",
    "Appel xQuartermaine",
    "Dossier ProjetQuartermaine2024",
    "Les Quartermaines et leurs amis",
    "Rendez-vous WilhelminaQ",
)
ORDINARY = "Cours de philosophie et prix des pierres"
"""Ordinary words holding another protected person's first name ("Sophie", "Pierre")."""


def _letters_case(ws: Workspace, folder: Path) -> str:
    case = ws.cases.create("Affaire")
    body = " ".join([*GLUED_TO_LETTERS, ORDINARY, "Fin."])
    pdf = write_pdf(folder / "glued.pdf", [text_page(body)])
    ws.documents.import_file(case.id, pdf, title=GLUED_TO_LETTERS[0])
    for number, text in enumerate([*GLUED_TO_LETTERS[1:], ORDINARY]):
        ws.timeline.add_entry(case.id, when=f"2024-02-0{number + 1}", title=text)
    ws.people.add(case.id, PROTECTED, protection="protected")
    ws.people.add(case.id, "Sophie Pierre Marchetti", protection="protected")
    return case.id


def test_a_name_glued_to_letters_is_masked_everywhere_a_recipient_looks(
    workspace: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "out.zip"
    result = workspace.exports.export(
        ExportRequest(case=_letters_case(workspace, tmp_path), out=out)
    )
    assert result.selfcheck.ok, result.selfcheck.findings
    for secret in ("quartermaine", "wilhelmina"):
        assert _holding(out, secret) == [], secret
    bundle = read_bundle(out)
    pdf = next(text for name, text in bundle.items() if name.endswith(".pdf"))
    # Only the words holding the name went: ordinary words holding a name stay, and in the
    # texts Dossier writes, the digits glued to it (a PDF loses whole words, digits included).
    assert "philosophie" in pdf and "pierres" in pdf
    manifest = bundle["manifest.json"]
    assert "philosophie" in manifest and "pierres" in manifest and "2024" in manifest


def test_the_self_check_finds_a_name_glued_to_letters_on_its_own() -> None:
    found = needles(WATCH, lambda doc: [])
    for text in GLUED_TO_LETTERS:
        assert found.search(text) == ["a protected person's name"], text
    bundle = {
        f"documents/{slug(GLUED_TO_LETTERS[0])}.txt": "rien",
        "manifest.json": json.dumps({"title": GLUED_TO_LETTERS[1]}),
        "index.html": f"<p>{GLUED_TO_LETTERS[2]}</p>",
        "timeline.csv": f"title\n{GLUED_TO_LETTERS[4]}\n",
    }
    files = {f.file for f in findings_in(bundle, WATCH)}
    assert files == {"the bundle", "manifest.json", "index.html", "timeline.csv"}


def test_gate_and_self_check_agree_on_ordinary_words() -> None:
    """Each word of the shared list, holding a name, is left alone by both; the same name in a
    word not on the list is masked by the gate and found by the self-check."""
    for word in sorted(ORDINARY_WORDS):
        name = word[1:-1] if len(word) > 6 else word[:5]
        masker = TextMasker(names=[(name, "Source A")])
        found = needles(Watchlist(people=[("name", [name])]), lambda doc: [])
        assert masker.mask(word) == word and found.search(word) == [], word
        other = f"zz{name}zz"
        assert masker.mask(other) == "Source A" and found.search(other) == ["name"], other

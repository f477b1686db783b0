"""`dossier quote ...` through the console script: JSON shape, human output, clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.clivault import CliVault
from tests.core.services.quotes.test_quotes_service import ARTICLE, INTERVIEW, TRIMMED, VERBATIM
from tests.pdfgen import FRENCH_PARAGRAPHS, text_page, write_pdf

CASE = "Collège"
SPAN_KEYS = {"page_index", "start", "end", "text", "prefix", "suffix", "rects"}


class Cli(CliVault):
    def __init__(self, tmp_path: Path) -> None:
        super().__init__(tmp_path, "Quotes.dossier")

    def import_file(self, path: Path, kind: str, case: str = CASE) -> str:
        [result] = self.json("import", "--case", case, "--kind", kind, str(path))
        return str(result["document"]["id"])


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    c = Cli(tmp_path)
    c.ok("init")
    c.ok("case", "create", CASE)
    c.ok("person", "add", "--case", CASE, "Marie Dupont", "--role", "elected")
    return c


def test_quote_json_shape_and_lifecycle(cli: Cli, tmp_path: Path) -> None:
    pdf = write_pdf(
        tmp_path / "memo.pdf",
        [text_page(*FRENCH_PARAGRAPHS[:2]), text_page(*FRENCH_PARAGRAPHS[2:])],
    )
    memo = cli.import_file(pdf, "source")

    added = cli.json(
        "quote", "add", "--case", CASE, "--speaker", "Marie Dupont", "--source", memo,
        "--date", "2024-03-12", VERBATIM,
    )  # fmt: skip
    assert {"id", "speaker", "source_doc_id", "review", "verdict", "score", "spans", "diff"} <= set(
        added
    )
    assert (added["verdict"], added["score"], added["speaker"]) == ("verbatim", 1.0, "Marie Dupont")
    assert (added["source_doc_id"], added["said_on"], added["review"]) == (memo, "2024-03-12", None)
    [span] = added["spans"]
    assert set(span) == SPAN_KEYS and span["text"] == VERBATIM and span["page_index"] == 0
    assert span["rects"] and all(len(r) == 4 and r[0] < r[2] for r in span["rects"])
    assert added["diff"] == [{"op": "equal", "published": VERBATIM, "source": VERBATIM}]

    trimmed = cli.json("quote", "add", "--case", CASE, "--source", memo[:6], TRIMMED)
    assert trimmed["verdict"] == "trimmed" and len(trimmed["spans"]) == 2
    assert [op["op"] for op in trimmed["diff"]] == ["equal", "delete", "equal"]

    listed = cli.json("quote", "list", "--case", CASE)
    assert [q["id"] for q in listed] == [added["id"], trimmed["id"]]  # dated first
    assert listed[0] == added
    human = cli.ok("quote", "list", "--case", CASE)
    assert "VERBATIM" in human and "TRIMMED" in human and "Marie Dupont: «la présidente" in human
    shown = cli.ok("quote", "show", trimmed["id"][:6])
    assert "- " in shown and "(in the source, not in the quote)" in shown

    candidates = cli.json("quote", "find", "--case", CASE, VERBATIM)
    assert [(c["doc_id"], c["verdict"]) for c in candidates] == [(memo, "verbatim")]
    assert set(candidates[0]["spans"][0]) == SPAN_KEYS
    assert cli.ok("quote", "find", "--case", CASE, "rien de tout cela").strip() == "not found"

    reviews = cli.json("quote", "check", "--case", CASE)
    assert [r["status"] for r in reviews] == ["unchanged", "unchanged"]
    assert reviews[0]["before"]["spans"] == reviews[0]["after"]["spans"] == added["spans"]
    assert cli.ok("quote", "check", "--case", CASE).startswith("checked 2 quote(s): 2 unchanged")

    edited = cli.json("quote", "edit", added["id"], "--text", "la présidente a refusé")
    assert (
        edited["verdict"] == "verbatim" and edited["spans"][0]["text"] == "la présidente a refusé"
    )
    cli.ok("quote", "delete", trimmed["id"])
    assert [q["id"] for q in cli.json("quote", "list", "--case", CASE)] == [added["id"]]
    actions = [e["action"] for e in cli.json("audit", "show", "--case", CASE)]
    assert {"quote.add", "quote.edit", "quote.delete", "quote.check"} <= set(actions)


def test_a_quote_saying_something_else_shows_its_closest_passage_labelled(
    cli: Cli, tmp_path: Path
) -> None:
    memo = cli.import_file(
        write_pdf(tmp_path / "memo.pdf", [text_page(*FRENCH_PARAGRAPHS)]), "source"
    )
    swapped = VERBATIM.replace("présidente", "trésorière")
    assert swapped != VERBATIM
    added = cli.json("quote", "add", "--case", CASE, "--source", memo, swapped)
    assert (added["verdict"], added["spans"]) == ("not_found", [])
    assert any(op["op"] == "replace" and op["source"] == "présidente" for op in added["diff"])
    shown = cli.ok("quote", "show", added["id"])
    assert "closest passage, for information only" in shown
    assert "~ trésorière   (source: présidente)" in shown


def test_refusals_are_one_clear_line(cli: Cli, tmp_path: Path) -> None:
    memo = cli.import_file(write_pdf(tmp_path / "memo.pdf", [FRENCH_PARAGRAPHS[1]]), "source")
    cli.ok("case", "create", "Autre")
    foreign = cli.import_file(
        write_pdf(tmp_path / "x.pdf", [FRENCH_PARAGRAPHS[0]]), "source", "Autre"
    )
    assert "no person" in cli.refused(
        "quote", "add", "--case", CASE, "--speaker", "Personne Inconnue", "--source", memo, "x y"
    )
    assert "no document" in cli.refused("quote", "add", "--case", CASE, "--source", "abcdef", "x")
    assert "needs its text" in cli.refused("quote", "add", "--case", CASE, "--source", memo, " ")
    assert "another case" in cli.refused("quote", "add", "--case", CASE, "--source", foreign, "x")
    assert "invalid date" in cli.refused("quote", "add", "--case", CASE, "--date", "hier", "x")
    assert "no case" in cli.refused("quote", "list", "--case", "Nulle part").lower()
    assert "no quote" in cli.refused("quote", "show", "0123456789")
    assert "nothing to change" in cli.refused("quote", "edit", "0123456789")
    assert cli.json("quote", "list", "--case", CASE) == []


def test_prepublication_check(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "entretien.txt").write_text(INTERVIEW, encoding="utf-8")
    (tmp_path / "article.html").write_text(ARTICLE, encoding="utf-8")
    interview = cli.import_file(tmp_path / "entretien.txt", "interview")
    article = cli.import_file(tmp_path / "article.html", "article")
    checks = cli.json("quote", "prepub", "--case", CASE, "--article", article)
    assert [(c["verdict"], c["issue"]) for c in checks] == [
        ("verbatim", None),
        ("trimmed", None),
        ("altered", "altered"),
        ("not_found", "not_found"),
    ]
    assert [c["doc_id"] for c in checks] == [interview, interview, interview, None]
    human = cli.ok("quote", "prepub", "--case", CASE, "--article", article)
    assert "4 quoted passage(s): 2 to look at (1 not found, 1 altered)" in human
    assert "NOT_FOUND" in human and "ALTERED" in human

"""`dossier anchor`: the real console entry point, run in a subprocess (no vault)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from tests.pdfgen import ENGLISH_PARAGRAPHS, FRENCH_PARAGRAPHS, text_page, write_pdf


def source_pdf(tmp_path: Path) -> Path:
    return write_pdf(
        tmp_path / "source.pdf",
        [text_page(*FRENCH_PARAGRAPHS), text_page(*ENGLISH_PARAGRAPHS)],
    )


def test_anchor_one_quote_json(tmp_path: Path) -> None:
    pdf = source_pdf(tmp_path)
    done = run_cli(
        tmp_path, "anchor", str(pdf), "« Nous n'avons jamais caché ces difficultés »", "--json"
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["verdict"] == "normalized"
    assert data["spans"][0]["page_index"] == 0
    assert "’" in data["spans"][0]["text"]  # the source's own apostrophe
    assert len(data["spans"][0]["rects"]) == 1


def test_anchor_human_output_shows_the_diff(tmp_path: Path) -> None:
    pdf = source_pdf(tmp_path)
    quote = (
        "An internal memo obtained by this newspaper shows that the works were already "
        "eighteen months behind"
    )
    done = run_cli(tmp_path, "anchor", str(pdf), quote)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("altered (score ")
    assert "page 2" in done.stdout
    assert "obtained" in done.stdout and "seen" in done.stdout


def test_anchor_quotes_file(tmp_path: Path) -> None:
    pdf = source_pdf(tmp_path)
    batch = tmp_path / "quotes.jsonl"
    lines = [
        {"id": "q1", "quote": "malgré l’opposition de trois élus"},
        {"id": 2, "quote": "the council leader declined […] which did not respond"},
        {"id": "absent", "quote": "The minister promised a full inquiry into the contracts"},
    ]
    batch.write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n", encoding="utf-8"
    )
    done = run_cli(tmp_path, "anchor", str(pdf), "--quotes-file", str(batch))
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(o["id"], o["verdict"]) for o in out] == [
        ("q1", "verbatim"),
        (2, "trimmed"),
        ("absent", "not_found"),
    ]
    assert len(out[1]["spans"]) == 2


def test_anchor_refuses_bad_input(tmp_path: Path) -> None:
    pdf = source_pdf(tmp_path)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n%%EOF\n")
    done = run_cli(tmp_path, "anchor", str(broken), "anything")
    assert done.returncode == 6 and "Traceback" not in done.stderr
    done = run_cli(tmp_path, "anchor", str(tmp_path / "missing.pdf"), "anything")
    assert done.returncode == 6 and "no such file" in done.stderr
    done = run_cli(tmp_path, "anchor", str(pdf))
    assert done.returncode == 2 and "QUOTE" in done.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "quote": "ok"}\n{"id": 2}\n', encoding="utf-8")
    done = run_cli(tmp_path, "anchor", str(pdf), "--quotes-file", str(bad))
    assert done.returncode == 2 and "line 2" in done.stderr and done.stdout == ""


def test_another_sentence_is_not_found_and_its_closest_passage_labelled(tmp_path: Path) -> None:
    pdf = source_pdf(tmp_path)
    quote = "declined to answer and referred reporters to the press office, which did not respond"
    swapped = quote.replace("office", "secretary")
    done = run_cli(tmp_path, "anchor", str(pdf), swapped)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("not_found (score ")
    assert "closest passage, for information only" in done.stdout
    assert "page 2" in done.stdout and "secretary   (source: office)" in done.stdout
    data = json.loads(run_cli(tmp_path, "anchor", str(pdf), swapped, "--json").stdout)
    assert data["verdict"] == "not_found" and data["spans"] == []
    assert data["closest_passage_for_information"][0]["page_index"] == 1

"""A copy of the disk reveals nothing: no words, no file hashes, in the vault or temp files."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.leakscan import hash_needles, needles_for, private_temp, scan

WORDS = ["Zorglubinator", "Quintessaflux", "Pétaudièrecrâne", "Clouetmarker", "Synopsiswitness"]


def _make_inputs(folder: Path) -> list[Path]:
    pdf = folder / "rapport.pdf"
    doc = pymupdf.open()
    for i in range(3):
        page = doc.new_page()
        page.insert_text((72, 100), f"Page {i}: {WORDS[0]} met {WORDS[1]} au commissariat.")
        page.insert_text((72, 130), f"The witness {WORDS[4]} spoke twice.")
    doc.set_metadata({"title": f"Rapport {WORDS[3]}", "author": "Anonyme"})
    doc.save(pdf)
    doc.close()
    txt = folder / "notes.txt"
    txt.write_text(f"Notes: {WORDS[2]} et {WORDS[3]}.\n", encoding="utf-8")
    html = folder / "article.html"
    html.write_text(
        f"<html><head><title>{WORDS[1]}</title></head><body><p>{WORDS[0]} "
        f"dans l'article.</p><script>var x='{WORDS[4]}';</script></body></html>",
        encoding="utf-8",
    )
    eml = folder / "lettre.eml"
    eml.write_text(
        f"From: {WORDS[3]} <a@example.org>\nTo: b@example.org\nSubject: {WORDS[2]}\n"
        f"Date: Mon, 20 Nov 2023 10:00:00 +0100\n\nCorps du message {WORDS[1]}.\n",
        encoding="utf-8",
    )
    return [pdf, txt, html, eml]


def test_nothing_readable_on_disk_after_a_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = private_temp(tmp_path, monkeypatch)
    inputs_dir = tmp_path / "inputs"
    inputs_dir.mkdir()
    inputs = _make_inputs(inputs_dir)
    vault = tmp_path / "Leak.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create(f"Affaire {WORDS[2]}", f"about {WORDS[0]}")
        for path in inputs:
            ws.documents.import_file(case.id, path, kind="source")
        docs = ws.documents.of_case(case.id)
        assert len(docs) == 4
        # The words really are in the vault, so the scan below is meaningful.
        assert WORDS[0] in ws.documents.text(docs[0].id) + "".join(
            ws.documents.text(d.id) for d in docs
        )
        assert ws.search.query(WORDS[0], case=case.id)
    needles = needles_for(WORDS) | hash_needles(inputs)
    hits = scan([vault, temp], needles)
    assert hits == []
    assert not any(temp.iterdir()), "temporary files were left behind"

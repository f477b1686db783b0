"""A copy of the disk after a session using the features added since the first scan reveals
nothing: recent searches, redaction reasons, undo snapshots, score parts, Word and tar imports,
export previews and a bundle made. Vault, temp folder and every XDG folder (cache, config,
state, data: where platformdirs puts the seen-counter and logs) are scanned."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import docx
import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.documents.dto import DocumentEdit
from dossier.services.export.service import ExportRequest
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.leakscan import hash_needles, needles_for, private_temp, scan

WORDS = ["Brontosaurinex", "Quadrifoliage", "Vermicellix", "Pangolinard", "Ornithomancie"]
"""Document words, a title, a protected name, a reason, a search query."""


def _inputs(folder: Path) -> list[Path]:
    word = folder / "compte-rendu.docx"
    document = docx.Document()
    document.add_paragraph(f"{WORDS[0]} rencontre {WORDS[3]} au port.")
    document.core_properties.author = WORDS[3]
    document.save(word)
    tar = folder / "archive.tar.gz"
    with tarfile.open(tar, "w:gz") as archive:
        data = f"Note: {WORDS[1]} et {WORDS[0]}.\n".encode()
        entry = tarfile.TarInfo(f"{WORDS[2]}.txt")
        entry.size = len(data)
        archive.addfile(entry, io.BytesIO(data))
    return [word, tar]


def test_nothing_of_the_new_features_is_readable_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = private_temp(tmp_path, monkeypatch)
    home = tmp_path / "home"
    for var, sub in [
        ("HOME", ""),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_DATA_HOME", ".local/share"),
    ]:
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(home / sub))
    inputs_dir = tmp_path / "inputs"
    inputs_dir.mkdir()
    inputs = _inputs(inputs_dir)
    vault = tmp_path / "Leak.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create(f"Affaire {WORDS[3]}").id
        ws.people.add(case, f"Jean {WORDS[3]}", protection="protected", pseudonym="Source A")
        for path in inputs:
            ws.documents.import_file(case, path)
        docs = ws.documents.of_case(case)
        assert docs
        hits = ws.search.query(WORDS[0], case=case)
        assert hits and any(hit.parts for hit in hits)
        ws.recent_searches.remember(case, f"{WORDS[4]} {WORDS[3]}")
        mark = ws.redactions.add_term(WORDS[1], case=case)
        ws.redactions.set_reason(mark.id, f"protège {WORDS[2]}")
        before = ws.history.snapshot("document", docs[0].id)
        ws.documents.update(docs[0].id, DocumentEdit(title=f"Titre {WORDS[2]}"))
        ws.history.restore(before)
        for doc in docs:
            if doc.exportable:
                ws.previews.redacted_page(doc.id, 0, 1.0)
        ws.exports.export(ExportRequest(case=case, out=tmp_path / "out" / "bundle.zip"))
    needles = needles_for(WORDS) | hash_needles(inputs)
    assert scan([vault, temp, home], needles) == []
    assert not any(temp.iterdir()), "temporary files were left behind"

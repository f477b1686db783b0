"""`index.html` says states in words a reader understands, not stored values."""

from __future__ import annotations

from pathlib import Path

from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.core.export.test_export_bundle import OFFICIAL, _bundle_texts, build_case


def test_index_html_reads_states_as_words(workspace: Workspace, tmp_path: Path) -> None:
    built = build_case(workspace, tmp_path)
    letter = workspace.letters.of_case(built.case_id)[0]
    workspace.letters.add_reply(
        built.case_id, sender=OFFICIAL, letter=letter.id, answers=["1:partly"],
        received_on="2024-03-05",
    )  # fmt: skip
    out = tmp_path / "b.zip"
    workspace.exports.export(ExportRequest(case=built.case_id, out=out))
    page = _bundle_texts(out)["index.html"]
    assert "state: <b>partly answered</b>" in page
    assert "(partly)" in page and "(unanswered)" in page
    assert "_answered" not in page and "no_reply" not in page and "not_found" not in page

"""`index.html` says states in words a reader understands, not stored values."""

from __future__ import annotations

from pathlib import Path

from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.core.export.test_export_bundle import _bundle_texts, partly_answered


def test_index_html_reads_states_as_words(workspace: Workspace, tmp_path: Path) -> None:
    case = partly_answered(workspace, tmp_path)
    out = tmp_path / "b.zip"
    workspace.exports.export(ExportRequest(case=case, out=out))
    page = _bundle_texts(out)["index.html"]
    assert "state: <b>partly answered</b>" in page
    assert "(partly)" in page and "(unanswered)" in page
    assert "_answered" not in page and "no_reply" not in page and "not_found" not in page

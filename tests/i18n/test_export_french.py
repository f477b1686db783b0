"""An export is written in the exporting user's language: index.html, CSV column names and the
timeline's sentences ("Letter from…", "Reply deadline:…"), states and roles as French words."""

from __future__ import annotations

from pathlib import Path

from dossier import i18n
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.core.export.test_export_bundle import (
    OFFICIAL,
    _bundle_texts,
    build_case,
    partly_answered,
)
from tests.i18n.typography import faults


def test_index_html_csv_and_timeline_in_french(workspace: Workspace, tmp_path: Path) -> None:
    case = partly_answered(workspace, tmp_path)
    i18n.set_language("fr")
    out = tmp_path / "b.zip"
    workspace.exports.export(ExportRequest(case=case, out=out))
    texts = _bundle_texts(out)
    page = texts["index.html"]
    assert '<html lang="fr">' in page
    assert "<h2>Citations</h2>" in page and "<h2>Courriers</h2>" in page
    assert "état\u00a0: <b>réponse partielle</b>" in page
    assert "(en partie)" in page and "(sans réponse)" in page
    assert "Exporté le" in page and "Empreinte de la clé de signature" in page
    for english in ("Quotes", "Letters", "Exported", "state:", "partly answered", "official<"):
        assert english not in page
    assert "<td>officiel</td>" in page
    assert texts["quotes.csv"].lstrip("\ufeff").startswith("id,auteur,dite_le,texte,verdict")
    timeline = texts["timeline.csv"]
    assert f"Courrier de {OFFICIAL}\u00a0:" in timeline
    assert "Échéance de réponse\u00a0:" in timeline
    assert f"Réponse de {OFFICIAL}" in timeline
    assert "Letter from" not in timeline and "Reply" not in timeline


def test_the_timeline_speaks_french_with_french_typography(
    workspace: Workspace, tmp_path: Path
) -> None:
    built = build_case(workspace, tmp_path)
    i18n.set_language("fr")
    items = workspace.timeline.items(built.case_id)
    titles = [i.title for i in items if i.kind in ("letter", "deadline")]
    assert titles and all(t.startswith(("Courrier de ", "Échéance de réponse")) for t in titles)
    for item in items:
        if item.kind in ("letter", "deadline", "reply"):
            assert faults(item.title) == [] and faults(item.detail or "") == []

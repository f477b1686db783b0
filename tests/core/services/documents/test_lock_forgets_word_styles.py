"""Locking forgets what the case's Word files said, their styles included.

The Word reader remembers the styles parts it read, by their SHA-256, for the next files of a
batch: a style's id is the name its author gave it ("Source Quartermaine") and the digest
tells a later file of the same template. Both are the case's content: dropped on lock with the
other decrypted caches, never kept for whoever unlocks next.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE

from dossier.ingest import docx_file
from dossier.services.workspace import Workspace


def test_locking_forgets_the_styles_of_the_word_files_read(
    workspace: Workspace, tmp_path: Path
) -> None:
    document = docx.Document()
    document.styles.add_style("Source Quartermaine", WD_STYLE_TYPE.CHARACTER).font.hidden = True
    paragraph = document.add_paragraph("Le témoin Hyacinthe Quarter")
    paragraph.add_run("zz", style="Source Quartermaine")
    out = io.BytesIO()
    document.save(out)
    case_id = workspace.cases.create("Caméras").id
    workspace.documents.import_bytes(case_id, out.getvalue(), "temoin.docx")
    remembered = [styles for styles in docx_file._STYLES_SEEN.values() if styles]
    assert any("SourceQuartermaine" in styles for styles in remembered), remembered
    workspace.close()
    assert not docx_file._STYLES_SEEN

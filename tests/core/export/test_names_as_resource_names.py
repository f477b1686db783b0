"""A protected name a PDF writer gave to one of a page's resources (a font, a picture, a
graphics state: `/Quartermaine 14 Tf`, `/Hyacinthe_Quartermaine Do`) never leaves unnoticed.

Redaction removes glyphs and the export cleans strings and the names of marked content; a
resource keeps its name in the page's /Resources and in every operator that uses it, and the
self-check read neither: the name crossed the export whole, its self-check passing, for anyone
who opens the file in a text editor. The self-check now reads them: such an export stops, and
rasterized it leaves (a picture has no resources but itself).
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from dossier.services.export.dto import ExportRequest
from dossier.services.export.service import SelfCheckFailed
from dossier.services.workspace import Workspace
from tests.recipient import leaks

NAME = "Hyacinthe Quartermaine"
SECRETS = [NAME, "Quartermaine", "Hyacinthe"]


def _font(doc: Any, page: Any, key: str) -> None:
    page.insert_font(fontname=key, fontbuffer=pymupdf.Font("tiro").buffer)
    page.insert_text((72, 200), "Une phrase dans cette police.", fontname=key, fontsize=14)


RESOURCES: dict[str, tuple[Callable[[Any, Any, str], None], str]] = {
    "a font": (_font, "Quartermaine"),
    "a font, the name's parts joined": (_font, "Hyacinthe_Quartermaine"),
    "a font, the name escaped": (_font, "Hyacinthe#20Quartermaine"),
}


@pytest.mark.parametrize("resource", RESOURCES.values(), ids=RESOURCES.keys())
def test_a_resource_named_after_a_protected_person_does_not_leave_unnoticed(
    workspace: Workspace, tmp_path: Path, resource: tuple[Callable[[Any, Any, str], None], str]
) -> None:
    draw, key = resource
    with pymupdf.open() as doc:
        page = doc.new_page()
        page.insert_text((72, 72), f"Le témoin {NAME} a parlé au juge.", fontname="helv")
        draw(doc, page, key)
        source = doc.tobytes()
    case = workspace.cases.create("Noms").id
    workspace.documents.import_bytes(case, source, "temoin.pdf")
    workspace.people.add(case, NAME, protection="protected")
    out = tmp_path / "bundle.zip"
    try:
        workspace.exports.export(ExportRequest(case=case, out=out))
    except SelfCheckFailed as stopped:
        assert "a resource name" in str(stopped)
        assert not out.exists()
        workspace.exports.export(ExportRequest(case=case, out=out, rasterize_redacted=True))
    assert leaks(out, SECRETS) == []

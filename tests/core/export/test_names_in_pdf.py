"""A name written as a PDF name (`/Quartermaine`) rather than a string is text all the same.

A producer writes its own words into a content stream as names: the tags of marked content
(Word makes a paragraph style a tag, `/Quartermaine_Quote <</MCID 3>> BDC`; a marked point
`/Hyacinthe#20Quartermaine MP`), the values of their property lists, and extra entries of a
picture's or a form's dictionary. Redaction removes glyphs, not these, and the self-check read
strings only: the name crossed the export whole, for anyone who opens the file in a text
editor (`#20` is a space, as a PDF reader decodes it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from dossier.redact.selfcheck import SelfCheckReport, check_pdf, needles_for
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.recipient import leaks

NAME = "Hyacinthe Quartermaine"
SECRETS = [NAME, "Quartermaine", "Hyacinthe"]


def _append_content(doc: Any, page: Any, stream: bytes) -> None:
    xref = doc.get_new_xref()
    doc.update_object(xref, "<<>>")
    doc.update_stream(xref, stream)
    refs = " ".join(f"{c} 0 R" for c in [*page.get_contents(), xref])
    doc.xref_set_key(page.xref, "Contents", f"[{refs}]")


def _picture(doc: Any, page: Any) -> int:
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 20, 20), False)
    pixmap.clear_with(200)
    return int(page.insert_image(pymupdf.Rect(300, 300, 340, 340), pixmap=pixmap))


def _form(doc: Any, page: Any) -> int:
    xref = doc.get_new_xref()
    doc.update_object(xref, "<</Type/XObject/Subtype/Form/BBox[0 0 50 50]>>")
    doc.update_stream(xref, b"0 0 1 rg 0 0 50 50 re f")
    resources = doc.xref_get_key(page.xref, "Resources")
    holder, path = (
        (int(resources[1].split()[0]), "") if resources[0] == "xref" else (page.xref, "Resources/")
    )
    doc.xref_set_key(holder, path + "XObject", f"<</Fm9 {xref} 0 R>>")
    _append_content(doc, page, b"q 1 0 0 1 300 400 cm /Fm9 Do Q")
    return xref


def _marked_point(doc: Any, page: Any) -> None:
    _append_content(doc, page, b"/Quartermaine MP")


def _tag_around_text(doc: Any, page: Any) -> None:
    _append_content(
        doc, page, b"/Hyacinthe#20Quartermaine BMC BT /helv 11 Tf 72 600 Td (Vu) Tj ET EMC"
    )


def _tag_with_properties(doc: Any, page: Any) -> None:
    _append_content(
        doc, page, b"/Quartermaine_Quote <</MCID 0>> BDC BT /helv 11 Tf 72 620 Td (Lu) Tj ET EMC"
    )


def _name_in_properties(doc: Any, page: Any) -> None:
    _append_content(
        doc,
        page,
        b"/Span <</Source /Hyacinthe#20Quartermaine>> BDC BT /helv 11 Tf 72 640 Td (Oui) Tj ET EMC",
    )


def _point_with_properties(doc: Any, page: Any) -> None:
    _append_content(doc, page, b"/Note <</By /Quartermaine>> DP")


def _artifact_edge(doc: Any, page: Any) -> None:
    # A running header's property list is left as it is only when it holds the standard's
    # names: one of the writer's in its place empties it.
    _append_content(
        doc,
        page,
        b"/Artifact <</Type /Pagination /Attached [/Top /Quartermaine]>> BDC"
        b" BT /helv 11 Tf 72 660 Td (Page 1) Tj ET EMC",
    )


def _graphics_state_entry(doc: Any, page: Any) -> None:
    resources = doc.xref_get_key(page.xref, "Resources")
    holder, path = (
        (int(resources[1].split()[0]), "") if resources[0] == "xref" else (page.xref, "Resources/")
    )
    doc.xref_set_key(holder, path + "ExtGState", "<</GS9<</Type/ExtGState/CA 1/By/Quartermaine>>>>")
    _append_content(doc, page, b"q /GS9 gs Q")


def _graphics_state_object(doc: Any, page: Any) -> None:
    xref = doc.get_new_xref()
    doc.update_object(xref, "<</Type/ExtGState/ca 0.5/By/Hyacinthe#20Quartermaine>>")
    resources = doc.xref_get_key(page.xref, "Resources")
    holder, path = (
        (int(resources[1].split()[0]), "") if resources[0] == "xref" else (page.xref, "Resources/")
    )
    doc.xref_set_key(holder, path + "ExtGState", f"<</GS8 {xref} 0 R>>")
    _append_content(doc, page, b"q /GS8 gs 0 0 1 rg 300 500 40 40 re f Q")


def _picture_entry(doc: Any, page: Any) -> None:
    doc.xref_set_key(_picture(doc, page), "Photographer", "/Hyacinthe#20Quartermaine")


def _form_entry(doc: Any, page: Any) -> None:
    doc.xref_set_key(_form(doc, page), "Author", "/Quartermaine")


PLACES: dict[str, Callable[[Any, Any], None]] = {
    "marked point": _marked_point,
    "tag around text": _tag_around_text,
    "tag with properties": _tag_with_properties,
    "name in a property list": _name_in_properties,
    "marked point with properties": _point_with_properties,
    "edge of an artifact": _artifact_edge,
    "entry of a picture": _picture_entry,
    "entry of a graphics state": _graphics_state_entry,
    "graphics state of its own": _graphics_state_object,
    "entry of a form": _form_entry,
}


def _pdf(place: Callable[[Any, Any], None], shown: str = NAME) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), f"Le témoin {shown} a parlé au juge.", fontname="helv")
    page.insert_text((72, 100), "Une ligne ordinaire reste lisible.", fontname="helv")
    place(doc, page)
    return doc.tobytes()


@pytest.mark.parametrize("place", PLACES.values(), ids=PLACES.keys())
def test_a_name_written_as_a_pdf_name_does_not_leave(
    workspace: Workspace, tmp_path: Path, place: Callable[[Any, Any], None]
) -> None:
    case = workspace.cases.create("Noms").id
    workspace.documents.import_bytes(case, _pdf(place), "temoin.pdf")
    workspace.people.add(case, NAME, protection="protected")
    out = tmp_path / "bundle.zip"
    assert workspace.exports.export(ExportRequest(case=case, out=out)).selfcheck.ok
    assert leaks(out, SECRETS) == []


@pytest.mark.parametrize(
    "place", [_marked_point, _tag_around_text, _name_in_properties, _point_with_properties]
)
def test_the_self_check_reads_the_names_of_marked_content(
    place: Callable[[Any, Any], None],
) -> None:
    """Without the export's cleaning (a name it let through), the self-check finds it."""
    needles = needles_for([("a protected person", "Quartermaine")], [])
    report = SelfCheckReport()
    check_pdf("temoin.pdf", _pdf(place, shown="H. Q."), needles, {}, report)
    assert [(f.where.split(" in ")[0], f.what) for f in report.findings] == [
        ("a marked-content name", "a protected person")
    ]

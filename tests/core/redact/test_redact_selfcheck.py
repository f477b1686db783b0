"""The self-check finds a marked term wherever a PDF can hold it, and never prints the term."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pymupdf
import pytest

from dossier.redact.selfcheck import SelfCheckReport, check_pdf, check_text_file, needles_for

SECRET = "Quintessaflux"
NEEDLES = needles_for([("a redacted term (mark abc)", SECRET)], [("a redacted email", "email")])


def _check(
    data: bytes, boxes: dict[int, list[tuple[float, float, float, float]]] | None = None
) -> SelfCheckReport:
    report = SelfCheckReport()
    check_pdf("documents/01.pdf", data, NEEDLES, boxes or {}, report)
    return report


def _pdf(change: Callable[[Any, Any], None]) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Un texte ordinaire, sans rien de caché.")
    change(doc, page)
    data: bytes = doc.tobytes(garbage=3)
    doc.close()
    return data


def _metadata(doc: Any, page: Any) -> None:
    doc.set_metadata({"author": SECRET})


def _xmp(doc: Any, page: Any) -> None:
    doc.set_xml_metadata(f"<x:xmpmeta xmlns:x='adobe:ns:meta/'>{SECRET}</x:xmpmeta>")


def _annotation(doc: Any, page: Any) -> None:
    page.add_text_annot((300, 300), f"voir {SECRET}")


def _form(doc: Any, page: Any) -> None:
    widget = pymupdf.Widget()
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    widget.field_name = "nom"
    widget.field_value = SECRET
    widget.rect = pymupdf.Rect(72, 300, 300, 320)
    page.add_widget(widget)


def _attachment(doc: Any, page: Any) -> None:
    doc.embfile_add(f"{SECRET}.txt", b"x", filename=f"{SECRET}.txt")


def _outline(doc: Any, page: Any) -> None:
    doc.set_toc([[1, f"Chapitre {SECRET}", 1]])


def _actual_text(doc: Any, page: Any) -> None:
    xref = doc.get_new_xref()
    doc.update_object(xref, f"<</ActualText <FEFF{SECRET.encode('utf-16-be').hex()}>>>")
    doc.xref_set_key(doc.pdf_catalog(), "Dossier", f"{xref} 0 R")


def _page_text(doc: Any, page: Any) -> None:
    page.insert_text((72, 200), f"Le nom {SECRET.upper()} est écrit ici.")


def _off_page(doc: Any, page: Any) -> None:
    page.insert_text((72, -30), SECRET)


def _email(doc: Any, page: Any) -> None:
    page.insert_text((72, 200), "écrire à quelqu.un@")
    page.insert_text((72, 214), "exemple.org demain")


@pytest.mark.parametrize(
    ("plant", "where"),
    [
        (_metadata, "document info"),
        (_xmp, "XMP"),
        (_annotation, "annotation"),
        (_form, "form field"),
        (_attachment, "attachment"),
        (_outline, "outline"),
        (_actual_text, "object"),
        (_page_text, "text of page 1"),
        (_off_page, "text of page 1"),
        (_email, "text of page 1"),
    ],
)
def test_a_planted_leak_is_found_and_located(plant: Callable[[Any, Any], None], where: str) -> None:
    report = _check(_pdf(plant))
    assert not report.ok
    assert any(where in f.where or where in f.what for f in report.findings), report.findings
    assert SECRET.casefold() not in report.summary().casefold()


def test_a_clean_pdf_passes() -> None:
    report = _check(_pdf(lambda doc, page: None))
    assert report.ok and report.pages == 1


def test_text_left_under_a_box_is_found() -> None:
    # A black rectangle drawn over text hides nothing: the text is still in the page.
    def cover(doc: Any, page: Any) -> None:
        page.insert_text((72, 200), "Caché dessous")
        page.draw_rect(pymupdf.Rect(70, 185, 200, 205), color=(0, 0, 0), fill=(0, 0, 0))

    report = _check(_pdf(cover), {0: [(70, 185, 200, 205)]})
    assert any("under a redaction box" in f.what for f in report.findings)


def test_text_files_are_checked_too() -> None:
    findings = check_text_file("quotes.csv", f'id,text\n1,"{SECRET} a dit"\n', NEEDLES)
    assert [f.what for f in findings] == ["a redacted term (mark abc)"]
    assert check_text_file("quotes.csv", "id,text\n1,rien\n", NEEDLES) == []

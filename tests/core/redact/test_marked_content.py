"""Attacks on the texts a PDF carries besides its glyphs: a protected name in an /ActualText,
an /Alt, an abbreviation's /E, a property list, the structure tree, a form, a hidden layer and
its name, the outline, a named destination, page labels, a link, a form field, a note, an
attachment, XMP (the catalog's and one hung on a graphics state), JavaScript.

Each PDF is written here with PyMuPDF, its content streams by hand, and exported the way the
export does (vector and rasterized); the recipient's hunt (`tests.recipient`) must find the
name before and nothing after, while the self-check stays strict and passes the copy.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from dossier.pdf.extract import extract_pdf
from dossier.redact.marked import content_without_texts, strip_marked_texts
from dossier.redact.marks import Rules, TermRule
from dossier.redact.produce import redacted_copy
from dossier.redact.selfcheck import SelfCheckReport, check_pdf, needles_for
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.recipient import leaks, pdf_leaks

FIRST, LAST = "Hyacinthe", "Quartermaine"
NAME = f"{FIRST} {LAST}"
KEPT = "Une ligne ordinaire reste lisible."


def _utf16(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _literal(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _shown(text: str) -> str:
    """A string operand drawing `text` in the page's Helvetica (WinAnsi)."""
    return "<" + text.encode("cp1252").hex() + ">"


def _line(y: int, text: str) -> str:
    return f"BT /helv 11 Tf 72 {y} Td {_shown(text)} Tj ET"


class Page:
    """One page whose content stream is written by hand: Helvetica as /helv."""

    def __init__(self) -> None:
        self.doc = pymupdf.open()
        self.page = self.doc.new_page()
        self.page.insert_text((72, 60), " ", fontname="helv")
        self.font = self.page.get_fonts()[0][0]
        self.content = [_line(760, KEPT)]

    def resources(self, key: str, value: str) -> None:
        kind, ref = self.doc.xref_get_key(self.page.xref, "Resources")
        if kind == "xref":
            self.doc.xref_set_key(int(ref.split()[0]), key, value)
        else:
            self.doc.xref_set_key(self.page.xref, f"Resources/{key}", value)

    def obj(self, source: str, stream: str | None = None) -> int:
        xref = self.doc.get_new_xref()
        self.doc.update_object(xref, source)
        if stream is not None:
            self.doc.update_stream(xref, stream.encode("latin-1"))
        return xref

    def save(self, path: Path) -> Path:
        contents = self.page.get_contents()[0]
        self.doc.update_stream(contents, "\n".join(self.content).encode("latin-1"))
        self.doc.save(path, garbage=1)
        self.doc.close()
        return path


def _actual_text_over_the_name(p: Page) -> None:
    p.content.append(f"/Span <</ActualText {_utf16(NAME)}>> BDC {_line(700, NAME)} EMC")


def _actual_text_over_initials(p: Page) -> None:
    # The name is never drawn: the glyphs say "H. Q.", a reader copies the name.
    p.content.append(f"/Span <</ActualText {_utf16(NAME)}>> BDC {_line(700, 'H. Q.')} EMC")


def _glyphs_behind_another_actual_text(p: Page) -> None:
    # The name is drawn, but import read "le témoin" instead: no box was ever planned on it.
    p.content.append(
        f"/Span <</ActualText {_utf16('le témoin')}>> BDC {_line(700, 'Témoin ' + NAME)} EMC"
    )


def _alt_and_expansion(p: Page) -> None:
    props = f"/Alt {_literal(NAME)} /E {_literal(NAME)}"
    p.content.append(f"/Span <<{props}>> BDC {_line(700, 'Le témoin H. Q. a signé.')} EMC")


def _property_list(p: Page) -> None:
    p.resources("Properties", f"<</MC0 <</ActualText {_literal(NAME)}>>>>")
    said = "Le témoin a signé sa déposition devant le juge."  # more than the name's boxes
    p.content.append(f"/Span /MC0 BDC {_line(700, said)} EMC")


def _structure_tree(p: Page) -> None:
    root, elem, parents = p.doc.get_new_xref(), p.doc.get_new_xref(), p.doc.get_new_xref()
    texts = f"/Alt {_literal(NAME)} /ActualText {_utf16(NAME)} /T {_literal(NAME)}"
    p.doc.update_object(
        elem, f"<</Type/StructElem/S/P/P {root} 0 R/Pg {p.page.xref} 0 R/K 0 {texts}>>"
    )
    p.doc.update_object(parents, f"<</Nums[0[{elem} 0 R]]>>")
    p.doc.update_object(root, f"<</Type/StructTreeRoot/K[{elem} 0 R]/ParentTree {parents} 0 R>>")
    p.doc.xref_set_key(p.doc.pdf_catalog(), "StructTreeRoot", f"{root} 0 R")
    p.doc.xref_set_key(p.doc.pdf_catalog(), "MarkInfo", "<</Marked true>>")
    p.doc.xref_set_key(p.page.xref, "StructParents", "0")
    p.content.append(f"/P <</MCID 0>> BDC {_line(700, 'Une phrase sans nom.')} EMC")


def _form(p: Page) -> None:
    inner = f"/Span <</ActualText {_utf16('un formulaire')}>> BDC {_line(500, NAME)} EMC"
    form = p.obj(
        "<</Type/XObject/Subtype/Form/BBox[0 0 595 842]"
        f"/Resources<</Font<</helv {p.font} 0 R>>>>>>",
        inner,
    )
    p.resources("XObject", f"<</Fm1 {form} 0 R>>")
    p.content.append("q /Fm1 Do Q")


def _hidden_layer(p: Page) -> None:
    layer = p.doc.add_ocg(f"Notes sur {NAME}", on=False)
    p.resources("Properties", f"<</oc1 {layer} 0 R>>")
    p.content.append(f"/OC /oc1 BDC {_line(650, 'Calque : ' + NAME)} EMC")


def _comments(p: Page) -> None:
    form = p.obj("<</Type/XObject/Subtype/Form/BBox[0 0 595 842]>>", f"% {NAME}\n0 0 1 1 re f")
    p.resources("XObject", f"<</Fm2 {form} 0 R>>")
    p.content.append(f"% {NAME}\nq /Fm2 Do Q")


def _outline(p: Page) -> None:
    p.doc.set_toc([[1, f"Chapitre {NAME}", 1]])


def _named_destination(p: Page) -> None:
    name = LAST
    p.doc.xref_set_key(p.doc.pdf_catalog(), "Dests", f"<</{name} [{p.page.xref} 0 R /Fit]>>")


def _page_labels(p: Page) -> None:
    p.doc.set_page_labels([{"startpage": 0, "prefix": f"{LAST}-", "style": "D"}])


def _link(p: Page) -> None:
    uri = f"mailto:{FIRST}.{LAST}@exemple.org".lower()
    p.page.insert_link(
        {"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, 60, 200, 90), "uri": uri}
    )


def _form_field(p: Page) -> None:
    widget = pymupdf.Widget()
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    widget.field_name = "temoin"
    widget.field_value = NAME
    widget.rect = pymupdf.Rect(72, 300, 300, 320)
    p.page.add_widget(widget)


def _note(p: Page) -> None:
    p.page.add_text_annot((400, 400), f"Appeler {NAME}")


def _attachment(p: Page) -> None:
    p.doc.embfile_add(LAST, f"Fiche de {NAME}".encode(), filename=f"{LAST}.txt")


def _xmp(p: Page) -> None:
    p.doc.set_xml_metadata(f"<x:xmpmeta xmlns:x='adobe:ns:meta/'>{NAME}</x:xmpmeta>")


def _xmp_on_a_graphics_state(p: Page) -> None:
    xmp = f"<x:xmpmeta xmlns:x='adobe:ns:meta/'><d>{NAME}</d></x:xmpmeta>"
    meta = p.obj("<</Type/Metadata/Subtype/XML>>", xmp)
    state = p.obj(f"<</Type/ExtGState/CA 1/Metadata {meta} 0 R>>")
    p.resources("ExtGState", f"<</GS0 {state} 0 R>>")
    p.content.append("/GS0 gs")


def _javascript(p: Page) -> None:
    script = p.obj(f"<</S/JavaScript/JS({NAME})>>")
    p.doc.xref_set_key(p.doc.pdf_catalog(), "OpenAction", f"{script} 0 R")


CONSTRUCTS: list[Callable[[Page], None]] = [
    _actual_text_over_the_name,
    _actual_text_over_initials,
    _glyphs_behind_another_actual_text,
    _alt_and_expansion,
    _property_list,
    _structure_tree,
    _form,
    _hidden_layer,
    _comments,
    _outline,
    _named_destination,
    _page_labels,
    _link,
    _form_field,
    _note,
    _attachment,
    _xmp,
    _xmp_on_a_graphics_state,
    _javascript,
]


def _carrying(tmp_path: Path, plant: Callable[[Page], None]) -> Path:
    page = Page()
    plant(page)
    return page.save(tmp_path / f"{plant.__name__.strip('_')}.pdf")


def _rules() -> Rules:
    terms = [TermRule(f"p{i}", "person", t, glued=" " not in t) for i, t in enumerate([NAME, LAST])]
    return Rules(terms=tuple(terms))


def _strict_check(data: bytes, boxes: dict[int, list[Any]]) -> SelfCheckReport:
    report = SelfCheckReport()
    needles = needles_for([("protected person", NAME), ("protected person", LAST)], [])
    check_pdf("out.pdf", data, needles, boxes, report)
    return report


@pytest.mark.parametrize("rasterize", [False, True], ids=["vector", "rasterized"])
@pytest.mark.parametrize("plant", CONSTRUCTS, ids=lambda f: f.__name__.strip("_"))
def test_a_name_carried_beside_the_glyphs_leaves_with_no_export(
    tmp_path: Path, plant: Callable[[Page], None], rasterize: bool
) -> None:
    source = _carrying(tmp_path, plant)
    data = source.read_bytes()
    assert pdf_leaks(data, [LAST]), "the attack does not carry the name: it proves nothing"
    pages = extract_pdf(source, ocr=False).pages
    copy = redacted_copy(data, pages, _rules(), name=source.name, rasterize=rasterize)
    assert pdf_leaks(copy.data, [NAME, LAST]) == []
    report = _strict_check(copy.data, {i: plan.rects for i, plan in copy.plans.items()})
    assert report.ok, report.summary()
    with pymupdf.open(stream=copy.data, filetype="pdf") as doc:
        assert KEPT in doc[0].get_text()


@pytest.mark.parametrize(
    "plant",
    [_glyphs_behind_another_actual_text, _alt_and_expansion, _xmp_on_a_graphics_state],
    ids=lambda f: f.__name__.strip("_"),
)
def test_the_self_check_finds_them_when_the_export_leaves_them(
    tmp_path: Path, plant: Callable[[Page], None]
) -> None:
    report = _strict_check(_carrying(tmp_path, plant).read_bytes(), {})
    assert not report.ok
    assert LAST.casefold() not in report.summary().casefold()


def test_a_bundle_of_such_a_pdf_leaks_nothing_either_way(
    workspace: Workspace, tmp_path: Path
) -> None:
    page = Page()
    for plant in CONSTRUCTS:
        plant(page)
    source = page.save(tmp_path / "temoignage.pdf")
    case = workspace.cases.create("Marques").id
    workspace.documents.import_file(case, source, title="Témoignage")
    workspace.people.add(case, NAME, protection="protected")
    for rasterize in (False, True):
        out = tmp_path / f"bundle-{rasterize}.zip"
        request = ExportRequest(case=case, out=out, rasterize_redacted=rasterize)
        result = workspace.exports.export(request)
        assert result.selfcheck.ok
        assert leaks(out, [NAME, FIRST, LAST]) == []


def test_only_the_marking_goes_from_a_content_stream() -> None:
    image = b"BI /W 4 /H 1 /CS /G /BPC 8 ID \x00BDC<</Alt(x)>>\xff EI"
    stream = (
        b"q " + image + b" Q\n"
        b"/Span <</Actual#54ext (Quartermaine) /Lang (fr) /Inner <</Alt <FEFF0051>>>>> BDC\n"
        b"BT (un \\) BDC <</E (x)>> texte) Tj ET EMC % /E (comment) BDC\n"
        b"/P <</E (Hyacinthe) /MCID 3>> DP /Tag /MC0 BDC [(/Alt) 3] TJ EMC\n"
        b"/P <</MCID 4>> BDC /OC /MC1 BDC /OC <</Alt (Hyacinthe) /Lang (fr)>> BDC EMC EMC EMC"
    )
    cleaned = content_without_texts(stream)
    assert image in cleaned  # an inline picture's bytes, untouched
    # A tag not of the standard's vocabulary is /Span, a property list empty but a layer's
    # (its texts gone) and one numbering its content alone.
    assert b"/Span <<>> BDC\n" in cleaned and b"/P <<>> DP /Span <<>> BDC [" in cleaned
    assert b"/P <</MCID 4>> BDC /OC /MC1 BDC /OC <<" in cleaned and b"/Lang (fr)>> BDC" in cleaned
    assert b"(un \\) BDC <</E (x)>> texte) Tj" in cleaned  # a string shown, not a property
    assert b"[(/Alt) 3] TJ" in cleaned
    assert b"Quartermaine" not in cleaned and b"FEFF0051" not in cleaned
    assert b"Hyacinthe" not in cleaned
    assert content_without_texts(b"BT (rien) Tj ET") == b"BT (rien) Tj ET"


def test_a_glyph_named_like_a_text_key_is_left_alone() -> None:
    # A Type 3 font may name its glyphs /E or /Alt: only property lists lose those keys.
    p = Page()
    glyph = p.obj("<<>>", "0 0 d0 0 0 1 1 re f")
    procs = p.obj(f"<</E {glyph} 0 R /Alt {glyph} 0 R>>")
    listed = p.obj(f"<</Alt {_literal(NAME)} /MCID 1>>")
    p.resources("Properties", f"<</MC1 {listed} 0 R /MC2 <</E {_literal(NAME)} /MCID 2>>>>")
    strip_marked_texts(p.doc)
    assert [p.doc.xref_get_key(procs, k)[0] for k in ("E", "Alt")] == ["xref", "xref"]
    assert list(p.doc.xref_get_keys(listed)) == ["MCID"]
    kind, ref = p.doc.xref_get_key(p.page.xref, "Resources")
    where = (
        (int(ref.split()[0]), "Properties")
        if kind == "xref"
        else (p.page.xref, "Resources/Properties")
    )
    assert LAST not in p.doc.xref_get_key(*where)[1]
    assert "/MCID 2" in p.doc.xref_get_key(*where)[1]


@pytest.mark.parametrize("indirect", [False, True], ids=["direct", "indirect"])
def test_the_self_check_reads_a_type_3_fonts_glyphs_wherever_their_list_stands(
    tmp_path: Path, indirect: bool
) -> None:
    # A glyph is drawn like a page: a text it carries is read; its list may be an object.
    p = Page()
    marked = f"/Span <</ActualText {_literal(NAME)}>> BDC 0 0 1 1 re f EMC"
    glyph = p.obj("<<>>", f"1000 0 d0 {marked}")
    procs = f"<</g {glyph} 0 R>>"
    if indirect:
        procs = f"{p.obj(procs)} 0 R"
    font = p.obj(
        f"<</Type/Font/Subtype/Type3/FontBBox[0 0 1 1]/FontMatrix[0.001 0 0 0.001 0 0]"
        f"/CharProcs {procs}/Encoding<</Type/Encoding/Differences[65/g]>>"
        f"/FirstChar 65/LastChar 65/Widths[1000]>>"
    )
    p.resources("Font", f"<</T3 {font} 0 R>>")
    p.content.append("BT /T3 12 Tf 72 500 Td (A) Tj ET")
    source = p.save(tmp_path / "type3.pdf")
    report = _strict_check(source.read_bytes(), {})
    assert "protected person" in {f.what for f in report.findings}, report.summary()
    pages = extract_pdf(source, ocr=False).pages
    copy = redacted_copy(source.read_bytes(), pages, _rules(), name=source.name)
    assert _strict_check(copy.data, {i: plan.rects for i, plan in copy.plans.items()}).ok

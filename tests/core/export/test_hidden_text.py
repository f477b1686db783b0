"""A name an RTF, Word or OpenDocument file splits with hidden text (`\\v`, `w:vanish`,
`text:display="none"`) is the name its reader sees.

Word shows "Quartermaine" for `Quarter{\\v zz}maine`, or for the runs "Quarter", "zz" hidden,
"maine" of a .docx: the hidden letters are in the file, not on the screen. Read as one run of
characters, the name was "Quarterzzmaine", which no mark found, and the export let it out whole
in the reader's eyes. Hidden text holding the name (`{\\v Hyacinthe Quartermaine}`) is in the
file too: the export must hide the name in both, in the PDF and in the texts Dossier writes
(titles, quotes).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from dossier.ingest.docx_file import extract_docx
from dossier.ingest.odt_file import extract_odt
from dossier.ingest.rtf_file import extract_rtf
from dossier.services.export.service import ExportRequest
from dossier.services.workspace import Workspace
from dossier.text.readings import readings
from tests.recipient import leaks, read_bundle

NAME = "Hyacinthe Quartermaine"
_SPLIT_NAME = re.compile(r"quar\w*maine|quar\w*( \w+){1,2} \w*maine")
"""The name to any eye, read as the file's raw characters: "Quarterzzmaine", and the name
around a mark ("quarter comment 1 maine" as the bundle's reader folds it)."""

SPLIT = {
    "group": r"Hyacinthe Quarter{\v zz}maine",
    "switch": r"Hyacinthe Quar\v xy\v0 termaine",
    "escaped": r"Hyacinthe Quarter{\v\'e9\u233?}maine",
    "across a run": r"Hyacinthe {\b Quar{\v t}}termaine",
    "hidden whole": r"{\v Hyacinthe Quartermaine}",
    # A tracked deletion: Word's final view shows the name whole, as for Word files (w:del).
    "deleted": r"Hyacinthe Quarter{\deleted zz}maine",
    "deleted, then shown": r"Hyacinthe Quar\deleted xy\deleted0 termaine",
    # The file's own mark strings, in hidden or shown text, written as text or escaped.
    "hidden text closing a mark": r"Hyacinthe Quarter{\v x-]yy}maine",
    "closing mark escaped": r"Hyacinthe Quarter{\v x-\'5dyy}maine",
    "closing mark as unicode": r"Hyacinthe Quarter{\v x\u45?\u93?yy}maine",
    "shown mark before the name": r"[- Hyacinthe Quarter{\v zz}maine",
    "shown insertion mark": r"{+ Hyacinthe Quarter{\v zz}maine",
    # striprtf reads \'hh as UTF-8 after this code page: they spell any character.
    "hidden text's end spelled in UTF-8": r"\ansicpg65001 Hyacinthe Quarter{\v x\'f4\'8f\'bf"
    r"\'bfyy}maine",
    "hidden text's end after a Unicode escape": r"Hyacinthe Quarter{\v zz\u97}maine",
}


def _rtf(body: str) -> bytes:
    return (
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times New Roman;}}"
        r"\pard Le t\'e9moin " + body + r" a parl\'e9 au juge.\par"
        r"\pard Une ligne ordinaire reste lisible.\par}"
    ).encode("latin-1")


def exported(ways: dict[str, Any], every_run: set[str]) -> list[Any]:
    """A campaign of ways to split a name, each read in every run (the export finds the name
    in the readings a test checks), exported in the slow sweep (`make check`, CI) but for
    `every_run`: an export, its self-check and the recipient's reading cost 0.15-0.25 CPU-s."""
    assert every_run <= ways.keys()
    return [
        pytest.param(
            *(way if isinstance(way, tuple) else (way,)),
            id=name,
            marks=[] if name in every_run else [pytest.mark.slow],
        )
        for name, way in ways.items()
    ]


def _reads_whole(text: str) -> None:
    """Some way of reading the text (shown, or with its hidden letters) holds the name whole:
    where the export looks for it."""
    assert any("Quartermaine" in seen for seen in [text, *(r.text for r in readings(text))])
    assert "Une ligne ordinaire reste lisible." in text


@pytest.mark.parametrize("body", SPLIT.values(), ids=SPLIT.keys())
def test_a_name_split_by_hidden_text_reads_whole(body: str) -> None:
    _reads_whole(extract_rtf(_rtf(body), "t.rtf").text)


@pytest.mark.parametrize(
    "body", exported(SPLIT, {"group", "closing mark escaped", "hidden text's end spelled in UTF-8"})
)
def test_a_name_split_by_hidden_text_is_hidden_in_the_bundle(
    workspace: Workspace, tmp_path: Path, body: str
) -> None:
    _exports_without_the_name(workspace, tmp_path, _rtf(body), "temoin.rtf")


def _exports_without_the_name(
    workspace: Workspace, tmp_path: Path, data: bytes, filename: str
) -> None:
    case = workspace.cases.create("Caché").id
    doc = workspace.documents.import_bytes(case, data, filename)
    workspace.people.add(case, NAME, protection="protected")
    workspace.quotes.add(case, "Le témoin", source=doc.id)
    out = tmp_path / "bundle.zip"
    assert workspace.exports.export(ExportRequest(case=case, out=out)).selfcheck.ok
    assert leaks(out, [NAME, "Quartermaine", "Hyacinthe"]) == []
    texts = read_bundle(out)
    # Read as the file's raw characters too: "Quarterzzmaine" is the name to any eye.
    assert [name for name, text in texts.items() if _SPLIT_NAME.search(text)] == []
    assert "une ligne ordinaire reste lisible" in " ".join(texts.values())


def test_the_reader_sees_the_name_whole_and_the_hidden_letters_stay_in_the_text() -> None:
    text = extract_rtf(_rtf(SPLIT["group"]), "t.rtf").pages[0].text
    assert "Quarter" in text and "zz" in text and "maine" in text
    assert "Quartermaine" in [r.text[20:32] for r in readings(text)]
    assert "Quarterzzmaine" not in text  # not one word the marks cannot see through


def _word(runs: list[tuple[str, bool]]) -> bytes:
    """A .docx of one paragraph of runs, each hidden or not."""
    document = docx.Document()
    paragraph = document.add_paragraph()
    for text, hidden in runs:
        paragraph.add_run(text).font.hidden = hidden
    paragraph = document.add_paragraph("Une ligne ordinaire reste lisible.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


WORD = {
    "split": [("Le témoin Hyacinthe Quarter", False), ("zz", True), ("maine a parlé.", False)],
    "hidden whole": [("Le témoin ", False), (NAME, True), (" a parlé.", False)],
}


@pytest.mark.parametrize("runs", WORD.values(), ids=WORD.keys())
def test_a_name_split_by_hidden_text_in_a_word_file_is_hidden_too(
    workspace: Workspace, tmp_path: Path, runs: list[tuple[str, bool]]
) -> None:
    _exports_without_the_name(workspace, tmp_path, _word(runs), "temoin.docx")


def _word_styled(hidden: str, based_on: str | None = None) -> bytes:
    """A .docx whose letters "zz" inside the name are hidden by their character style (Word's
    Font > Hidden saved in a style, maybe the style it is based on), not by the run itself."""
    document = docx.Document()
    style = document.styles.add_style(hidden, WD_STYLE_TYPE.CHARACTER)
    if based_on is None:
        style.font.hidden = True
    else:
        style.base_style = document.styles.add_style(based_on, WD_STYLE_TYPE.CHARACTER)
        style.base_style.font.hidden = True
    paragraph = document.add_paragraph()
    paragraph.add_run("Le témoin Hyacinthe Quarter")
    paragraph.add_run("zz", style=hidden)
    paragraph.add_run("maine a parlé.")
    document.add_paragraph("Une ligne ordinaire reste lisible.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("based_on", [None, "Masque"], ids=["style", "based on"])
def test_a_name_split_by_text_a_word_style_hides_is_hidden_too(
    workspace: Workspace, tmp_path: Path, based_on: str | None
) -> None:
    _exports_without_the_name(workspace, tmp_path, _word_styled("Cache", based_on), "t.docx")


def _word_hidden_by_paragraph(where: str) -> bytes:
    """A .docx whose letters "zz" inside the name are hidden by what their paragraph's text
    has by default (its style, the default paragraph style or the document's defaults), the
    name's other runs shown by their own setting."""
    document = docx.Document()
    style = None
    if where == "paragraph style":
        style = document.styles.add_style("Voilee", WD_STYLE_TYPE.PARAGRAPH)
        style.font.hidden = True
    elif where == "default paragraph style":
        document.styles["Normal"].font.hidden = True
    else:
        defaults = document.styles.element.find(qn("w:docDefaults"))
        assert defaults is not None
        run_defaults = defaults.find(qn("w:rPrDefault"))
        assert run_defaults is not None
        run_defaults.find(qn("w:rPr")).append(OxmlElement("w:vanish"))
    paragraph = document.add_paragraph(style=style)
    paragraph.add_run("Le témoin Hyacinthe Quarter").font.hidden = False
    paragraph.add_run("zz")
    paragraph.add_run("maine a parlé.").font.hidden = False
    document.add_paragraph().add_run("Une ligne ordinaire reste lisible.").font.hidden = False
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PARAGRAPH_DEFAULTS = ["paragraph style", "default paragraph style", "document defaults"]


@pytest.mark.parametrize("where", PARAGRAPH_DEFAULTS)
def test_a_name_split_by_text_its_paragraph_hides_is_hidden_too(
    workspace: Workspace, tmp_path: Path, where: str
) -> None:
    data = _word_hidden_by_paragraph(where)
    _exports_without_the_name(workspace, tmp_path, data, "t.docx")


@pytest.mark.parametrize("where", PARAGRAPH_DEFAULTS)
def test_the_reader_sees_the_letters_a_paragraph_hides_as_hidden(where: str) -> None:
    text = extract_docx(_word_hidden_by_paragraph(where), "t.docx").pages[0].text
    assert "Quarterzzmaine" not in text
    assert "Quartermaine" in [r.text[r.text.find("Quar") :][:12] for r in readings(text)]
    assert "Une ligne ordinaire reste lisible." in text


ODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content
  xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
 <office:automatic-styles>
  <style:style style:name="T1" style:family="text">
   <style:text-properties text:display="none"/></style:style>
 </office:automatic-styles>
 <office:body><office:text>
  <text:p>Le témoin {body} a parlé.</text:p>
  <text:p>Une ligne ordinaire reste lisible.</text:p>
 </office:text></office:body>
</office:document-content>
"""
OPEN_DOCUMENT = {
    "span": 'Hyacinthe Quarter<text:span text:style-name="T1">zz</text:span>maine',
    "field": 'Hyacinthe Quar<text:hidden-text text:condition="ooow:1" text:string-value="x"'
    ' text:is-hidden="true">xy</text:hidden-text>termaine',
    # Marks the reader sees beside the name, not in it: a comment's in the margin, a note's
    # citation raised, a ruby's annotation above the letters.
    "comment": "Hyacinthe Quarter<office:annotation><text:p>zz</text:p></office:annotation>maine",
    "footnote": 'Hyacinthe Quarter<text:note text:note-class="footnote"><text:note-citation>1'
    "</text:note-citation><text:note-body><text:p>zz</text:p></text:note-body></text:note>maine",
    "ruby": "Hyacinthe Quar<text:ruby><text:ruby-base>ter</text:ruby-base>"
    "<text:ruby-text>zz</text:ruby-text></text:ruby>maine",
    # The file's own mark strings, hidden or shown.
    "hidden text closing a mark": 'Hyacinthe Quarter<text:span text:style-name="T1">x-]yy'
    "</text:span>maine",
    "field closing a mark": 'Hyacinthe Quar<text:hidden-text text:condition="ooow:1"'
    ' text:string-value="x" text:is-hidden="true">x-]y</text:hidden-text>termaine',
    "shown mark before the name": '[- Hyacinthe Quarter<text:span text:style-name="T1">zz'
    "</text:span>maine",
    # A mark string split across two of the file's elements, in hidden text or shown.
    "hidden text closing a mark across elements": "Hyacinthe Quarter"
    '<text:span text:style-name="T1">x-<text:span>]yy</text:span></text:span>maine',
    "shown mark across elements": "[<text:span>-</text:span> Hyacinthe Quarter<text:span"
    ' text:style-name="T1">zz</text:span>maine',
}


def _odt(body: str) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", ODT.format(body=body), zipfile.ZIP_DEFLATED)
    return data.getvalue()


@pytest.mark.parametrize("body", OPEN_DOCUMENT.values(), ids=OPEN_DOCUMENT.keys())
def test_a_name_split_by_hidden_text_in_an_opendocument_file_reads_whole(body: str) -> None:
    _reads_whole(extract_odt(_odt(body), "t.odt").text)


@pytest.mark.parametrize(
    "body",
    exported(OPEN_DOCUMENT, {"span", "comment", "hidden text closing a mark across elements"}),
)
def test_a_name_split_by_hidden_text_in_an_opendocument_file_is_hidden_too(
    workspace: Workspace, tmp_path: Path, body: str
) -> None:
    _exports_without_the_name(workspace, tmp_path, _odt(body), "temoin.odt")


STYLES = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles
  xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
 <office:styles>
  <style:style style:name="Cache" style:family="text">
   <style:text-properties text:display="none"/></style:style>
 </office:styles>
</office:document-styles>
"""
INHERITED = ODT.replace(
    '"T1" style:family="text">\n   <style:text-properties text:display="none"/>',
    '"T1" style:family="text" style:parent-style-name="Cache">\n'
    '   <style:text-properties style:text-underline-style="solid"/>',
)
"""The hidden letters' style adds an underline to a parent style that hides them."""
assert INHERITED != ODT


def test_a_name_split_by_text_an_inherited_opendocument_style_hides_is_hidden_too(
    workspace: Workspace, tmp_path: Path
) -> None:
    """LibreOffice writes what it adds to hidden letters (an underline, bold) as an automatic
    style whose parent is the character style that hides them: only the style's own
    properties were read."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        content = INHERITED.format(body=OPEN_DOCUMENT["span"])
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", STYLES, zipfile.ZIP_DEFLATED)
    _exports_without_the_name(workspace, tmp_path, data.getvalue(), "temoin.odt")


_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:x="urn:x-unknown:extension"'
)


def _run(text: str, props: str = "") -> str:
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def _split(middle: str, shown: str = "") -> str:
    """The witness's sentence, the name's middle letters written by `middle`; with `shown`,
    the run properties of the name's other letters."""
    return _run("Le témoin Hyacinthe Quarter", shown) + middle + _run("maine a parlé.", shown)


_SHOWN = '<w:vanish w:val="0"/>'
_FIELD = (
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>{code}'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
)
_HIDING = "<w:rPr><w:vanish/></w:rPr>"


def _nested_fields(code: str, depth: int) -> str:
    for _ in range(depth):
        code = _FIELD.format(code=code)
    return code


WORD_HIDES = {
    # A style without a type is a paragraph style to Word.
    "style without a type": (
        f'<w:p><w:pPr><w:pStyle w:val="Voile"/><w:rPr>{_SHOWN}</w:rPr></w:pPr>'
        f"{_split(_run('zz'), _SHOWN)}</w:p>",
        f'<w:style w:styleId="Voile"><w:name w:val="Voile"/>{_HIDING}</w:style>',
    ),
    # A style with no id (nothing can name it) took the default paragraph style's place.
    "style without an id": (
        f"<w:p><w:pPr><w:rPr>{_SHOWN}</w:rPr></w:pPr>{_split(_run('zz'), _SHOWN)}</w:p>",
        f'<w:style w:type="paragraph" w:default="1" w:styleId="Voile"><w:name w:val="V"/>'
        f'{_HIDING}</w:style><w:style w:type="paragraph"><w:name w:val="Sans"/>'
        f"<w:rPr>{_SHOWN}</w:rPr></w:style>",
    ),
    "table style": (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableVoile"/></w:tblPr><w:tr><w:tc>'
        f"<w:p><w:pPr><w:rPr>{_SHOWN}</w:rPr></w:pPr>{_split(_run('zz'), _SHOWN)}</w:p>"
        "</w:tc></w:tr></w:tbl>",
        f'<w:style w:type="table" w:styleId="TableVoile"><w:name w:val="T"/>{_HIDING}</w:style>',
    ),
    "default table style, its first row": (
        "<w:tbl><w:tblPr/><w:tr><w:tc>"
        f"<w:p><w:pPr><w:rPr>{_SHOWN}</w:rPr></w:pPr>{_split(_run('zz'), _SHOWN)}</w:p>"
        "</w:tc></w:tr></w:tbl>",
        '<w:style w:type="table" w:default="1" w:styleId="TableVoile"><w:name w:val="T"/>'
        f'<w:tblStylePr w:type="firstRow">{_HIDING}</w:tblStylePr></w:style>',
    ),
    "field code written as text": (f"<w:p>{_split(_FIELD.format(code=_run('zz')))}</w:p>", ""),
    "field code of a field in a field's code": (
        "<w:p>" + _split(_FIELD.format(code=_FIELD.format(code=_run("z")) + _run("z"))) + "</w:p>",
        "",
    ),
    "field code of fields nested deeper than read": (
        f"<w:p>{_split(_nested_fields(_run('zz'), 100))}</w:p>",
        "",
    ),
    "markup Word does not read": (
        "<w:p>"
        + _split(
            '<mc:AlternateContent><mc:Choice Requires="x">'
            f"{_run('zz')}</mc:Choice><mc:Fallback/></mc:AlternateContent>"
        )
        + "</w:p>",
        "",
    ),
    "hidden paragraph mark": (
        f"<w:p><w:pPr>{_HIDING}</w:pPr>{_run('Le témoin Hyacinthe Quarter')}</w:p>"
        f"<w:p>{_run('maine a parlé.')}</w:p>",
        "",
    ),
    "style separator (specVanish)": (
        "<w:p><w:pPr><w:rPr><w:specVanish/></w:rPr></w:pPr>"
        f"{_run('Le témoin Hyacinthe Quarter')}</w:p><w:p>{_run('maine a parlé.')}</w:p>",
        "",
    ),
}


def _word_hiding(body: str, styles: str) -> bytes:
    """A .docx of `body` (WordprocessingML paragraphs and tables) and `styles` added to
    python-docx's own, built with lxml."""
    document = docx.Document()
    fragment = lambda xml: etree.fromstring(f"<w:x {_NS}>{xml}</w:x>")  # noqa: E731
    body_element = document.element.body
    for child in list(body_element):
        if child.tag != qn("w:sectPr"):
            body_element.remove(child)
    for index, child in enumerate(fragment(body)):
        body_element.insert(index, child)
    for child in fragment(styles):
        document.styles.element.append(child)
    document.add_paragraph().add_run("Une ligne ordinaire reste lisible.").font.hidden = False
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("body, styles", WORD_HIDES.values(), ids=WORD_HIDES.keys())
def test_a_name_split_by_any_way_word_hides_text_reads_whole(body: str, styles: str) -> None:
    text = extract_docx(_word_hiding(body, styles), "t.docx").text
    assert not re.search(r"quarterz+maine|quarter\s+maine", text.casefold())
    assert any("Quartermaine" in seen for seen in [text, *(r.text for r in readings(text))])
    assert "Une ligne ordinaire reste lisible." in text


@pytest.mark.parametrize(
    "body, styles", exported(WORD_HIDES, {"table style", "field code written as text"})
)
def test_a_name_split_by_any_way_word_hides_text_is_hidden_in_the_bundle(
    workspace: Workspace, tmp_path: Path, body: str, styles: str
) -> None:
    _exports_without_the_name(workspace, tmp_path, _word_hiding(body, styles), "t.docx")


BESIDE_THE_WORD = {
    # Word shows a comment's mark in the margin, a note's raised after the letters, a ruby's
    # annotation above them: the line reads "Quartermaine".
    "comment": _split('<w:commentRangeStart w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'),
    "footnote": _split('<w:r><w:footnoteReference w:id="1"/></w:r>'),
    "endnote": _split('<w:r><w:endnoteReference w:id="1"/></w:r>'),
    "ruby": _run("Le témoin Hyacinthe Quar")
    + f"<w:r><w:ruby><w:rubyPr/><w:rt>{_run('zz')}</w:rt><w:rubyBase>{_run('ter')}"
    + f"</w:rubyBase></w:ruby></w:r>{_run('maine a parlé.')}",
}


@pytest.mark.parametrize("line", BESIDE_THE_WORD.values(), ids=BESIDE_THE_WORD.keys())
def test_a_mark_word_shows_beside_a_name_is_read_beside_it(line: str) -> None:
    """A note's or comment's mark, or a ruby's annotation, inside a name was written inside it
    ("Quarter[comment 1]maine"): no mark found the name, and the bundle showed it whole to its
    reader, in the PDF, its title and its file name."""
    assert "Quartermaine" in extract_docx(_word_hiding(f"<w:p>{line}</w:p>", ""), "t.docx").text


@pytest.mark.parametrize("line", exported(BESIDE_THE_WORD, {"comment", "ruby"}))
def test_a_mark_word_shows_beside_a_name_does_not_split_it(
    workspace: Workspace, tmp_path: Path, line: str
) -> None:
    data = _word_hiding(f"<w:p>{line}</w:p>", "")
    _exports_without_the_name(workspace, tmp_path, data, "temoin.docx")


MARKS_IN_THE_TEXT = {
    # Hidden text holding a mark's closing "-]" ended the mark early: what followed it was
    # read as shown, "Quarter" + "yy" + "maine" a name no reading found.
    "hidden '-]'": [("Le témoin Hyacinthe Quarter", False), ("x-]yy", True), ("maine.", False)],
    "hidden, starting '-]'": [
        ("Le témoin Hyacinthe Quarter", False),
        ("-]yy", True),
        ("maine", False),
    ],
    "hidden '-' then ']'": [
        ("Le témoin Hyacinthe Quarter", False),
        ("x-", True),
        ("]yy", True),
        ("maine a parlé.", False),
    ],
    "shown '[-' before": [
        ("Le [- témoin Hyacinthe Quarter", False),
        ("zz", True),
        ("maine", False),
    ],
    "shown '-]' after": [
        ("Le témoin Hyacinthe Quarter", False),
        ("zz", True),
        ("maine -] a", False),
    ],
    "shown '{+' and hidden '+}'": [
        ("Le {+ témoin Hyacinthe Quarter", False),
        ("zz+}", True),
        ("maine a parlé.", False),
    ],
    "every mark hidden": [
        ("Le témoin Hyacinthe Quarter", False),
        ("[-{+-]+}[--]{++}", True),
        ("maine a parlé.", False),
    ],
    "name in hidden '-]'": [("Le témoin ", False), (f"-] {NAME} [-", True), (" a parlé.", False)],
}


@pytest.mark.parametrize("runs", MARKS_IN_THE_TEXT.values(), ids=MARKS_IN_THE_TEXT.keys())
def test_mark_strings_in_a_word_file_do_not_confuse_the_hidden_text_marks(
    runs: list[tuple[str, bool]],
) -> None:
    """The marks bracketing hidden text are the strings of tracked changes ("[-", "-]"); the
    same strings in the file's own text, shown or hidden, were read as marks."""
    text = extract_docx(_word(runs), "t.docx").pages[0].text
    shown = "".join(piece for piece, hidden in runs if not hidden)
    accepted = readings(text)[0].text.split("\n")[0]
    assert _visible(accepted) == _visible(shown)


@pytest.mark.parametrize(
    "runs", exported(MARKS_IN_THE_TEXT, {"hidden '-]'", "name in hidden '-]'"})
)
def test_mark_strings_in_a_word_file_leave_the_name_hidden_in_the_bundle(
    workspace: Workspace, tmp_path: Path, runs: list[tuple[str, bool]]
) -> None:
    _exports_without_the_name(workspace, tmp_path, _word(runs), "temoin.docx")


def _visible(text: str) -> str:
    return "".join(c for c in text if c.isalnum() or c == " ")


NESTED_MARKS = {
    "hidden in a deletion": '<w:del w:id="1" w:author="a"><w:r><w:delText>x</w:delText></w:r>'
    '<w:r><w:rPr><w:vanish/></w:rPr><w:delText xml:space="preserve">y-]</w:delText></w:r>'
    "<w:r><w:delText>zz</w:delText></w:r></w:del>",
    "hidden in an insertion": '<w:ins w:id="1" w:author="a">'
    f"{_run('x-]zz', '<w:vanish/>')}</w:ins>",
    "deletion in a field code": _FIELD.format(
        code='<w:del w:id="1" w:author="a"><w:r><w:delText>-]zz</w:delText></w:r></w:del>'
    ),
    "hidden in a hidden field code": _FIELD.format(code=_run("[-x-]zz", "<w:vanish/>")),
}


@pytest.mark.parametrize("middle", NESTED_MARKS.values(), ids=NESTED_MARKS.keys())
def test_marks_inside_marks_in_a_word_file_read_as_word_shows_them(middle: str) -> None:
    text = extract_docx(_word_hiding(f"<w:p>{_split(middle)}</w:p>", ""), "t.docx").text
    assert "Quartermaine" in readings(text)[0].text


@pytest.mark.parametrize(
    "middle", exported(NESTED_MARKS, {"hidden in a deletion", "hidden in a hidden field code"})
)
def test_marks_inside_marks_in_a_word_file_leave_the_name_hidden_in_the_bundle(
    workspace: Workspace, tmp_path: Path, middle: str
) -> None:
    data = _word_hiding(f"<w:p>{_split(middle)}</w:p>", "")
    _exports_without_the_name(workspace, tmp_path, data, "temoin.docx")


_BEGIN = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
_RESULT = '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
_END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def test_a_field_code_over_two_paragraphs_is_hidden_in_both(
    workspace: Workspace, tmp_path: Path
) -> None:
    """A field's code is text until its result begins, whatever paragraph it reaches: its
    letters in the second paragraph ("zz" glued to the name) were read as shown."""
    body = (
        f"<w:p>{_run('Le témoin')}{_BEGIN}{_run('zz')}</w:p>"
        f"<w:p>{_run('zz')}{_RESULT}{_END}{_run('Hyacinthe Quartermaine a parlé.')}</w:p>"
    )
    data = _word_hiding(body, "")
    accepted = readings(extract_docx(data, "t.docx").text)[0].text
    assert "zz" not in accepted
    assert "\nHyacinthe Quartermaine a parlé." in accepted
    _exports_without_the_name(workspace, tmp_path, data, "temoin.docx")


def test_a_field_left_open_hides_no_more_than_the_rest_of_its_story() -> None:
    """A field begun and never ended hides the rest of its story: in a table's cell, the rest
    of the cell, not the paragraphs after the table; at the body's end, not the header."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "En-tête toujours lisible."
    table = document.add_table(rows=1, cols=1)
    cell = etree.fromstring(f"<w:x {_NS}><w:p>{_run('Cellule')}{_BEGIN}{_run('zz')}</w:p></w:x>")
    table.cell(0, 0)._tc.append(cell[0])
    document.add_paragraph("Une ligne ordinaire reste lisible.")
    last = etree.fromstring(f"<w:x {_NS}><w:p>{_run('Fin')}{_BEGIN}{_run('yy')}</w:p></w:x>")
    document.element.body.insert(len(document.element.body) - 1, last[0])
    out = io.BytesIO()
    document.save(out)
    accepted = readings(extract_docx(out.getvalue(), "t.docx").text)[0].text
    assert "zz" not in accepted and "Cellule" in accepted
    assert "yy" not in accepted and "Fin" in accepted
    assert "Une ligne ordinaire reste lisible." in accepted
    assert "En-tête toujours lisible." in accepted

"""The file's own "[-", "-]", "{+" and "+}", whole or split across its elements, never read as
the marks bracketing hidden text, in any reader and anywhere in the file.

A reader keeps hidden text between the marks of a deletion ("Quarter[-zz-]maine"), and what
looks for words to hide reads the text with them accepted (`text.readings`). A mark string of
the file's own ("-" ending one element, "]" starting the next, both hidden) closed the mark
early: "Quarter" + hidden "x-" "]yy" + "maine" read "Quarteryymaine", and a name the file's
reader sees whole was found in no reading. Each case here is a line of pieces, shown or hidden,
built into a Word, OpenDocument or RTF file, each piece its own element: read with its marks
accepted, the line must be its shown pieces, and read as it was, all of them.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from xml.sax.saxutils import escape

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.parser import parse_xml

from dossier.ingest.docx_file import extract_docx
from dossier.ingest.odt_file import extract_odt
from dossier.ingest.rtf_file import extract_rtf
from dossier.text.model import ExtractedDocument
from dossier.text.revisions import change_readings, has_changes

Pieces = list[tuple[str, bool]]
"""A line of text: its pieces, each shown (False) or hidden (True)."""

HEAD, TAIL = ("Le témoin Hyacinthe Quarter", False), ("maine a parlé.", False)


def _lines() -> dict[str, Pieces]:
    """Each mark string split between two pieces, each shown or hidden, beside hidden "zz";
    and each whole in one piece."""
    lines: dict[str, Pieces] = {}
    for mark in ("[-", "-]", "{+", "+}"):
        for first in (False, True):
            for second in (False, True):
                name = f"{mark[0]}|{mark[1]} {'hidden' if first else 'shown'}"
                name += f" then {'hidden' if second else 'shown'}"
                split = [(f"x{mark[0]}", first), (f"{mark[1]}y", second)]
                lines[name] = [HEAD, *split, ("zz", True), TAIL]
        lines[f"{mark} hidden, whole"] = [HEAD, (f"x{mark}y", True), TAIL]
        lines[f"{mark} shown before hidden"] = [HEAD, (mark, False), ("zz", True), TAIL]
    lines["hidden in hidden"] = [HEAD, ("a", True), ("b", True), ("zz", True), TAIL]
    return lines


LINES = _lines()


def _visible(text: str) -> str:
    return "".join(c for c in text if c.isalnum() or c == " ")


def _line(text: str) -> str:
    """The line the pieces made, from its first word to its last."""
    start = text.index("témoin")
    return text[start : text.index("parlé", start)]


def _read(text: str, accepted: bool) -> str:
    if not has_changes(text):
        return text
    kept = change_readings(text)[0 if accepted else 1]
    return "".join(text[a:b] for a, b in kept)


def _assert_read_as_shown(text: str, pieces: Pieces) -> None:
    shown = "".join(piece for piece, hidden in pieces if not hidden)
    every = "".join(piece for piece, _ in pieces)
    assert _visible(_line(_read(text, accepted=True))) == _visible(_line(shown))
    assert _visible(_line(_read(text, accepted=False))) == _visible(_line(every))


# -- Word ------------------------------------------------------------------------------------

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _runs(pieces: Pieces) -> str:
    return "".join(
        f"<w:r><w:rPr>{'<w:vanish/>' if hidden else ''}</w:rPr>"
        f'<w:t xml:space="preserve">{escape(piece)}</w:t></w:r>'
        for piece, hidden in pieces
    )


def _word_part(document: docx.document.Document, name: str, xml: str, kind: str) -> None:
    content_type = {"footnotes": CONTENT_TYPE.WML_FOOTNOTES}[kind]
    part = Part(PackURI(f"/word/{name}"), content_type, xml.encode(), document.part.package)
    document.part.relate_to(part, getattr(RELATIONSHIP_TYPE, kind.upper()))


def _word(where: str, pieces: Pieces) -> bytes:
    document = docx.Document()
    paragraph = f"<w:p {W_NS}>{_runs(pieces)}</w:p>"
    if where == "body":
        document.element.body.insert(0, parse_xml(paragraph))
    elif where == "table":
        document.add_table(rows=1, cols=2).cell(0, 1)._tc.append(parse_xml(paragraph))
    elif where == "header":
        document.sections[0].header._element.append(parse_xml(paragraph))
    elif where == "footnote":
        # A note's number is the file's text too: "[-1]" opened a mark in the list of notes.
        document.add_paragraph().add_run()._r.append(
            parse_xml(f'<w:footnoteReference {W_NS} w:id="-1"/>')
        )
        notes = f'<w:footnotes {W_NS}><w:footnote w:id="-1">{paragraph}</w:footnote></w:footnotes>'
        _word_part(document, "footnotes.xml", notes, "footnotes")
    elif where == "comment":
        commented = document.add_paragraph("Commenté.")
        comment = document.add_comment(commented.runs, text="", author="x[")
        comment._element.append(parse_xml(paragraph))
    document.add_paragraph("Une ligne ordinaire reste lisible.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- OpenDocument ----------------------------------------------------------------------------

_ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2"'
)
_HIDING_STYLE = (
    '<office:automatic-styles><style:style style:name="T1" style:family="text">'
    '<style:text-properties text:display="none"/></style:style></office:automatic-styles>'
)


def _spans(pieces: Pieces, nested: bool) -> str:
    """Pieces hidden side by side in one hidden span, each in a span of its own (`nested`:
    hidden again, hidden text in hidden text)."""
    out: list[str] = []
    for number, (piece, hidden) in enumerate(pieces):
        if hidden and (number == 0 or not pieces[number - 1][1]):
            out.append('<text:span text:style-name="T1">')
        style = ' text:style-name="T1"' if hidden and nested else ""
        out.append(f"<text:span{style}>{escape(piece)}</text:span>")
        if hidden and (number + 1 == len(pieces) or not pieces[number + 1][1]):
            out.append("</text:span>")
    return "".join(out)


def _odt(where: str, pieces: Pieces) -> bytes:
    return _odt_file(where, _spans(pieces, nested=where == NESTED))


def _odt_file(where: str, line: str, changes: str = "") -> bytes:
    paragraph = f"<text:p>{line}</text:p>"
    body, header = "", ""
    if where in ("body", NESTED):
        body = paragraph
    elif where == "heading":
        body = f'<text:h text:outline-level="1">{line}</text:h>'
    elif where == "table":
        body = (
            "<table:table><table:table-row><table:table-cell><text:p>a</text:p>"
            f"</table:table-cell><table:table-cell>{paragraph}</table:table-cell>"
            "</table:table-row></table:table>"
        )
    elif where == "footnote":
        body = (
            '<text:p>Note<text:note text:note-class="footnote"><text:note-citation>-1'
            f"</text:note-citation><text:note-body>{paragraph}</text:note-body></text:note>"
            "</text:p>"
        )
    elif where == "comment":
        body = (
            "<text:p>Commenté<office:annotation><dc:creator>x[</dc:creator>"
            f"{paragraph}</office:annotation>.</text:p>"
        )
    elif where == "header":
        header = paragraph
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODT_NS}>'
        f"{_HIDING_STYLE}<office:body><office:text>{changes}{body}"
        "<text:p>Une ligne ordinaire reste lisible.</text:p>"
        "</office:text></office:body></office:document-content>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {_ODT_NS}>'
        f'{_HIDING_STYLE}<office:master-styles><style:master-page style:name="Standard">'
        f"<style:header>{header}</style:header></style:master-page></office:master-styles>"
        "</office:document-styles>"
    )
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", styles, zipfile.ZIP_DEFLATED)
    return data.getvalue()


# -- RTF -------------------------------------------------------------------------------------


def _rtf_text(piece: str) -> str:
    return "".join(
        f"\\{c}" if c in "{}\\" else f"\\'{ord(c):02x}" if ord(c) > 127 else c for c in piece
    )


def _rtf(where: str, pieces: Pieces) -> bytes:
    """Each piece a group of its own, hidden side by side in one hidden group (`NESTED`:
    each hidden again)."""
    out: list[str] = []
    for number, (piece, hidden) in enumerate(pieces):
        if hidden and (number == 0 or not pieces[number - 1][1]):
            out.append(r"{\v ")
        nested = hidden and where == NESTED
        out.append(("{\\v\\b " if nested else "{\\b ") + _rtf_text(piece) + "}")
        if hidden and (number + 1 == len(pieces) or not pieces[number + 1][1]):
            out.append("}")
    line = "".join(out)
    if where == "table":
        line = r"\trowd\cellx2000\cellx6000 a\cell " + line + r"\cell\row"
    return (
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times New Roman;}}\pard "
        + line
        + r"\par Une ligne ordinaire reste lisible.\par}"
    ).encode("latin-1")


NESTED = "body, hidden in hidden"
Reader = Callable[[bytes, str], ExtractedDocument]
READERS: dict[str, tuple[Callable[[str, Pieces], bytes], Reader, list[str]]] = {
    "docx": (_word, extract_docx, ["body", "table", "header", "footnote", "comment"]),
    "odt": (
        _odt,
        extract_odt,
        ["body", NESTED, "heading", "table", "header", "footnote", "comment"],
    ),
    "rtf": (_rtf, extract_rtf, ["body", NESTED, "table"]),
}


def _every_run(where: str, name: str) -> bool:
    """`make test` reads every line in a file's body and, elsewhere in it, the lines that split
    "[-"; the slow sweep (`make check`, CI) every line in every place (~250 files more)."""
    return where == "body" or name.startswith("[|-")


CASES = [
    pytest.param(
        reader,
        where,
        pieces,
        id=f"{reader}-{where}-{name}",
        marks=[] if _every_run(where, name) else [pytest.mark.slow],
    )
    for reader, (_, _, places) in READERS.items()
    for where in places
    for name, pieces in LINES.items()
]


@pytest.mark.parametrize("reader, where, pieces", CASES)
def test_the_files_own_mark_strings_never_read_as_marks(
    reader: str, where: str, pieces: Pieces
) -> None:
    build, extract, _ = READERS[reader]
    text = extract(build(where, pieces), f"t.{reader}").text
    _assert_read_as_shown(text, pieces)
    assert "Une ligne ordinaire reste lisible." in text


_AUTHOR = "[-x-]{+y+}"
"""A tracked change's author, written in the list of changes after the body."""


def _word_change() -> bytes:
    document = docx.Document()
    document.element.body.insert(
        0,
        parse_xml(
            f"<w:p {W_NS}>{_runs([HEAD])}"
            f'<w:del w:id="1" w:author="{escape(_AUTHOR)}" w:date="2024-01-01T00:00:00Z">'
            f"<w:r><w:delText>zz</w:delText></w:r></w:del>{_runs([TAIL])}</w:p>"
        ),
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _odt_change() -> bytes:
    changes = (
        '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
        f"<office:change-info><dc:creator>{escape(_AUTHOR)}</dc:creator>"
        "<dc:date>2024-01-01T00:00:00</dc:date></office:change-info><text:p>zz</text:p>"
        "</text:deletion></text:changed-region></text:tracked-changes>"
    )
    return _odt_file("body", f'{HEAD[0]}<text:change text:change-id="c1"/>{TAIL[0]}', changes)


@pytest.mark.parametrize(
    "build, extract", [(_word_change, extract_docx), (_odt_change, extract_odt)]
)
def test_a_changes_author_holds_no_mark_in_the_list_of_changes(
    build: Callable[[], bytes], extract: Reader
) -> None:
    text = extract(build(), "t").text
    assert "témoin Hyacinthe Quarter[-zz-]maine" in text
    change = text[text.index("Tracked changes") :].split("\n")[1]
    author = change[len("deleted by ") : change.index(" on ")]
    assert _visible(author) == _visible(_AUTHOR) and not re.search(r"\[-|-\]|\{\+|\+\}", author)


@pytest.mark.parametrize("codepage", ["65001", "99999"], ids=["UTF-8", "unknown code page"])
def test_rtf_text_in_utf8_cannot_end_hidden_text(codepage: str) -> None:
    """striprtf reads \\'hh escapes as UTF-8 in these code pages, where they can spell any
    character, the one that stood for the end of hidden text while striprtf read it too."""
    hidden = "".join(f"\\'{b:02x}" for b in "x\U0010ffffyy".encode())
    data = (
        r"{\rtf1\ansi\ansicpg" + codepage + r"\deff0{\fonttbl{\f0 Times;}}\pard "
        r"Le t\'c3\'a9moin Hyacinthe Quarter{\v " + hidden + r"}maine a parl\'c3\'a9.\par}"
    ).encode("latin-1")
    text = extract_rtf(data, "t.rtf").text
    assert "témoin Hyacinthe Quartermaine a parlé." in _read(text, accepted=True)
    assert "yy" in _read(text, accepted=False)


def test_rtf_hidden_text_ending_after_a_unicode_escape_ends_there() -> None:
    """After \\uN, striprtf skips the character that stands for it (\\uc1) up to the next
    control word or brace: what marked the end of hidden text right after "\\u97" was skipped,
    and all the text after it read as hidden."""
    data = (
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times;}}\pard Le t\'e9moin Hyacinthe"
        r" Quarter{\v zz\u97}maine a parl\'e9.\par Une ligne ordinaire reste lisible.\par}"
    ).encode("latin-1")
    text = extract_rtf(data, "t.rtf").text
    assert "témoin Hyacinthe Quartermaine a parlé." in _read(text, accepted=True)
    assert "Quarterzzamaine" in _read(text, accepted=False)


def _word_deletion(deleted: str) -> bytes:
    document = docx.Document()
    document.element.body.insert(
        0,
        parse_xml(
            f"<w:p {W_NS}>{_runs([('Hyacinthe Quar', False)])}"
            '<w:del w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z">'
            f"<w:r><w:delText>{escape(deleted)}</w:delText></w:r></w:del>"
            f"{_runs([('termaine a parlé.', False)])}</w:p>"
        ),
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _odt_deletion(deleted: str) -> bytes:
    changes = (
        '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
        "<office:change-info><dc:creator>a</dc:creator></office:change-info>"
        f"<text:p>{escape(deleted)}</text:p></text:deletion></text:changed-region>"
        "</text:tracked-changes>"
    )
    return _odt_file("body", 'Hyacinthe Quar<text:change text:change-id="c1"/>termaine', changes)


@pytest.mark.parametrize("deleted", ["x-", "-x", "x+", "+x", "x[", "x{", "]x", "}x"])
@pytest.mark.parametrize(
    "build, extract", [(_word_deletion, extract_docx), (_odt_deletion, extract_odt)]
)
def test_a_change_inside_a_word_is_listed_with_its_word_whatever_it_starts_or_ends_with(
    build: Callable[[str], bytes], extract: Reader, deleted: str
) -> None:
    """The list of changes gives a change inside a word with its word ("Quar[-x-]termaine"),
    as "x" alone could give away a word the export hides: it looked for the change written as
    "[-x--]" where the body, to keep the file's "-" from running into the mark, wrote a word
    joiner between, and listed the change alone."""
    text = extract(build(deleted), "t").text
    change = text[text.index("Tracked changes") :].split("\n")[1]
    assert change.split(": ", 1)[1].startswith("Quar") and change.endswith("termaine")

"""Word, OpenDocument and RTF files, made at test time and from the shared corpus: their text
with its structure, tracked changes kept as such, and the hostile ones refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.parser import parse_xml

from dossier.errors import InputRefused
from dossier.ingest.formats import extract_bytes, extract_file
from dossier.ingest.layout import table_text
from dossier.ingest.titles import plausible_title
from dossier.services.workspace import Workspace
from tests.olegen import ole_file

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _footnotes_part(document: docx.document.Document) -> None:
    """python-docx writes no footnotes: add the part as Word would."""
    xml = (
        f"<w:footnotes {W_NS}>"
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>"
        '<w:footnote w:id="1"><w:p><w:r><w:t>Source : rapport interne de 2019.</w:t></w:r>'
        "</w:p></w:footnote></w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"),
        CONTENT_TYPE.WML_FOOTNOTES,
        xml.encode(),
        document.part.package,
    )
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)


def make_docx() -> bytes:
    document = docx.Document()
    document.core_properties.title = "Microsoft Word - Document1"
    document.add_heading("Note sur la vidéosurveillance algorithmique", level=1)
    document.add_heading("Contexte", level=2)
    body = document.add_paragraph("Le préfet a signé l’arrêté le 3 mars")
    body._p.append(parse_xml(f'<w:r {W_NS}><w:footnoteReference w:id="1"/></w:r>'))
    document.add_paragraph("première caméra", style="List Bullet")
    document.add_paragraph("seconde caméra", style="List Bullet")
    document.add_paragraph("étape initiale", style="List Number")
    document.add_paragraph("étape suivante", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, (("Commune", "Caméras"), ("Toulouse", "412")), strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    revised = document.add_paragraph("Le logiciel ")
    revised._p.append(
        parse_xml(
            f'<w:del {W_NS} w:id="7" w:author="Jean Martin" w:date="2023-11-02T09:15:00Z">'
            "<w:r><w:delText>n’a jamais été</w:delText></w:r></w:del>"
        )
    )
    revised._p.append(
        parse_xml(
            f'<w:ins {W_NS} w:id="8" w:author="Jean Martin" w:date="2023-11-02T09:16:00Z">'
            "<w:r><w:t>a été</w:t></w:r></w:ins>"
        )
    )
    revised.add_run(" utilisé en 2019.")
    commented = document.add_paragraph("Budget prévu : 1,2 million d’euros.")
    document.add_comment(commented.runs, text="Chiffre à vérifier", author="Claire")
    document.sections[0].header.paragraphs[0].text = "CONFIDENTIEL – ne pas diffuser"
    document.sections[0].footer.paragraphs[0].text = "Direction départementale"
    _footnotes_part(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_keeps_structure_notes_comments_and_tracked_changes(tmp_path: Path) -> None:
    path = tmp_path / "note.docx"
    path.write_bytes(make_docx())
    doc = extract_file(path)
    text = doc.text
    assert doc.title == "Note sur la vidéosurveillance algorithmique"  # not the Word placeholder
    assert "Note sur la vidéosurveillance algorithmique\n=====" in text
    assert "Contexte\n--------" in text
    assert "Le préfet a signé l’arrêté le 3 mars[1]" in text
    assert "• première caméra\n\n• seconde caméra" in text
    assert "1. étape initiale\n\n2. étape suivante" in text
    assert "Commune  | Caméras\nToulouse | 412" in text
    assert "Le logiciel [-n’a jamais été-]{+a été+} utilisé en 2019." in text
    assert "[1] Source : rapport interne de 2019." in text
    assert "[comment 1] Claire" in text and "Chiffre à vérifier" in text
    assert "CONFIDENTIEL – ne pas diffuser" in text and "Direction départementale" in text
    assert "deleted by Jean Martin on 2023-11-02 09:15: n’a jamais été" in text
    assert "inserted by Jean Martin on 2023-11-02 09:16: a été" in text
    assert doc.metadata["tracked_changes"] == "2"
    assert doc.metadata["revision_authors"] == "Jean Martin"
    assert doc.language == "fr"


CONTENT_XML = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content
  xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2">
 <office:automatic-styles>
  <text:list-style style:name="L1" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0">
   <text:list-level-style-number text:level="1"/>
  </text:list-style>
 </office:automatic-styles>
 <office:body><office:text>
  <text:tracked-changes>
   <text:changed-region text:id="ct1"><text:deletion>
    <office:change-info><dc:creator>Paul Roux</dc:creator><dc:date>2024-01-05T10:00:00</dc:date>
    </office:change-info><text:p>quarante</text:p></text:deletion></text:changed-region>
   <text:changed-region text:id="ct2"><text:insertion>
    <office:change-info><dc:creator>Paul Roux</dc:creator><dc:date>2024-01-05T10:01:00</dc:date>
    </office:change-info></text:insertion></text:changed-region>
  </text:tracked-changes>
  <text:h text:outline-level="1">Compte rendu du conseil municipal</text:h>
  <text:p>Présents :<text:s text:c="2"/>douze élus<text:note text:note-class="footnote">
   <text:note-citation>1</text:note-citation><text:note-body><text:p>Liste en annexe.</text:p>
   </text:note-body></text:note>.</text:p>
  <text:list text:style-name="L1">
   <text:list-item><text:p>Ouverture de la séance</text:p></text:list-item>
   <text:list-item><text:p>Vote du budget</text:p></text:list-item>
  </text:list>
  <text:p>Le maire annonce <text:change text:change-id="ct1"/><text:change-start
   text:change-id="ct2"/>trente<text:change-end text:change-id="ct2"/> caméras.<office:annotation>
   <dc:creator>Lucie</dc:creator><dc:date>2024-01-06T08:00:00</dc:date>
   <text:p>Vérifier le nombre</text:p></office:annotation></text:p>
  <table:table table:name="T">
   <table:table-row><table:table-cell><text:p>Quartier</text:p></table:table-cell>
    <table:table-cell><text:p>Caméras</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell><text:p>Centre</text:p></table:table-cell>
    <table:table-cell><text:p>18</text:p></table:table-cell>
    <table:table-cell table:number-columns-repeated="1000"/></table:table-row>
  </table:table>
 </office:text></office:body>
</office:document-content>
"""

META_XML = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
  xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta>
  <meta:initial-creator>Secrétariat de mairie</meta:initial-creator>
  <meta:creation-date>2024-01-04T17:30:00</meta:creation-date>
</office:meta></office:document-meta>
"""


def make_odt(content: str = CONTENT_XML) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("meta.xml", META_XML, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_odt_keeps_structure_notes_comments_and_tracked_changes(tmp_path: Path) -> None:
    path = tmp_path / "compte-rendu.bin"  # content decides, not the extension
    path.write_bytes(make_odt())
    doc = extract_file(path)
    text = doc.text
    assert doc.mime == "application/vnd.oasis.opendocument.text"
    assert doc.title == "Compte rendu du conseil municipal"
    assert doc.date == "2024-01-04"
    assert doc.metadata["date_source"].startswith("creation date")
    assert doc.author == "Secrétariat de mairie"
    assert "Présents :  douze élus[1]." in text
    assert "1. Ouverture de la séance\n\n2. Vote du budget" in text
    assert "Le maire annonce [-quarante-]{+trente+} caméras.[comment 1]" in text
    assert "[comment 1] Lucie on 2024-01-06: Vérifier le nombre" in text
    assert "Quartier | Caméras\nCentre   | 18" in text
    assert "deleted by Paul Roux on 2024-01-05 10:00: quarante" in text
    assert "inserted by Paul Roux on 2024-01-05 10:01: trente" in text
    # Counted with their authors, as in a Word file (both come from one layout).
    assert doc.metadata["tracked_changes"] == "2"
    assert doc.metadata["revision_authors"] == "Paul Roux"
    assert "[1] Liste en annexe." in text


def test_rtf_text_accents_and_information() -> None:
    rtf = (
        rb"{\rtf1\ansi\ansicpg1252\deff0{\info{\title R\'e9ponse de la pr\'e9fecture}"
        rb"{\author Service de presse}{\creatim\yr2023\mo12\dy11\hr9\min30}}"
        rb"\pard Madame, \par nous ne commentons pas les proc\'e9dures en cours "
        rb"(co\u251\'fbt : 10 \u8364?).\par}"
    )
    doc = extract_bytes(rtf, "reponse.rtf")
    assert doc.title == "Réponse de la préfecture"
    assert doc.author == "Service de presse"
    assert doc.date == "2023-12-11"
    assert "nous ne commentons pas les procédures en cours" in doc.text
    assert "(coût : 10 €)" in doc.text


@pytest.mark.parametrize(
    ("streams", "message"),
    [
        (("WordDocument", "1Table"), r"old Word document \(\.doc\).*save it as \.docx or PDF"),
        (("Workbook",), r"old Excel workbook"),
        (("EncryptionInfo", "EncryptedPackage"), "password-protected Office document"),
    ],
)
def test_old_office_files_are_refused_with_the_way_forward(
    tmp_path: Path, streams: tuple[str, ...], message: str
) -> None:
    path = tmp_path / "rapport.doc"
    path.write_bytes(ole_file(*streams))
    with pytest.raises(InputRefused, match=message) as refused:
        extract_file(path)
    assert "rapport.doc" in str(refused.value)


def test_word_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b" " * (200 * 1024**2))
    with pytest.raises(InputRefused, match="zip bomb"):
        extract_bytes(out.getvalue(), "bombe.docx")


def test_word_traversal_name_is_refused(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
        archive.writestr("../../evil.xml", "<x/>")
    with pytest.raises(InputRefused, match="climbs out"):
        extract_bytes(out.getvalue(), "piege.docx")


def test_odt_entities_are_not_expanded() -> None:
    hostile = CONTENT_XML.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "AAAAAAAAAA">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">'
        '<!ENTITY f SYSTEM "file:///etc/hostname">]>',
    ).replace("douze élus", "douze élus &c; &f;")
    try:
        doc = extract_bytes(make_odt(hostile), "hostile.odt")
    except InputRefused:
        return  # refusing it is fine too; expanding it is not
    assert "AAAAAAAAAA" not in doc.text
    assert Path("/etc/hostname").read_text().strip() not in doc.text.split()


def test_table_text_pads_short_columns_only() -> None:
    assert table_text([["a", "bb"], ["ccc", ""]]) == "a   | bb\nccc |"
    assert table_text([["x" * 50, "y"], ["z", "w"]]).splitlines()[1] == "z | w"


@pytest.mark.parametrize(
    ("title", "kept"),
    [
        ("Microsoft Word - Document1", None),
        ("Adobe Photoshop PDF", None),
        ("rapport final.docx", None),
        ("Untitled", None),
        ("IMG_2034", None),
        ("Réponse du préfet", "Réponse du préfet"),
    ],
)
def test_only_real_titles_are_kept(title: str, kept: str | None) -> None:
    assert plausible_title(title) == kept


@pytest.mark.parametrize(
    ("name", "word", "title"),
    [
        ("docx_bbc_yemen_protest.docx", "Hudaida", "Hundreds injured in Yemen protest"),
        ("docx_doj_reca_budget_fy2009.docx", "downwinders", None),
        ("docx_un_declaration_content_controls.docx", "colonialism", None),
        ("odt_eea_climate_change_signed.odt", "glaciers", "Climate change impact in Europe"),
        ("odt_gnupg_practica_es.odt", "revocación", "Práctica de GnuPG"),
        ("rtf_line_of_credit_agreement.rtf", "borrower", "Premier Line of Credit"),
        ("rtf_outlook2003_welcome.rtf", "junk", None),
    ],
)
def test_corpus_documents_are_found_by_search(
    workspace: Workspace, ingest_corpus: Path, name: str, word: str, title: str | None
) -> None:
    case = workspace.cases.create("Formats").id
    info = workspace.documents.import_file(case, ingest_corpus / name)
    if title is not None:
        assert info.title == title
    hits = workspace.search.query(word, case=case)
    assert {hit.doc_id for hit in hits} == {info.id}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("docx_truncated.docx", "damaged or truncated Word file"),
        ("docx_password_protected.docx", "password-protected Office document"),
    ],
)
def test_corpus_damaged_documents_are_refused(
    workspace: Workspace, ingest_corpus: Path, name: str, message: str
) -> None:
    case = workspace.cases.create("Formats").id
    with pytest.raises(InputRefused, match=message):
        workspace.documents.import_file(case, ingest_corpus / name)
    assert workspace.documents.of_case(case) == []


def test_placeholder_pdf_title_gives_way_to_the_file_name(
    workspace: Workspace, tmp_path: Path
) -> None:
    from tests.pdfgen import text_pdf

    pdf = text_pdf(
        tmp_path / "reponse-prefecture.pdf",
        "Réponse de la préfecture.",
        metadata={"title": "Microsoft Word - Document1"},
    )
    case = workspace.cases.create("Titres").id
    assert workspace.documents.import_file(case, pdf).title == "reponse-prefecture"


def _utf16_controls(text: str, *, signed: bool) -> bytes:
    """`text` as RTF writers spell characters outside Latin-1: a `\\uN` per UTF-16 code unit,
    N a signed 16-bit number (Word) or not (other writers), each followed by a "?" for
    readers that skip it."""
    units = memoryview(text.encode("utf-16-le")).cast("H")
    return b"".join(
        rb"\u%d?" % (unit - 0x10000 if signed and unit >= 0x8000 else unit) for unit in units
    )


@pytest.mark.parametrize("signed", [True, False])
def test_rtf_characters_beyond_the_basic_plane_are_read_whole(signed: bool) -> None:
    # Word writes a character beyond U+FFFF (an emoji, a Chinese or Japanese name's rarer
    # characters) as its two UTF-16 halves: each read alone, the character was lost.
    name = "\U00020bb7野家 \U0001f600 \u0915\u094d\u0937 \U0001d11e"
    spelled = _utf16_controls(name, signed=signed)
    rtf = rb"{\rtf1\ansi\uc1{\info{\title Re: " + spelled + rb"}}\pard " + spelled + rb" ok\par}"
    doc = extract_bytes(rtf, "emoji.rtf", ocr=False)
    assert doc.text == f"{name} ok"
    assert doc.title == f"Re: {name}"


@pytest.mark.parametrize("halves", [rb"\u-10179?", rb"\u-8704?", rb"\u-8704?\u-10179?"])
def test_rtf_half_of_a_character_alone_is_a_replacement_mark_not_lost_text(halves: bytes) -> None:
    rtf = rb"{\rtf1\ansi{\info{\title A" + halves + rb"B}}\pard A" + halves + rb"B\par}"
    doc = extract_bytes(rtf, "halves.rtf", ocr=False)
    count = halves.count(b"\\u")
    assert doc.text == "A" + "\ufffd" * count + "B"
    assert doc.title == "A" + "?" * count + "B"


def test_rtf_characters_spelled_in_halves_cannot_hide_the_text_between_them() -> None:
    # The reader marks hidden text with the last two characters of Unicode while it reads;
    # a file spelling them in halves must not hide its own words.
    around = _utf16_controls("\U0010fffe", signed=True), _utf16_controls("\U0010ffff", signed=True)
    rtf = rb"{\rtf1\ansi\pard A " + around[0] + rb" shown words " + around[1] + rb" B\par}"
    doc = extract_bytes(rtf, "forged.rtf", ocr=False)
    assert "shown words" in doc.text
    assert "[-" not in doc.text


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_an_office_documents_zip_directory_is_read_once(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sniffing a Word or OpenDocument file reads its zip's directory; its reader reads the
    same one (judged as a bundle's is: see test_hostile_formats), not a second parse of it
    (a seventh of a small document's reading)."""
    data = make_docx() if kind == "docx" else make_odt()
    parsed: list[int] = []
    read_directory = zipfile.ZipFile._RealGetContents  # type: ignore[attr-defined]

    def counted(self: zipfile.ZipFile) -> None:
        parsed.append(1)
        read_directory(self)

    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", counted)
    document = extract_bytes(data, f"note.{kind}")
    assert document.pages and len(parsed) == 1

"""A Word file whose parts say hostile things is read or refused in one sentence, at the cost
of its size: a date out of the calendar's range, a list numbered from a trillion, a chain of
thousands of character styles each based on the next.

The reader walks what the parts say, not only whether they parse: any value a field can hold
may be in it.
"""

from __future__ import annotations

import io
import random
import string
import time
import zipfile

import docx
import pytest

from dossier.errors import InputRefused
from dossier.ingest.formats import extract_bytes

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dcterms="http://purl.org/dc/terms/">{}</cp:coreProperties>'
)


def _word_file() -> bytes:
    document = docx.Document()
    document.add_paragraph("Le témoin Hyacinthe Quartermaine a parlé.", style="List Number")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _rewritten(data: bytes, change: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, change.pop(name, None) or source.read(name))
        for name, text in change.items():
            target.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize(
    "created",
    ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00"],
)
def test_a_creation_date_beyond_the_calendar_is_read_as_none(created: str) -> None:
    core = _CORE.format(f"<dcterms:created>{created}</dcterms:created>")
    document = extract_bytes(_rewritten(_word_file(), {"docProps/core.xml": core}), "t.docx")
    assert "Hyacinthe Quartermaine" in document.text
    assert "created" not in document.metadata and document.date is None


def _numbered(start: str, fmt: str, text: str = "%1.") -> dict[str, str]:
    numbering = (
        f'<w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">'
        f'<w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        '</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        "</w:numbering>"
    )
    paragraph = (
        '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
        "<w:r><w:t>Quartermaine</w:t></w:r></w:p>"
    )
    body = f"<w:document {W}><w:body>{paragraph * 3}</w:body></w:document>"
    return {"word/numbering.xml": numbering, "word/document.xml": body}


@pytest.mark.parametrize("fmt", ["upperRoman", "lowerRoman", "upperLetter", "decimal"])
@pytest.mark.parametrize("start", ["10000000", "999999999999", "-5", "9" * 4000])
def test_a_list_numbered_from_any_start_has_markers_of_a_few_characters(
    start: str, fmt: str
) -> None:
    # Roman numerals were written a thousand at a time: a list starting at a trillion was a
    # billion steps and a gigabyte for its first marker.
    document = extract_bytes(_rewritten(_word_file(), _numbered(start, fmt)), "t.docx")
    markers = [line for line in document.text.splitlines() if "Quartermaine" in line]
    assert len(markers) == 3 and all(len(line) < 60 for line in markers), markers


def test_a_list_marker_template_of_any_length_costs_a_few_characters_a_paragraph() -> None:
    change = _numbered("1", "decimal", "%1" * 2000)
    document = extract_bytes(_rewritten(_word_file(), change), "t.docx")
    assert len(document.text) < 2000


@pytest.mark.parametrize("cycle", [True, False])
def test_a_long_chain_of_styles_based_on_each_other_is_read_in_its_size(cycle: bool) -> None:
    # Each style's hidden setting was looked for along the whole chain: 3,000 styles were
    # nine million steps (5 s), 30,000 ten minutes.
    count = 6000
    styles = "".join(
        f'<w:style w:type="character" w:styleId="s{i}">'
        + (f'<w:basedOn w:val="s{(i + 1) % count}"/>' if cycle or i + 1 < count else "")
        + ("" if cycle or i + 1 < count else "<w:rPr><w:vanish/></w:rPr>")
        + "</w:style>"
        for i in range(count)
    )
    body = (
        f"<w:document {W}><w:body><w:p><w:r><w:t>Hyacinthe Quarter</w:t></w:r><w:r><w:rPr>"
        '<w:rStyle w:val="s0"/></w:rPr><w:t>zz</w:t></w:r><w:r><w:t>maine</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    change = {"word/styles.xml": f"<w:styles {W}>{styles}</w:styles>", "word/document.xml": body}
    began = time.process_time()
    try:
        text = extract_bytes(_rewritten(_word_file(), change), "t.docx").text
    except InputRefused:
        text = None
    assert time.process_time() - began < 2.0
    if text is not None:
        assert ("Quarterzzmaine" if cycle else "Quarter[-zz-]maine") in text


@pytest.mark.parametrize("level", ["-100", "-1", "9", "100", "1000000000", "99999999999"])
def test_a_list_item_of_any_level_is_indented_as_one_of_words_nine(level: str) -> None:
    # A level was an index into nine counters (-100: IndexError, an internal error) and the
    # indent's width (a billion: two gigabytes of spaces for a 2 KB file).
    change = _numbered("1", "decimal")
    for name in change:
        change[name] = change[name].replace('w:ilvl w:val="0"', f'w:ilvl w:val="{level}"')
        change[name] = change[name].replace('w:ilvl="0"', f'w:ilvl="{level}"')
    document = extract_bytes(_rewritten(_word_file(), change), "t.docx")
    markers = [line for line in document.text.splitlines() if "Quartermaine" in line]
    assert len(markers) == 3 and all(len(line) < 60 for line in markers), markers


def test_a_part_related_thousands_of_times_is_read_once() -> None:
    # A header named by 3,000 relationships was walked 3,000 times: a 1 KB relationship costs
    # a whole walk of the header, a file of a few hundred KB minutes of the import.
    header = f"<w:hdr {W}>" + "<w:p><w:r><w:t>Quartermaine, note</w:t></w:r></w:p>" * 2000
    rel = (
        '<Relationship Id="h{}" Target="header1.xml" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/header"/>'
    )
    with zipfile.ZipFile(io.BytesIO(_word_file())) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode()
    rels = rels.replace(
        "</Relationships>", "".join(map(rel.format, range(3000))) + "</Relationships>"
    )
    change = {"word/header1.xml": header + "</w:hdr>", "word/_rels/document.xml.rels": rels}
    began = time.process_time()
    document = extract_bytes(_rewritten(_word_file(), change), "t.docx")
    assert time.process_time() - began < 2.0
    assert document.text.count("Quartermaine, note") == 2000


def test_only_styles_parts_of_a_template_s_size_are_remembered() -> None:
    # Sixteen styles parts are kept from file to file: sixteen files of a million styles each
    # would keep gigabytes through the rest of the batch. 32,000 styles: a part of 2.5 MB, past
    # the 2 MB of the largest kept (each style costs 40 µs of CPU to read).
    from dossier.ingest import docx_file

    docx_file.forget_styles()
    styles = "".join(
        f'<w:style w:type="paragraph" w:styleId="p{i}"><w:name w:val="P{i}"/></w:style>'
        for i in range(32000)
    )
    assert len(styles) > docx_file._STYLES_SEEN_BYTES
    change = {"word/styles.xml": f"<w:styles {W}>{styles}</w:styles>"}
    extract_bytes(_rewritten(_word_file(), change), "t.docx")
    assert sum(len(seen) for seen in docx_file._STYLES_SEEN.values()) < 10000
    extract_bytes(_word_file(), "t.docx")
    assert len(docx_file._STYLES_SEEN) == 1


def test_paragraphs_run_into_one_are_read_in_their_size() -> None:
    # Each paragraph whose mark is hidden runs into the next (Word shows them as one): added
    # to the text joined so far by copying it, 40,000 of them (a 6 MB file) took 14 s, each
    # doubling four times as long. Measured against the same paragraphs shown apart.
    letters = random.Random(7)
    texts = ["".join(letters.choices(string.ascii_letters, k=200)) for _ in range(20_000)]

    def cost(mark: str) -> tuple[float, str]:
        paragraphs = "".join(
            f"<w:p><w:pPr><w:rPr>{mark}</w:rPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
            for text in texts
        )
        body = f"<w:document {W}><w:body>{paragraphs}</w:body></w:document>"
        data = _rewritten(_word_file(), {"word/document.xml": body})
        began = time.process_time()
        text = extract_bytes(data, "t.docx").text
        return time.process_time() - began, text

    apart, shown = cost("")
    joined, run_in = cost("<w:vanish/>")
    assert texts[1] in shown and texts[0] + texts[1] in run_in
    assert joined < 3 * apart + 0.2, f"{joined:.2f} s run into one, {apart:.2f} s apart"

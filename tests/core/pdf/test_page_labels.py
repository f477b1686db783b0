"""Page labels ("iv", "A-3") are read once per document, as PyMuPDF reads them, and a file's
label rules never stop its import nor make a label of millions of letters."""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from dossier.pdf.extract import extract_pdf
from dossier.pdf.pagelabels import MAX_LABEL_NUMBER

RULES = [
    [{"startpage": 0, "prefix": "", "style": "r", "firstpagenum": 1}],
    [
        {"startpage": 0, "prefix": "", "style": "R", "firstpagenum": 3},
        {"startpage": 2, "prefix": "Annexe ", "style": "A", "firstpagenum": 1},
        {"startpage": 4, "prefix": "p. ", "style": "D", "firstpagenum": 10},
        {"startpage": 6, "prefix": "", "style": "a", "firstpagenum": 25},
    ],
    [{"startpage": 0, "prefix": "Cover", "style": "", "firstpagenum": 1}],
]


def labelled_pdf(path: Path, pages: int, rules: str | list[dict[str, object]]) -> Path:
    """A PDF of `pages` pages with these label rules: PyMuPDF's rule dicts, or the raw
    /PageLabels dictionary a producer wrote."""
    doc = pymupdf.open()
    for number in range(pages):
        doc.new_page().insert_text((72, 72), f"Page {number} of the report")
    if isinstance(rules, str):
        doc.xref_set_key(doc.pdf_catalog(), "PageLabels", rules)
    else:
        doc.set_page_labels(rules)
    doc.save(path)
    doc.close()
    return path


@pytest.mark.parametrize("rules", RULES)
def test_labels_are_those_pymupdf_gives_each_page(
    tmp_path: Path, rules: list[dict[str, object]]
) -> None:
    path = labelled_pdf(tmp_path / "labels.pdf", 8, rules)
    with pymupdf.open(path) as doc:
        expected = [page.get_label() for page in doc]
    assert [page.label for page in extract_pdf(path).pages] == expected
    assert len(set(expected)) > 1 or rules[0]["style"] == ""


def test_pages_before_the_first_rule_have_no_label(tmp_path: Path) -> None:
    # Numbering that starts after a cover and a contents page: PyMuPDF's Page.get_label
    # raised IndexError on the pages before it, which stopped the whole import.
    rule = {"startpage": 2, "prefix": "A-", "style": "D", "firstpagenum": 1}
    path = labelled_pdf(tmp_path / "late.pdf", 4, [rule])
    pages = extract_pdf(path).pages
    assert [(p.label, p.display_label) for p in pages] == [
        ("", "1"),
        ("", "2"),
        ("A-1", "A-1"),
        ("A-2", "A-2"),
    ]
    assert "Page 0 of the report" in pages[0].text


@pytest.mark.parametrize(
    "raw",
    [
        "<</Nums[0<</S/R/St 2000000000>>]>>",  # roman numerals of two billion: 2 MB a label
        "<</Nums[0<</S/A/St 2000000000>>]>>",
        "<</Nums[0<</S/D/St/abc>>]>>",  # a start that is no number
        "<</Nums[0<</P/S>>]>>",  # a style without its value
        "<</Nums[0<</S/r/St -5>>]>>",
        "<</Nums[0 7 2<</S/D>>]>>",  # a rule that is no dictionary
        "<</Nums 12>>",
        "<</Kids[<</Nums[0<</P(x)/S/D>>]>> 5]>>",
    ],
)
def test_damaged_or_absurd_rules_leave_pages_unlabelled_not_the_file_refused(
    tmp_path: Path, raw: str
) -> None:
    path = labelled_pdf(tmp_path / "odd.pdf", 3, raw)
    pages = extract_pdf(path).pages
    assert [p.index for p in pages] == [0, 1, 2]
    assert all(len(p.label) <= 64 for p in pages), [p.label[:40] for p in pages]
    assert all("report" in p.text for p in pages)


def test_roman_numerals_are_written_up_to_the_bound(tmp_path: Path) -> None:
    # A roman numeral grows with its number (an M a thousand); decimal and letters do not.
    roman = {"startpage": 0, "prefix": "", "style": "R", "firstpagenum": MAX_LABEL_NUMBER}
    decimal = {"startpage": 2, "prefix": "", "style": "D", "firstpagenum": 2_000_000_000}
    path = labelled_pdf(tmp_path / "big.pdf", 3, [roman, decimal])
    labels = [p.label for p in extract_pdf(path).pages]
    assert labels == ["M" * (MAX_LABEL_NUMBER // 1000), "", "2000000000"]

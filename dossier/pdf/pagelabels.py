"""Page labels ("iv", "Annexe B", "p. 12"): a PDF's own names for its pages, read once a file.

A PDF's label rules each start at a page and give the pages from there a prefix and a
numbering style. PyMuPDF's `Page.get_label` reads the file's rules again for every page (a
tenth of what a 300-page file's pages cost besides their words), and fails where a file's
rules do: numbering that starts after a cover (the pages before the first rule have no label:
IndexError, which stopped the file's import), a rule without a style's value or with a start
that is no number. Here the rules are read once, each page's label is made as PyMuPDF makes
it (`utils.rule_dict`, `utils.construct_label`), and a page whose rule cannot be read has no
label (it shows its number), like a page no rule covers.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated; we call them directly here.)

from __future__ import annotations

import bisect
from typing import Any

from dossier.pdf.mupdf import pymupdf
from dossier.pdf.open import MUPDF_ERRORS

MAX_LABEL_NUMBER = 10_000
"""Largest number written as a roman numeral: one is an M per thousand (a rule starting at two
billion made 2 MB labels), where decimal and letters stay a few characters long. A page
numbered beyond it has no label."""

_ROMAN = frozenset("rR")
_RULE_ERRORS: tuple[type[BaseException], ...] = (
    *MUPDF_ERRORS,
    LookupError,
    TypeError,
    ArithmeticError,
    UnicodeError,
)
"""What reading a file's rules raises (a missing style's value: IndexError, a start that is
no number: ValueError, bytes that are not UTF-8: UnicodeDecodeError)."""


class PageLabels:
    """The labels of a document's pages; made with the MuPDF lock held, as `label` is used."""

    def __init__(self, doc: Any) -> None:
        try:
            found = doc._get_page_labels()
            rules = sorted(found) if isinstance(found, list) else []
        except _RULE_ERRORS:
            rules = []
        self._starts = [start for start, _rule in rules]
        self._rules: list[dict[str, Any] | None] = [_parsed(rule) for rule in rules]

    def label(self, index: int) -> str:
        """Page `index`'s label ("" if it has none): PyMuPDF's `Page.get_label`."""
        at = bisect.bisect_right(self._starts, index) - 1
        rule = self._rules[at] if at >= 0 else None
        if rule is None:
            return ""
        style = rule.get("style", "")
        # Letters count from "A" = 1 (PyMuPDF's `get_label_pno`).
        number = index - rule["startpage"] + rule["firstpagenum"] - (style in ("a", "A"))
        if style in _ROMAN and number > MAX_LABEL_NUMBER:
            return ""
        try:
            return str(pymupdf.utils.construct_label(style, rule.get("prefix", ""), number))
        except _RULE_ERRORS:
            return ""


def _parsed(rule: tuple[Any, Any]) -> dict[str, Any] | None:
    try:
        parsed = pymupdf.utils.rule_dict(rule)
    except _RULE_ERRORS:
        return None
    if not isinstance(parsed.get("startpage"), int) or not isinstance(
        parsed.get("firstpagenum"), int
    ):
        return None
    return dict(parsed)

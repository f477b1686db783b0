"""The article inside a saved web page: its main text and facts, taken by trafilatura, offline.

A page saved from a browser holds the article and everything around it: menus, cookie
banners, "read also" lists, comments, footers. trafilatura (with its own fallbacks, readability
and jusText) keeps the article; it is given the page's text, never a URL, so none of its
download code is reached (tests/core/ingest/test_article.py records every socket to prove it).

trafilatura is a third-party parser fed hostile input: anything it raises means "no article
found here", and the caller falls back to the page's own readable text (`html_text`).
"""

from __future__ import annotations

import importlib
import logging
import re
import sys
import unicodedata
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from dossier.ingest.dates import iso_date

# Its debug and warning messages quote URLs and text of the page: the app keeps none in logs.
for _name in ("trafilatura", "htmldate", "justext", "courlan", "readability"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

_BLANK_LINES = re.compile(r"\n{2,}")
_UNSEEN = "//template|//noscript|//*[@hidden]|//*[@aria-hidden='true']"
_TAG = re.compile(r"<[^>]*>")
_LEAD_KEY_CHARS = 60
_MAX_HTML_CHARS = 64 * 1024 * 1024
"""Beyond this a page is a dump, not an article: lxml's tree of it would not fit in memory."""
MAX_ELEMENTS = 40_000
MAX_CHILDREN = 5_000
"""Beyond these a page is left to its own readable text (`html_text`), not given to
trafilatura: it takes 0.1 ms an element and more for more (a page of 100,000 paragraphs, 2.3
MB: 19 CPU-s), and counts an element's children at each child, one by one (a row of 100,000
cells, 1 MB: 43 CPU-s). The shared corpus's 300 pages hold 9,748 elements at most, 363
children of one element at most."""


@dataclass(frozen=True)
class Article:
    """What trafilatura found: the main text (paragraphs split by a blank line) and facts."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    outlet: str | None = None
    url: str | None = None


def _web_address(value: str | None) -> str | None:
    value = (value or "").strip()
    return value if value.lower().startswith(("http://", "https://")) else None


def read_article(markup: str) -> Article | None:
    """The article of `markup` (a decoded page), or None when trafilatura finds none."""
    if len(markup) > _MAX_HTML_CHARS or not markup.strip():
        return None
    trafilatura = _trafilatura()
    from trafilatura.utils import load_html

    try:
        tree = load_html(markup)
        if tree is None or _too_large(tree):
            return None
        # What no reader sees is not the article (trafilatura would read it).
        for element in tree.xpath(_UNSEEN):
            if element.getparent() is not None:
                element.drop_tree()
        found = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,  # readers' comments are not the article
            include_tables=True,
        )
    except Exception:  # a third-party parser on hostile input: any failure means
        return None  # "no article found"; the page's readable text is used instead
    if found is None or isinstance(found, dict):
        return None
    text = _clean(found.text or "")
    if not text:
        return None
    return Article(
        text=text,
        title=_one_line(found.title),
        author=_one_line(found.author),
        date=iso_date(found.date),
        outlet=_one_line(found.sitename),
        url=_web_address(found.url),
    )


def _too_large(tree: Any) -> bool:
    # One pass: an element's length counts its children, each element is counted once.
    for number, element in enumerate(tree.iter(), start=1):
        if number > MAX_ELEMENTS or len(element) > MAX_CHILDREN:
            return True
    return False


def _untagged(text: str) -> str:
    """`text` with each tag a space: up to its last ">" only, past which no "<" opens a tag
    (each was looked for to the end, a description of "<" the square of its length)."""
    closed = text.rfind(">") + 1
    return _TAG.sub(" ", text[:closed]) + text[closed:]


def with_lead(text: str, description: str, readable: str) -> str:
    """`text` with the page's standfirst before it, when trafilatura left it out.

    Publishers repeat the lead paragraph in the page's description (`og:description`); a
    paragraph of the page's readable text that opens with that description, and that the
    article text does not hold, is the standfirst set apart from the body.
    """
    key = _flat(_untagged(description)).rstrip(".…").strip()[:_LEAD_KEY_CHARS]
    if len(key) < _LEAD_KEY_CHARS // 2 or key in _flat(text):
        return text
    for paragraph in readable.split("\n\n"):
        if _flat(paragraph).startswith(key):
            return f"{paragraph}\n\n{text}"
    return text


def _flat(text: str) -> str:
    return " ".join(text.split())


def _trafilatura() -> ModuleType:
    """trafilatura, imported on first use (lxml and its data cost ~0.3 s, paid by web pages
    only) without the socket urllib3 opens when it is imported.

    trafilatura imports urllib3 for its downloads, which Dossier never calls; urllib3 learns
    whether IPv6 works by binding a socket to ::1 as it is imported. The app opens no socket
    at all (the self-test watches for any), so IPv6 is reported absent for that one import:
    the probe is skipped, and nothing here ever connects anyway.
    """
    loaded = sys.modules.get("trafilatura")
    if loaded is not None:
        return loaded
    # Looked up, not imported by name: the core imports no network module (test_core_boundaries).
    sockets: Any = importlib.import_module("socket")
    had_ipv6 = sockets.has_ipv6
    sockets.has_ipv6 = False
    try:
        return importlib.import_module("trafilatura")
    finally:
        sockets.has_ipv6 = had_ipv6


def _clean(text: str) -> str:
    """One blank line between paragraphs, as every other extractor gives them."""
    lines = [line.strip() for line in text.replace("\r", "").split("\n")]
    joined = "\n\n".join(line for line in lines if line)
    return unicodedata.normalize("NFC", _BLANK_LINES.sub("\n\n", joined))


def _one_line(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text or None

"""Readable text and facts from a web page saved by a browser, with the standard library only.

What a reader sees of an article is kept: paragraphs (any block element) separated by a blank
line, line breaks where `<br>` puts them, pre-formatted text as it is. What they do not read is
dropped: scripts, styles, `<noscript>`, templates, navigation, asides, forms' buttons and
menus, hidden elements, and the page's own header and footer (a header or footer *inside* the
article, which holds its headline or byline, is kept). When the page marks its article
(`<article>`, else `<main>`), only the longest such element is kept, so that teaser cards and
comment sections do not pollute the text.

Title, author and date come from the tags publishers fill in for social networks and search
engines (Open Graph, `article:published_time`, `author`, JSON-LD `NewsArticle`), then from
`<title>` and `<time datetime>`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

from dossier.ingest.dates import iso_date
from dossier.text import outside_json

_SKIPPED = frozenset(
    {
        "script", "style", "noscript", "template", "nav", "aside", "svg", "math", "iframe",
        "object", "embed", "canvas", "select", "button", "textarea", "head",
    }
)  # fmt: skip
_PAGE_FURNITURE = frozenset({"header", "footer"})
"""Skipped outside an article: site banner, menus, legal footer."""
_VISIBLE_FURNITURE = frozenset({"nav", "aside", "header", "footer"})
"""Read by `visible_text`, which keeps everything a reader could see on the page."""

_VOID = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    }
)  # fmt: skip
_BLOCKS = frozenset(
    {
        "address", "article", "blockquote", "body", "caption", "center", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
        "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "ol", "p",
        "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
    }
)  # fmt: skip
_CELLS = frozenset({"td", "th"})

_TITLE_KEYS = ("og:title", "twitter:title", "dc.title")
_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author")
_DATE_KEYS = (
    "article:published_time", "og:article:published_time", "datepublished", "date",
    "pubdate", "publishdate", "dc.date", "dc.date.issued", "dcterms.created",
    "citation_publication_date", "parsely-pub-date", "sailthru.date",
)  # fmt: skip
_ARTICLE_TYPES = frozenset({"article", "newsarticle", "reportagenewsarticle", "blogposting"})

_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)
"""What Internet Explorer, Edge and Chrome write on top of a page saved as "HTML only"."""
_SAVED_FROM_WINDOW = 4096
_ASCII_SPACE = re.compile(r"[ \t\n\r\f]+")
"""HTML collapses ASCII white space only; a no-break space stays."""


@dataclass
class HtmlText:
    """What a page says, ready for an `ExtractedDocument`."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    language: str | None = None
    """The page's `lang` attribute reduced to 'fr' or 'en' (None for others or none)."""
    metadata: dict[str, str] = field(default_factory=dict)
    other_articles: frozenset[str] = frozenset()
    """Paragraphs (white space collapsed) of the page's other `<article>` elements: teasers."""


@dataclass
class _Paragraph:
    text: str
    region: tuple[str, int]


class _Reader:
    def __init__(self, *, everything: bool = False) -> None:
        self.everything = everything
        self.open: list[tuple[str, bool]] = []
        self.skipping = 0
        self.article_depth = 0
        self.article_id = 0
        self.main_depth = 0
        self.buffer: list[str] = []
        self.pre: list[str] | None = None
        self.paragraphs: list[_Paragraph] = []
        self.meta: dict[str, str] = {}
        self.title: list[str] | None = None
        self.title_text = ""
        self.ld_json: list[str] | None = None
        self.ld_blobs: list[str] = []
        self.lang = ""
        self.canonical = ""
        self.times: list[str] = []

    # Regions -------------------------------------------------------------------------------

    def region(self) -> tuple[str, int]:
        if self.article_depth:
            return ("article", self.article_id)
        if self.main_depth:
            return ("main", 0)
        return ("page", 0)

    def flush(self) -> None:
        raw = "".join(self.buffer)
        self.buffer = []
        lines = [_ASCII_SPACE.sub(" ", line).strip(" ") for line in raw.split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            self.paragraphs.append(_Paragraph(text, self.region()))

    # Parser callbacks ----------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html" and values.get("lang"):
            self.lang = values["lang"]
        elif tag == "meta":
            self._meta(values)
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href", "")
        elif tag == "title" and self.title is None:
            self.title = []
        elif tag == "script" and values.get("type", "").lower() == "application/ld+json":
            self.ld_json = []
        if tag == "body" and any(name == "head" for name, _ in self.open):
            self.handle_endtag("head")  # an unclosed <head> must not hide the body
        if tag in _VOID:
            if tag == "br" and not self.skipping:
                self.buffer.append("\n")
            elif tag == "hr":
                self.flush()
            return
        if tag == "time" and values.get("datetime") and self.article_depth:
            self.times.append(values["datetime"])
        skip = (
            (tag in _SKIPPED and not (self.everything and tag in _VISIBLE_FURNITURE))
            or "hidden" in values
            or values.get("aria-hidden", "").lower() == "true"
            or (
                tag in _PAGE_FURNITURE
                and not (self.everything or self.article_depth or self.main_depth)
            )
        )
        if tag in _BLOCKS or skip:
            self.flush()
        self.open.append((tag, skip))
        self.skipping += skip
        if tag == "article":
            if not self.article_depth:
                self.article_id += 1
            self.article_depth += 1
        elif tag == "main":
            self.main_depth += 1
        elif tag == "pre" and not self.skipping:
            self.flush()
            self.pre = []
        elif tag in _CELLS and not self.skipping:
            self.buffer.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.title is not None and not self.title_text:
            self.title_text = " ".join("".join(self.title).split())
        if tag == "script" and self.ld_json is not None:
            self.ld_blobs.append("".join(self.ld_json))
            self.ld_json = None
        if not any(name == tag for name, _ in self.open):
            return  # a stray end tag: browsers ignore it too
        while self.open:
            name, skip = self.open.pop()
            # Flush first: the text before `</article>` belongs to the article.
            if name == "pre" and self.pre is not None:
                self.end_pre()
            if name in _BLOCKS:
                self.flush()
            self.skipping -= skip
            if name == "article":
                self.article_depth -= 1
            elif name == "main":
                self.main_depth -= 1
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.ld_json is not None:
            self.ld_json.append(data)
        elif self.title is not None and not self.title_text:
            self.title.append(data)
        if self.skipping:
            return
        if self.pre is not None:
            self.pre.append(data)
        else:
            self.buffer.append(data.replace("\n", " "))

    # Helpers -------------------------------------------------------------------------------

    def _meta(self, values: dict[str, str]) -> None:
        key = values.get("property") or values.get("name") or values.get("itemprop") or ""
        content = values.get("content", "")
        if key and content.strip():
            self.meta.setdefault(key.strip().lower(), " ".join(content.split()))

    def end_pre(self) -> None:
        lines = "".join(self.pre or []).split("\n")
        self.pre = None
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        if lines:
            self.paragraphs.append(
                _Paragraph("\n".join(ln.rstrip() for ln in lines), self.region())
            )


class _Readers(HTMLParser):
    """The page's tags and text, read once, handed to each reader: reading the markup is most
    of the cost (two readings took 9 ms of a saved article's 64)."""

    def __init__(self, *readers: _Reader) -> None:
        super().__init__(convert_charrefs=True)
        self.readers = readers

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for reader in self.readers:
            reader.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        for reader in self.readers:
            reader.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        for reader in self.readers:
            reader.handle_data(data)


def _read(markup: str, *readers: _Reader) -> None:
    parser = _Readers(*readers)
    parser.feed(markup)
    parser.close()
    for reader in readers:
        if reader.pre is not None:
            reader.end_pre()
        reader.flush()


def visible_text(markup: str) -> str:
    """Every piece of text a reader could see on the page, menus and footer included."""
    reader = _Reader(everything=True)
    _read(markup, reader)
    return _visible(reader)


def html_to_text(markup: str) -> HtmlText:
    """Readable text, title, author, ISO date and extra facts of an HTML page."""
    reader = _Reader()
    _read(markup, reader)
    return _html_text(reader, markup)


def read_page(markup: str) -> tuple[HtmlText, str]:
    """`html_to_text` and `visible_text` of a page, from one reading of its markup."""
    readable, everything = _Reader(), _Reader(everything=True)
    _read(markup, readable, everything)
    return _html_text(readable, markup), _visible(everything)


def _visible(reader: _Reader) -> str:
    return unicodedata.normalize("NFC", "\n\n".join(p.text for p in reader.paragraphs))


def _html_text(reader: _Reader, markup: str) -> HtmlText:
    ld = _ld_article(reader.ld_blobs)
    meta = reader.meta
    title = _first(meta, _TITLE_KEYS) or _ld_text(ld.get("headline")) or reader.title_text
    author = _first(meta, _AUTHOR_KEYS, reject_urls=True) or _ld_author(ld.get("author"))
    date = next(
        (
            found
            for found in (
                *(iso_date(meta.get(key)) for key in _DATE_KEYS),
                iso_date(_ld_text(ld.get("datePublished"))),
                *(iso_date(value) for value in reader.times),
            )
            if found
        ),
        None,
    )
    extra: dict[str, str] = {}
    for name, value in (
        ("site", meta.get("og:site_name", "")),
        ("url", page_url(reader.canonical, meta.get("og:url"), markup)),
        ("description", meta.get("og:description", "") or meta.get("description", "")),
    ):
        if value.strip():
            extra[name] = " ".join(value.split())
    lang = reader.lang.strip().lower()[:2]
    chosen = _main_region(reader.paragraphs)
    return HtmlText(
        text=unicodedata.normalize(
            "NFC", "\n\n".join(p.text for p in reader.paragraphs if chosen in (None, p.region))
        ),
        other_articles=frozenset(
            " ".join(unicodedata.normalize("NFC", p.text).split())
            for p in reader.paragraphs
            if p.region[0] == "article" and p.region != chosen
        ),
        title=title or None,
        author=author or None,
        date=date,
        language=lang if lang in ("fr", "en") else None,
        metadata=extra,
    )


def page_url(canonical: str | None, og_url: str | None, markup: str) -> str:
    """The page's own address: its canonical link, else `og:url`, else the address a browser
    noted when it saved the page (`<!-- saved from url=(N)... -->`); "" when none is a web
    address."""
    match = _SAVED_FROM.search(markup[:_SAVED_FROM_WINDOW])
    for value in (canonical, og_url, match.group(1) if match else None):
        value = (value or "").strip()
        if value.lower().startswith(("http://", "https://")):
            return value
    return ""


def _main_region(paragraphs: list[_Paragraph]) -> tuple[str, int] | None:
    """The longest article if the page has one, else its main element, else None (all)."""
    sizes: dict[tuple[str, int], int] = {}
    for paragraph in paragraphs:
        sizes[paragraph.region] = sizes.get(paragraph.region, 0) + len(paragraph.text)
    for kind in ("article", "main"):
        candidates = [(size, region) for region, size in sizes.items() if region[0] == kind]
        if candidates:
            # Longest first; on a tie, the earliest (lowest id) article.
            return max(candidates, key=lambda item: (item[0], -item[1][1]))[1]
    return None


def _first(meta: dict[str, str], keys: tuple[str, ...], *, reject_urls: bool = False) -> str:
    for key in keys:
        value = meta.get(key, "")
        if value and not (reject_urls and value.startswith(("http://", "https://"))):
            return value
    return ""


def _ld_article(blobs: list[str]) -> dict[str, object]:
    """The first Article-like object of the page's JSON-LD, or {}."""
    for blob in blobs:
        try:
            data = outside_json.loads(blob)
        except ValueError:
            continue  # third-party markup is often broken; the page's other tags still count
        stack: list[object] = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                kinds = item.get("@type")
                names = kinds if isinstance(kinds, list) else [kinds]
                if any(isinstance(n, str) and n.lower() in _ARTICLE_TYPES for n in names):
                    return item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return {}


def _ld_text(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _ld_author(value: object) -> str:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = _ld_text(item.get("name")) if isinstance(item, dict) else _ld_text(item)
        if name and not name.startswith(("http://", "https://")):
            names.append(name)
    return ", ".join(names)

"""An RTF file is read in time that grows in step with its size, whatever its links, fonts and
properties hold.

striprtf's patterns of a hyperlink field and of a font, and the pattern of an `\\info`
property, tried every split of a line between their parts, and again from each place a match
may start: 20,000 spaces after a link cost 0.46 CPU-s and 40,000 four times that, a line of
fields that never close, of fonts without a name or a title of spaces before a brace as much or
more. Each input below is built against one part of one pattern; its CPU from 10,000 to 40,000
to 160,000 characters must grow as the input does (`tests/growth.py`). The readers that replace
the patterns find what striprtf's find, on random sources and on the corpus.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from striprtf import striprtf

from dossier.errors import InputRefused
from dossier.ingest import rtf_file
from dossier.ingest.formats import extract_bytes
from dossier.ingest.rtf_links import fonts, links_named
from tests.growth import grows_linearly, growth

_LINK = '{\\field{\\*\\fldinst{HYPERLINK "http://example.org/"}}{\\fldrslt '


def _document(body: str) -> bytes:
    return ("{\\rtf1\\ansi{\\fonttbl{\\f0\\fcharset0 Arial;}}Quartermaine " + body + "}").encode(
        "latin-1"
    )


def _fonts(body: str) -> bytes:
    return ("{\\rtf1{\\fonttbl" + body + "}}Quartermaine}").encode("latin-1")


_HOSTILE: dict[str, Callable[[int], bytes]] = {
    "spaces after a link": lambda n: _document(_LINK + "Quartermaine}}" + " " * n + "x"),
    "fields never closed": lambda n: _document("{\\field{\\*\\fldinst{" * (n // 19)),
    "names never quoted": lambda n: _document("{\\field{\\*\\fldinst{HYPERLINK " * (n // 29)),
    "a link's text never closed": lambda n: _document(_LINK[:-10] + "{" + " a" * (n // 2)),
    "quotes closing nothing": lambda n: _document(_LINK[:-33] + '"}}{ ' * (n // 5)),
    "links on one line": lambda n: _document((_LINK + "a}}") * (n // 60)),
    "fonts without a name": lambda n: _fonts("{\\f0\\fcharset0 " * (n // 15)),
    "fonts without a character set": lambda n: _fonts("\\f0" * (n // 3)),
    "a title of spaces": lambda n: _document("{\\info{\\title " + " " * n + "{}}}"),
    "a title of escapes": lambda n: _document("{\\info{\\author " + "\\\\ " * (n // 3) + "{}}}"),
}


def _read(data: bytes) -> None:
    try:
        extract_bytes(data, "hostile.rtf")
    except InputRefused:
        pass  # refused in a moment is fine: the time is what is tested


@pytest.mark.parametrize("build", _HOSTILE.values(), ids=_HOSTILE.keys())
def test_hostile_rtf_costs_in_step_with_its_size(build: Callable[[int], bytes]) -> None:
    costs = growth(_read, build)
    assert grows_linearly(costs) and len(costs) == 3, costs


def test_white_space_after_the_corpus_link_costs_in_step(ingest_corpus: Path) -> None:
    source = (ingest_corpus / "rtf_outlook2003_welcome.rtf").read_bytes()
    after = b"Cached Exchange Mode\\htmlrtf }\\htmlrtf0 \\htmlrtf }\\htmlrtf0 "
    at = source.index(after) + len(after)
    costs = growth(_read, lambda n: source[:at] + b" " * n + source[at:])
    assert grows_linearly(costs) and len(costs) == 3, costs


_LINK_ATOMS = [
    "{", "}", "}}", "}}}", "\\field", "{\\field{\\*\\fldinst{", "{\\FIELD{ \n\\*\\fldinst{",
    "{\\fldrslt ", "HYPERLINK", "hyperlink", '"', '"}}', '"}}{', "http://x", "text", " ",
    "   ", "\t", "\n", "\r\n", "\x1c", "a",
]  # fmt: skip
_FONT_ATOMS = [
    "\\f", "\\f0", "\\f12", "\\fcharset", "\\fcharset0", "\\fcharset12", "\\fcharset204", ";",
    ";;", "Arial", " ", "\n", "{", "}", "0", "\\fnil", "a",
]  # fmt: skip
_INFO_ATOMS = [b"{\\title", b"{\\author ", b" ", b"\n", b"\\", b"\\}", b"{", b"}", b"a", b"\t"]
_STRIPRTF_INFO = re.compile(rb"\{\\(title|subject|author|operator|company)\s+((?:[^{}\\]|\\.)*)\}")


def test_links_fonts_and_properties_read_as_the_patterns_read_them() -> None:
    rng = random.Random(15)
    for _ in range(4000):
        source = "".join(rng.choice(_LINK_ATOMS) for _ in range(rng.randrange(1, 60)))
        assert links_named(source) == striprtf.HYPERLINKS.sub("\\1(\\2)", source), repr(source)
        table = "".join(rng.choice(_FONT_ATOMS) for _ in range(rng.randrange(1, 40)))
        assert fonts(table) == striprtf.FONTTABLE.findall(table), repr(table)
        info = b"".join(rng.choice(_INFO_ATOMS) for _ in range(rng.randrange(1, 30)))
        assert rtf_file._INFO_TEXT.findall(info) == _STRIPRTF_INFO.findall(info), info


def test_the_corpus_links_and_fonts_read_as_striprtf_reads_them(ingest_corpus: Path) -> None:
    sources = sorted(ingest_corpus.glob("*.rtf"))
    assert sources
    for path in sources:
        source = path.read_bytes().decode("latin-1")
        assert links_named(source) == striprtf.HYPERLINKS.sub("\\1(\\2)", source), path.name
        assert fonts(source) == striprtf.FONTTABLE.findall(source), path.name

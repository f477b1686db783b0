"""Every regular expression the readers and the text tools apply to what a file holds costs
time in step with its input, applied as the code applies it.

A pattern whose parts may each take the same characters tries every split of them when the
rest fails, and again from each place a match may start: a text opening with 40 empty HTML
comments was never sniffed (each comment more doubled the time), a Markdown heading with
20,000 spaces inside cost a CPU-s, a page description of "<" or a text of unclosed change marks
the square of their length. The hostile inputs below, built against one pattern each, go
through the functions that apply them; then a small campaign draws inputs from each pattern's
own pieces, repeated, and measures its growth as the code applies it (`_APPLIED`, which a new
pattern must join: the class of fault, not the instances met).
"""

from __future__ import annotations

import importlib
import pkgutil
import random
import re
import zlib
from collections.abc import Callable
from functools import partial
from re import _parser  # type: ignore[attr-defined]  # the pattern's own pieces
from typing import Any

import pytest

import dossier.ingest
import dossier.text
from dossier.errors import InputRefused
from dossier.ingest import article, plaintext, sniff, titles
from dossier.ingest.formats import extract_bytes
from dossier.text import revisions
from tests.growth import cpu_per_call, grows_linearly, growth


def _imported(name: str) -> Callable[[bytes], None]:
    def read(data: bytes) -> None:
        try:
            extract_bytes(data, name)
        except InputRefused:
            pass  # refused in a moment is fine: the time is what is tested

    return read


_HOSTILE: dict[str, tuple[Callable[[Any], object], Callable[[int], Any]]] = {
    "comments before a page": (sniff.looks_like_html, lambda n: "<!---->" * (n // 7) + "x"),
    "a text of empty comments": (_imported("notes.txt"), lambda n: b"<!---->" * (n // 7) + b"x"),
    "a heading with spaces inside": (
        lambda text: plaintext.extract_plain_text(text, markdown=True),
        lambda n: "# Quartermaine" + " " * n + "notes\n",
    ),
    "a heading of hashes and spaces": (
        lambda text: plaintext.extract_plain_text(text, markdown=True),
        lambda n: "# Quartermaine" + " #" * (n // 2) + "notes\n",
    ),
    "a description of unclosed tags": (
        lambda description: article.with_lead("body", description, "readable"),
        lambda n: "<" * n,
    ),
    "an OCR token of apostrophes": (titles.reads_as_words, lambda n: "'" * n),
    "unclosed deletions": (revisions.change_readings, lambda n: "[-" * (n // 2)),
    "unclosed insertions": (revisions.change_readings, lambda n: "a {+" * (n // 4)),
}


@pytest.mark.parametrize("case", _HOSTILE.values(), ids=_HOSTILE.keys())
def test_hostile_input_costs_in_step_with_its_size(
    case: tuple[Callable[[Any], object], Callable[[int], Any]],
) -> None:
    call, build = case
    costs = growth(call, build)
    assert grows_linearly(costs) and len(costs) == 3, costs


# -- the patterns as they were, against the ones that replace them -------------------------

_OLD_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
_OLD_TOKEN = re.compile(r"\W*[\w’'.\-/:%$€@]*\w[\w’'.\-/:%$€@]*\W*")
_OLD_TAG = re.compile(r"<[^>]*>")


def _draw(rng: random.Random, atoms: list[str], most: int) -> str:
    return "".join(rng.choice(atoms) for _ in range(rng.randrange(1, most)))


def test_headings_tokens_tags_and_changes_read_as_before() -> None:
    rng = random.Random(15)
    heading_atoms = ["#", "##", " ", "\t", "\n", "x", "Title", "  ", " #", "\n# ", "    "]
    token_atoms = ["'", "’", ".", "-", "a", "1", "_", "!", "(", "€", "é", "/", " "]
    tag_atoms = ["<", ">", "<b>", "a", " ", "</p>", "x<y"]
    change_atoms = ["[-", "-]", "{+", "+}", "a", " ", "[", "]", "-", "+", "\n"]
    for _ in range(3000):
        text = _draw(rng, heading_atoms, 20)
        old = _OLD_HEADING.search(text)
        new = plaintext.extract_plain_text(text, markdown=True).title
        assert new == (old.group(1).strip() if old else None), repr(text)
        token = _draw(rng, token_atoms, 12)
        assert bool(titles._TOKEN.fullmatch(token)) == bool(_OLD_TOKEN.fullmatch(token)), token
        description = _draw(rng, tag_atoms, 20)
        assert article._untagged(description) == _OLD_TAG.sub(" ", description), description
        changes = _draw(rng, change_atoms, 30)
        assert revisions.change_readings(changes) == _old_readings(changes), repr(changes)


def _old_readings(text: str) -> list[list[tuple[int, int]]]:
    """`change_readings` with each change looked for through the whole text, as before."""
    bounded = revisions._kept
    try:
        revisions._kept = lambda text, dropped, close: bounded(text, dropped, "")  # type: ignore[assignment]
        return revisions.change_readings(text)
    finally:
        revisions._kept = bounded  # type: ignore[assignment]


# -- the campaign: every pattern, as the code applies it -----------------------------------


def _first(window: int) -> Callable[[re.Pattern[Any], Any], object]:
    return lambda pattern, text: pattern.search(text[:window])


def _each(pattern: re.Pattern[Any], text: Any) -> object:
    return [found.span() for found in pattern.finditer(text)]


def _at_start(pattern: re.Pattern[Any], text: Any) -> object:
    return pattern.match(text)


def _whole(pattern: re.Pattern[Any], text: Any) -> object:
    return pattern.fullmatch(text)


def _up_to_last(close: str) -> Callable[[re.Pattern[Any], Any], object]:
    return lambda pattern, text: _each(pattern, text[: text.rfind(close) + len(close)])


def _by_line(pattern: re.Pattern[Any], text: Any) -> object:
    return [pattern.match(line) for line in text.splitlines()]


_APPLIED: dict[str, Callable[[re.Pattern[Any], Any], object]] = {
    "dossier.ingest.article._BLANK_LINES": _each,
    "dossier.ingest.article._TAG": _up_to_last(">"),
    "dossier.ingest.dates._ISO": _at_start,
    "dossier.ingest.dates._COMPACT": _at_start,
    "dossier.ingest.email_message._STRUCTURED": _by_line,
    "dossier.ingest.html_text._SAVED_FROM": _first(4096),
    "dossier.ingest.html_text._ASCII_SPACE": _each,
    "dossier.ingest.image_file._EXIF_DATE": _each,
    "dossier.ingest.layout._CONTROLS": _each,
    "dossier.ingest.mail_boundaries._AFTER": _at_start,  # after a boundary, on its line
    "dossier.ingest.mail_charsets._HEADER": _whole,  # a header's line
    "dossier.ingest.mail_charsets._CHARSET": _each,
    "dossier.ingest.mail_charsets._BOUNDARY": _each,
    "dossier.ingest.mail_charsets._BLANK_LINE": _each,
    "dossier.ingest.mail_charsets._NON_ASCII": _each,
    "dossier.ingest.mail_charsets._LINE": _each,
    "dossier.ingest.mbox._SEPARATOR": _each,
    "dossier.ingest.mbox._ESCAPED_FROM": _each,
    "dossier.ingest.mhtml._CONTENT_TYPE": _each,
    "dossier.ingest.mhtml._SAVED_BY": _each,
    "dossier.ingest.mhtml._FROM": _each,
    "dossier.ingest.odt_file._MARK": _each,
    "dossier.ingest.odt_file._WORD_HEAD": _at_start,
    "dossier.ingest.opc._OFFSET": _at_start,
    "dossier.ingest.outlook_msg._HEADER_DATE": _each,
    "dossier.ingest.plaintext._ATX_HEADING": _each,
    "dossier.ingest.rtf_file._CODEPAGE": _first(4096),
    "dossier.ingest.rtf_file._NUMBER": _at_start,
    "dossier.ingest.rtf_file._INFO_TEXT": _each,
    "dossier.ingest.rtf_file._CREATED": _each,
    "dossier.ingest.rtf_file._HEX": _each,
    "dossier.ingest.rtf_file._BLANK_LINES": _each,
    "dossier.ingest.rtf_file._UNICODE": _each,
    "dossier.ingest.rtf_file._TOKEN": _each,
    "dossier.ingest.rtf_file._MAY_HIDE": _each,
    "dossier.ingest.rtf_file._UNREADABLE_MARKS": _each,
    "dossier.ingest.rtf_file._PAIR": _each,
    "dossier.ingest.rtf_file._LONE_HALF": _each,
    "dossier.ingest.rtf_links._FIELD": _each,
    "dossier.ingest.rtf_links._HYPERLINK": _each,
    "dossier.ingest.rtf_links._SPACE": _each,
    "dossier.ingest.rtf_links._BREAK": _each,
    "dossier.ingest.rtf_links._FONT": _each,
    "dossier.ingest.rtf_links._CHARSET": _each,
    "dossier.ingest.rtf_text._TOKEN": _each,
    "dossier.ingest.sniff._UNWANTED_CONTROLS": _each,
    "dossier.ingest.sniff._HTML_START": _at_start,
    "dossier.ingest.sniff._HTML_INSIDE": _first(4096),
    "dossier.ingest.sniff._META_CHARSET": _first(1024),
    "dossier.ingest.sniff._HEADER_LINE": _by_line,
    "dossier.ingest.titles._PLACEHOLDERS": _at_start,
    "dossier.ingest.titles._WORD": _each,
    "dossier.ingest.titles._TOKEN": _whole,  # a token: a line cut at white space
    "dossier.ingest.utf16._LONE_SURROGATE": _each,
    "dossier.text.bidi._OVERRIDDEN": _each,
    "dossier.text.clean._SURROGATE": _each,
    "dossier.text.clean._OVERRIDES": _each,
    "dossier.text.fold._RUN": _each,
    "dossier.text.fold.WORD": _each,
    "dossier.text.lang._WORD": _each,
    "dossier.text.lang._ELISION_MARK": _each,
    "dossier.text.marked_text._PENDING": _each,
    "dossier.text.marked_text._RESERVED": _each,
    "dossier.text.readings._PERCENT_RUN": _each,
    "dossier.text.readings._REFERENCE": _each,
    "dossier.text.revisions._DELETION": _up_to_last("-]"),
    "dossier.text.revisions._INSERTION": _up_to_last("+}"),
    "dossier.text.revisions._MARKS": _each,
    "dossier.text.revisions._MARK_STRING": _each,
}
"""How the code applies each pattern to what a file holds: through the whole text (`_each`,
which a `sub`, `split` or `search` may come to), at its start, to one line or token whole, or
to a head of known length."""


def _patterns() -> dict[str, re.Pattern[Any]]:
    found: dict[str, re.Pattern[Any]] = {}
    seen: set[tuple[str, int]] = set()  # a pattern imported keeps its name
    for package in (dossier.ingest, dossier.text):
        for module in pkgutil.iter_modules(package.__path__):
            loaded = importlib.import_module(f"{package.__name__}.{module.name}")
            for name, value in vars(loaded).items():
                if isinstance(value, re.Pattern) and (name, id(value)) not in seen:
                    seen.add((name, id(value)))
                    found[f"{loaded.__name__}.{name}"] = value
    return found


def test_every_pattern_says_how_it_is_applied() -> None:
    assert sorted(_patterns()) == sorted(_APPLIED)


def _pieces(pattern: re.Pattern[Any]) -> list[str]:
    """The pattern's literal strings and a character of each of its sets, and a few of the
    characters files are made of."""
    pieces = {" ", "\n", "\r\n", "\t", "a", "0", "<", ">", "{", "}", "\\", ";", ":", "-", '"'}
    literal: list[str] = []

    def done() -> None:
        if literal:
            pieces.add("".join(literal))
            literal.clear()

    def walk(parsed: Any) -> None:
        for op, value in parsed:
            name = str(op)
            if name == "LITERAL":
                literal.append(chr(value))
                continue
            done()
            if name == "IN":
                for item, argument in value:
                    if str(item) == "LITERAL":
                        pieces.add(chr(argument))
                    elif str(item) == "RANGE":
                        pieces.update((chr(argument[0]), chr(argument[1])))
                    elif str(item) == "CATEGORY":
                        pieces.update((" ", "a", "0", "_", ".", "'"))
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                walk(value[2])
            elif name == "SUBPATTERN":
                walk(value[3])
            elif name == "BRANCH":
                for branch in value[1]:
                    walk(branch)
                    done()
            elif name in ("ASSERT", "ASSERT_NOT"):
                walk(value[1])
            elif name == "ATOMIC_GROUP":
                walk(value)
            done()
        done()

    source = pattern.pattern
    if isinstance(source, bytes):
        source = source.decode("latin-1")
    walk(_parser.parse(source, pattern.flags))
    return sorted(pieces)


@pytest.mark.parametrize(
    "trials", [pytest.param(3, id="every run"), pytest.param(40, marks=pytest.mark.slow)]
)
def test_each_pattern_costs_in_step_with_inputs_of_its_own_pieces(trials: int) -> None:
    slow: list[str] = []
    for name, pattern in _patterns().items():
        apply = _APPLIED[name]
        rng = random.Random(zlib.crc32(name.encode()))
        pieces = _pieces(pattern)
        for _ in range(trials):
            head, repeated, tail = (_draw(rng, pieces, most) for most in (5, 4, 2))
            text = head + repeated * (4000 // len(repeated)) + tail
            inputs = [text[: len(text) // 4], text]
            if isinstance(pattern.pattern, bytes):
                inputs = [part.encode("utf-8", "surrogatepass") for part in inputs]
            costs = [cpu_per_call(partial(apply, pattern), part, 1, 0.002) for part in inputs]
            if not grows_linearly(costs):  # measured again, as the other tests measure
                costs = [cpu_per_call(partial(apply, pattern), part) for part in inputs]
            if not grows_linearly(costs):
                slow.append(f"{name}: {head!r} + {repeated!r} * n + {tail!r}: {costs}")
                break
    assert not slow, "\n".join(slow)

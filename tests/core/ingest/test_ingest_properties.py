"""Properties of the text paths, for any input Hypothesis can build: sniffing, HTML, e-mail.

- Sniffing: any bytes get a kind or a clear refusal (InputRefused), never another exception;
  a PDF header anywhere in the first KiB always means PDF; text decoding loses nothing (what
  decodes re-encodes to the same bytes, BOM aside).
- HTML: any markup gives text, never an exception; words written as plain paragraphs are all
  in it, whatever nesting and entities surround them.
- E-mail: any message built of text parts, in any charset that can encode them, keeps every
  part's text; any bytes are read or refused, never an exception.
- Text or binary: the share of control characters is counted exactly (white space aside).
- Office text: `layout.clean` turns exactly the control characters but tab and line feed into
  spaces, whatever the text (its table must match Unicode's category Cc); an RTF file's whole
  text cleaned at once reads as its lines cleaned one by one.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier.errors import InputRefused
from dossier.ingest import sniff
from dossier.ingest.email_message import extract_email
from dossier.ingest.html_text import html_to_text
from dossier.ingest.layout import Layout, clean, clean_lines
from dossier.ingest.sniff import PDF, decode_text, sniff_kind
from dossier.text.marked_text import plain

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = st.text(alphabet=st.characters(categories=("Lu", "Ll")), min_size=3, max_size=12).map(
    lambda word: unicodedata.normalize("NFC", word)
)
"""Words of letters only (any script), in NFC: the form every extractor gives its text in."""
NAMES = st.sampled_from(["a.pdf", "a.txt", "a.html", "a.eml", "a.md", "a", "a.mbox", "a.doc"])


@SETTINGS
@given(head=st.binary(max_size=2048), name=NAMES)
def test_any_bytes_get_a_kind_or_a_refusal(head: bytes, name: str) -> None:
    try:
        kind = sniff_kind(Path(name), head)
    except InputRefused as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(kind, str) and kind


@SETTINGS
@given(junk=st.binary(max_size=1000), rest=st.binary(max_size=500), name=NAMES)
def test_a_pdf_header_in_the_first_kib_is_a_pdf(junk: bytes, rest: bytes, name: str) -> None:
    head = junk[: 1024 - len(b"%PDF-")] + b"%PDF-1.7" + rest
    assert sniff_kind(Path(name), head) == PDF


@SETTINGS
@given(text=st.text(max_size=300), encoding=st.sampled_from(["utf-8", "cp1252", "latin-1"]))
def test_decoded_text_is_the_bytes_it_came_from(text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    if data.startswith(_MARKS):
        return  # "þÿ" in Windows-1252 is UTF-16's byte-order mark: a BOM wins, as it must
    decoded = decode_text(data)
    if decoded is None:
        return  # refused as binary (control characters): nothing was silently changed
    assert decoded.encode(_reading(data)) == data


_MARKS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
"""Byte-order marks (UTF-32's begin with UTF-16's)."""


def _reading(data: bytes) -> str:
    # decode_text's order: UTF-8, else Windows-1252, else Latin-1.
    for encoding in ("utf-8", "cp1252"):
        try:
            codecs.decode(data, encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


MARKUP = st.recursive(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
    lambda inner: st.tuples(
        st.sampled_from(["div", "span", "p", "b", "table", "td", "ul", "li", "script", "x"]),
        st.lists(inner, max_size=4),
        st.booleans(),
    ).map(lambda t: f"<{t[0]}>{''.join(t[1])}" + (f"</{t[0]}>" if t[2] else "")),
    max_leaves=30,
)


@SETTINGS
@given(markup=MARKUP)
def test_any_markup_gives_text(markup: str) -> None:
    assert isinstance(html_to_text(markup).text, str)


@SETTINGS
@given(paragraphs=st.lists(st.lists(WORDS, min_size=1, max_size=6), min_size=1, max_size=5))
def test_every_word_of_plain_paragraphs_is_kept(paragraphs: list[list[str]]) -> None:
    body = "".join(f"<div><p>{' '.join(words)}</p></div>" for words in paragraphs)
    text = html_to_text(f"<html><body>{body}</body></html>").text
    for words in paragraphs:
        for word in words:
            assert word in text


CHARSETS = st.sampled_from(["utf-8", "iso-8859-1", "koi8-r", "cp1251", "iso-8859-15", "utf-16"])


@SETTINGS
@given(parts=st.lists(st.tuples(st.lists(WORDS, min_size=1, max_size=5), CHARSETS), max_size=4))
def test_every_text_part_of_a_message_is_kept(parts: list[tuple[list[str], str]]) -> None:
    message = MIMEMultipart("mixed")
    message["From"] = "source@example.org"
    message["Subject"] = "Réponse"
    kept: list[str] = []
    for words, charset in parts:
        text = " ".join(words)
        try:
            text.encode(charset)
        except UnicodeEncodeError:
            continue
        message.attach(MIMEText(text, "plain", charset))
        kept.append(text)
    read = extract_email(message.as_bytes(), "message.eml").pages[0].text
    squeezed = re.sub(r"\s+", " ", read)
    for text in kept:
        assert text in squeezed


@SETTINGS
@given(data=st.binary(max_size=3000))
def test_any_bytes_as_a_message_are_read_or_refused(data: bytes) -> None:
    try:
        extract_email(b"From: a@example.org\r\n" + data, "any.eml")
    except InputRefused as exc:
        assert "\n" not in str(exc)


def _clean_by_category(text: str) -> str:
    """`layout.clean` by its definition, one character at a time."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch if ch in "\t\n" or unicodedata.category(ch) != "Cc" else " " for ch in text)
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n")).strip()


@SETTINGS
@given(
    text=st.text(alphabet=st.characters(codec="utf-8"))
    | st.text(alphabet="a\t\n \x00\x1f\x7f\x85\x9f\xa0\u2028é\u0301")
)
def test_office_text_loses_exactly_its_control_characters(text: str) -> None:
    assert clean(text) == _clean_by_category(text)


@SETTINGS
@given(
    text=st.text(alphabet=st.characters(codec="utf-8"))
    | st.text(
        # Marks that compose with what comes before or after them, Hangul jamo, letters that
        # decompose, every kind of white space and control: what a line feed could join.
        alphabet="a \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000\ufeffAÅé\u0301\u030a\u0327"
        "\u0345\u1100\u1161\u11a8\uac00\u0b47\u0b3e\u0915\u093c\u212b"
    )
)
def test_an_rtf_text_is_cleaned_as_its_lines_one_by_one(text: str) -> None:
    """An RTF file's text is cleaned whole (`clean_lines`): the same as each line alone."""
    assert clean_lines(text) == "\n".join(clean(line) for line in text.split("\n"))


_PARAGRAPH_TEXT = st.text(
    # What escaping, normalising and cleaning look at, and what could join across a line feed:
    # mark strings and their pieces, reserved and marking characters, composing marks.
    alphabet="a \t\n\r\x0b\x1c\x85\xa0\u2028\u3000\ufeffAé\u0301\u0327\u1100\u1161\uac00"
    "[]{}-+\u2060\ufdd0\ufdd4\ufdef\U0010fffe",
    max_size=12,
)


@SETTINGS
@given(texts=st.lists(_PARAGRAPH_TEXT, max_size=8), before=st.lists(_PARAGRAPH_TEXT, max_size=2))
def test_plain_paragraphs_read_together_are_read_as_one_by_one(
    texts: list[str], before: list[str]
) -> None:
    """An OpenDocument file's paragraphs of text alone are read together: the same blocks as
    each read alone (`Layout.paragraph` of its `plain` text), after the blocks before them."""
    together, one_by_one = Layout(), Layout()
    for layout in (together, one_by_one):
        for text in before:
            layout.paragraph(plain(text), marker="-")
    together.plain_paragraphs(texts)
    for text in texts:
        one_by_one.paragraph(plain(text))
    assert together.blocks == one_by_one.blocks


def test_every_control_character_is_replaced() -> None:
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    assert clean("x" + every + "x") == _clean_by_category("x" + every + "x")


def _looks_like_text_by_category(text: str) -> bool:
    controls = sum(1 for ch in text if ch not in "\t\n\r\f\v" and unicodedata.category(ch) == "Cc")
    return controls <= 0.001 * len(text)


@SETTINGS
@given(
    filler=st.integers(0, 3000),
    noise=st.text(alphabet="\x00\x01\x1b\x7f\x85\x9f\t\n\r\x0b\x0c\xa0é", max_size=8),
)
def test_text_and_binary_are_told_apart_by_their_control_characters(
    filler: int, noise: str
) -> None:
    text = "a" * filler + noise
    assert sniff._looks_like_text(text) == _looks_like_text_by_category(text)


def test_every_control_character_counts_against_text() -> None:
    controls = [chr(code) for code in range(0x110000) if unicodedata.category(chr(code)) == "Cc"]
    for control in controls:
        text = "a" * 999 + control + control  # two in 1,001: over the share, unless white space
        assert sniff._looks_like_text(text) == _looks_like_text_by_category(text), repr(control)

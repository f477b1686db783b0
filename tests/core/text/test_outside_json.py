"""JSON from outside: nested too deep or holding escaped lone surrogates, read by every reader
as any other bad input, never a traceback.

Python's reader raised RecursionError (not the ValueError each reader caught) for arrays nested
a few thousand deep: a bundle's manifest or signature file, a sealed bundle's header, a web
page's JSON-LD, a list of quotes given to `dossier anchor`. And it kept `"\\udc80"` as a string
that cannot be encoded."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.cli.commands.anchor import _read_quotes
from dossier.errors import InputRefused, UsageError
from dossier.export.manifest import parse
from dossier.export.signing import check_signature
from dossier.export.transport import _parse_header
from dossier.ingest.html_text import read_page
from dossier.redact.bundlecheck import _text_views
from dossier.text import outside_json

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 50_000 + "1" + "}" * 50_000


@pytest.mark.parametrize("text", [DEEP, DEEP_OBJECT, "[" * 100_000])
def test_too_deep_is_malformed_json(text: str) -> None:
    with pytest.raises(ValueError):
        outside_json.loads(text)


def test_strings_and_keys_made_valid_text() -> None:
    value = outside_json.loads('{"a\\udc80": ["x\\ud800", {"k": "\\udce9t\\u00e9"}], "n": 1}')
    assert value == {"a\x80": ["x\ufffd", {"k": "\xe9t\xe9"}], "n": 1}
    nested = outside_json.loads("[" * 900 + '"\\udc80"' + "]" * 900)
    for _ in range(900):
        nested = nested[0]
    assert nested == "\x80"


def test_bundle_readers_refuse_deep_json_with_a_sentence() -> None:
    with pytest.raises(InputRefused, match="not JSON"):
        parse(DEEP.encode())
    assert check_signature(b"{}", DEEP.encode()).problem == "manifest.sig is malformed"
    with pytest.raises(InputRefused, match="malformed header"):
        _parse_header(DEEP.encode(), "x.dossier-bundle")
    assert ("the file", "not valid JSON") in _text_views("manifest.json", DEEP.encode())


def test_a_page_with_deep_json_ld_reads_its_text() -> None:
    markup = (
        "<html><head><title>Le port</title>"
        f'<script type="application/ld+json">{DEEP}</script></head>'
        "<body><p>Les caméras du port filment les quais.</p></body></html>"
    )
    text, _title = read_page(markup)
    assert "filment les quais" in text.text


def test_anchor_quotes_file_deep_line_refused_and_surrogates_cleaned(tmp_path: Path) -> None:
    quotes = tmp_path / "quotes.jsonl"
    quotes.write_text('{"id": 1, "quote": "Le port\\udc80"}\n' + DEEP + "\n")
    with pytest.raises(UsageError, match="line 2: not valid JSON"):
        _read_quotes(quotes)
    quotes.write_text('{"id": 1, "quote": "Le port\\udc80"}\n')
    assert _read_quotes(quotes) == [(1, "Le port\x80")]

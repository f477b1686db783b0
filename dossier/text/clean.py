"""Text from outside made valid Unicode before it is stored, indexed or shown.

Python's e-mail parser (and other readers given undecodable bytes) keeps a byte it could not
decode as a lone surrogate (U+DC80–U+DCFF, "surrogateescape"). Such a string cannot be encoded
as UTF-8: sealing it in the catalog, indexing it or printing it fails. Each escaped byte becomes
the Latin-1 character of that byte and any other lone surrogate becomes U+FFFD: one character
for one, so offsets into page text and the word map stay true, and no byte is dropped.

A document's title, author, outlet and details (an e-mail's subject and sender, a web page's
title) also lose the bidirectional embeddings and overrides (U+202A–U+202E): an override shows
the letters after it in reverse order, so a subject "Facture \u202efdp.exe" would be listed
as "Facture exe.pdf". Page text keeps them, as written, at their offsets.
"""

from __future__ import annotations

import dataclasses
import re

from dossier.text.model import EmbeddedFile, ExtractedDocument

_SURROGATE = re.compile("[\ud800-\udfff]")
_OVERRIDES = re.compile("[\u202a-\u202e]")


def _replace(match: re.Match[str]) -> str:
    code = ord(match.group())
    return chr(code - 0xDC00) if 0xDC80 <= code <= 0xDCFF else "\ufffd"


def valid_text(text: str) -> str:
    try:
        # Encoding fails on a surrogate and on nothing else: a pass in C over text that holds
        # none (nearly all of it), where the pattern's search cost four times as much.
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub(_replace, text)
    return text


def _field(text: str) -> str:
    return _OVERRIDES.sub("", valid_text(text))


def _opt(text: str | None) -> str | None:
    return None if text is None else _field(text)


def clean_document(doc: ExtractedDocument) -> ExtractedDocument:
    """`doc` with every string valid Unicode (pages changed in place, lengths kept)."""
    for page in doc.pages:
        page.text = valid_text(page.text)
        page.label = valid_text(page.label)
        page.full_text = valid_text(page.full_text)
    doc.title, doc.author, doc.date = _opt(doc.title), _opt(doc.author), _opt(doc.date)
    doc.language, doc.outlet = _opt(doc.language), _opt(doc.outlet)
    doc.metadata = {_field(k): _field(v) for k, v in doc.metadata.items()}
    doc.embedded = [
        dataclasses.replace(e, name=valid_text(e.name), origin=valid_text(e.origin))
        if isinstance(e, EmbeddedFile)
        else e
        for e in doc.embedded
    ]
    return doc

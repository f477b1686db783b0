"""The catalogs cover the code: every marked string has a French translation, in step with the
source, with the same placeholders and French typography; the compiled .mo is the .po."""

from __future__ import annotations

import string

import pytest
from babel.messages.catalog import Message

from tests.i18n.typography import faults
from tools.catalog import compiled, extract, po_files, problems, read

FRENCH = next(p for p in po_files() if p.parts[-3] == "fr")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _french() -> list[Message]:
    return [m for m in read(FRENCH) if m.id]


def _pairs(message: Message) -> list[tuple[str, str]]:
    if isinstance(message.id, str):
        assert isinstance(message.string, str)
        return [(message.id, message.string)]
    return [(message.id[0], message.string[0]), (message.id[1], message.string[1])]


def test_the_code_marks_its_sentences_in_the_core_and_the_app() -> None:
    marked = extract()  # the code read once (0.9 CPU-s)
    where = {w.split("/")[0] for places in marked.values() for w in places}
    assert where == {"dossier", "ui"}
    assert len(marked) > 600


def test_every_marked_string_has_a_french_translation_and_the_catalog_is_in_step() -> None:
    # Fails on a new string without French (run `python -m tools.catalog update`, translate),
    # a fuzzy entry, or an entry whose string the code no longer has.
    found = list(problems(FRENCH))
    assert found == [], (
        "run `python -m tools.catalog update`, then write the French of each new string in "
        "resources/locale/fr/LC_MESSAGES/dossier.po (any gettext editor, or by hand)"
    )


def test_translations_keep_the_placeholders() -> None:
    wrong = [
        english
        for message in _french()
        for english, french in _pairs(message)
        if _fields(english) != _fields(french)
        # A plural's singular may say "un" where the English says {n}.
        and not (_fields(english) - {"n"} == _fields(french) - {"n"} and english != message.id)
    ]
    assert wrong == []


def test_french_typography() -> None:
    found = {
        french: faults(french)
        for message in _french()
        for _english, french in _pairs(message)
        if faults(french)
    }
    assert found == {}


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Nom\u00a0:", True),
        ("Supprimer\u202f?", True),
        ("« {name} »", False),
        ("«\u00a0{name}\u00a0»", True),
        ("Nom :", False),
        ("{path}: {reason}", False),
        ("voir https://exemple.fr", True),
        ("à 12:30", True),
        ("{n:>3}", True),
    ],
)
def test_the_typography_check_itself(text: str, ok: bool) -> None:
    assert (faults(text) == []) is ok


def test_the_compiled_catalog_is_the_committed_one() -> None:
    # The tests compile it at start (tests/conftest.py) as `make` does; the app reads this file.
    assert FRENCH.with_suffix(".mo").read_bytes() == compiled(FRENCH)

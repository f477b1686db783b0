"""Words and file names the system could not decode as UTF-8 (a Latin-1 terminal, a file
named on an old Windows) reach the vault as their letters, never as an internal error.

Python hands such bytes over as lone surrogates ("\\udce9" for the byte 0xE9); before, every
command storing one (a case's name, a title, a person, a question, a file's name) failed with
an internal error at the catalog's sealing."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest

from dossier.cli.arguments import PathArgument, path_argument, valid_arguments
from dossier.cli.main import build_parser
from tests.clivault import CliVault


def undecodable(text: str) -> str:
    """`text` as Python gives it when the system passed it in Latin-1 bytes."""
    return os.fsdecode(text.encode("latin-1"))


def _actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _actions(sub)
        else:
            found.append(action)
    return found


FILE_WORDS = ("FILE", "DIR", "PDF", "F", "FILE.zip")


def test_every_argument_naming_a_file_keeps_the_systems_bytes_and_no_other_does() -> None:
    actions = _actions(build_parser())
    naming_files = [a for a in actions if a.metavar in FILE_WORDS]
    assert len(naming_files) >= 12
    assert all(a.type is path_argument for a in naming_files), [
        a.dest for a in naming_files if a.type is not path_argument
    ]
    assert all(a.metavar in FILE_WORDS for a in actions if a.type is path_argument)


def test_words_are_made_valid_and_file_names_are_not() -> None:
    name = undecodable("Enquête")
    args = argparse.Namespace(
        title=name, files=[PathArgument(name), name], out=PathArgument(name), count=3
    )
    valid_arguments(args)
    assert args.title == "Enquête"
    assert args.files == [name, "Enquête"] and isinstance(args.files[0], PathArgument)
    assert args.out == name and args.count == 3


@pytest.fixture
def vault(tmp_path: Path) -> CliVault:
    vault = CliVault(tmp_path, "v.dossier")
    vault.ok("init")
    return vault


def test_a_case_titles_people_questions_and_searches_typed_in_latin_1(
    vault: CliVault, tmp_path: Path
) -> None:
    case = undecodable("Enquête préfecture")
    assert "Enquête préfecture" in vault.ok("case", "create", case)
    note = tmp_path / "note.txt"
    note.write_text("Le rapport de la commission est prêt depuis l'été.", encoding="utf-8")
    vault.ok("import", "--case", case, "--title", undecodable("Réponse du préfet"), str(note))
    listing = vault.ok("doc", "list", "--case", "Enquête préfecture")
    assert "Réponse du préfet" in listing
    hits = vault.ok("search", "--case", case, undecodable("prêt"))
    assert "Réponse du préfet" in hits
    vault.ok("person", "add", "--case", case, undecodable("Hélène Martin"), "--role", "official")
    vault.ok("person", "add", "--case", case, undecodable("Léa Pérez"), "--role", "journalist")
    assert "Hélène Martin" in vault.ok("person", "list", "--case", case)
    vault.ok(
        "timeline", "add", "--case", case, "--date", "2023-11-20",
        "--title", undecodable("Réunion à la préfecture"),
    )  # fmt: skip
    assert "Réunion à la préfecture" in vault.ok("timeline", "--case", case)
    letter = vault.json(
        "letter", "add", "--case", case, "--from", "Léa Pérez", "--to", "Hélène Martin",
        "--subject", undecodable("Questions écrites"),
        "--question", undecodable("Quand a-t-elle été saisie ?"),
    )  # fmt: skip
    assert letter["subject"] == "Questions écrites"


def test_a_file_whose_name_is_not_utf8_imports_under_its_letters(
    vault: CliVault, tmp_path: Path
) -> None:
    vault.ok("case", "create", "Courrier")
    inbox = tmp_path / "recu"
    inbox.mkdir()
    raw = os.fsencode(inbox) + b"/rapport-\xe9t\xe9.txt"
    with open(raw, "wb") as fh:
        fh.write("Le rapport de la commission est prêt.".encode())
    out = vault.ok("import", "--case", "Courrier", str(inbox))
    assert "imported rapport-été.txt as" in out
    assert "rapport-été" in vault.ok("doc", "list", "--case", "Courrier")
    # The file itself, named on the command line with its bytes, is found and recognised.
    again = vault.run("import", "--case", "Courrier", os.fsdecode(raw))
    assert "rapport-été.txt is already in this case" in again.stdout + again.stderr

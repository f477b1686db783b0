"""Counts read as real plurals ("1 question", "2 questions"), not with the "(s)" shortcut,
in English and in French (where 0 and 1 take the singular)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from dossier import i18n
from dossier.cli.commands.letters import _summary_line
from dossier.services.letters.dto import LettersSummary

CATALOG = Path(__file__).parents[2] / "resources/locale/fr/LC_MESSAGES/dossier.po"

# Messages still written with the "(s)" shortcut, waiting to become ngettext/ntr calls. This
# list only shrinks: a new "(s)" message fails the test below.
NOT_YET_PLURAL = frozenset(
    {
        "Imported {d} document(s) and {q} quote(s) as the case “{name}”.",
        "Merged into {name}: {n} reference(s) moved.",
        (
            "a re-encryption of the vault was interrupted: {n} case(s) are still un"
            "der their old keys; run 'dossier rekey' (or Preferences › Re-encrypt t"
            "he vault…) to finish it"
        ),
        "checked {n} quote(s): {summary}",
        "indexed {total} items in {n} case(s)",
        "page {page}, {n} box(es)",
        (
            "re-encrypted {cases} case(s) under new keys ({documents} documents, {p"
            "ages} pages, {originals} original files); the master key was replaced "
            "too"
        ),
        "{n} checked: {d} document(s), {q} quote(s)",
        "{n} drawn box(es)",
        "{n} e-mail(s), phone number(s) or other pattern(s)",
        "{n} page(s) with marks in {d} document(s). Black boxes are final.",
        "{n} passage(s) in quotation marks: {bad} to look at ({missing} not found).",
        "{n} protected name(s)",
        "{n} protected name(s) hidden behind a pseudonym.",
        "{n} quote(s) checked, {k} to review.",
        "{n} quote(s) will not leave as written:",
        "{n} quote(s), {k} with a re-check to review.",
        "{n} quoted passage(s): {n2} to look at ({value} not found, {value2} altered)",
        "{n} term(s)",
        (
            "{table}: {count} row(s) {value}{where} (the inventory lists {expected_"
            "count}, the catalog holds {count2})"
        ),
    }
)


def _msgids() -> list[str]:
    with CATALOG.open("rb") as f:
        catalog = read_po(f)
    ids: list[str] = []
    for message in catalog:
        ids.extend(message.id if isinstance(message.id, tuple) else (message.id,))
    return ids


def test_no_new_message_counts_with_the_s_shortcut() -> None:
    shortcut = {i for i in _msgids() if "(s)" in i or "(es)" in i}
    assert shortcut - NOT_YET_PLURAL == set()
    # A message turned into a real plural must leave the list too, so it keeps shrinking.
    assert NOT_YET_PLURAL - shortcut == set()


def _summary(letters: int, unanswered: int) -> LettersSummary:
    return LettersSummary(
        case_id="c1",
        as_of="2026-01-10",
        letters=letters,
        by_state={"sent": letters},
        unanswered=unanswered,
        overdue=letters,
        awaiting=0,
    )


@pytest.fixture
def french() -> Iterator[None]:
    i18n.set_language("fr")
    yield
    i18n.set_language("en")


@pytest.mark.usefixtures("french")
def test_the_letters_summary_agrees_its_nouns_in_french() -> None:
    one = _summary_line(_summary(1, 1))
    assert "1 question sans réponse" in one and "1 courrier (" in one
    assert "1 courrier en retard" in one and "(s)" not in one
    two = _summary_line(_summary(2, 2))
    assert "2 questions sans réponse" in two and "2 courriers en retard" in two
    # French counts zero in the singular.
    assert "0 question sans réponse" in _summary_line(_summary(0, 0))


def test_the_letters_summary_agrees_its_nouns_in_english() -> None:
    assert "1 question unanswered" in _summary_line(_summary(1, 1))
    line = _summary_line(_summary(2, 0))
    assert "2 letters (" in line and "0 questions unanswered" in line
    assert "2 letters overdue" in line

"""Which language a user gets: LANGUAGE (a list), LC_ALL, LC_MESSAGES, LANG, as gettext reads
them; the app's Preferences can force one. Core sentences follow."""

from __future__ import annotations

import pytest

from dossier import i18n
from dossier.errors import quoted


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANGUAGE": "fr"}, "fr"),
        ({"LANGUAGE": "de:fr_BE:en", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LANGUAGE": "en:fr", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LC_ALL": "fr_CA.UTF-8", "LANG": "en_GB.UTF-8"}, "fr"),
        ({"LC_MESSAGES": "fr_FR@euro", "LANG": "en_GB.UTF-8"}, "fr"),
        ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANGUAGE": "", "LANG": "fr_CH.UTF-8"}, "fr"),
    ],
)
def test_the_environment_chooses_as_gettext_does(environ: dict[str, str], language: str) -> None:
    assert i18n.choose_language("auto", environ) == language


def test_nothing_set_is_english_and_an_explicit_choice_wins() -> None:
    assert i18n.language_from_environment({}) is None
    assert i18n.choose_language("auto", {}) == "en"
    assert i18n.choose_language("fr", {"LANG": "en_US.UTF-8"}) == "fr"
    assert i18n.choose_language("en", {"LANGUAGE": "fr"}) == "en"


def test_core_sentences_follow_the_language() -> None:
    assert i18n.set_language("fr") == "fr"
    assert i18n.gettext("the vault is locked") == "le coffre est verrouillé"
    assert quoted("Rapport") == "«\u00a0Rapport\u00a0»"
    assert i18n.set_language("en") == "en"
    assert i18n.gettext("the vault is locked") == "the vault is locked"
    assert quoted("Rapport") == "“Rapport”"


def test_a_language_without_its_compiled_catalog_shows_english(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(i18n, "locale_dir", lambda: tmp_path)
    assert i18n.set_language("fr") == "fr"
    assert i18n.gettext("the vault is locked") == "the vault is locked"

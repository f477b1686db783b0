"""Translations of every sentence Dossier shows: one gettext domain for core, CLI and app.

English is the source language, written in the code. Each other language is a catalog,
`resources/locale/<lang>/LC_MESSAGES/dossier.po`, that translators edit with their usual tools
(Poedit, Lokalize, Weblate); `make` compiles it to the `.mo` that the standard library's
`gettext` reads, so the app and the CLI need nothing beyond Python at run time.

- `_("text")` translates now; `ngettext(singular, plural, n)` picks the plural form.
- `N_("text")` only marks a string defined before it is shown (a module-level table of labels);
  pass it through `_()` where it is shown, so it follows a change of language.
- Placeholders are named and filled after translation: `_("Case {name} not found").format(...)`,
  so a translator can move them.

The language is chosen the way gettext programs choose it (`LANGUAGE`, a colon-separated list,
then `LC_ALL`, `LC_MESSAGES`, `LANG`); the app's Preferences can force one (`set_language`).
"""

from __future__ import annotations

import gettext as _gettext
import os
import threading
from collections.abc import Mapping
from pathlib import Path

from dossier.resources import resource_path

DOMAIN = "dossier"
SOURCE_LANGUAGE = "en"
# The languages with a catalog. English needs none: it is the text in the code.
LANGUAGES = ("en", "fr")
ENVIRONMENT_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_lock = threading.Lock()
_current: _gettext.NullTranslations | None = None
_current_language = SOURCE_LANGUAGE


def locale_dir() -> Path:
    return resource_path("locale")


def _code(entry: str) -> str:
    """'fr_CA.UTF-8@euro' -> 'fr'; 'C' and 'POSIX' are English."""
    code = entry.split(".")[0].split("@")[0].split("_")[0].split("-")[0].strip().lower()
    return SOURCE_LANGUAGE if code in ("c", "posix") else code


def language_from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """The first language Dossier has in the environment's choice, as gettext reads it: the
    first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG that is set decides. None when none is set."""
    env = os.environ if environ is None else environ
    for variable in ENVIRONMENT_VARIABLES:
        value = env.get(variable, "")
        if not value:
            continue
        # Only LANGUAGE is a list of preferences; the others name one locale.
        entries = value.split(":") if variable == "LANGUAGE" else [value]
        for entry in entries:
            code = _code(entry)
            if code in LANGUAGES:
                return code
        # A set variable whose languages Dossier lacks means English, as gettext falls back.
        return SOURCE_LANGUAGE
    return None


def choose_language(preference: str = "auto", environ: Mapping[str, str] | None = None) -> str:
    """A language Dossier has: `preference` when it names one, else the environment's."""
    if preference in LANGUAGES:
        return preference
    return language_from_environment(environ) or SOURCE_LANGUAGE


def _translation(language: str) -> _gettext.NullTranslations:
    if language == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    # fallback: a missing .mo (a checkout where `make` has not compiled it yet) shows English
    # rather than failing; tests compile the catalogs first and check they are complete.
    return _gettext.translation(DOMAIN, str(locale_dir()), languages=[language], fallback=True)


def set_language(language: str) -> str:
    """Show every later sentence in `language` ('auto' reads the environment); returns the
    language chosen."""
    global _current, _current_language
    chosen = choose_language(language)
    translation = _translation(chosen)
    with _lock:
        _current, _current_language = translation, chosen
    return chosen


def current_language() -> str:
    _active()
    return _current_language


def _active() -> _gettext.NullTranslations:
    # The first sentence shown picks the environment's language unless a front end chose.
    if _current is None:
        set_language("auto")
    assert _current is not None
    return _current


def gettext(message: str) -> str:
    """`message` in the current language (itself when it has no translation)."""
    return _active().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for `n` in the current language (French counts 0 and 1 as singular)."""
    return _active().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it yet (translate where shown)."""
    return message


_ = gettext

"""The app's language: the core's gettext catalog (dossier.i18n) for our text, Qt's own for Qt's.

Every sentence of ours, in `ui/` as in the core, is in one catalog,
`resources/locale/<lang>/LC_MESSAGES/dossier.po`; `tr()` reads it. Qt's own strings (standard
dialog buttons, the context menus of text fields, file dialogs) come from the `qtbase_<lang>.qm`
shipped with PySide6, through a QTranslator.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from dossier import i18n

log = logging.getLogger(__name__)

# The choices of Preferences: "auto" follows the environment, then the system's language.
PREFERENCES = ("auto", *i18n.LANGUAGES)


def tr(text: str) -> str:
    """The text in the user's language (English when it has no translation)."""
    return i18n.gettext(text)


def ntr(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n` in the user's language."""
    return i18n.ngettext(singular, plural, n)


N_ = i18n.N_


def choose_language(
    preference: str,
    system: QLocale | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """A language Dossier has. An explicit choice in Preferences wins; "auto" follows
    LANGUAGE, LC_ALL, LC_MESSAGES, LANG as every gettext program does, then (where none is set,
    as on Windows and macOS) the system's language as Qt reads it."""
    if preference in i18n.LANGUAGES:
        return preference
    from_environment = i18n.language_from_environment(environ)
    if from_environment is not None:
        return from_environment
    locale = system or QLocale.system()
    code = QLocale.languageToCode(locale.language()).lower()
    return code if code in i18n.LANGUAGES else i18n.SOURCE_LANGUAGE


_installed: list[QTranslator] = []


def install_translations(
    app: QCoreApplication, preference: str = "auto", environ: Mapping[str, str] | None = None
) -> str:
    """Show the app in the language `preference` resolves to; returns that language."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = i18n.set_language(choose_language(preference, environ=environ))
    if language == i18n.SOURCE_LANGUAGE:
        return language
    qt_base = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_base.load(f"qtbase_{language}", folder):
        app.installTranslator(qt_base)
        _installed.append(qt_base)
    else:
        log.info(
            "Qt's own %s translation is not available; standard buttons stay English", language
        )
    return language

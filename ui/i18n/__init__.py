"""User-interface translations: English source strings, French from a Python dictionary.

Qt's own `.qm` files need `lrelease` at build time; a dictionary keyed by the English text
needs nothing, works frozen and offscreen, and a test checks that every `tr("...")` in `ui/`
has its French entry. Qt's own strings (standard buttons, file dialogs) come from the
`qtbase_fr.qm` shipped with PySide6.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator

from ui.i18n.fr import FRENCH

log = logging.getLogger(__name__)

CONTEXT = "dossier"
LANGUAGES = ("auto", "en", "fr")
CATALOGUES: dict[str, dict[str, str]] = {"fr": FRENCH}


def tr(text: str) -> str:
    """The text in the user's language (English when no translation is installed)."""
    return QCoreApplication.translate(CONTEXT, text)


def N_(text: str) -> str:
    """Mark a string for translation where it is defined; `tr()` it where it is shown."""
    return text


class DictTranslator(QTranslator):
    """A translator reading a {English: translation} dictionary, whatever the context."""

    def __init__(self, catalogue: dict[str, str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue

    def translate(
        self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None (not "") tells Qt "no translation here": it then tries the next translator.
        return self._catalogue.get(source_text)

    def isEmpty(self) -> bool:
        return not self._catalogue


def choose_language(preference: str, system: QLocale | None = None) -> str:
    """'fr' or 'en': the preference, or the system's language when the preference is 'auto'."""
    if preference in CATALOGUES or preference == "en":
        return preference
    locale = system or QLocale.system()
    return "fr" if locale.language() == QLocale.Language.French else "en"


_installed: list[QTranslator] = []


def install_translations(app: QCoreApplication, preference: str = "auto") -> str:
    """Install the translators for `preference`; returns the language chosen."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = choose_language(preference)
    if language == "en":
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
    ours = DictTranslator(CATALOGUES[language], app)
    app.installTranslator(ours)
    _installed.append(ours)
    return language

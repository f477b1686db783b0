"""Application set-up: QApplication, bundled font, translations, crash hook, main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from dossier import __version__
from dossier.resources import resource_path
from ui.errors import install_excepthook
from ui.i18n import install_translations
from ui.settings import AppSettings
from ui.widgets.icons import app_icon

UI_FONT = "DejaVu Sans"
"""Shipped in resources/fonts: the app looks the same, accents included, on a bare machine."""

log = logging.getLogger(__name__)


def install_bundled_font(app: QApplication) -> bool:
    """Register the fonts in resources/fonts and make `UI_FONT` the interface font."""
    families: set[str] = set()
    for path in sorted(resource_path("fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load the bundled font %s", path.name)
            continue
        families.update(QFontDatabase.applicationFontFamilies(font_id))
    if UI_FONT not in families:
        log.warning("the bundled font %s is missing; the system's font is used", UI_FONT)
        return False
    font = QFont(UI_FONT)
    font.setPointSizeF(app.font().pointSizeF())  # keep the size the platform chose
    app.setFont(font)
    return True


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName("Dossier")
    QCoreApplication.setApplicationName("Dossier")
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setWindowIcon(app_icon())
    install_bundled_font(app)
    return app


def run(vault: Path | None = None, passphrase: str | None = None) -> int:
    # Messages only, to stderr; nothing is logged to a file (and never document content).
    logging.basicConfig(level=logging.WARNING, format="dossier: %(levelname)s %(message)s")
    app = create_application()
    settings = AppSettings()
    install_translations(app, settings.language)
    install_excepthook()
    from ui.main_window import MainWindow  # after translations: widgets translate when built

    window = MainWindow(settings)
    window.show()
    window.start(vault, passphrase)
    return app.exec()

"""`Dossier --selftest`: the Qt half of the packaged app's self-test, then the core's.

Proves what a frozen build can lose without the core noticing: a platform plugin, the bundled
interface font, Qt's own French translation, the widgets of the main window. Runs offscreen
unless QT_QPA_PLATFORM names another platform (e.g. `xcb` under Xvfb, to check that plugin).
The window's settings go to a temporary file: a self-test never touches the user's.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QSettings, QTranslator
from PySide6.QtGui import QFontInfo, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication

from dossier import i18n
from dossier.resources import resource_path
from dossier.selftest import Runner, expect, run_selftest
from ui.app import UI_FONT, create_application
from ui.i18n import install_translations, tr

FRENCH_SAMPLE = "éèêàçùœÉÀ’«»€\u00a0\u202f"
"""Characters every French interface text may hold, the no-break spaces of French typography
(before : ; ! ? and inside « ») included: the bundled font must have them all."""


def qt_steps(app: QApplication, settings_dir: Path) -> Callable[[Runner], None]:
    def platform() -> str:
        name = QGuiApplication.platformName()
        expect(bool(name), "no Qt platform plugin was loaded")
        return f"platform plugin '{name}' loaded"

    def font() -> str:
        # The files must be there: a machine with DejaVu installed would hide their absence
        # (`make package` runs this with no system fonts at all, which proves the rest).
        files = sorted(p.name for p in resource_path("fonts").glob("*.ttf"))
        expect(bool(files), f"no font in {resource_path('fonts')}")
        asked = app.font().family()
        expect(asked == UI_FONT, f"the bundled {UI_FONT!r} was not installed (font: {asked!r})")
        actual = QFontInfo(app.font()).family()
        expect(actual == UI_FONT, f"Qt draws with {actual!r}, not the bundled {UI_FONT!r}")
        metrics = QFontMetrics(app.font())
        missing = [ch for ch in FRENCH_SAMPLE if not metrics.inFontUcs4(ord(ch))]
        expect(not missing, f"the interface font lacks {''.join(missing)!r}")
        return f"{UI_FONT} ({', '.join(files)}) registered and used, French characters present"

    def translations() -> str:
        expect(install_translations(app, "fr") == "fr", "French was not chosen")
        ours = tr("Cases")
        expect(ours != "Cases", "the French catalog (dossier.mo) is not installed")
        core = i18n.gettext("the vault is locked")
        expect(core == "le coffre est verrouillé", f"a core sentence is not French: {core!r}")
        # Qt's own file, read alone (our catalogue may translate the same English words).
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt_base = QTranslator()
        expect(qt_base.load("qtbase_fr", folder), f"qtbase_fr.qm is not in {folder}")
        qt_own = qt_base.translate("QFileDialog", "File &name:")
        expect(bool(qt_own), "qtbase_fr.qm does not translate the file dialog")
        install_translations(app, "en")
        expect(tr("Cases") == "Cases", "switching back to English failed")
        return f"French (“{ours}”, Qt’s own: “{qt_own}”), then English again"

    def main_window() -> str:
        from ui.main_window import MainWindow
        from ui.settings import AppSettings

        store = QSettings(str(settings_dir / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(AppSettings(store))
        window.show()
        app.processEvents()
        visible = window.isVisible()
        window.close()
        window.deleteLater()
        app.processEvents()
        expect(visible, "the main window did not show")
        return "built, shown and closed"

    def steps(runner: Runner) -> None:
        runner.run("qt platform", platform)
        runner.run("bundled font", font, needs=["qt platform"])
        runner.run("translations", translations, needs=["qt platform"])
        runner.run("main window", main_window, needs=["qt platform"])

    return steps


def run() -> int:
    """Run the whole self-test and return its exit code (0 only if nothing failed)."""
    # Before the QApplication exists: the platform plugin is chosen when it is built.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = create_application()
    with tempfile.TemporaryDirectory(prefix="dossier-selftest-ui-") as folder:
        code = run_selftest(
            lambda line: print(line, flush=True), before=qt_steps(app, Path(folder))
        )
    return code


if __name__ == "__main__":
    sys.exit(run())

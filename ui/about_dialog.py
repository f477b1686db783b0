"""About Dossier: version, licence, and the licences of the libraries it ships with."""

from __future__ import annotations

import html
import platform
from importlib import metadata

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from dossier import __version__
from ui.i18n import tr
from ui.widgets.icons import app_icon

# (distribution, shown name, licence): the components a build of Dossier contains.
COMPONENTS = (
    ("PySide6-Essentials", "Qt for Python (PySide6)", "LGPL-3.0-only"),
    ("PyMuPDF", "PyMuPDF / MuPDF", "AGPL-3.0-or-later"),
    ("SQLAlchemy", "SQLAlchemy", "MIT"),
    ("alembic", "Alembic", "MIT"),
    ("cryptography", "cryptography", "Apache-2.0 OR BSD-3-Clause"),
    ("whoosh-reloaded", "Whoosh (reloaded)", "BSD-2-Clause"),
    ("rapidfuzz", "RapidFuzz", "MIT"),
    ("PyStemmer", "PyStemmer / Snowball", "MIT and BSD-3-Clause"),
    ("platformdirs", "platformdirs", "MIT"),
    ("lxml", "lxml / libxml2", "BSD-3-Clause and MIT"),
    ("olefile", "olefile", "BSD-2-Clause"),
    ("striprtf", "striprtf", "BSD-3-Clause"),
)


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "?"


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("About Dossier"))
        self.resize(520, 460)
        heading = QLabel(
            f"<h2>Dossier {html.escape(__version__)}</h2>"
            + html.escape(tr("Offline encrypted case archive for investigative journalists."))
        )
        heading.setWordWrap(True)
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignLeft)
        rows = "".join(
            f"<tr><td>{html.escape(name)}</td><td>{html.escape(_version(dist))}</td>"
            f"<td>{html.escape(licence)}</td></tr>"
            for dist, name, licence in COMPONENTS
        )
        licence_text = tr("Dossier is free software under the GNU GPL, version 3 or later.")
        offline_text = tr("It never connects to the network.")
        component, version, licence = tr("Component"), tr("Version"), tr("Licence")
        self.licences = QTextBrowser()
        self.licences.setOpenLinks(False)
        self.licences.setHtml(
            f"<p>{html.escape(licence_text)} {html.escape(offline_text)}</p>"
            f"<p>Python {html.escape(platform.python_version())}, Qt {html.escape(qVersion())}</p>"
            f"<table cellpadding='3'><tr><th align='left'>{html.escape(component)}</th>"
            f"<th align='left'>{html.escape(version)}</th>"
            f"<th align='left'>{html.escape(licence)}</th></tr>{rows}</table>"
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(icon)
        layout.addWidget(heading)
        layout.addWidget(self.licences, 1)
        layout.addWidget(buttons)

"""File and folder pickers that leave no trace of where the user's files are.

Qt's own (non-native) file dialog saves its history and last folder in `QtProject.conf`;
folder names of a source's documents are case content. Each picker here empties that
history before the dialog is destroyed (which is when Qt writes it), and never hands the
choice to the system's dialog, which keeps a history of its own.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from ui.i18n import tr

IMPORTABLE = (
    "*.pdf *.txt *.md *.eml *.msg *.mbox *.html *.htm *.mhtml *.mht *.docx *.odt *.rtf "
    "*.png *.jpg *.jpeg *.tif *.tiff *.gif *.bmp *.webp *.heic *.heif *.warc *.wacz *.zip *.tar "
    "*.tgz *.gz *.bz2 *.xz"
)


# Qt 6 labels two of its file dialog's fields "&Look in:" and "Files of &type:", which its
# own French catalog lacks (it holds them without the "&"): they stayed English in the
# French app. Qt's catalog is asked for the forms it has.
_QT_LABELS = (
    (QFileDialog.DialogLabel.LookIn, "Look in:"),
    (QFileDialog.DialogLabel.FileType, "Files of type:"),
)


def file_dialog(parent: QWidget | None, title: str, start: str) -> QFileDialog:
    """Qt's own file dialog, never the system's, with every label in the user's language.

    The system's dialog keeps its own record of the files chosen, out of our reach: GTK's
    recently-used.xbel, Windows' recent places in the registry, all in clear. Qt's records
    only what `picked` sets back to the home folder."""
    dialog = QFileDialog(parent, title, start)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    for label, text in _QT_LABELS:
        translated = QCoreApplication.translate("QFileDialog", text)
        if translated != text:
            dialog.setLabelText(label, translated)
    return dialog


def picked(dialog: QFileDialog) -> list[Path]:
    """Run `dialog`; the paths chosen (none if cancelled), with the dialog's history and last
    folder set back to the home folder before Qt saves them."""
    try:
        chosen = [Path(p) for p in dialog.selectedFiles()] if dialog.exec() else []
    finally:
        dialog.setHistory([])
        dialog.setDirectory(str(Path.home()))
    return chosen


def choose_files(parent: QWidget | None, title: str | None = None) -> list[Path]:
    dialog = file_dialog(parent, title or tr("Import files"), str(Path.home()))
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    dialog.setNameFilters([tr("Documents ({patterns})").format(patterns=IMPORTABLE), "*"])
    return picked(dialog)


def choose_folder(parent: QWidget | None, title: str, start: Path | None = None) -> Path | None:
    dialog = file_dialog(parent, title, str(start or Path.home()))
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    chosen = picked(dialog)
    return chosen[0] if chosen else None


def choose_save_file(
    parent: QWidget | None, title: str, name: str, name_filter: str
) -> Path | None:
    """Where to write a file the journalist exports (a result list...), or None."""
    dialog = file_dialog(parent, title, str(Path.home() / name))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilters([name_filter])
    chosen = picked(dialog)
    return chosen[0] if chosen else None

"""An import nobody follows (the `dossier` command, a script) writes no progress sentence.

Each file of a batch had its stages told as sentences, each translated and filled in ("note.txt:
reading note.txt"), then dropped unseen when the caller asked for no progress: a few per file,
a twentieth of the app's work for a mailbox of short messages. A caller that follows the
import still hears every stage of every file."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from pathlib import Path

from dossier import i18n
from dossier.services.workspace import Workspace
from tests.core.services.documents.test_group_commit import _notes


class _Counted(gettext.NullTranslations):
    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def gettext(self, message: str) -> str:
        self.asked.append(message)
        return message


def _sentences(work: Callable[[], bool]) -> list[str]:
    """The sentences `work` had translated (every sentence shown, or made to be shown)."""
    before, counted = i18n._current, _Counted()
    i18n._current = counted
    try:
        assert work()
    finally:
        i18n._current = before
    return counted.asked


def test_a_batch_nobody_follows_writes_no_sentence_per_file(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Notes").id
    few, many = _notes(tmp_path / "few", 3, "Aube"), _notes(tmp_path / "many", 12, "Zénith")

    def batch(paths: list[Path]) -> Callable[[], bool]:
        return lambda: all(
            o.document for o in workspace.documents.import_many(case, paths, ocr=False)
        )

    assert batch(_notes(tmp_path / "first", 1, "Midi"))()  # the case's index opened
    for_few = _sentences(batch(few))
    for_many = _sentences(batch(many))
    assert len(for_many) == len(for_few), (for_few, for_many)
    assert len(workspace.documents.of_case(case)) == 16


def test_a_batch_followed_hears_each_file_read(workspace: Workspace, tmp_path: Path) -> None:
    case = workspace.cases.create("Notes").id
    paths = _notes(tmp_path / "in", 4, "Crépuscule")
    heard: list[tuple[float, str]] = []
    outcomes = workspace.documents.import_many(
        case, paths, ocr=False, progress=lambda f, m: heard.append((f, m))
    )
    assert all(o.document for o in outcomes)
    for path in paths:
        assert any(message.startswith(f"{path.name}: reading") for _, message in heard), heard
    fractions = [fraction for fraction, _ in heard]
    assert fractions == sorted(fractions) and 0 <= fractions[0] and fractions[-1] <= 1

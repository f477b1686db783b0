"""Help › User guide in the French app is the French guide, and that guide keeps step with the
English one: the same headings at each level, every command, file name and option of the English
guide (its code spans) unchanged, and French typography in its running text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QDialog

from tests.i18n.typography import faults
from ui.help_dialogs import GuideDialog, guide_text
from ui.i18n import install_translations

CODE_SPAN = re.compile(r"`[^`\n]+`")


def _heading_levels(text: str) -> Counter[int]:
    return Counter(len(m.group(1)) for m in re.finditer(r"^(#+) ", text, re.M))


def _headings(text: str) -> list[str]:
    return re.findall(r"^#+ .*$", text, re.M)


@pytest.fixture
def french(qapp) -> Iterator[None]:
    install_translations(qapp, "fr")
    try:
        yield
    finally:
        install_translations(qapp, "en")


def test_the_french_app_shows_the_french_guide(qtbot, window, french, monkeypatch) -> None:
    shown: list[QDialog] = []
    monkeypatch.setattr(GuideDialog, "exec", lambda self: shown.append(self) or 0)
    window.actions_by_name["guide"].trigger()
    (guide,) = shown
    text = guide.browser.toPlainText()
    assert "Visite guidée de l’enquête d’exemple" in text
    assert "Caviarder et exporter" in text and "droit de réponse" in text
    assert "A tour of the sample case" not in text and "Redact and export" not in text
    assert not guide.browser.openLinks() and not guide.browser.openExternalLinks()


def test_a_language_without_a_guide_gets_the_english_one() -> None:
    assert guide_text("de") == guide_text("en")
    assert guide_text("fr") != guide_text("en")


def test_the_french_guide_has_the_english_guide_structure() -> None:
    english, french = guide_text("en"), guide_text("fr")
    # A section added to (or removed from) the English guide and not to the French fails here.
    assert _heading_levels(french) == _heading_levels(english)
    assert [h.split()[0] for h in _headings(french)] == [h.split()[0] for h in _headings(english)]
    assert set(_headings(french)).isdisjoint(_headings(english))  # translated, not copied


def test_every_command_and_file_name_of_the_english_guide_is_in_the_french_one() -> None:
    french_spans = set(CODE_SPAN.findall(guide_text("fr")))
    missing = [span for span in CODE_SPAN.findall(guide_text("en")) if span not in french_spans]
    assert not missing, f"code spans of guide.md missing from guide.fr.md: {missing}"


def test_the_french_guide_running_text_follows_french_typography() -> None:
    # Code spans are commands and file names, not French: only the running text is checked.
    running = CODE_SPAN.sub("X", guide_text("fr"))
    assert faults(running) == []
    assert "'" not in running  # the typographic apostrophe, as in the catalog
    assert "\u202f;" in running and "\u00a0:" in running and "«\u00a0" in running

"""A picture's title comes from its OCR'd text only when that text reads as words."""

from __future__ import annotations

import pytest

from dossier.ingest.titles import first_line_title

# What Tesseract read in the corpus's phone photo of an office desk (no text in the scene).
DESK_PHOTO = (
    "PR\n\n2\nLA,\n\na\n\na=\n9 A\n\ntom\n\nEE\n\n| i\nee\n\nee LR\nD\n\nle,\na\n\nRATS,\nRock\n"
)


def test_a_photo_without_text_gives_no_title_from_its_ocr_noise() -> None:
    assert first_line_title(DESK_PHOTO, read_by_ocr=True) is None
    # Typed text keeps the old rule: its first line is what the author wrote.
    assert first_line_title(DESK_PHOTO) == "LA,"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "This is a lot of 12 point text to test the\nocr code",
            "This is a lot of 12 point text to test the",
        ),
        (
            "Reduce your risk of coronavirus infection:\n\nJ\n#",
            "Reduce your risk of coronavirus infection:",
        ),
        ("Multipage\n\nTIFF\n\nExample", "Multipage"),
        ("aN\n\n| ¥ ee\n\nCourrier du préfet à l’enquêteur\n", "Courrier du préfet à l’enquêteur"),
        ("The LinnSequencer\n\nThe LinnSequencer is", "The LinnSequencer"),
        (
            "Is It Possible? | Above ... http://abovethelaw.com/2014/07/x",
            "Is It Possible? | Above ... http://abovethelaw.com/2014/07/x",
        ),
    ],
)
def test_a_line_of_words_read_by_ocr_is_a_title(text: str, title: str) -> None:
    assert first_line_title(text, read_by_ocr=True) == title

"""The screenshot tests' colour measure counts what a look at each sampled pixel counts."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage, QPainter

from tests.ui.xvfb import colour_share


def test_the_share_is_that_of_the_sampled_pixels(qapp) -> None:
    image = QImage(31, 17, QImage.Format.Format_RGB32)  # rows padded to whole words: none here
    image.fill(QColor(0x5A, 0x5E, 0x63))
    painter = QPainter(image)
    painter.fillRect(3, 2, 11, 9, QColor(0xC6, 0x28, 0x28))
    painter.fillRect(20, 5, 7, 12, QColor(250, 250, 250))
    painter.end()
    odd = image.convertToFormat(QImage.Format.Format_RGB888)  # 93 bytes a row, padded to 96
    for picture in (image, odd):
        for step in (1, 2, 3, 5):
            sampled = [
                QColor(picture.pixel(x, y))
                for y in range(0, picture.height(), step)
                for x in range(0, picture.width(), step)
            ]
            for wanted in (
                lambda c: (c.red(), c.green(), c.blue()) == (0xC6, 0x28, 0x28),
                lambda c: c.lightness() > 240,
                lambda c: c.blue() == 0x63,
            ):
                expected = sum(map(wanted, sampled)) / len(sampled)
                assert 0 < expected < 1
                assert colour_share(picture, wanted, step) == expected
    assert colour_share(QImage(), lambda c: True) == 0.0

"""Letters of other scripts that an eye reads as Latin ones: "Quаrtermаine" with two Cyrillic
"а" is "Quartermaine" on the page, though not to a search.

A name typed on a Cyrillic or Greek keyboard layout by mistake, or spelt so on purpose to slip
past filters, shows the name whole. Each letter here is drawn like its Latin one in the fonts a
reader sees text in (Unicode's confusables, the letters drawn alike, not merely similar), and
stands in for it one for one, so a reading keeps the text's positions.
"""

from __future__ import annotations

_PAIRS = (
    # Cyrillic
    "АA ВB ЕE КK МM НH ОO РP СC ТT ХX ІI ЈJ ЅS ҮY ԚQ ԜW Ӏl"
    " аa еe оo рp сc уy хx іi јj ѕs һh ԁd ԛq ԝw ӏl ҽe ɡg"
    # Greek
    " ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX οo νv ρp αa ιi κk"
    # Armenian, Latin letters without their dot
    " օo սu ıi ȷj"
)
LOOKALIKES = {ord(pair[0]): pair[1] for pair in _PAIRS.split()}
"""Each letter drawn like a Latin one, to that Latin letter."""


def as_latin(text: str) -> str | None:
    """`text` with every letter drawn like a Latin one read as it, the same length; None when
    it holds none."""
    read = text.translate(LOOKALIKES)
    return None if read == text else read

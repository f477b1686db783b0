"""Letters of other scripts that an eye reads as Latin ones: "Quаrtermаine" with two Cyrillic
"а" is "Quartermaine" on the page, though not to a search; and the small capitals and letters
in squares and circles that social media posts spell names in ("ǫᴜᴀʀᴛᴇʀᴍᴀɪɴᴇ", "🆀🆄🅰🆁🆃🅴").

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
_SMALL_CAPITALS = "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡxʏᴢ"
"""The small capitals "fancy text" generators spell a word in (ǫ stands for q there)."""
_ALPHABETS = (0x1F1E6, 0x1F130, 0x1F150, 0x1F170, 0x24B6, 0x24D0)
"""Where an alphabet of symbols drawn as letters starts, A to Z: regional indicators (flags'
letters), letters squared, in a black circle, in a black square, circled (capital, small).
They are symbols, not letters, to Unicode: a search skips them like punctuation."""
LOOKALIKES = {ord(pair[0]): pair[1] for pair in _PAIRS.split()}
"""Each letter drawn like a Latin one, to that Latin letter."""
LOOKALIKES.update({ord(c): chr(ord("a") + i) for i, c in enumerate(_SMALL_CAPITALS) if c != "x"})
LOOKALIKES.update({start + i: chr(ord("A") + i) for start in _ALPHABETS for i in range(26)})


def as_latin(text: str) -> str | None:
    """`text` with every letter drawn like a Latin one read as it, the same length; None when
    it holds none."""
    read = text.translate(LOOKALIKES)
    return None if read == text else read

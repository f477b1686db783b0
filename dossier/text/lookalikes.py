"""Letters of other scripts that an eye reads as Latin ones: "Quаrtermаine" with two Cyrillic
"а" is "Quartermaine" on the page, though not to a search, and so is "QUᎪᎡᎢᎬᎡᎷᎪIΝᎬ" in Cherokee
letters or "Quɑrtermɑine" with a Latin alpha; and the small capitals and letters
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
    " ѴV ѵv ԌG"
    # Greek (the lunate sigma is a c), Coptic
    " ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX οo νv ρp αa ιi κk ϲc ϹC ϳj ϒY"
    " ⲞO ⲟo ⲢP ⲣp ⲤC ⲥc ⲬX ⲭx"
    # Armenian, Latin letters without their dot, the Latin alpha and iota
    " օo սu ՕO ՍU հh ոn զq ıi ȷj ɑa ɩi"
    # Lisu: its capitals are Latin ones, some turned
    " ꓮA ꓐB ꓚC ꓓD ꓰE ꓝF ꓖG ꓧH ꓲI ꓙJ ꓗK ꓡL ꓟM ꓠN ꓳO ꓑP ꓣR ꓢS ꓔT ꓴU ꓦV ꓪW ꓫX ꓬY ꓜZ"
)
_CHEROKEE = "ᎪA ᏴB ᏟC ᎠD ᎬE ᏀG ᎻH ᎥI ᎫJ ᏦK ᏞL ᎷM ᏢP ᎡR ᏒR ᏚS ᎢT ᏙV ᎳW ᏃZ"
"""Cherokee letters drawn like Latin capitals; each small letter like its small capital."""
_SMALL_CAPITALS = "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡxʏᴢ"
"""The small capitals "fancy text" generators spell a word in (ǫ stands for q there)."""
_ALPHABETS = (0x1F1E6, 0x1F130, 0x1F150, 0x1F170, 0x24B6, 0x24D0)
"""Where an alphabet of symbols drawn as letters starts, A to Z: regional indicators (flags'
letters), letters squared, in a black circle, in a black square, circled (capital, small).
They are symbols, not letters, to Unicode: a search skips them like punctuation."""
LOOKALIKES = {ord(pair[0]): pair[1] for pair in _PAIRS.split()}
"""Each letter drawn like a Latin one, to that Latin letter."""
LOOKALIKES.update({ord(c): chr(ord("a") + i) for i, c in enumerate(_SMALL_CAPITALS) if c != "x"})
for _pair in _CHEROKEE.split():
    LOOKALIKES[ord(_pair[0])] = _pair[1]
    LOOKALIKES[ord(_pair[0].lower())] = _pair[1].lower()
LOOKALIKES.update({start + i: chr(ord("A") + i) for start in _ALPHABETS for i in range(26)})


def as_latin(text: str) -> str | None:
    """`text` with every letter drawn like a Latin one read as it, the same length; None when
    it holds none."""
    read = text.translate(LOOKALIKES)
    return None if read == text else read

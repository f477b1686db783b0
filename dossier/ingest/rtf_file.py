"""Rich Text Format (`.rtf`) files: their text, read as striprtf reads it (`rtf_text`), and
their `\\info` group.

RTF is 7-bit text with escapes: `\\'e9` is a byte in the document's code page (`\\ansicpg`),
`\\u233` a Unicode character. striprtf resolves both and drops the formatting; table cells end
with a tab or a bar, which keeps a table's rows on their lines.

Hidden text (`\\v`) and tracked deletions (`\\deleted`) are kept, written like a deletion
(`[-hidden-]`, `dossier.text.revisions`): the reader of the file does not see them (Word's
final view), so a name they split ("Quarter{\\v zz}maine") reads
whole with it left out, and whatever looks for words to hide reads both ways.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re

from dossier.errors import InputRefused
from dossier.i18n import _
from dossier.ingest.layout import clean, clean_lines
from dossier.ingest.plaintext import text_pages
from dossier.ingest.rtf_text import rtf_to_text
from dossier.ingest.titles import first_line_title, plausible_title
from dossier.text.lang import guess_language
from dossier.text.marked_text import closing, literal, opening, page_text
from dossier.text.model import ExtractedDocument

RTF_EXTRACTOR_VERSION = "rtf-6"
"""rtf-2: hidden text (\\v) is kept like a deletion; rtf-3: a tracked deletion (\\deleted)
too; rtf-4: the file's own mark strings ("-]" in hidden text) no longer end a mark; rtf-5: the
marks are written as Word files' are (`text.marked_text`); rtf-6: hidden text neither ends
where UTF-8 text spells the character that stood for its end, nor runs on where the end came
right after a Unicode escape."""
RTF_MIME = "application/rtf"

_CODEPAGE = re.compile(rb"\\ansicpg(\d{3,5})")
_ANSICPG = b"\\ansicpg"
_NUMBER = re.compile(rb"-?\d{1,10}")
_INFO_TEXT = re.compile(rb"\{\\(title|subject|author|operator|company)\s++((?:[^{}\\]++|\\.)*+)\}")
"""A property of the file's `\\info` group; its white space and text taken whole (possessive):
each part ends where the next cannot start, but the pattern tried every split of them, a title
of 10,000 spaces before a brace for over two CPU-s."""
_CREATED = re.compile(
    rb"\{\\creatim\\yr(\d{4})\\mo(\d{1,2})\\dy(\d{1,2})(?:\\hr(\d{1,2}))?(?:\\min(\d{1,2}))?"
)
_HEX = re.compile(r"\\'([0-9a-fA-F]{2})")
_BLANK_LINES = re.compile("\n\n\n+")
"""Three line feeds or more, spelled out: a pattern that starts with its literal is searched
for as a string (6 µs in an RTF file's 10,000 characters), where `\\n{3,}` was tried at every
character (180 µs)."""
_UNICODE = re.compile(r"\\u(-?\d{1,5}) ?\??")


def extract_rtf(data: bytes, name: str) -> ExtractedDocument:
    """An `ExtractedDocument` for the bytes of an RTF file; `name` is for messages."""
    encoding = _codepage(data)
    try:
        # RTF is ASCII by definition; Latin-1 maps each byte to one character, losslessly.
        source = data.decode("latin-1")
        if _reads_utf8(data):
            source = _UNREADABLE_MARKS.sub(_REPLACEMENT, source)
        source = hidden_marked(source)
        raw = rtf_to_text(source, encoding=encoding, errors="replace")
    except (ValueError, IndexError, LookupError, RecursionError, OverflowError):
        # OverflowError: striprtf passes a \uN or \ucN of any size to chr()
        raise InputRefused(
            _(
                "{name} is a damaged RTF file and cannot be read; ask its sender for a new copy."
            ).format(name=name)
        ) from None
    hide, show = opening("deleted"), closing("deleted")
    raw = literal(raw).replace(_HIDE, hide).replace(_SHOW, show)
    raw = _whole_characters(raw)  # after the marks: halves may spell them
    raw = page_text(raw.replace(hide + show, ""))  # hidden formatting, no hidden text
    text = clean_lines(raw.replace("\r", ""))
    text = _BLANK_LINES.sub("\n\n", text).strip()
    info = _info(data, encoding)
    date = _created(data)
    if date:
        info["date_source"] = "creation date in the RTF file's information"
    return ExtractedDocument(
        pages=text_pages(text),
        extractor_version=RTF_EXTRACTOR_VERSION,
        mime=RTF_MIME,
        title=plausible_title(info.get("title")) or first_line_title(text),
        author=info.get("author") or None,
        date=date,
        language=guess_language(text),
        metadata=info,
    )


_TOKEN = re.compile(r"\\([a-z]+)(-?\d+)? ?|\\.|[{}]|[^\\{}]+", re.S)
_MAY_HIDE = re.compile(r"\\(?:v|deleted)(?![a-z])")
"""Where a control word that hides may be (and maybe an escaped backslash before a "v"): a
file without one has nothing hidden, and is not cut into tokens."""


_HIDE, _SHOW = "\U0010fffe", "\U0010ffff"
"""Where hidden text starts and ends while striprtf reads the text, which holds them: then
the pending marks of `marked_text`. Characters no RTF text reads as: its text is Latin-1, its
escapes \\uN below U+10000, and \\'hh in a code page too, but in UTF-8, whose bytes for them
are replaced first (`_UNREADABLE_MARKS`): hidden "x" + "\\'f4\\'8f\\'bf\\'bf" + "yy" ended at
"x", and "yy" read as shown."""
_UNREADABLE_MARKS = re.compile(r"\\'f4\\'8f\\'bf\\'b[ef]", re.IGNORECASE)
_REPLACEMENT = r"\'ef\'bf\'bd"
"""U+FFFD in UTF-8."""
_SKIP_ENDS = "{}"
"""An empty group, written before a mark: after \\uN, striprtf skips the character standing
for it (\\uc1) up to the next control word or brace, and skipped the end of hidden text right
after "\\u97" (all the text after it then read as hidden)."""

_HIDING = ("v", "deleted")
"""Character properties that keep text off the page: hidden text, and a tracked deletion
(Word's final view)."""


def hidden_marked(source: str) -> str:
    """The RTF `source` with its hidden and deleted text between `_HIDE` and `_SHOW`, written
    as text where it starts and ends: `\\v` or `\\deleted` (or `\\v1`) hides, `\\v0`,
    `\\deleted0` and `\\plain` show again, and a group's end gives back the state from
    before it."""
    if not _MAY_HIDE.search(source):
        # Nothing hides: the tokens joined are the source, but for a backslash that ends it
        # alone (after an even run of them), which no token reads.
        trailing = len(source) - len(source.rstrip("\\"))
        return source[:-1] if trailing % 2 else source
    out: list[str] = []
    hidden = False
    hiding: frozenset[str] = frozenset()
    saved: list[frozenset[str]] = []
    for match in _TOKEN.finditer(source):
        token, word, number = match.group(), match.group(1), match.group(2)
        if token == "{":
            saved.append(hiding)
        elif token == "}":
            hiding = saved.pop() if saved else frozenset()
        elif word in _HIDING:
            hiding = hiding | {word} if number != "0" else hiding - {word}
        elif word == "plain":
            hiding = frozenset()
        now = bool(hiding)
        if now != hidden:
            mark = _HIDE if now else _SHOW
            # Before a group's end: inside the group it closes.
            out += (_SKIP_ENDS if saved else "", mark)
            hidden = now
        out.append(token)
    if hidden:
        out.append(_SHOW)
    return "".join(out)


def _reads_utf8(data: bytes) -> bool:
    """Whether striprtf reads some of the file's \\'hh escapes as UTF-8: after a code page
    that is UTF-8 (65001) or one it does not know (it falls back to UTF-8), wherever in the
    file."""
    at = data.find(_ANSICPG)  # bytes.find, not a pattern: a pattern's scan cost 0.4 ms in 170 KB
    while at >= 0:
        after = at + len(_ANSICPG)
        if not data[after : after + 1].isalpha():  # else a longer word, not \ansicpg
            found = _NUMBER.match(data, after)
            try:  # no number: striprtf looks up "cpNone"
                if found is None or codecs.lookup(f"cp{int(found.group())}").name == "utf-8":
                    return True
            except LookupError:
                return True
        at = data.find(_ANSICPG, after)
    return False


def _codepage(data: bytes) -> str:
    match = _CODEPAGE.search(data[:4096])
    if match:
        name = f"cp{int(match.group(1))}"
        try:
            return codecs.lookup(name).name
        except LookupError:
            pass  # an unknown code page: Windows-1252, RTF's own default
    return "cp1252"


def _info(data: bytes, encoding: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, raw in _INFO_TEXT.findall(data[: 1 << 20]):
        value = _HEX.sub(
            lambda m: bytes([int(m.group(1), 16)]).decode(encoding, errors="replace"),
            raw.decode("latin-1"),
        )
        value = _UNICODE.sub(lambda m: chr(int(m.group(1)) % 65536), value)
        value = _LONE_HALF.sub("?", _whole_characters(value))
        text = " ".join(clean(value).split())
        if text:
            found[key.decode()] = text
    return found


_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_LONE_HALF = re.compile("[\ud800-\udfff]")


def _whole_characters(text: str) -> str:
    """`text` with each pair of UTF-16 halves read as its character: a `\\uN` is one UTF-16
    code unit (a signed 16-bit number), and RTF writers spell a character beyond U+FFFF (an
    emoji, a rarer Chinese character of a name) as two of them, each otherwise read alone
    and replaced. A half without its other half stays, to be replaced."""
    try:
        text.encode("utf-8")  # one pass in C over text that holds no half, nearly all of it
    except UnicodeEncodeError:
        return _PAIR.sub(_joined, text)
    return text


def _joined(pair: re.Match[str]) -> str:
    return pair.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def _created(data: bytes) -> str | None:
    match = _CREATED.search(data[: 1 << 20])
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups()[:3])
    try:
        return dt.date(year, month, day).isoformat() if year > 1980 else None
    except ValueError:
        return None

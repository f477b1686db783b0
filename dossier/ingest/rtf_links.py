"""An RTF source's hyperlink fields and font table read as striprtf's patterns read them, in
time linear in the source.

striprtf finds a link with `HYPERLINKS` (`{\\field{\\*\\fldinst{ ... HYPERLINK "url"}}{...
text}}`, written "text(url)") and a font with `FONTTABLE`. Both try every split of a line
between their `.*` and `.*?` parts, and try it again from each place the next match may start:
a line of 20,000 spaces after a link cost 0.46 CPU-s, four times as many sixteen times that,
and a long line of fields or fonts that never close as much. The same matches are found here by
looking each part up once per line (the last "HYPERLINK" whose rest matches, the last closing
quote, the first run of white space followed by "}}"), so every character is read a few times
at most. A test holds both to striprtf's patterns over random sources.
"""

from __future__ import annotations

import bisect
import re

_FIELD = re.compile(r"\{\\field\{\s*\\\*\\fldinst\{", re.IGNORECASE)
_HYPERLINK = re.compile(r"HYPERLINK(?=\s\")", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_BREAK = re.compile("\n")
_QUOTE_END = '"}}'
_FONT = re.compile(r"\\f(\d+)")
_CHARSET = re.compile(r"\\fcharset(\d+)")


class _Lines:
    """Where each line of `text` ends ('.' matches all but a line feed), and what the parts of
    a link's pattern find on a line, each worked out once per line."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Found once: each field on a line of 100,000 asked for its end again.
        self._breaks = [found.start() for found in _BREAK.finditer(text)]
        self._link_ends: dict[int, list[int]] = {}
        self._last_quote: dict[int, int] = {}
        self._last_name: dict[int, int] = {}

    def end(self, at: int) -> int:
        index = bisect.bisect_left(self._breaks, at)
        return self._breaks[index] if index < len(self._breaks) else len(self.text)

    def start(self, at: int) -> int:
        index = bisect.bisect_left(self._breaks, at)
        return self._breaks[index - 1] + 1 if index else 0

    def _closes(self, run_end: int) -> bool:
        # `(.*?)\}{2,3}` after the white space: a "}}" on the line where the run ends.
        return self.text.find("}}", run_end, self.end(run_end)) >= 0

    def _runs(self, line_end: int) -> list[int]:
        """Where each run of white space that starts on the line and is followed by "}}"
        starts (those `\\{.*?\\s++` may take)."""
        runs = self._link_ends.get(line_end)
        if runs is None:
            runs = []
            first, pair = self.start(line_end), 0
            for run in _SPACE.finditer(self.text, first):
                if run.start() > line_end:
                    break
                if run.end() > line_end:  # the run ends on a later line
                    if self._closes(run.end()):
                        runs.append(run.start())
                    break
                if 0 <= pair < run.end():  # the next "}}", looked for once per stretch
                    pair = self.text.find("}}", run.end(), line_end)
                if pair >= 0:
                    runs.append(run.start())
            self._link_ends[line_end] = runs
        return runs

    def text_end(self, at: int) -> int | None:
        """Where `.*?\\s++(.*?)\\}{2,3}` from `at` ends, or None: the first white space
        from `at` on its line whose run is followed by "}}" on the run's own line."""
        text, line_end = self.text, self.end(at)
        run = None
        if at < len(text) and text[at].isspace():
            whole = _SPACE.match(text, at)
            assert whole is not None
            if self._closes(whole.end()):
                run = whole.end()
        if run is None:
            for start in self._runs(line_end):
                if start >= at:
                    whole = _SPACE.match(text, start)
                    assert whole is not None
                    run = whole.end()
                    break
        if run is None:
            return None
        pair = text.find("}}", run)
        return pair + 3 if text.startswith("}}}", pair) else pair + 2

    def _link_text_after(self, quote: int) -> int | None:
        """Where the match ends if the closing quote is at `quote`: `"}}\\s*+\\{` then the
        link's text."""
        brace = _SPACE.match(self.text, quote + 3)
        at = brace.end() if brace else quote + 3
        if not self.text.startswith("{", at):
            return None
        return self.text_end(at + 1)

    def last_quote(self, line_end: int) -> int:
        """The last `"}}` on the line that the rest of the pattern follows, or -1."""
        found = self._last_quote.get(line_end)
        if found is None:
            found, first = -1, self.start(line_end)
            at = self.text.rfind(_QUOTE_END, first, line_end + 1)
            while at >= 0:
                if self._link_text_after(at) is not None:
                    found = at
                    break
                at = self.text.rfind(_QUOTE_END, first, at)
            self._last_quote[line_end] = found
        return found

    def last_name(self, line_end: int) -> int:
        """The last `HYPERLINK\\s"` on the line followed by a closing quote, or -1."""
        found = self._last_name.get(line_end)
        if found is None:
            found = -1
            names = [m.start() for m in _HYPERLINK.finditer(self.text, self.start(line_end))]
            for name in reversed([n for n in names if n <= line_end]):
                url = name + 11  # after HYPERLINK, the white space and the opening quote
                if self.last_quote(self.end(url)) >= url:
                    found = name
                    break
            self._last_name[line_end] = found
        return found


def links_named(text: str) -> str:
    """`striprtf.HYPERLINKS.sub("\\\\1(\\\\2)", text)`: each hyperlink field followed by its
    address in brackets."""
    field = _FIELD.search(text)
    if field is None:
        return text
    lines = _Lines(text)
    out: list[str] = []
    done = 0
    while field is not None:
        start, after = field.start(), field.end()
        name = lines.last_name(lines.end(after))
        end = None
        if name >= after:
            url = name + 10
            quote = lines.last_quote(lines.end(url + 1))
            end = lines._link_text_after(quote)
        if end is None:
            field = _FIELD.search(text, start + 1)
            continue
        out += (text[done:end], "(", text[url : quote + 1], ")")
        done = end
        field = _FIELD.search(text, end)
    out.append(text[done:])
    return "".join(out)


def fonts(table: str) -> list[tuple[str, str, str]]:
    """`striprtf.FONTTABLE.findall(table)`: each font's number, character set and name."""
    found: list[tuple[str, str, str]] = []
    line_end = -1
    charset: re.Match[str] | None = None  # the first \fcharset from `looked` on the line
    looked = 0
    at = 0
    while (font := _FONT.search(table, at)) is not None:
        if font.end() > line_end:
            line_end = table.find("\n", font.end())
            line_end = len(table) if line_end < 0 else line_end
            charset, looked = None, len(table) + 1
        if font.end() < looked or (charset is not None and charset.start() < font.end()):
            charset, looked = _CHARSET.search(table, font.end(), line_end), font.end()
        if charset is None:
            at = font.start() + 1
            continue
        named = _named(table, charset)
        if named is None:
            return found  # no ";" after this font's character set: none after any later one
        digits, name, at = named
        found.append((font.group(1), digits, name))
    return found


def _named(table: str, charset: re.Match[str]) -> tuple[str, str, int] | None:
    """`(\\d+).*?([^;]+);` at a character set: its digits, the name and where the match
    ends."""
    digits, after = charset.group(1), charset.end()
    first = after
    while table.startswith(";", first):
        first += 1
    end = table.find(";", first) if first < len(table) else -1
    if end >= 0:
        return digits, table[first:end], end + 1
    if len(digits) > 1 and table.startswith(";", after):
        # As the pattern backtracks: its last digit is the name, the ";" after it its end.
        return digits[:-1], digits[-1], after + 1
    return None

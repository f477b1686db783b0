"""The standard library's mail parser, but a multipart's boundary is found without compiling a
regular expression for it.

The library's feed parser compiles a pattern for each boundary it meets (the separator, an
optional "--", spaces, a line break), and each message of a mailbox has its own boundary:
compiling came to a tenth of reading a short message with an attachment. Here the same match
is made by the separator as a prefix and one pattern compiled once for what follows it, at the
same point of the same parser code: `_parsegen` is the library's own function, given a `re`
that answers its one `compile` of a boundary so. Any other pattern (a library that writes its
boundary pattern otherwise) is compiled as before.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from email import feedparser
from email.parser import BytesParser, Parser
from email.policy import Policy
from typing import Any

_AFTER_SEPARATOR = r"(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"
_BOUNDARY_START = "(?P<sep>"
_BOUNDARY_END = ")" + _AFTER_SEPARATOR
_AFTER = re.compile(_AFTER_SEPARATOR)


class _Boundary:
    """A compiled boundary pattern as the parser uses it: `match(line)`, whose groups "end"
    and "linesep" say whether it closes the parts and with which line break."""

    __slots__ = ("match",)

    def __init__(self, separator: str) -> None:
        after, length = _AFTER.match, len(separator)

        def match(line: str) -> re.Match[str] | None:
            return after(line, length) if line.startswith(separator) else None

        self.match: Callable[[str], re.Match[str] | None] = match


class _Patterns:
    """The `re` the parser's `_parsegen` sees: it escapes a boundary's separator, then
    compiles the pattern made of it. The separator escaped last is kept with its escaped form,
    and a pattern that is exactly the library's boundary pattern for it gets a `_Boundary`
    (two threads parsing at once may cross: a pattern that does not match is compiled)."""

    def __init__(self) -> None:
        self._last: tuple[str, str] = ("", "")

    def escape(self, text: str) -> str:
        escaped = re.escape(text)
        self._last = (text, escaped)
        return escaped

    def compile(self, pattern: str) -> Any:
        separator, escaped = self._last
        if pattern == _BOUNDARY_START + escaped + _BOUNDARY_END:
            return _Boundary(separator)
        return re.compile(pattern)

    def __getattr__(self, name: str) -> Any:
        # Whatever else another Python's parser asks of `re` (3.11's asks nothing else).
        return getattr(re, name)


MAX_MIME_DEPTH = 50
"""Deepest nesting of parts read: real mail nests a few levels (a forward of a reply with its
alternatives); the standard parser and every walk over the parts recurse once per level, so a
message nested a thousand deep would end in a RecursionError instead of a sentence."""


class NestedTooDeep(Exception):
    """A multipart opened inside more than `MAX_MIME_DEPTH` others."""


class _FeedParser(feedparser.FeedParser):
    # The library's own generator, run with its own module's names but `re`.
    _parsegen = types.FunctionType(
        vars(feedparser.FeedParser)["_parsegen"].__code__,
        {**vars(feedparser), "re": _Patterns()},
        "_parsegen",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A multipart nested deeper than `MAX_MIME_DEPTH` is refused as the parser opens it:
        # the library tests every line read against the boundary of every part open around
        # it, so a message nested n deep cost time in n times its lines (0.26 CPU-s for 40 KB
        # nested 600 deep, ten times 10 KB's) until its recursion ended it.
        lines: Any = self._input  # type: ignore[attr-defined]
        push = lines.push_eof_matcher

        def push_eof_matcher(pred: Any) -> None:
            if len(lines._eofstack) >= MAX_MIME_DEPTH:
                raise NestedTooDeep
            push(pred)

        lines.push_eof_matcher = push_eof_matcher


class _Parser(Parser):
    def parse(self, fp: Any, headersonly: bool = False) -> Any:
        # As `Parser.parse`, with the feed parser above.
        parser = _FeedParser(self._class, policy=self.policy)  # type: ignore[attr-defined]
        if headersonly:
            parser._set_headersonly()  # type: ignore[attr-defined]
        while data := fp.read(8192):
            parser.feed(data)
        return parser.close()


def boundary_parser(policy: Policy) -> BytesParser:
    """A `BytesParser` for `policy` that finds boundaries without compiling a pattern each."""
    parser = BytesParser(policy=policy)
    parser.parser = _Parser(policy=policy)
    return parser

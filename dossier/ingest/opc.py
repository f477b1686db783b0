"""The parts of a Word package (Open Packaging Conventions), read straight from its zip.

A `.docx` is a zip of XML parts tied together by relationship files (`_rels/*.rels`) and typed
by `[Content_Types].xml`. python-docx's `Document()` parsed every part of the package (theme,
settings, fonts, each picture's record) into its own element classes before a word was read:
two thirds of the time a Word file took to import, and as much as the whole Whoosh indexing of
its text. Here only the parts the reader asks for are inflated and parsed, by lxml with entity
expansion, DTD loading and network access off, as the OpenDocument reader does.

A part a relationship names but the zip lacks is read as absent (python-docx refused the whole
file for a missing picture); a package without its main document, or whose main document is
not a Word document (a template or a macro-enabled file python-docx refused as well), is
`NotWord`.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from typing import Any

from dossier.zipsafe import SafeZip

Element = Any

RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CORE_PROPERTIES = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"


class NotWord(Exception):
    """The zip is no readable Word document (no main part, or not a Word one)."""


class Package:
    """Parts by name, each parsed once, and the relationships between them."""

    def __init__(self, archive: SafeZip) -> None:
        from lxml import etree

        self._archive = archive
        self._parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        )
        self._parsed: dict[str, Element | None] = {}

    def part(self, name: str) -> Element | None:
        """The root element of the part `name` (no leading slash), None if the zip lacks it.
        Raises lxml's XMLSyntaxError for a part that is not XML."""
        if name not in self._parsed:
            from lxml import etree

            data = self.raw(name)
            self._parsed[name] = None if data is None else etree.fromstring(data, self._parser)
        return self._parsed[name]

    def raw(self, name: str) -> bytes | None:
        """The bytes of the part `name`, None if the zip lacks it."""
        return self._archive.read(name) if name in self._archive.by_name else None

    def related(self, source: str, reltype: str) -> list[str]:
        """Names of the parts `source` ("" for the package) relates to by `reltype`, in the
        order of its relationship file, each once (a header named by thousands of
        relationships was walked thousands of times); external targets are left out."""
        folder, base = posixpath.split(source)
        rels = self.part(posixpath.join(folder, "_rels", f"{base}.rels"))
        if rels is None:
            return []
        names = []
        for rel in rels.iter(_PKG_RELS):
            target = rel.get("Target") or ""
            if rel.get("Type") != reltype or rel.get("TargetMode") == "External" or not target:
                continue
            # As python-docx resolves a target: against the source's folder, from the root.
            path = posixpath.normpath(posixpath.join("/", folder, target))
            names.append(path.lstrip("/"))
        return list(dict.fromkeys(names))

    def content_type(self, name: str) -> str:
        types = self.part("[Content_Types].xml")
        if types is None:
            return ""
        for override in types.iter(f"{_TYPES}Override"):
            if (override.get("PartName") or "").lstrip("/").casefold() == name.casefold():
                return override.get("ContentType") or ""
        extension = name.rsplit(".", 1)[-1].casefold()
        for default in types.iter(f"{_TYPES}Default"):
            if (default.get("Extension") or "").casefold() == extension:
                return default.get("ContentType") or ""
        return ""

    def main_document(self) -> str:
        """The name of the main document part, checked to be a Word document."""
        main = self.related("", RELS + "officeDocument")
        if (
            not main
            or main[0] not in self._archive.by_name
            or self.content_type(main[0]) != WORD_MAIN
        ):
            raise NotWord
        return main[0]


_W3CDTF_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%Y-%m", "%Y")
_OFFSET = re.compile(r"([+-])(\d\d):(\d\d)")
_MAX_OFFSET_HOURS = 14
"""The zones in use run from UTC-12:00 to UTC+14:00."""


def w3cdtf(text: str | None) -> dt.datetime | None:
    """A core property's date ("2023-12-12T16:05:00Z", "...+01:00", "2023") in UTC, as
    python-docx read it; None for a missing or unreadable one."""
    if not text:
        return None
    moment = None
    for template in _W3CDTF_FORMATS:
        try:
            moment = dt.datetime.strptime(text[:19], template)
        except ValueError:
            continue
        break
    if moment is None:
        return None
    if len(text) - 19 == 6:
        offset = _OFFSET.match(text[19:])
        if offset is None:
            return None
        sign, hours, minutes = offset.groups()
        if int(hours) > _MAX_OFFSET_HOURS or int(minutes) > 59:
            return None  # "+99:99" is no zone: read, it moved the date by four days
        shift = dt.timedelta(hours=int(hours), minutes=int(minutes))
        try:
            moment = moment - shift if sign == "+" else moment + shift
        except OverflowError:  # "0001-01-01T00:30+01:00": before the calendar's first day
            return None
    return moment.replace(tzinfo=dt.UTC)

"""The self-check of a finished bundle: read it as its recipient will, find nothing.

This is the second of two implementations on purpose. The disclosure gate (`disclosure`) masks
what it knows as it writes; this module knows only the case's raw facts (`Watchlist`: the
terms of the marks, the names, aliases and contact details of protected people, the pattern
marks, the boxes and the pages under them) and derives its own needles from them, with its own
folding and its own matcher, then reads the zip: the comment and every entry name, every CSV
cell, HTML with and without its tags and entities, every key and string of JSON (escapes
decoded), and every PDF as `selfcheck.read_pdf` reads it (text layer without clipping,
metadata, XMP, outline, object strings, attachments, annotations, links). A bug in the gate is
caught here; a hit stops the export before anything is written.

The needles: every term mark; every full name and alias of a protected or anonymous person and
each of their words that is a name part (`names.is_part`: three letters or more, not a common
word), also inside addresses and hashtags (four letters or more) and inside any longer word
that is not an ordinary word (five letters or more, `glued.ORDINARY_WORDS`: with that rule of
what a part is, the only things shared with the gate are that list and those lengths); each of
their two-letter words where it stands for them, by the gate's own rule (`shortnames`: a rule
of context, which the gate and this check must not read differently; what it cannot see,
neither can this check, nor an ordinary word that is a surname only by its place in a
sentence, which a bundle's cells and tags cut); their e-mail addresses and phone numbers; every
pattern mark; and for every box, each word whose centre lies under it that stands nowhere else
in the case's pages uncovered (a word a line end hyphenates under it counted whole too; one
an OCR read, with the words a few edits away from it in the texts Dossier writes), and each
pair of such consecutive words never seen uncovered in that order (looked for in the
texts Dossier writes; a PDF is held to "no character under a box"). Findings name the file
and the kind of thing found, never the thing.
"""

from __future__ import annotations

import bisect
import csv
import html
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from rapidfuzz.distance import Levenshtein

from dossier.redact import picture_text
from dossier.redact.glued import MIN_IN_ADDRESS, MIN_IN_WORD, ORDINARY_WORDS, misread_distance
from dossier.redact.names import is_part
from dossier.redact.patterns import find_pattern
from dossier.redact.selfcheck import Finding, SelfCheckReport, read_pdf
from dossier.redact.shortnames import ShortFinder, ShortPart, short_parts
from dossier.text import outside_json
from dossier.text.bidi import shown_order
from dossier.text.lookalikes import as_latin
from dossier.text.model import PageText

Rect = tuple[float, float, float, float]
Words = tuple[str, ...]

MIN_BOXED = 3
"""Letters a word under a box needs to be looked for alone elsewhere."""
_EXTRA = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})
_WORD = re.compile(r"[^\W_]+")
_LETTERS = re.compile(r"[^\W\d_]+")
_HYPHEN_BREAK = re.compile(r"[-\u2010\u00ad]\s*\n\s*")
_DIGIT_GLUE = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
"""Where letters meet digits: "Quartermaine2024" holds the name "Quartermaine"."""
_DELETED = re.compile(r"\[-.*?-\]", re.DOTALL)
_INSERTED = re.compile(r"\{\+.*?\+\}", re.DOTALL)
_CHANGE_MARKS = re.compile(r"\[-|-\]|\{\+|\+\}")
"""Tracked changes as Dossier typesets a draft: "Quarter[-x-]maine" reads "Quartermaine"."""
_ADDRESS_LIKE = re.compile(r"\S+@\S+|(?:https?://|www\.)\S+|[#@]\w+")
"""E-mail and web addresses, hashtags, handles: names hide there glued to other letters."""


def _readings(text: str) -> list[str]:
    """A draft's text with its tracked changes accepted, and as it was before them; a text
    with percent-encoded characters decoded ("hq%40exemple.org"), and with HTML character
    references decoded ("hq&#64;exemple.org"); a text with letters drawn like Latin ones read
    as them ("Quаrtermаine", Cyrillic "а"); a text as a right-to-left override lays it out."""
    found: list[str] = []
    if "[-" in text or "{+" in text:
        found.append(_CHANGE_MARKS.sub("", _DELETED.sub("", text)))
        found.append(_CHANGE_MARKS.sub("", _INSERTED.sub("", text)))
    if "%" in text:
        found.append(unquote(text, errors="replace"))
    if "&" in text:
        found.append(html.unescape(text))
    found += [latin for latin in map(as_latin, [text, *found]) if latin is not None]
    shown = shown_order(text)
    if shown is not None:
        found.append(shown[0])
    return found


def words(text: str) -> Words:
    """Folded words: format characters dropped, compatibility forms and accents undone."""
    kept = "".join(c for c in text if unicodedata.category(c) != "Cf")
    decomposed = unicodedata.normalize("NFKD", kept)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return tuple(_WORD.findall(plain.casefold().translate(_EXTRA)))


@dataclass(frozen=True)
class Watchlist:
    """The raw facts of a case the check derives its needles from."""

    terms: Sequence[tuple[str, str]] = ()
    """(label, term) of term marks."""
    people: Sequence[tuple[str, Sequence[str]]] = ()
    """(label, names and aliases) of protected and anonymous people, and of marked people."""
    contacts: Sequence[tuple[str, str]] = ()
    """(label, e-mail address or phone number) of protected people."""
    patterns: Sequence[tuple[str, str]] = ()
    """(label, pattern kind) of pattern marks."""
    boxes: Mapping[tuple[str, int], Sequence[Rect]] = field(default_factory=dict)
    """Rectangle marks by (document id, page index)."""
    doc_ids: Sequence[str] = ()
    """Every document of the case, for the names OCR misread on its pages."""
    shown: Sequence[str] | None = None
    """The documents the bundle shows, for what their pages show uncovered (a document left in
    the vault shows the recipient nothing); None: the boxed documents and `doc_ids`."""
    scopes: Mapping[str, str] = field(default_factory=dict)
    """Label -> document id of marks made for one document: the other PDFs may hold their
    text (the written texts may not: the gate applies every mark to them)."""


@dataclass
class Needles:
    phrases: dict[Words, str] = field(default_factory=dict)
    patterns: list[tuple[str, str]] = field(default_factory=list)
    scopes: Mapping[str, str] = field(default_factory=dict)
    glued: dict[str, str] = field(default_factory=dict)
    """Name parts (four letters or more) looked for inside the words of addresses and tags."""
    inside: dict[str, str] = field(default_factory=dict)
    """Name parts (five letters or more) looked for inside any longer word that is not an
    ordinary word (`glued.ORDINARY_WORDS`): "QuartermaineW", "xQuartermaine"."""
    misread: dict[str, str] = field(default_factory=dict)
    """Name parts (seven letters or more) looked for misread in the text of pages read by OCR:
    a word a few edits away ("Quartermame"), `glued.misread_distance`."""
    sequences: dict[Words, str] = field(default_factory=dict)
    """Pairs of words that stood in that order only under a box: looked for in the texts
    Dossier writes, not in the PDFs, whose extraction order and removed words make pairs
    of their own (the PDFs are held to "no character under a box" instead)."""

    short: ShortFinder[str] = field(default_factory=lambda: ShortFinder[str]((), in_sentence=False))
    """Two-letter name parts, found where they stand for their person (`shortnames`)."""
    near: dict[str, str] = field(default_factory=dict)
    """Words under a box on a page read by OCR (seven letters or more): the scan shows what
    the OCR misread, so a word a few edits away is looked for in the texts Dossier writes
    (not in the PDFs, where another document may show it in its own right)."""

    def add(self, label: str, text: str) -> None:
        key = words(text)
        if key:
            self.phrases.setdefault(key, label)

    def counts(self, text: str, *, sequences: bool = True) -> Counter[str]:
        """How many times each label's needles occur in `text` (the largest count of the text
        as it is, with line-end hyphenation undone, and with letters cut from digits)."""
        best: Counter[str] = Counter()
        wanted = [*self.phrases.items(), *(self.sequences.items() if sequences else ())]
        unbroken = _HYPHEN_BREAK.sub("", text)
        for view in {text, unbroken, _DIGIT_GLUE.sub(" ", unbroken), *_readings(unbroken)}:
            seq = words(view)
            at: dict[str, list[int]] = {}
            for i, word in enumerate(seq):
                at.setdefault(word, []).append(i)
            found: Counter[str] = Counter()
            for phrase, label in wanted:
                for i in at.get(phrase[0], ()):
                    if seq[i : i + len(phrase)] == phrase:
                        found[label] += 1
            for _start, _end, label in self.short.find(view):
                found[label] += 1
            best |= found
            best |= self._inside_counts(at)
            if sequences:
                best |= self._near_counts(at)
        glued: Counter[str] = Counter()
        for token in _ADDRESS_LIKE.findall(text):
            joined = "".join(words(token))
            for part, label in self.glued.items():
                glued[label] += joined.count(part)
        best |= glued
        for label, kind in self.patterns:
            best[label] += max(len(find_pattern(kind, view)) for view in (text, *_readings(text)))
        return best

    def _inside_counts(self, at: Mapping[str, Sequence[int]]) -> Counter[str]:
        """Occurrences of the name parts inside longer words (`at`: each word's positions),
        letters cut from digits first ("Quartermaine2024" counts as the whole word)."""
        found: Counter[str] = Counter()
        if not self.inside:
            return found
        for word, positions in at.items():
            if len(word) <= MIN_IN_WORD:
                continue
            for letters in _LETTERS.findall(word):
                if letters in ORDINARY_WORDS:
                    continue
                for part, label in self.inside.items():
                    if part in letters and part != letters:
                        found[label] += len(positions)
        return found

    def _near_counts(self, at: Mapping[str, Sequence[int]]) -> Counter[str]:
        """Words a few edits away from a word the OCR read under a box (`at`: each word's
        positions); the word itself is a phrase already."""
        found: Counter[str] = Counter()
        if not self.near:
            return found
        for word, positions in at.items():
            if word in ORDINARY_WORDS or word in self.near:
                continue
            for read, label in self.near.items():
                edits = misread_distance(read)
                if abs(len(word) - len(read)) <= edits:
                    if Levenshtein.distance(word, read, score_cutoff=edits) <= edits:
                        found[label] += len(positions)
                        break
        return found

    def misread_counts(self, text: str) -> Counter[str]:
        """Words of `text` (a page read by OCR) that are a name part misread."""
        found: Counter[str] = Counter()
        for _word, label in self._misread(text):
            found[label] += 1
        return found

    def misread_words(self, text: str) -> dict[str, str]:
        """The misread words of `text` (folded), with their label."""
        return dict(self._misread(text))

    def _misread(self, text: str) -> Iterator[tuple[str, str]]:
        if not self.misread:
            return
        for word in _LETTERS.findall(" ".join(words(_HYPHEN_BREAK.sub("", text)))):
            if word in ORDINARY_WORDS:
                continue
            for part, label in self.misread.items():
                edits = misread_distance(part)
                if word != part and abs(len(word) - len(part)) <= edits:
                    if Levenshtein.distance(word, part, score_cutoff=edits) <= edits:
                        yield word, label
                        break

    def search(self, text: str, *, sequences: bool = True) -> list[str]:
        """Labels of what `text` holds."""
        return sorted(label for label, n in self.counts(text, sequences=sequences).items() if n)


def needles(watch: Watchlist, pages_of: Callable[[str], Sequence[PageText]]) -> Needles:
    out = Needles(scopes=dict(watch.scopes))
    for label, term in watch.terms:
        out.add(label, term)
    short: list[tuple[ShortPart, str]] = []
    for label, names in watch.people:
        short += [(part, label) for part in short_parts(names)]
        for name in names:
            out.add(label, name)
            for part in _LETTERS.findall(name):
                folded = words(part)
                if folded and is_part(part):
                    out.add(label, part)
                    key = "".join(folded)
                    if len(part) >= MIN_IN_ADDRESS:
                        out.glued.setdefault(key, label)
                    if len(key) >= MIN_IN_WORD and key.isalpha():
                        out.inside.setdefault(key, label)
                        if misread_distance(key):
                            out.misread.setdefault(key, label)
    if out.misread:
        # A name the OCR misread on a page of the case ("Quartermame") is the name wherever
        # it goes: a quote or a title copied from that page.
        for doc in watch.doc_ids:
            for page in pages_of(doc):
                if page.ocr:
                    for word, label in out.misread_words(page.text).items():
                        out.add(label, word)
    out.short = ShortFinder(short, in_sentence=False)
    for label, contact in watch.contacts:
        out.add(label, contact)
    out.patterns = list(watch.patterns)
    under, read_by_ocr = _under_boxes(watch, pages_of)
    for phrase in under:
        target = out.phrases if len(phrase) == 1 else out.sequences
        target.setdefault(phrase, "words under a redaction box")
    for word in read_by_ocr:
        out.near.setdefault(word, "words under a redaction box")
    return out


def _centre_in(word: Any, boxes: Sequence[Rect]) -> bool:
    cx, cy = (word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


@lru_cache(maxsize=1 << 16)
def _word_keys(text: str) -> Words:
    """`words` of one word of a word map (they repeat: cached)."""
    return words(text)


def _page_words(page: PageText, boxes: Sequence[Rect]) -> Iterator[tuple[str, bool]]:
    if not page.words:
        # A text document's page has no word map (it is typeset at export, where no box can
        # be drawn): it shows all of its words. Read as none, it made a boxed name it shows
        # a leak of its own PDF, and the export was refused.
        for folded in words(page.text):
            yield folded, False
        return
    for word in page.words:
        covered = bool(boxes) and _centre_in(word, boxes)
        for folded in _word_keys(page.text[word.start : word.end]):
            yield folded, covered


def _broken_words(page: PageText, boxes: Sequence[Rect]) -> Iterator[tuple[str, bool]]:
    """Each word a line end hyphenates on the page, whole, and whether a box is over a piece."""
    starts: list[int] | None = None
    for match in _HYPHEN_BREAK.finditer(page.text):
        starts = starts if starts is not None else [w.start for w in page.words]
        k = bisect.bisect_right(starts, match.start()) - 1
        if k < 0 or k + 1 >= len(page.words):
            continue
        a, b = page.words[k], page.words[k + 1]
        first = _word_keys(page.text[a.start : a.end])
        apart = (*first, *_word_keys(page.text[b.start : b.end]))
        whole = words(_HYPHEN_BREAK.sub("", page.text[a.start : b.end]))
        if first and len(whole) == len(apart) - 1:
            yield (
                whole[len(first) - 1],
                bool(boxes) and (_centre_in(a, boxes) or _centre_in(b, boxes)),
            )


def _under_boxes(
    watch: Watchlist, pages_of: Callable[[str], Sequence[PageText]]
) -> tuple[set[Words], set[str]]:
    """The words and pairs under boxes that no document shown shows uncovered, and those of
    the words that an OCR read (seven letters or more: what it read may be a misreading)."""
    boxed = sorted({doc for (doc, _i), rects in watch.boxes.items() if rects})
    singles: set[str] = set()
    pairs: set[Words] = set()
    read_by_ocr: set[str] = set()
    for doc in boxed:
        for page in pages_of(doc):
            page_boxes = watch.boxes.get((doc, page.index), ())
            # "Quarter-" / "maine" under a box: the name written whole elsewhere is found too.
            singles.update(w for w, covered in _broken_words(page, page_boxes) if covered)
            seq = list(_page_words(page, page_boxes))
            for i, (word, covered) in enumerate(seq):
                if not covered:
                    continue
                if len(word) >= MIN_BOXED:
                    singles.add(word)
                if page.ocr and misread_distance(word) and word.isalpha():
                    read_by_ocr.add(word)
                if i + 1 < len(seq) and seq[i + 1][1]:
                    pair = (word, seq[i + 1][0])
                    if max(len(pair[0]), len(pair[1])) >= MIN_BOXED:
                        pairs.add(pair)
    if not (singles or pairs):
        return set(), set()
    seen = watch.shown if watch.shown is not None else [*boxed, *watch.doc_ids]
    for doc in dict.fromkeys(seen):
        for page in pages_of(doc):
            page_boxes = watch.boxes.get((doc, page.index), ())
            singles.difference_update(
                w for w, covered in _broken_words(page, page_boxes) if not covered
            )
            seq = list(_page_words(page, page_boxes))
            for i, (word, covered) in enumerate(seq):
                if covered:
                    continue
                singles.discard(word)
                if i + 1 < len(seq) and not seq[i + 1][1]:
                    pairs.discard((word, seq[i + 1][0]))
    return {(w,) for w in singles} | pairs, read_by_ocr & singles


# -- reading the bundle -----------------------------------------------------------------------


def _json_strings(value: Any) -> Iterator[str]:
    # In document order, without recursion: the reader accepts nesting deeper than Python's
    # own recursion limit allows a recursive walk.
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                stack.extend((child, str(key)))
        elif isinstance(item, list):
            stack.extend(reversed(item))


_OWN_VALUES = re.compile(
    r"(?<![0-9A-Za-z])(?:[0-9a-f]{64}|[0-9a-f]{32}|[0-9a-f]{24})(?![0-9A-Za-z])"
    r"|(?<![0-9A-Za-z+/])(?:[0-9A-Za-z+/]{86}==|[0-9A-Za-z+/]{43}=)(?![0-9A-Za-z+/=])"
)
"""The values Dossier computes and writes in its own files: SHA-256 digests, key fingerprints
and ids in hexadecimal, the signature and public key in base64. Read with letters cut from
digits, a digest held a marked number by chance ("…c0412b…" for a box over "0412": about one
export in 30 with a box over a three-digit number was refused as a leak); they are random, not
text, and are read as a space. Only whole values of exactly these forms."""


def _text_views(name: str, data: bytes) -> list[tuple[str, str]]:
    """(where, text) of one non-PDF file, decoded every way a reader might, without the
    digests, ids and keys Dossier wrote in it (`_OWN_VALUES`)."""
    return [(where, _OWN_VALUES.sub(" ", text)) for where, text in _decoded_views(name, data)]


def _decoded_views(name: str, data: bytes) -> list[tuple[str, str]]:
    raw = data.decode("utf-8", "replace")
    views = [("the file's bytes as text", raw)]
    lowered = name.lower()
    if lowered.endswith((".html", ".htm")):
        views.append(("the page as shown", html.unescape(re.sub(r"<[^>]*>", " ", raw))))
        views.append(("the markup, entities decoded", html.unescape(raw)))
    if lowered.endswith((".json", ".sig")):
        try:
            views.append(("the JSON values", "\n".join(_json_strings(outside_json.loads(raw)))))
        except ValueError:
            views.append(("the file", "not valid JSON"))
    if lowered.endswith(".csv"):
        rows = csv.reader(io.StringIO(raw.lstrip("\ufeff")))
        views.append(("the cells", "\n".join(cell for row in rows for cell in row)))
    return views


def _members(data: bytes) -> tuple[str, list[tuple[str, bytes]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        comment = archive.comment.decode("utf-8", "replace")
        return comment, [(i.filename, archive.read(i)) for i in archive.infolist()]


def check_bundle(
    data: bytes,
    found: Needles,
    boxes_by_path: Mapping[str, dict[int, list[Rect]]],
    report: SelfCheckReport | None = None,
    skeleton: bytes | None = None,
    sources: Mapping[str, str] | None = None,
    ocr_pages: Mapping[str, Collection[int]] | None = None,
    pictures: Mapping[str, Collection[int]] | None = None,
    readings: picture_text.Readings | None = None,
) -> SelfCheckReport:
    """Read the zip `data` entirely; every hit becomes a finding naming its file.

    `skeleton`: the same bundle written with every free text blanked (`content.skeleton`): a
    word of Dossier's own template ("Content-Security-Policy", a CSV header, a JSON key) is
    counted there too, so a mark that happens to be such a word is not taken for a leak; only
    occurrences beyond the template's count. `sources`: the document id of each PDF, for
    marks made for one document only. `ocr_pages`: the indexes of the pages read by OCR of
    each PDF, searched for names misread too. `pictures`: the PDFs whose pictures are read by
    OCR (`picture_text`), searched like pages read by OCR, with the pages left out (read by
    OCR at import, or rasterized: their pixels are the page's own, boxes painted in);
    `readings`: the export's own readings of the same pixels (`picture_text.Readings`)."""
    report = report or SelfCheckReport()
    hits = report.findings
    template: Counter[tuple[str, str, str]] = Counter()
    if skeleton is not None:
        _comment, members = _members(skeleton)
        names = "\n".join(name for name, _ in members)
        for label, n in found.counts(names).items():
            template[("the bundle", "the names of its files", label)] = n
        for name, content in members:
            if not name.lower().endswith(".pdf"):
                for where, text in _text_views(name, content):
                    for label, n in found.counts(text).items():
                        template[(name, where, label)] = n

    def look(
        file: str,
        where: str,
        text: str,
        pdf: bool = False,
        doc: str | None = None,
        ocr: bool = False,
    ) -> None:
        counts = found.misread_counts(text) if ocr else found.counts(text, sequences=not pdf)
        for label, n in counts.items():
            scope = found.scopes.get(label)
            if pdf and doc is not None and scope is not None and scope != doc:
                continue  # a mark of another document: this PDF keeps that text
            if n > template[(file, where, label)]:
                hits.append(Finding(file, where, label))

    comment, members = _members(data)
    look("the bundle", "the zip comment", comment)
    look("the bundle", "the names of its files", "\n".join(name for name, _ in members))
    for name, content in members:
        if name.endswith("/"):
            continue
        report.files += 1
        if name.lower().endswith(".pdf"):
            reading = read_pdf(name, content, boxes_by_path.get(name, {}))
            report.pages += reading.pages
            hits.extend(reading.findings)
            doc = (sources or {}).get(name)
            for where, text in reading.texts:
                look(name, where, text, pdf=True, doc=doc)
            read_by_ocr = (ocr_pages or {}).get(name, ())
            for index, text in reading.page_texts:
                if index in read_by_ocr:
                    where = f"the text of page {index + 1} (a name misread by OCR)"
                    look(name, where, text, pdf=True, doc=doc, ocr=True)
            if pictures is not None and name in pictures:
                left_out = set(pictures[name])
                pages = [i for i in range(reading.pages) if i not in left_out]
                for index, text in picture_text.texts_of_pictures(content, pages, readings):
                    where = f"a picture on page {index + 1}"
                    look(name, where, text, pdf=True, doc=doc)
                    look(name, where, text, pdf=True, doc=doc, ocr=True)
            continue
        for where, text in _text_views(name, content):
            look(name, where, text)
    _dedupe(report)
    return report


def _dedupe(report: SelfCheckReport) -> None:
    seen: dict[tuple[str, str, str], None] = {}
    for finding in report.findings:
        seen.setdefault((finding.file, finding.where, finding.what), None)
    report.findings = [Finding(*key) for key in seen]

"""The shortcuts extraction takes give exactly what the general path gives.

Reading order takes a line's words together (MuPDF gives them one after the other) and skips
the rotation transform on an unrotated page, the canonical text skips normalisation for
printable ASCII words, and words are named tuples made in one C call; stored quotes are offsets
into the result, so each shortcut must change nothing at all.
"""

from __future__ import annotations

import dataclasses
import struct
import zlib

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from dossier.pdf.canonical import build_canonical, build_canonical_records, clean_word
from dossier.pdf.layout import (
    _MAX_LINE_GAP,
    _MIN_HEIGHT_RATIO,
    _MIN_SAME_COLUMN_OVERLAP,
    _TOP_DOWN,
    IDENTITY,
    RawWord,
    _group,
    _interleaved,
    _is_prose,
    _join_row_fragments,
    _Line,
    _order_runs,
    _stack_into_runs,
    reading_order,
)
from dossier.text.model import PageText, Word, make_word, pack_words, unpack_words
from tests.sweep import swept

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Identity in effect, but not equal to IDENTITY: forces the general (transforming) path. The
# coordinates stay >= 1, so adding 1e-300 to them changes no float.
NEARLY_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 1e-300)

COORD = st.floats(min_value=1.0, max_value=800.0, allow_nan=False)
WORD_VALUES = st.tuples(COORD, COORD, COORD, COORD, *[st.integers(0, 2**32 - 1)] * 3)
PIECES = ["a", "Z", "7", "-", "\u00ad", "é", "e\u0301", "\x85", "\x07", "ﬁ", " "]
TEXT = st.lists(st.sampled_from(PIECES), max_size=4).map("".join)
"""Printable ASCII, and what takes the slow path: accents to compose, controls, a ligature."""


@st.composite
def page_words(draw: st.DrawFn) -> list[RawWord]:
    words: list[RawWord] = []
    for _ in range(draw(st.integers(0, 40))):
        x0, y0 = draw(COORD), draw(COORD)
        # Mostly ordinary boxes, sometimes inverted ones (which take the general path).
        width = draw(st.floats(min_value=-5.0, max_value=60.0, allow_nan=False))
        height = draw(st.sampled_from([10.0, 12.0, 3.0, -2.0]))
        block, line = draw(st.integers(0, 4)), draw(st.integers(0, 3))
        words.append((x0, y0, x0 + width, y0 + height, draw(TEXT), block, line, len(words)))
    return words


@swept(SETTINGS, words=page_words())
def test_an_unrotated_page_is_ordered_as_the_general_path_orders_it(words: list[RawWord]) -> None:
    assert reading_order(words, IDENTITY) == reading_order(words, NEARLY_IDENTITY)


@swept(SETTINGS, words=page_words())
def test_words_are_grouped_into_lines_as_one_word_at_a_time_groups_them(
    words: list[RawWord],
) -> None:
    # The strategy's block and line numbers come in any order: a line's words are not always
    # next to each other, as no MuPDF page gives them but a caller may.
    lines: dict[tuple[int, int], list[RawWord]] = {}
    for word in words:
        lines.setdefault((word[5], word[6]), []).append(word)
    grouped, blocks = _group(words, IDENTITY)
    assert [line.words for line in grouped] == list(lines.values())
    block_numbers = list(dict.fromkeys(block for block, _line in lines))
    assert all(line.words[0][5] == block[0].words[0][5] for block in blocks for line in block)
    assert [block[0].words[0][5] for block in blocks] == block_numbers


ODD = st.sampled_from([float("nan"), float("inf"), float("-inf"), 0.0, -0.0])
ANY_COORD = st.one_of(COORD, ODD)


@st.composite
def odd_lines(draw: st.DrawFn) -> list[_Line]:
    """Lines of any boxes: flat, inverted, NaN or infinite edges, ties everywhere."""
    lines = []
    for order in range(draw(st.integers(0, 30))):
        x0, y0 = draw(ANY_COORD), draw(st.one_of(st.sampled_from([10.0, 20.0, 22.0]), ANY_COORD))
        width = draw(st.one_of(st.sampled_from([0.0, 100.0, -3.0]), ANY_COORD))
        height = draw(st.one_of(st.sampled_from([10.0, 12.0, 0.0, -2.0]), ANY_COORD))
        lines.append(_Line(order, [], x0, y0, x0 + width, y0 + height))
    return lines


def _runs_as_first_written(lines: list[_Line]) -> list[list[int]]:
    """`_stack_into_runs` as it was first written, with min, max and a test per pair."""

    def continues(last: _Line, line: _Line) -> bool:
        height = max(last.height, line.height)
        if height <= 0 or min(last.height, line.height) < _MIN_HEIGHT_RATIO * height:
            return False
        gap = line.y0 - last.y1
        if not -0.5 * height <= gap <= _MAX_LINE_GAP * height:
            return False
        overlap = min(last.x1, line.x1) - max(last.x0, line.x0)
        return overlap >= _MIN_SAME_COLUMN_OVERLAP * min(last.width, line.width)

    runs: list[list[_Line]] = []
    open_runs: list[list[_Line]] = []
    for line in sorted(lines, key=_TOP_DOWN):
        open_runs = [run for run in open_runs if line.y0 - run[-1].y1 <= run[-1].height]
        best, best_key = None, None
        for run in open_runs:
            last = run[-1]
            if continues(last, line):
                key = (line.y0 - last.y1, -(min(last.x1, line.x1) - max(last.x0, line.x0)))
                if best_key is None or key < best_key:
                    best, best_key = run, key
        if best is None:
            best = []
            runs.append(best)
            open_runs.append(best)
        best.append(line)
    return [[line.order for line in run] for run in runs]


@swept(SETTINGS, lines=odd_lines())
def test_lines_are_stacked_into_the_runs_a_test_per_pair_makes(lines: list[_Line]) -> None:
    runs = _stack_into_runs(lines)
    assert [[line.order for line in run.lines] for run in runs] == _runs_as_first_written(lines)
    for run in runs:
        assert run.order == min(line.order for line in run.lines)
        assert (run.x0, run.y0) == (
            min(line.x0 for line in run.lines),
            min(line.y0 for line in run.lines),
        ) or any(x != x for line in run.lines for x in (line.x0, line.y0))


@swept(SETTINGS, words=page_words())
def test_every_word_of_the_canonical_text_is_its_cleaned_word(words: list[RawWord]) -> None:
    text, word_map = build_canonical(reading_order(words))
    cleaned = [clean_word(w[4]) for block in reading_order(words) for ln in block for w in ln]
    assert [text[w.start : w.end] for w in word_map] == [c for c in cleaned if c]


BLOCKS = st.lists(
    st.lists(st.lists(st.builds(lambda text: (1.0, 2.0, 3.0, 4.0, text, 0, 0, 0), TEXT))),
    max_size=5,
)
"""Blocks of lines of words, empty ones and words cleaned away to nothing among them."""


@swept(SETTINGS, blocks=BLOCKS)
def test_a_page_s_text_joins_its_words_lines_and_blocks_as_written_out_plainly(
    blocks: list[list[list[RawWord]]],
) -> None:
    # The canonical text, written out the plain way: the cleaned words that are left, a
    # space between those of a line, a line break between the lines of a block that hold
    # any, a blank line between such blocks; each word where the text has it, on the line
    # counted among those written.
    kept = [
        [[clean_word(w[4]) for w in line if clean_word(w[4])] for line in block] for block in blocks
    ]
    kept = [[line for line in block if line] for block in kept]
    kept = [block for block in kept if block]
    expected = "\n\n".join("\n".join(" ".join(line) for line in block) for block in kept)
    written = [
        (word, number) for number, line in enumerate(ln for b in kept for ln in b) for word in line
    ]
    for text, word_map in (build_canonical(blocks), _words_of(build_canonical_records(blocks))):
        assert text == expected
        assert [(text[w.start : w.end], w.line) for w in word_map] == written


def _words_of(made: tuple[str, bytes]) -> tuple[str, list[Word]]:
    text, records = made
    return text, PageText(index=0, text=text, word_records=records).words


@swept(SETTINGS, words=page_words())
def test_a_page_s_word_records_are_its_words_as_stored(words: list[RawWord]) -> None:
    # An import makes the records without the words: the same text, and the very records
    # the words pack to, word for word (32-bit boxes, offsets, lines).
    blocks = reading_order(words)
    text, word_map = build_canonical(blocks)
    records_text, records = build_canonical_records(blocks)
    assert records_text == text
    assert records == b"".join(struct.pack("<ffffIII", *word) for word in word_map)
    page = PageText(index=0, text=records_text, word_records=records)
    assert page.stored_words() == pack_words(word_map)
    assert page.words == unpack_words(pack_words(word_map))
    assert all(type(word) is Word for word in page.words)
    assert page.stored_words() == pack_words(word_map)  # read once, stored the same


def test_a_page_made_from_records_behaves_as_one_made_from_its_words() -> None:
    words = [
        make_word((1.5, 2.25, 30.0, 12.0, 0, 4, 0)),
        make_word((32.0, 2.25, 50.0, 12.0, 5, 8, 0)),
    ]
    records = b"".join(struct.pack("<ffffIII", *word) for word in words)
    page = PageText(index=3, text="Avis sur", word_records=records, label="iv")
    assert page == PageText(index=3, text="Avis sur", words=words, label="iv")
    assert dataclasses.replace(page, text="Avis sus").words == words
    assert repr(page).startswith("PageText(index=3, text='Avis sur', words=[Word(x0=1.5")
    assert PageText(index=0, text="", word_records=b"").words == []
    with pytest.raises(ValueError):
        PageText(index=0, text="Avis sur", words=words, word_records=records)


@swept(SETTINGS, values=WORD_VALUES)
def test_a_quickly_made_word_is_a_word(
    values: tuple[float, float, float, float, int, int, int],
) -> None:
    word = make_word(values)
    assert word == Word(*values) and hash(word) == hash(Word(*values))
    assert repr(word) == repr(Word(*values))
    stored = unpack_words(pack_words([word]))[0]
    assert type(stored) is Word and (stored.start, stored.end, stored.line) == values[4:]


@swept(SETTINGS, pages=st.lists(st.lists(WORD_VALUES, max_size=30), max_size=4))
def test_a_word_map_is_stored_as_its_records_end_to_end(
    pages: list[list[tuple[float, float, float, float, int, int, int]]],
) -> None:
    # Pages of every word count, one after the other (a cached format of one count must not
    # serve another): each stored map is the WM1 records of its words, and reads back as them.
    for values in pages:
        words = [make_word(v) for v in values]
        stored = pack_words(words)
        records = struct.pack("<" + "ffffIII" * len(words), *(v for w in words for v in w))
        assert stored[:3] == b"WM1" and zlib.decompress(stored[3:]) == records
        assert unpack_words(stored) == [
            make_word(r) for r in struct.iter_unpack("<ffffIII", records)
        ]


def _order_always_stacked(words: list[RawWord]) -> list[list[list[RawWord]]]:
    """`reading_order` as it was first written: every page's lines stacked into runs."""
    lines, blocks = _group(words, IDENTITY)
    runs = _stack_into_runs(lines)
    if _interleaved(runs, [_is_prose(line) for line in lines]):
        return [[line.words for line in run.lines] for run in _order_runs(runs)]
    return [_join_row_fragments(block) for block in blocks]


@st.composite
def column_pages(draw: st.DrawFn) -> list[RawWord]:
    """Two columns of prose drawn one visual row at a time (as the IRS pages are), a few rows,
    a line or two of them too short, too small or missing: around the fewest prose lines a
    page must hold to be interleaved (six rows of two columns are, two are not)."""
    rows = draw(st.integers(0, 6))
    odd = draw(st.dictionaries(st.integers(0, 2 * rows), st.sampled_from("short small gone")))
    words: list[RawWord] = []
    line = 0
    for row in range(rows):
        for cell, left in enumerate((56.0, 306.0), start=2 * row):
            if odd.get(cell) == "gone":
                continue
            count = 2 if odd.get(cell) == "short" else 4
            height = 4.0 if odd.get(cell) == "small" else 10.0
            y0 = 100.0 + 14.0 * row
            for number in range(count):
                x0 = left + 40.0 * number
                words.append((x0, y0, x0 + 36.0, y0 + height, "mot", 0, line, number))
            line += 1
    return words


@st.composite
def shuffled_column(draw: st.DrawFn) -> list[RawWord]:
    """One column of prose lines that MuPDF gives in any order: six lines can hold five cuts
    (given in the order 2, 4, 6, 1, 3, 5 from the top), five at most four."""
    order = draw(st.permutations(range(draw(st.integers(0, 7)))))
    words: list[RawWord] = []
    for line, row in enumerate(order):
        y0 = 100.0 + 14.0 * row
        for number in range(4):
            x0 = 56.0 + 40.0 * number
            words.append((x0, y0, x0 + 36.0, y0 + 10.0, "mot", 0, line, number))
    return words


@swept(SETTINGS, words=st.one_of(column_pages(), shuffled_column()))
def test_a_page_of_few_prose_lines_is_ordered_as_stacking_its_lines_orders_it(
    words: list[RawWord],
) -> None:
    # A page of at most five prose lines is not stacked into runs: it cannot hold the five
    # cuts an interleaved page needs.
    assert reading_order(words) == _order_always_stacked(words)

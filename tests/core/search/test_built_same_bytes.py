"""A segment a worker builds is, byte for byte, the segment Whoosh's own `add_document` writes
for the same items: the workers write postings and read lengths their own way (`built.py`) and
cut the words of the folded fields themselves (`analysis.index_postings`), for less CPU than
Whoosh, never for another index."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from whoosh.reading import SegmentReader

from dossier.search import IndexItem
from dossier.search.analysis import FoldingAnalyzer, index_postings
from dossier.search.built import BuiltSegment, MemoryStorage, build_segment, merge_segments
from dossier.search.codec import index_codec
from dossier.search.schema import INDEX_NAME, build_schema, to_document
from tests.searchitems import items as _items


def _whoosh_segment(items: list[IndexItem]) -> tuple[str, bytes]:
    """The segment Whoosh's writer makes of `items`: its id and its (compound) file."""
    storage = MemoryStorage()
    ix = storage.create_index(build_schema(), indexname=INDEX_NAME)
    writer = ix.writer(procs=1, codec=index_codec())
    for item in items:
        writer.add_document(**to_document(item))
    writer.commit(merge=False)
    segment = writer.get_segment()
    files = {n: d for n, d in storage.files.items() if n.startswith(f"{segment.segment_id()}.")}
    (data,) = files.values()
    return str(segment.segid), data


def _whoosh_merge(built: list[BuiltSegment]) -> tuple[str, bytes]:
    """The segment Whoosh's writer makes of the live documents of `built` (`add_reader`)."""
    source = MemoryStorage()
    for part in built:
        source.files.update(part.files)
    storage = MemoryStorage()
    ix = storage.create_index(build_schema(), indexname=INDEX_NAME)
    writer = ix.writer(procs=1, codec=index_codec())
    for part in built:
        reader = SegmentReader(source, writer.schema, part.segment)
        writer.add_reader(reader)
        reader.close()
    writer.commit(merge=False)
    segment = writer.get_segment()
    (data,) = (d for n, d in storage.files.items() if n.startswith(f"{segment.segment_id()}."))
    return str(segment.segid), data


def _same_bytes(items: list[IndexItem]) -> None:
    built = build_segment(items)
    (ours,) = built.files.values()
    segid, theirs = _whoosh_segment(items)
    # A segment's random id is written into its file (its parts' names).
    assert ours.replace(built.segid.encode(), b"<id>") == theirs.replace(segid.encode(), b"<id>")


def test_a_built_segment_is_the_one_whoosh_writes() -> None:
    # Pages and notes, with and without dates, people, tags, secondary text, OCR; a page
    # without text; and a word repeated and split by a hyphen, a date, a grouped number.
    items = _items(40)
    items.append(IndexItem("e:0", "e", "case-a", "page", "source", "", "", page_index=0))
    items.append(IndexItem("e:1", "e", "case-a", "page", "source", "", "  a  a a-b 1 000 000 ", 1))
    _same_bytes(items)


_WORDS = st.sampled_from(["a", "é", "e-mail", "20/11/2023", "1 000 000", "l'été", "ǅ", "", " "])


@given(st.lists(st.lists(_WORDS, max_size=30).map(" ".join), min_size=1, max_size=6))
def test_a_built_segment_is_the_one_whoosh_writes_whatever_the_words(texts: list[str]) -> None:
    items = [
        IndexItem(f"d{n}:0", f"d{n}", "case-a", "page", "source", "t", text, page_index=0)
        for n, text in enumerate(texts)
    ]
    _same_bytes(items)


@given(
    st.lists(
        st.text(alphabet=st.sampled_from("ab|é 1\u00a0"), max_size=12), min_size=0, max_size=40
    ).map(" ".join),
    st.sampled_from([1.0, 0.2]),
)
def test_folded_postings_are_what_whoosh_makes_of_the_value(value: str, boost: float) -> None:
    """Any value the folded fields may hold: empty words, words of only `|`, alternatives,
    repeated words far apart (positions written as gaps), a field's boost."""
    schema = build_schema()
    field: Any = schema["exact"]
    assert isinstance(field.analyzer, FoldingAnalyzer)
    field.format.field_boost = boost
    assert index_postings(value, boost) == list(field.index(value))


def test_a_merged_segment_is_the_one_whoosh_writes() -> None:
    """Merged in a worker (`merge_segments`): the live documents of several segments, one of
    them with deleted documents, written as Whoosh's `add_reader` writes them."""
    items = _items(60)
    built = [build_segment(items[n : n + 20]) for n in range(0, 60, 20)]
    for docnum in (0, 7, 19):
        built[1].segment.delete_document(docnum)
    merged = merge_segments(built)
    (ours,) = merged.files.values()
    segid, theirs = _whoosh_merge(built)
    assert merged.segment.doc_count_all() == 57
    assert ours.replace(merged.segid.encode(), b"<id>") == theirs.replace(segid.encode(), b"<id>")

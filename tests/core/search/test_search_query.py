"""Query parsing: what a journalist types, and a clear sentence when it cannot be understood."""

from __future__ import annotations

import pytest
from whoosh import query

from dossier.errors import UsageError
from dossier.search.model import SearchFilters
from dossier.search.phrases import FastPhrase
from dossier.search.query import EXACT, SECONDARY, filter_query, parse_query
from dossier.search.schema import build_schema
from dossier.search.stems import Prefix, StemQuery, Wildcard, ocr_tolerant

SCHEMA = build_schema()


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ('"unclosed', "quote"),
        ('police "reconnaissance faciale', "quote"),
        ("AND", "AND"),
        ("foo AND", "operator"),
        ("OR foo", "OR"),
        ("foo AND OR bar", "OR"),
        ("NOT", "operator"),
        ("(foo", "parenthesis"),
        ("foo)", "parenthesis"),
        ("()", "empty parentheses"),
        ("(foo OR)", "operator"),
        ('""', "empty quotes"),
        ("~", "fuzzy"),
        ("~1", "fuzzy"),
        ("Clouet~x", "fuzzy"),
        ("Clouet~5", "1 or 2"),
        ("Clou*et~1", "fuzzy"),
        ("*", "wildcard"),
        ("?", "wildcard"),
        ("a*", "wildcard"),
        ("   ", "at least one word"),
        ("!!! ???", "wildcard"),
        ("!!! ...", "no word"),
        ("police ET", "operator"),
    ],
)
def test_malformed_queries_get_a_clear_sentence(typed: str, says: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_query(typed, SCHEMA)
    message = str(caught.value)
    assert says.lower() in message.lower()
    assert message.endswith("."), "one sentence, not a traceback"
    assert "\n" not in message


def test_plain_words_look_up_both_stems_and_all_are_required() -> None:
    parsed = parse_query("Reconnaissances investigating", SCHEMA)
    assert isinstance(parsed.query, query.And)
    first, second = parsed.query.subqueries
    # Each word is looked up under its stems in the page's words (or one error away on a page
    # read by OCR) and in the text around a web article; the stems are expanded against the
    # index when the search runs.
    for part, word in ((first, "reconnaissances"), (second, "investigating")):
        exact = StemQuery(EXACT, word)
        expected = query.Or([ocr_tolerant(EXACT, word, exact), StemQuery(SECONDARY, word)])
        assert part == expected.normalize(), word


def test_phrases_stay_unstemmed_on_the_exact_field() -> None:
    for typed in [
        '"Reconnaissances faciales"',
        "« reconnaissances faciales »",
        "“reconnaissances faciales”",
    ]:
        parsed = parse_query(typed, SCHEMA)
        words = ["reconnaissances", "faciales"]
        assert parsed.query == query.Or([FastPhrase(EXACT, words), FastPhrase(SECONDARY, words)])
        assert parsed.highlight.phrases == [("reconnaissances", "faciales")]
    single = parse_query('"Sécurité"', SCHEMA)
    assert single.query == query.Or(
        [query.Term(EXACT, "securite"), query.Term(SECONDARY, "securite")]
    )


def test_prefix_wildcard_and_fuzzy_terms() -> None:
    # Dossier's subclasses: each expands once per segment however often Whoosh asks.
    assert parse_query("Surveil*", SCHEMA).query == query.Or(
        [Prefix(EXACT, "surveil"), Prefix(SECONDARY, "surveil")]
    )
    wildcard = parse_query("s?curit?", SCHEMA).query.subqueries
    assert [(type(q), q.fieldname) for q in wildcard] == [
        (Wildcard, EXACT),
        (Wildcard, SECONDARY),
    ]
    fuzzy, around = parse_query("Clouet~1", SCHEMA).query.subqueries
    assert isinstance(fuzzy, query.FuzzyTerm)
    assert (fuzzy.fieldname, fuzzy.text, fuzzy.maxdist) == (EXACT, "clouet", 1)
    assert (around.fieldname, around.text, around.maxdist) == (SECONDARY, "clouet", 1)
    assert parse_query("Clouet~2", SCHEMA).query.subqueries[0].maxdist == 2
    # The first letter must match unless the search says otherwise (~1/0).
    assert fuzzy.prefixlength == 1
    assert parse_query("Clouet~1/2", SCHEMA).query.subqueries[0].prefixlength == 2


def test_operators_in_english_and_french_and_nothing_negated_is_highlighted() -> None:
    parsed = parse_query("police OU gendarmerie SAUF armée", SCHEMA)
    assert "armee" not in parsed.highlight.words
    assert {"police", "gendarmerie"} <= parsed.highlight.words
    assert "Not(" in repr(parsed.query)
    assert isinstance(parse_query("a OR b", SCHEMA).query, query.Or)
    # Apostrophes are never quotes; an elided article is no word to require ("d’euros" finds
    # "1 000 000 €"), except inside quotes, where the phrase is kept as written.
    elided = parse_query("l'enquête d’un juge", SCHEMA)
    assert {"enquete", "un", "juge"} <= elided.highlight.words and not elided.highlight.phrases
    assert "l" not in elided.highlight.words
    quoted = parse_query('"l\'enquête"', SCHEMA)
    assert quoted.highlight.phrases == [("l", "enquete")]


def test_filters() -> None:
    assert filter_query(None) is None
    assert filter_query(SearchFilters()) is None
    both = filter_query(SearchFilters(kinds=["letter"], date_from="2023-01", date_to="2023"))
    assert isinstance(both, query.And)
    assert query.NumericRange("day", 20230100, 20239999) in both.subqueries
    with pytest.raises(UsageError, match="ends before it starts"):
        filter_query(SearchFilters(date_from="2024-01-01", date_to="2023-12-31"))
    with pytest.raises(UsageError, match="not a date"):
        filter_query(SearchFilters(date_from="last week"))
    with pytest.raises(UsageError, match="unknown item type"):
        filter_query(SearchFilters(item_types=["pages"]))

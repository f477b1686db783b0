"""Analysis shared by indexing and querying: folding, elisions, stems."""

from __future__ import annotations

import pytest

from dossier.search.analysis import (
    FoldingAnalyzer,
    fold,
    folded_words,
    index_stems,
    iter_words,
    query_stems,
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Sécurité", ["securite"]),
        ("LÉONARD", ["leonard"]),
        ("l'utilisation", ["l", "utilisation"]),
        ("l’utilisation", ["l", "utilisation"]),
        ("lʼÉtat", ["l", "etat"]),
        (
            "qu’il jusqu'à lorsqu’on puisqu'elle",
            ["qu", "il", "jusqu", "a", "lorsqu", "on", "puisqu", "elle"],
        ),
        ("aujourd’hui", ["aujourd", "hui"]),
        ("ﬁnancière aﬀaire", ["financiere", "affaire"]),
        ("Œuvre cæcum", ["oeuvre", "caecum"]),
        ("sécu\u00adrité", ["securite"]),
        ("se\u0301curite\u0301", ["securite"]),
        ("Straße", ["strasse"]),
        ("Jean-Marc a dit «non»", ["jean", "marc", "a", "dit", "non"]),
        ("under_score x²", ["under", "score", "x2"]),
    ],
)
def test_words_are_folded_and_split(text: str, words: list[str]) -> None:
    assert folded_words(text) == words


def test_offsets_point_into_the_original_text() -> None:
    text = "L’aﬀaire « Sécurité » de LÉONARD"
    found = [(word, text[start:end]) for word, start, end in iter_words(text)]
    assert found == [
        ("l", "L"),
        ("affaire", "aﬀaire"),
        ("securite", "Sécurité"),
        ("de", "de"),
        ("leonard", "LÉONARD"),
    ]


def test_fold_is_stable() -> None:
    for word in ["securite", "leonard", "oeuvre", "affaire"]:
        assert fold(word) == word


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("reconnaissance", "reconnaissances"),
        ("faciale", "faciales"),
        ("securite", "sécurité"),
        ("assemblee", "assemblée"),
        ("investigate", "investigating"),
        ("investigation", "investigations"),
        ("deputes", "Députés"),
    ],
)
def test_a_query_stem_meets_the_indexed_stem(typed: str, written: str) -> None:
    indexed = set(index_stems(folded_words(written), None).split())
    assert set(query_stems(fold(typed))) & indexed


def test_document_language_picks_the_stemmer() -> None:
    words = folded_words("investigating sécurité")
    assert index_stems(words, "en").split() == ["investig", "securit"]
    assert index_stems(words, "fr").split() == ["investigating", "securit"]
    # Unknown language: both stems where they differ, once where they agree.
    assert index_stems(words, "de").split() == ["investigating", "investig", "securit"]


def test_analyzer_positions_and_patterns() -> None:
    analyzer = FoldingAnalyzer()
    tokens = [(t.text, t.pos) for t in analyzer("L’État, enfin", positions=True)]
    assert tokens == [("l", 0), ("etat", 1), ("enfin", 2)]
    # Wildcard and fuzzy terms arrive whole: keep * and ?, drop an elided article.
    assert [t.text for t in analyzer("L’Utilis*", tokenize=False)] == ["utilis*"]
    assert [t.text for t in analyzer("Sécu?ité", tokenize=False)] == ["secu?ite"]

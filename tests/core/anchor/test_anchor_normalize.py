"""Folding text into comparison keys, and what "verbatim" tolerates."""

from __future__ import annotations

import pytest

from dossier.anchor.normalize import (
    build_keys,
    has_omission_mark,
    same_layout,
    split_omissions,
    strip_enclosing_quotes,
)
from dossier.text.fold import fold_char


def test_keys_map_back_to_the_original_characters() -> None:
    text = "L’État a dit : « ﬁnancement inter-\nnational », anno\u00ad\ntated, 1,400 pages."
    keys = build_keys(text)
    assert keys.key == "letatadit" + "financementinternational" + "annotated1.400pages"
    for k, char in enumerate(keys.key):
        original = text[keys.orig_start(k)]
        assert char in fold_char(original) or (char == "." and not original.isalnum())


def test_tokens_join_line_end_hyphenation_but_not_compounds() -> None:
    tokens = build_keys(
        "inter-\nnational self-evident anno\u00ad\ntated pseudo\u00adAvicenna"
    ).tokens()
    assert tokens == ["international", "self", "evident", "annotated", "pseudoavicenna"]


def test_a_capitalised_continuation_after_a_hyphen_is_a_new_word() -> None:
    assert build_keys("Paris-\nMatch").tokens() == ["paris", "match"]


@pytest.mark.parametrize(
    ("text", "key", "tokens"),
    [
        ("3.5", "3.5", ["3", "5"]),
        ("35", "35", ["35"]),
        ("1,400", "1.400", ["1", "400"]),
        ("2018–\n23–51", "2018.23.51", ["2018", "23", "51"]),
        ("2023- 0379", "2023.0379", ["2023", "0379"]),
        ("2007, 96", "2007.96", ["2007", "96"]),
        ("1 200 000 $", "1200000", ["1", "200", "000"]),
    ],
)
def test_digits_keep_their_separators(text: str, key: str, tokens: list[str]) -> None:
    keys = build_keys(text)
    assert (keys.key, keys.tokens()) == (key, tokens)


def test_line_starts_are_recorded() -> None:
    keys = build_keys("one two\nthree\n\nfour")
    assert list(keys.line_starts) == [0, len("onetwo"), len("onetwothree")]


@pytest.mark.parametrize(
    ("published", "source"),
    [
        ("We will win.", "We will\nwin."),
        ("international cooperation", "inter-\nnational cooperation"),
        ("self-evident", "self-\nevident"),
        ("thoroughly annotated", "thoroughly anno\u00ad\ntated"),
        ("the final offer", "the ﬁnal offer"),
        ("Non !", "Non\u202f!"),
        ("« Non »", "«\u00a0Non\u00a0»"),
    ],
)
def test_layout_differences_are_verbatim(published: str, source: str) -> None:
    assert same_layout(published, source)


@pytest.mark.parametrize(
    ("published", "source"),
    [
        ("we will win", "We will win"),
        ("l'État", "l’État"),
        ("We will win", "We will win."),
        ("We shall win", "We will win"),
        ("together", "to gether"),
    ],
)
def test_typography_case_and_words_are_not_verbatim(published: str, source: str) -> None:
    assert not same_layout(published, source)


@pytest.mark.parametrize("mark", ["...", "…", "[…]", "[...]", "(…)", ". . ."])
def test_omission_marks_split_a_quote(mark: str) -> None:
    pieces, trimmed = split_omissions(f"Nous allons {mark} gagner demain")
    assert (pieces, trimmed) == (["Nous allons", "gagner demain"], True)
    assert has_omission_mark(mark)


def test_edge_omission_marks_only_say_fragment() -> None:
    assert split_omissions("… nous allons gagner…") == (["nous allons gagner"], False)


@pytest.mark.parametrize(
    "quote",
    [
        "« Nous gagnerons »",
        "“Nous gagnerons”",
        '"Nous gagnerons"',
        "  «\u00a0Nous gagnerons\u00a0» ",
    ],
)
def test_enclosing_quotation_marks_are_dropped(quote: str) -> None:
    assert strip_enclosing_quotes(quote) == "Nous gagnerons"


def test_inner_quotation_marks_stay() -> None:
    assert strip_enclosing_quotes("Il a dit « non » hier") == "Il a dit « non » hier"

"""From what the journalist typed to a Whoosh query, or a clear sentence saying what is wrong.

Syntax: words (all required), "quoted phrases" (words in order, unstemmed), AND / OR / NOT
(also ET / OU / SAUF), parentheses, prefixes and wildcards (`surveil*`, `r?sum?`), fuzzy terms
(`Clouet~1`, `Clouet~2`). Whoosh's parser accepts nearly anything and silently drops what it
does not understand, so the text is checked first; then the parsed tree is rewritten: a plain
word is looked up under every indexed word sharing its French or English stem (`stems.py`),
everything else as written, folded, in the `exact` field. Single quotes are no syntax at all:
in French they are apostrophes ("l'enquête").
"""

from __future__ import annotations

import copy
import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from whoosh import qparser, query

from dossier.errors import UsageError
from dossier.i18n import _
from dossier.search.analysis import LANGUAGES, stem_words
from dossier.search.model import ITEM_TYPES, SearchFilters
from dossier.search.phrases import FastPhrase
from dossier.search.schema import day_number, value_token
from dossier.search.stems import StemQuery, Synonym, expand_once, ocr_tolerant
from dossier.search.synonyms import SYNONYM_BOOST, synonyms
from dossier.search.variants import initial_term, rewrite_query, typed_initials

EXACT = "exact"
SECONDARY = "secondary"
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"'})
_BINARY_OPS = {"AND", "OR", "ANDNOT", "ANDMAYBE", "REQUIRE", "ET", "OU"}
_PREFIX_OPS = {"NOT", "SAUF"}
_FUZZY = re.compile(r"^([^~]+)~(?:([0-9]+))?(?:/([0-9]+))?$")
_WILDCARDS = "*?"
MAX_FUZZY = 2
MAX_QUERY_CHARS = 2000


@dataclass
class HighlightSpec:
    """What the positive parts of a query match, to mark words in a snippet."""

    words: set[str] = field(default_factory=set)
    stems: dict[str, set[str]] = field(default_factory=lambda: {c: set() for c in LANGUAGES})
    phrases: list[tuple[str, ...]] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    wildcards: list[re.Pattern[str]] = field(default_factory=list)
    fuzzy: list[tuple[str, int, int]] = field(default_factory=list)
    """(word, maximum edit distance, length of the prefix that must match exactly)."""
    initials: list[tuple[str, str]] = field(default_factory=list)
    """(initial, name) typed as "P. Léonard": the word before the name, if it starts with the
    initial, is marked with it ("Pierre Léonard")."""


@dataclass
class ParsedQuery:
    text: str
    query: Any
    highlight: HighlightSpec


def _lex(text: str) -> list[str]:
    """Split into "(", ")", '"..."' phrases and words, refusing unbalanced quotes."""
    tokens: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(char)
            i += 1
        elif char == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise UsageError(_('The search has an opening quote " without a closing one.'))
            if not text[i + 1 : close].strip():
                raise UsageError(_('The search has empty quotes "": put words between them.'))
            i = close + 1
            slop = re.match(r"~[0-9]*", text[i:])
            if slop:
                i += slop.end()
            tokens.append('"')
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in '()"':
                i += 1
            tokens.append(text[start:i])
    return tokens


def _check_word(word: str) -> None:
    if "~" in word:
        match = _FUZZY.match(word)
        if match is None or any(w in match.group(1) for w in _WILDCARDS):
            raise UsageError(
                _(
                    "{word} is not a fuzzy search: write a word then ~1 or ~2, as in Clouet~1."
                ).format(word=repr(word))
            )
        if match.group(2) is not None and not 1 <= int(match.group(2)) <= MAX_FUZZY:
            raise UsageError(
                _("{word}: a fuzzy search allows 1 or 2 differences, as in Clouet~2.").format(
                    word=repr(word)
                )
            )
        return
    if any(w in word for w in _WILDCARDS):
        letters = sum(1 for c in word if c.isalnum())
        if letters < 2:
            raise UsageError(
                _(
                    "{word}: a wildcard needs at least two letters beside * and ?, as in surveil*."
                ).format(word=repr(word))
            )


def check_syntax(text: str) -> None:
    """Refuse what Whoosh would silently misread: unbalanced quotes or parentheses, dangling
    operators, lone wildcards, malformed fuzzy terms."""
    if not text.strip():
        raise UsageError(_("Type at least one word to search for."))
    if len(text) > MAX_QUERY_CHARS:
        raise UsageError(
            _("The search is too long (more than {MAX_QUERY_CHARS} characters).").format(
                MAX_QUERY_CHARS=MAX_QUERY_CHARS
            )
        )
    depth = 0
    previous = "start"  # or "(", "binary", "prefix", "operand": what the last token was
    for token in _lex(text):
        if token == "(":
            depth += 1
            previous = "("
        elif token == ")":
            depth -= 1
            if depth < 0:
                raise UsageError(_("The search closes a parenthesis ) that was never opened."))
            if previous == "(":
                raise UsageError(_("The search has empty parentheses (): put words between them."))
            if previous in ("binary", "prefix"):
                raise UsageError(_("An operator (AND, OR, NOT) is missing a word after it."))
            previous = "operand"
        elif token in _BINARY_OPS:
            if previous in ("start", "(", "binary", "prefix"):
                raise UsageError(
                    _("{token} needs a word on each side, as in police {token} justice.").format(
                        token=token
                    )
                )
            previous = "binary"
        elif token in _PREFIX_OPS:
            previous = "prefix"
        else:
            if token != '"':
                _check_word(token)
            previous = "operand"
    if depth > 0:
        raise UsageError(_("The search opens a parenthesis ( that is never closed."))
    if previous in ("binary", "prefix"):
        raise UsageError(_("The search ends with an operator (AND, OR, NOT): add a word after it."))


def _parser(schema: Any) -> Any:
    operators = qparser.OperatorsPlugin(
        And=r"(?<=\s)(AND|ET)(?=\s)",
        Or=r"(?<=\s)(OR|OU)(?=\s)",
        Not=r"(^|(?<=(\s|[()])))(NOT|SAUF)(?=\s)",
    )
    plugins = [
        qparser.WildcardPlugin(),
        qparser.PhrasePlugin(),
        qparser.GroupPlugin(),
        operators,
        qparser.FuzzyTermPlugin(),
    ]
    return qparser.QueryParser(EXACT, schema, plugins=plugins, group=qparser.AndGroup)


def _word_query(q: Any, spec: HighlightSpec | None) -> Any:
    word = q.text
    others = synonyms(word)
    if spec is not None:
        for each in (word, *others):
            spec.words.add(each)
            for code in LANGUAGES:
                spec.stems[code].add(stem_words([each], code)[0])
    alternatives = [StemQuery(EXACT, word, boost=q.boost)]
    boost = q.boost * SYNONYM_BOOST
    alternatives += [Synonym(EXACT, other, word, boost=boost) for other in others]
    if spec is not None:
        # "P. Léonard": a page naming him with a first name or an initial that fits ranks first.
        alternatives += [
            FastPhrase(EXACT, [initial_term(letter), word], boost=q.boost)
            for letter, name in spec.initials
            if name == word
        ]
    exact = alternatives[0] if len(alternatives) == 1 else query.Or(alternatives)
    return ocr_tolerant(EXACT, word, exact)


def _also_secondary(main: Any, leaf: Any) -> Any:
    """`main`, or `leaf` looked up in the secondary field (the text around a web article),
    which the schema's field boost ranks lower."""
    other = copy.copy(leaf)
    other.fieldname = SECONDARY
    return query.Or([main, other])


def _rewrite(q: Any, spec: HighlightSpec | None) -> Any:
    """Route each leaf to its fields; `spec` is None under a NOT (nothing there to highlight)."""
    routed = _route(q, spec)
    if isinstance(q, (query.Phrase, query.FuzzyTerm, query.Prefix, query.Wildcard)):
        return _also_secondary(routed, routed)
    if isinstance(q, query.Term):
        return _also_secondary(routed, StemQuery(SECONDARY, q.text, boost=q.boost))
    return routed


def _route(q: Any, spec: HighlightSpec | None) -> Any:
    if isinstance(q, query.Phrase):
        words = [w for w in q.words if w]
        if spec is not None and words:
            spec.phrases.append(tuple(words))
        if len(words) == 1:
            return query.Term(EXACT, words[0], boost=q.boost)
        return FastPhrase(EXACT, words, slop=q.slop, boost=q.boost)
    if isinstance(q, query.FuzzyTerm):
        q = expand_once(q)
        if spec is not None:
            spec.fuzzy.append((q.text, q.maxdist, q.prefixlength))
        return q
    if isinstance(q, query.Prefix):
        if spec is not None:
            spec.prefixes.append(q.text)
        return expand_once(q)
    if isinstance(q, query.Wildcard):
        if spec is not None:
            spec.wildcards.append(re.compile(fnmatch.translate(q.text)))
        return expand_once(q)
    if isinstance(q, query.Term):
        return _word_query(q, spec)
    if isinstance(q, query.Not):
        return query.Not(_rewrite(q.query, None))
    if isinstance(q, query.AndNot):
        return query.AndNot(_rewrite(q.a, spec), _rewrite(q.b, None))
    if isinstance(q, query.Every) or (q.is_leaf() and q is not query.NullQuery):
        raise UsageError(_("This kind of search is not supported; use words, phrases, * or ~."))
    if q.is_leaf():
        return q
    rewrite: Callable[[Any], Any] = lambda child: _rewrite(child, spec)  # noqa: E731
    return q.apply(rewrite)


def parse_query(text: str, schema: Any) -> ParsedQuery:
    """Parse what the user typed, or raise UsageError with one clear sentence."""
    text = text.translate(_QUOTES)
    check_syntax(text)
    typed, text = text, rewrite_query(text)
    try:
        parsed = _parser(schema).parse(text, normalize=False)
    except (ValueError, TypeError, IndexError, re.error) as exc:
        raise UsageError(_("The search could not be understood: {exc}.").format(exc=exc)) from exc
    spec = HighlightSpec(initials=typed_initials(typed))
    rewritten = _rewrite(parsed, spec).normalize()
    if rewritten is query.NullQuery:
        raise UsageError(_("The search has no word to look for (only operators or punctuation)."))
    return ParsedQuery(text=text, query=rewritten, highlight=spec)


def filter_query(filters: SearchFilters | None) -> Any | None:
    """The Whoosh filter for `filters` (None when nothing is restricted)."""
    if filters is None:
        return None
    parts: list[Any] = []
    if filters.kinds:
        parts.append(query.Or([query.Term("kind", k) for k in filters.kinds]))
    if filters.item_types:
        unknown = [t for t in filters.item_types if t not in ITEM_TYPES]
        if unknown:
            raise UsageError(
                _("unknown item type {unknown} (one of {ITEM_TYPES})").format(
                    unknown=repr(unknown[0]), ITEM_TYPES=", ".join(ITEM_TYPES)
                )
            )
        parts.append(query.Or([query.Term("item_type", t) for t in filters.item_types]))
    if filters.people:
        parts.append(query.Or([query.Term("people", value_token(p)) for p in filters.people]))
    if filters.tags:
        parts.append(query.Or([query.Term("tags", value_token(t)) for t in filters.tags]))
    low = day_number(filters.date_from)
    high = day_number(filters.date_to, end=True)
    if low is not None or high is not None:
        if low is not None and high is not None and low > high:
            raise UsageError(_("The date range ends before it starts."))
        parts.append(query.NumericRange("day", low, high))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else query.And(parts)

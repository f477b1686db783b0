"""Near-miss quotes made at run time from passages of the real PDFs (nothing committed).

Each passage (a run of words from one page, unique in its document) gives mutated quotes, each
labelled with the verdict a journalist expects:

- another sentence, `not_found`: a name swapped, a number changed, a noun (the word after an
  article or a possessive) replaced by another noun;
- a misquote, `altered`: an adverb inserted, a word dropped, a verb (the word after an
  auxiliary, a modal, a subject pronoun or "to") replaced by another verb;
- the same words, `exact` (verbatim or normalized): case and final punctuation changed,
  apostrophes and quotation marks set the other way.

The passages are drawn with a seeded generator, so a run is the same every time; the bench
(bench/bench_anchor.py) and the test (tests/core/anchor/test_anchor_near_misses.py) share them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from dossier.anchor.docindex import doc_index
from dossier.anchor.normalize import build_keys
from dossier.text.model import PageText

SOURCES: tuple[tuple[str, str], ...] = (
    ("sainte_adele_proces_verbal_2023_fr.pdf", "fr"),
    ("chelsea_plan_transport_actif_fr.pdf", "fr"),
    ("sec_edgar_engagement_letter_2023.pdf", "en"),
    ("nist_sp800-223_hpc_security.pdf", "en"),
    ("scotus_transcript_p1.pdf", "en"),
)
EXPECTED = {
    "name": "not_found",
    "number": "not_found",
    "noun": "not_found",
    "adverb": "altered",
    "dropped": "altered",
    "verb": "altered",
    "typography": "exact",
}
VERDICT_CLASS = {
    "verbatim": "exact",
    "normalized": "exact",
    "trimmed": "exact",
    "altered": "altered",
    "not_found": "not_found",
}

NAMES = ("Dupont", "Okafor", "Lefèvre", "Nakamura", "Bordeaux", "Ottawa", "Zurich", "Moreau")
NOUNS = {
    "fr": ("préfecture", "brochure", "locomotive", "pharmacie", "cathédrale", "orchestre"),
    "en": ("umbrella", "orchestra", "pharmacy", "cathedral", "locomotive", "brochure"),
}
VERBS = {
    "fr": ("paraphé", "contesté", "abandonné", "dissimulé", "applaudi", "saboté"),
    "en": ("sabotaged", "applauded", "concealed", "abandoned", "forgot", "mocked"),
}
ADVERBS = {
    "fr": ("discrètement", "vraiment", "jamais", "soudain"),
    "en": ("allegedly", "secretly", "never", "clearly"),
}
DETERMINERS = {
    "fr": frozenset(
        "le la les l' l’ un une des du au aux ce cet cette ces son sa ses leur leurs notre nos "
        "votre vos".split()
    ),
    "en": frozenset("the a an this these those his her its their our your".split()),
}
HEAD_ENDS = frozenset(
    "of to in for and or is are was were that which with on by at from as shall will may".split()
)
"""English words that follow a noun phrase rather than sit inside one."""
VERB_CUES = {
    "fr": frozenset(
        "a ont avait avaient est sont sera seront doit doivent peut peuvent il elle ils elles "
        "nous vous on".split()
    ),
    "en": frozenset(
        "to will shall must may can should would could has have had did does we they he she "
        "i".split()
    ),
}


@dataclass(frozen=True)
class NearMiss:
    kind: str
    lang: str
    quote: str
    source: str
    """The passage the quote was made from, as the page reads."""
    page_index: int

    @property
    def expected(self) -> str:
        return EXPECTED[self.kind]


def pick_passages(
    pages: Sequence[PageText], rng: random.Random, count: int, lo: int = 8, hi: int = 30
) -> list[tuple[PageText, int, int]]:
    """Unique, mostly-prose word runs inside one block of one page: (page, start, end)."""
    idx = doc_index(pages)
    spans: list[tuple[PageText, int, int]] = []
    prose = [p for p in pages if len(p.words) >= 40]
    attempts = 0
    while prose and len(spans) < count and attempts < count * 40:
        attempts += 1
        page = rng.choice(prose)
        words = sorted(page.words, key=lambda w: w.start)
        k = rng.randint(lo, hi)
        if len(words) <= k:
            continue
        i = rng.randrange(len(words) - k)
        first, last = words[i], words[i + k - 1]
        text = page.text[first.start : last.end]
        if text.endswith(("\u00ad", "-")) or page.text[: first.start].rstrip().endswith(
            ("\u00ad", "-")
        ):
            continue  # half of a hyphenated word: nobody quotes that
        tokens = text.split()
        alpha = sum(1 for t in tokens if any(c.isalpha() for c in t) and len(t) > 1)
        if "\n\n" in text or alpha < 0.75 * len(tokens):
            continue
        key = build_keys(text).key
        if len(key) < 25 or idx.key.count(key) != 1:
            continue
        spans.append((page, first.start, last.end))
    return spans


def plain_words(text: str) -> list[str]:
    text = re.sub(r"\u00ad\s*", "", text)
    text = re.sub(r"(?<=[^\W\d_])-\n(?=[a-z])", "", text)
    return text.split()


def _bare(word: str) -> str:
    return word.strip(".,;:!?()[]«»\"“”'’").casefold()


def _lower_word(word: str) -> bool:
    bare = word.strip(".,;:!?()")
    return len(bare) >= 4 and bare.isalpha() and bare.islower()


def _noun(words: list[str], i: int, lang: str) -> bool:
    """The word after an article (French), or the last word of what follows one, before a
    preposition, a verb or a punctuation mark (English: "the emergency grant on")."""
    if not _lower_word(words[i]):
        return False
    if lang == "fr":
        return _bare(words[i - 1]) in DETERMINERS["fr"]
    if not (words[i][-1] in ",.;:" or _bare(words[i + 1]) in HEAD_ENDS):
        return False
    if _bare(words[i + 1]) == "by" and _bare(words[i]).endswith(("ed", "en")):
        return False  # a past participle: "the threats faced by the system"
    for j in (i - 1, i - 2, i - 3):
        if j < 0 or not words[j].isalpha():
            return False
        if _bare(words[j]) in DETERMINERS["en"]:
            return True
    return False


def is_content(words: list[str], i: int) -> bool:
    """Whether replacing word `i` would make another sentence: a number, a name or a noun."""
    word = words[i]
    if re.search(r"\d", word) or (i and word[:1].isupper()):
        return True
    return 0 < i < len(words) - 1 and (_noun(words, i, "fr") or _noun(words, i, "en"))


def _elided(word: str, lang: str) -> str | None:
    """The article of "l’avis" / "d’une" ("l’"), when the word carries one."""
    if lang == "fr" and len(word) > 2 and word[1] in "'’" and word[0].lower() == "l":
        return word[:2].lower()
    return None


def _swap(words: list[str], i: int, new: str) -> str:
    old = words[i]
    head = re.match(r"^\W*", old)
    tail = re.search(r"\W*$", old)
    lead = head.group() if head else ""
    end = tail.group() if tail else ""
    return " ".join([*words[:i], lead + new + end, *words[i + 1 :]])


def mutate(words: list[str], lang: str, rng: random.Random) -> dict[str, str]:
    """One quote of each kind that the passage allows (some passages hold no name, no number)."""
    out: dict[str, str] = {}
    n = len(words)
    inner = range(1, n - 1)
    names = [
        i
        for i in inner
        if words[i][:1].isupper()
        and words[i].strip(".,;:").isalpha()
        and len(words[i]) > 2
        and not words[i - 1].endswith((".", ":", "?", "!"))
    ]
    if names:
        i = rng.choice(names)
        choices = [m for m in NAMES if m.casefold() != _bare(words[i])]
        out["name"] = _swap(words, i, rng.choice(choices))
    numbers = [i for i in range(n) if re.search(r"\d", words[i])]
    if numbers:
        i = rng.choice(numbers)
        digits = re.search(r"\d+", words[i])
        assert digits is not None
        number = str(int(digits.group()) + rng.randint(2, 9))
        changed = words[i][: digits.start()] + number + words[i][digits.end() :]
        out["number"] = " ".join([*words[:i], changed, *words[i + 1 :]])
    nouns = [i for i in inner if _noun(words, i, lang)]
    elided = [i for i in inner if _elided(words[i], lang) and _lower_word(words[i][2:])]
    if nouns:
        i = rng.choice(nouns)
        out["noun"] = _swap(words, i, rng.choice(NOUNS[lang]))
    elif elided:
        i = rng.choice(elided)
        out["noun"] = _swap(words, i, f"{words[i][:2]}{rng.choice(NOUNS[lang])}")
    verbs = [
        i
        for i in inner
        if _bare(words[i - 1]) in VERB_CUES[lang]
        and _lower_word(words[i])
        and _bare(words[i]) not in DETERMINERS[lang]
        and _bare(words[i]) not in VERB_CUES[lang]
    ]
    if verbs:
        i = rng.choice(verbs)
        out["verb"] = _swap(words, i, rng.choice(VERBS[lang]))
    i = rng.randrange(2, n - 1)
    out["adverb"] = " ".join([*words[:i], rng.choice(ADVERBS[lang]), *words[i:]])
    droppable = [i for i in range(2, n - 2) if _lower_word(words[i])]
    if droppable:
        i = rng.choice(droppable)
        out["dropped"] = " ".join([*words[:i], *words[i + 1 :]])
    typed = " ".join(words).replace("’", "'") if "’" in " ".join(words) else " ".join(words)
    typed = typed.lower() if rng.random() < 0.5 else typed.upper()
    out["typography"] = "« " + typed.rstrip(".,;:") + " »"
    return out


def near_misses(
    pages: Sequence[PageText], lang: str, rng: random.Random, count: int
) -> list[NearMiss]:
    """Labelled near-miss quotes from `count` passages of one document."""
    idx = doc_index(pages)
    out: list[NearMiss] = []
    for page, start, end in pick_passages(pages, rng, count, lo=12, hi=26):
        source = page.text[start:end]
        words = plain_words(source)
        for kind, quote in mutate(words, lang, rng).items():
            if kind != "typography" and build_keys(quote).key in idx.key:
                continue  # the mutation happens to be written elsewhere in the document
            out.append(NearMiss(kind, lang, quote, " ".join(words), page.index))
    return out


def confusion(rows: Sequence[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """Expected class (per kind) by verdict class: {kind: {"exact"|"altered"|"not_found": n}}."""
    table: dict[str, dict[str, int]] = {
        kind: dict.fromkeys(("exact", "altered", "not_found"), 0) for kind in EXPECTED
    }
    for kind, verdict in rows:
        table[kind][VERDICT_CLASS[verdict]] += 1
    return table

"""A protected name glued to other letters: where it hides, and the whole word to hide for it.

Whole-word matching finds "Quartermaine" in "Memo from Quartermaine" and, digits being a word
boundary (`dossier.text.fold`), in "Quartermaine2024". Glued to letters it is one longer word:
"QuartermaineW", "xQuartermaine", "#QuartermaineLeaks", "wquartermaine@proton.me". The rule:

- inside an e-mail or web address, a hashtag or a handle, a name part of four letters or more
  is looked for anywhere, and the whole address goes;
- anywhere else, a name part of five letters or more (`names.name_parts`: never a particle,
  title or common word) is looked for inside every longer word, and that word goes (its letters
  only: digits glued to it stay, as they do for whole words), unless the word is an ordinary
  French or English word that happens to hold a common first name or surname (`ORDINARY_WORDS`:
  "philosophie" holds "Sophie", "reporter" holds "Porter"). A word missing from that list is
  masked too: over-masking is the safe side, and it only happens where a protected person's
  name is inside a word.

Five letters, not four, outside addresses: four-letter names sit inside too many words ("Paul"
in "Paulette", "Jean" in "Jeans", "Anne" in "Années" folded "annees") for any list to cover.

On a page read by OCR, a name part of seven letters or more is also looked for misread: a word
one or two edits away ("Quartermame", "Ouartermaine") is boxed as the name, since the scan's
pixels under it still show the name to whoever reads the exported page (`misread_distance`).

The gate (`masking.TextMasker`, `marks.text_spans` for the PDFs) finds glued names here; the
self-check (`bundlecheck`) has its own matcher and shares only the constants and the word list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from dossier.text.fold import Folded, fold_key

MIN_IN_ADDRESS = 4
"""Letters a name part needs to be looked for inside an address or a hashtag (shorter ones
would hit ordinary words: "Li" in "#Liberte")."""
MIN_IN_WORD = 5
"""Letters a name part needs to be looked for inside any longer word."""
MIN_MISREAD = 7
"""Letters a name part needs to be looked for misread, on a page read by OCR."""


def misread_distance(key: str) -> int:
    """Edits a word read by OCR may be away from a name part of this many letters and still be
    taken for it: one up to nine letters, two from ten ("Quartermame" for "Quartermaine" is
    two: "in" read as "m"); none below seven letters, where one edit hits ordinary words."""
    if len(key) < MIN_MISREAD:
        return 0
    return 1 if len(key) < 10 else 2


ADDRESS = re.compile(
    r"[^\s<>()\[\]\"',;:]+@[^\s<>()\[\]\"',;:]+|\b(?:https?://|www\.)[^\s<>\"]+|[#@][^\W_]\w*"
)
"""E-mail and web addresses, hashtags and handles."""

ORDINARY_WORDS = frozenset(
    """
    pierres pierreries pierrerie pierreux pierreuse empierrement
    mariee mariees maries mariez marierai mariera marieront remarie remariee remaries
    mariage mariages
    philosophie philosophies theosophie
    malice malices malicieux malicieuse malicious calice calices chalice
    olives olivier oliviers oliveraie olivette
    laureat laureats laureate laureates
    pascale pascals hectopascal hectopascals kilopascal
    martinet martinets martingale martinique martiniquais martiniquaise
    marionnette marionnettes
    victorieux victorieuse victorien victorienne victorian
    victoires aurores celestes
    imprudence prudences jurisprudence jurisprudences
    inconstance circonstance circonstances circonstanciel
    impatience patiences
    clementine clementines inclement inclemence
    honoree honorees honores deshonore deshonoree
    desires desiree desirer desireux
    blanches blancs blanchir blanchi blanchie blanchiment blanchiments blancheur
    blanchisserie blanchisseur blanchisseuse
    franceinfo
    fleurs fleuri fleurie fleurir fleuriste fleuristes effleurer affleurer
    marine marines marins marinier mariniers sousmarin sousmarins
    sirene sirenes
    valeriane
    christ christs christian christianisme chretienne chretiens chretiennes christmas
    antechrist
    graces gracieux gracieuse gracieusement disgrace disgraces disgracieux graceful
    brooks brooklyn
    blacksmith goldsmith locksmith silversmith wordsmith smithy
    bakery bakers bakeries
    walkers sleepwalker
    hunters headhunter headhunters
    coopers cooperation cooperations cooperative cooperatives cooperate cooperer
    cooperant
    millers
    browns brownie brownies brownish
    younger youngest youngster youngsters
    whites whiteboard whitewash whiten whitening
    greens greenhouse greenhouses greenery greenish evergreen greenwashing
    blackmail blackout blackouts blacklist blacklists blacks blackboard
    stones milestone milestones cornerstone keystone limestone stoned
    prices priced pricey
    granted grants granting grantee grantees
    frankly frankness
    riverbanks
    chased chases purchase purchases purchased purchasing
    masonry masons
    bishops churches
    fisherman fishermen fishery fisheries
    porters reporter reporters reportage supporter supporters importer exporter apporter
    rapporter emporter comporter deporter transporter transporteur transporteurs
    playwright copyright copyrights
    fields airfield battlefield fieldwork minefield
    marshal marshall marshals marshmallow
    shortly shortage shortages shorter shortcut shortcuts shorts
    sharply sharpen
    stronger strongly stronghold
    crossing crossings crossed across crossroads
    booths knights knighthood steels
    powers powerful powerless superpower superpowers empower
    chances mischance
    bernardin petite petits petites petitesse
    fontaines fontainebleau
    chevaliers francoise
    robinet robinets robinetterie
    marchande marchands marchandise marchandises marchandage
    meuniere rivieres brunette gaillarde
    roches rocher rochers rocheux rocheuse proche proches approche approches approcher
    reproche reproches reprocher rapprocher rapprochement prochain prochaine prochains
    prochaines prochainement
    renards oliviers bourgeoise bourgeoisie
    bergers bergere bergerie bergeries
    moulins moulinet moulinette
    boucherie boucheries bouchers bouchere
    parisien parisienne parisiens parisiennes
    carres carrefour carrefours carreau carreaux carrelage carrement
    mallette mallettes baronne baronnie
    boulangerie boulangeries boulangere
    chauvinisme chauvine chauvinistes
    legere legerement legers legeres legerete
    charpentiers charpenterie
    marechaux marechaussee julienne
    sauvages sauvagement sauvagerie
    cousins cousine cousines cousinage
    grande grands grandes grandir agrandir grandement grandeur grandeurs grandiose
    barres barreau barreaux barrer barrette
    poulains bretonne bretons bretonnes couturiere
    vallees greniers
    quartzite quartzites quartzeux quartzeuse
    """.split()
)
"""Folded everyday words that hold a common first name or surname of five letters or more.
A name part found inside one of them is not taken for the name glued to other letters."""


def inside_key(part: str) -> str:
    """The key a name part is looked for by inside longer words ('' if it is not: too short,
    or holding anything but letters, such as a contact's "@" or digits)."""
    key = fold_key(part)
    return key if len(key) >= MIN_IN_WORD and key.isalpha() and part.isalpha() else ""


@dataclass(frozen=True)
class GluedFinder:
    """Finds, in a text, the words and addresses holding one of `parts` glued to other letters;
    each found span is reported with the payload of the part found (a pseudonym, a rule)."""

    in_words: tuple[tuple[str, object], ...]
    in_addresses: tuple[tuple[str, object], ...]
    misread: tuple[tuple[str, int, object], ...] = ()
    """(part, edits allowed, payload) looked for misread on pages read by OCR."""

    @classmethod
    def of(cls, parts: Iterable[tuple[str, object]]) -> GluedFinder:
        words: dict[str, object] = {}
        addresses: dict[str, object] = {}
        for part, payload in parts:
            key = inside_key(part)
            if key:
                words.setdefault(key, payload)
            folded = fold_key(part)
            if len(folded) >= MIN_IN_ADDRESS and " " not in part.strip():
                addresses.setdefault(folded, payload)
        misread = tuple(
            (key, misread_distance(key), payload)
            for key, payload in _longest_first(words)
            if misread_distance(key)
        )
        return cls(_longest_first(words), _longest_first(addresses), misread)

    def __bool__(self) -> bool:
        return bool(self.in_words or self.in_addresses)

    def find(self, text: str, folded: Folded) -> list[tuple[int, int, object]]:
        """(start, end, payload) in `text` (`folded` is `fold(text)`) of each word holding a name
        part glued to other letters, and of each address holding one."""
        found: list[tuple[int, int, object]] = []
        for match in ADDRESS.finditer(text) if self.in_addresses else ():
            key = fold_key(match.group())
            for part, payload in self.in_addresses:
                if part in key:
                    found.append((match.start(), match.end(), payload))
                    break
        if self.in_words and any(part in folded.key for part, _ in self.in_words):
            for start, end in _letter_runs(folded):
                word = folded.key[start:end]
                if word in ORDINARY_WORDS:
                    continue
                for part, payload in self.in_words:
                    if part in word and part != word:
                        found.append((*folded.span(start, end), payload))
                        break
        return found

    def find_misread(self, text: str, folded: Folded) -> list[tuple[int, int, object]]:
        """(start, end, payload) of each word of `text`, a page read by OCR, that is a name
        part misread ("Quartermame"): a few edits away (`misread_distance`), never an ordinary
        word. Over-redaction is the safe side: a word that only looks like the name is boxed."""
        found: list[tuple[int, int, object]] = []
        if not self.misread:
            return found
        for start, end in _letter_runs(folded):
            word = folded.key[start:end]
            if len(word) < MIN_MISREAD - 1 or word in ORDINARY_WORDS:
                continue
            for part, edits, payload in self.misread:
                if word == part or abs(len(word) - len(part)) > edits:
                    continue
                if Levenshtein.distance(word, part, score_cutoff=edits) <= edits:
                    found.append((*folded.span(start, end), payload))
                    break
        return found


def _longest_first(parts: dict[str, object]) -> tuple[tuple[str, object], ...]:
    return tuple(sorted(parts.items(), key=lambda item: -len(item[0])))


def _letter_runs(folded: Folded) -> Iterable[tuple[int, int]]:
    """Key ranges of the folded words, cut where letters meet digits (digits stay visible)."""
    key = folded.key
    for start, end in zip(sorted(folded.starts), sorted(folded.ends), strict=True):
        run = start
        for i in range(start + 1, end + 1):
            if i == end or key[i].isdigit() != key[i - 1].isdigit():
                if not key[run].isdigit():
                    yield run, i
                run = i

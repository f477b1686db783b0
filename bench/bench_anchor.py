"""Quote anchoring: accuracy per kind of variant, false positives, speed; against a naive baseline.

The test set is built at run time (nothing committed): source spans sampled from the real PDFs of
`shared/corpus/pdfs/` and from PDFs generated here (page breaks with running headers, two columns,
columns drawn row by row, rotated pages, a scanned page read by OCR). Each span gives variants:
verbatim, typographic (quotes, apostrophes, guillemets, no-break and thin spaces, ligatures, soft
hyphens, line-end hyphens, dashes), case and final punctuation, an omission marked `...`/`…`/
`[…]`, altered (a word changed, added or dropped); plus quotes that are not in the document.

A quote counts as found when its result spans sit on exactly the truth's pages and, on each of
them, the result rectangles overlap the truth rectangles with IoU >= 0.5. The baseline is
`page.search_for(quote)` on the raw quote, page by page (text pages prepared once).

    python -m bench.bench_anchor [--quick] [--seed 7] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dossier.anchor import anchor_quote, clear_cache
from dossier.anchor.docindex import doc_index
from dossier.anchor.normalize import build_keys
from dossier.anchor.spans import make_span
from dossier.pdf.extract import extract_pdf
from dossier.pdf.open import load_pdf
from dossier.text.model import PageText
from tests.nearmiss import (
    EXPECTED,
    SOURCES,
    confusion,
    is_content,
    near_misses,
    pick_passages,
)
from tests.pdfgen import (
    ENGLISH_PARAGRAPHS,
    FRENCH_PARAGRAPHS,
    columns_page,
    scanned_page,
    text_page,
    write_pdf,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "pdfs"
SEED_TEXTS = ROOT.parent / "shared" / "seed"
REAL_DOCS = (
    "ferrario_review_soft_hyphens.pdf",
    "mdpi_curroncol_ki67_ccby.pdf",
    "irs_i1040nr_2007_instructions_3col.pdf",
    "federal_register_2020-17221_3col.pdf",
    "sainte_adele_proces_verbal_2023_fr.pdf",
    "chelsea_plan_transport_actif_fr.pdf",
    "senate_expenditures_rotated.pdf",
    "zen_of_python_corrupted_rotated.pdf",
    "linnsequencer_scan_ocr_layer_2col.pdf",
    "nist_sp800-223_hpc_security.pdf",
    "dmca_summary_memo_rc4_ownerpw.pdf",
    "sec_edgar_engagement_letter_2023.pdf",
    "scotus_transcript_p1.pdf",
    "grasshopper_multilingual_highlights.pdf",
    "geotopo_lecture_notes_de.pdf",
    "freeculture_lessig_2004_book.pdf",
)
SPEED_DOCS = (
    "freeculture_lessig_2004_book.pdf",
    "geotopo_lecture_notes_de.pdf",
    "chelsea_plan_transport_actif_fr.pdf",
)
KINDS_97 = ("verbatim", "typographic", "case", "ellipsis")
SITUATIONS = ("page_break", "columns", "columns_row_by_row", "rotated", "ocr")
FOUND = {"verbatim", "normalized", "trimmed", "altered"}
INSERTED = ("allegedly", "never", "secretly", "clearly", "jamais", "vraiment", "totally", "déjà")

Rect = tuple[float, float, float, float]


@dataclass
class Doc:
    name: str
    pages: list[PageText]
    pdf: Path


@dataclass
class Case:
    kind: str
    doc: Doc
    quote: str
    truth: dict[int, list[Rect]]
    expect: frozenset[str]


@dataclass
class Tally:
    quotes: int = 0
    found: int = 0
    verdict_ok: int = 0
    baseline_found: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)


# --- geometry -------------------------------------------------------------------------------


def _area(r: Rect) -> float:
    return max(0.0, r[2] - r[0]) * max(0.0, r[3] - r[1])


def iou(a: Sequence[Rect], b: Sequence[Rect]) -> float:
    inter = sum(
        _area((max(x[0], y[0]), max(x[1], y[1]), min(x[2], y[2]), min(x[3], y[3])))
        for x in a
        for y in b
    )
    union = sum(map(_area, a)) + sum(map(_area, b)) - inter
    return inter / union if union > 0 else 0.0


def located(got: dict[int, list[Rect]], truth: dict[int, list[Rect]]) -> bool:
    if set(got) != set(truth):
        return False
    return all(iou(got[p], truth[p]) >= 0.5 for p in truth)


# --- variants -------------------------------------------------------------------------------


def verbatim_form(text: str) -> str:
    text = re.sub(r"\u00ad\s*", "", text)
    text = re.sub(r"(?<=[^\W\d_])-\n(?=[a-z])", "", text)
    return " ".join(text.split())


def typographic(text: str, rng: random.Random) -> str:
    swaps = {"'": "’", "’": "'", '"': "”", "“": '"', "”": '"', "—": " - ", "–": "-"}
    out = "".join(swaps.get(c, c) if rng.random() < 0.9 else c for c in text)
    words = out.split(" ")
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(words))
        word = words[i]
        trick = rng.choice(("lig", "soft", "break", "space"))
        if trick == "lig" and ("fi" in word or "fl" in word or "ff" in word):
            words[i] = word.replace("ff", "ﬀ").replace("fi", "ﬁ").replace("fl", "ﬂ")
        elif trick == "soft" and len(word) >= 8 and word.isalpha():
            words[i] = word[:4] + "\u00ad" + word[4:]
        elif trick == "break" and len(word) >= 8 and word.isalpha():
            words[i] = word[:4] + "-\n" + word[4:]
        elif i > 0:
            words[i] = rng.choice("\u00a0\u202f\u2009") + word
    out = " ".join(words).replace(" \u00a0", "\u00a0").replace(" \u202f", "\u202f")
    out = out.replace(" \u2009", "\u2009")
    return rng.choice(("« {} »", "“{}”", '"{}"', "{}")).format(out)


def case_variant(text: str, rng: random.Random) -> str:
    style = rng.choice(("lower", "upper", "first"))
    if style == "lower":
        out = text.lower()
    elif style == "upper":
        out = text.upper()
    else:
        out = text[:1].swapcase() + text[1:]
    if out == text:
        out = text.swapcase()
    if rng.random() < 0.5:
        out = out.rstrip(".,;:!?") + rng.choice((".", "!", "?", ""))
    return out


NAMES = ("Dupont", "Martin", "Okafor", "Lefèvre", "Nakamura", "Bordeaux", "Ottawa", "Zurich")


def swapped_variant(words: list[str], rng: random.Random) -> str | None:
    """The sentence with a number or a name (a capitalised word past the first) replaced by
    another: a different sentence, which must not be reported as a misquote."""
    places = [
        i
        for i, word in enumerate(words)
        if i and (any(c.isdigit() for c in word) or (word[:1].isupper() and len(word) > 2))
    ]
    if not places:
        return None
    i = rng.choice(places)
    word = words[i]
    digits = re.search(r"\d+", word)
    if digits:
        number = str(int(digits.group()) + rng.randint(2, 9))
        replaced = word[: digits.start()] + number + word[digits.end() :]
    else:
        tail = re.sub(r"^\w+", "", word)
        replaced = rng.choice([n for n in NAMES if n.casefold() not in word.casefold()]) + tail
    return " ".join([*words[:i], replaced, *words[i + 1 :]])


def altered_variant(words: list[str], rng: random.Random) -> str:
    """A misquote: a word added, dropped, or replaced when it is no name, number or noun (that
    would be another sentence: the swapped and near-miss kinds)."""
    words = list(words)
    for _ in range(1 if len(words) < 12 else rng.randint(1, 2)):
        i = rng.randrange(1, len(words) - 1)
        action = rng.choice(("replace", "insert", "drop"))
        if action == "replace" and is_content(words, i):
            action = "insert"
        if action == "replace":
            choices = [w for w in INSERTED if w != words[i].lower()]
            words[i] = rng.choice(choices)
        elif action == "insert":
            words.insert(i, rng.choice(INSERTED))
        elif len(words) > 8:
            del words[i]
    return " ".join(words)


# --- sampling -------------------------------------------------------------------------------


def pick_spans(doc: Doc, rng: random.Random, count: int, lo: int = 8, hi: int = 30) -> list[Any]:
    """Unique, mostly-prose word runs inside one block of one page: (page, first, last)."""
    return pick_passages(doc.pages, rng, count, lo, hi)


def truth_of(*ranges: tuple[PageText, int, int]) -> dict[int, list[Rect]]:
    truth: dict[int, list[Rect]] = {}
    for page, start, end in ranges:
        truth.setdefault(page.index, []).extend(make_span(page, start, end).rects)
    return truth


def variants(doc: Doc, span: Any, rng: random.Random) -> list[Case]:
    page, start, end = span
    text = page.text[start:end]
    plain = verbatim_form(text)
    truth = truth_of(span)
    cases = [
        Case("verbatim", doc, plain, truth, frozenset({"verbatim"})),
        Case(
            "typographic",
            doc,
            typographic(plain, rng),
            truth,
            frozenset(FOUND - {"altered", "trimmed"}),
        ),
        Case("case", doc, case_variant(plain, rng), truth, frozenset({"normalized"})),
    ]
    words = sorted(
        (w for w in page.words if w.start >= start and w.end <= end), key=lambda w: w.start
    )

    def whole(i: int) -> bool:  # word i-1 does not run on into word i (hyphenated)
        return not page.text[words[i - 1].start : words[i - 1].end].endswith(("-", "\u00ad"))

    cuts: tuple[int, int] | None = None
    if len(words) >= 12:
        a = rng.randint(3, len(words) - 7)
        b = rng.randint(a + 2, len(words) - 3)
        while not (whole(a) and whole(b)) and b < len(words) - 3:
            a, b = a + 1, b + 1
        cuts = (a, b) if whole(a) and whole(b) else None
    if cuts is not None:
        left, right = (page, start, words[cuts[0] - 1].end), (page, words[cuts[1]].start, end)
        marker = rng.choice(("...", "…", "[…]", "[...]", "(…)"))
        before = verbatim_form(page.text[left[1] : left[2]])
        after = verbatim_form(page.text[right[1] : right[2]])
        quote = f"{before} {marker} {after}"
        cases.append(Case("ellipsis", doc, quote, truth_of(left, right), frozenset({"trimmed"})))
    if len(words) >= 10:
        quote = altered_variant(plain.split(" "), rng)
        if build_keys(quote).key not in doc_index(doc.pages).key:  # still a real alteration
            cases.append(Case("altered", doc, quote, truth, frozenset({"altered"})))
        swapped = swapped_variant(plain.split(" "), rng)
        if swapped is not None and build_keys(swapped).key not in doc_index(doc.pages).key:
            cases.append(Case("swapped", doc, swapped, truth, frozenset({"not_found"})))
    return cases


def absent_cases(doc: Doc, others: list[Doc], rng: random.Random, count: int) -> list[Case]:
    idx = doc_index(doc.pages)
    cases: list[Case] = []
    sources: list[str] = []
    for other in rng.sample(others, min(4, len(others))):
        sources += [verbatim_form(p.text[s:e]) for p, s, e in pick_spans(other, rng, count // 4)]
    for p, s, e in pick_spans(doc, rng, count // 4, lo=10):
        words = verbatim_form(p.text[s:e]).split(" ")
        rng.shuffle(words)
        sources.append(" ".join(words))
    common = sorted(idx.postings, key=lambda t: -len(idx.postings[t]))[:80]
    for _ in range(count // 4):
        sources.append(" ".join(rng.choice(common) for _ in range(rng.randint(8, 16))))
    for path in sorted(SEED_TEXTS.glob("*.txt")):
        sentences = re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8"))
        sources += [s for s in sentences if len(s.split()) >= 6][: count // 4]
    for quote in sources:
        key = build_keys(quote).key
        if key and key not in idx.key:
            cases.append(Case("absent", doc, quote, {}, frozenset({"not_found"})))
    return cases


# --- generated documents --------------------------------------------------------------------


def seed_paragraphs() -> list[str]:
    paragraphs: list[str] = []
    for path in sorted(SEED_TEXTS.glob("*.txt")):
        paragraphs += [
            p.strip() for p in path.read_text(encoding="utf-8").split("\n") if len(p) > 200
        ]
    return paragraphs + list(FRENCH_PARAGRAPHS) + list(ENGLISH_PARAGRAPHS)


def _find(page: PageText, words: list[str], last: bool = False) -> list[tuple[PageText, int, int]]:
    """The page words spelling `words` in order (other words may sit between them, as when
    columns are interleaved): one range per word, the last such run if `last`."""
    mapped = sorted(page.words, key=lambda w: w.start)
    texts = [page.text[w.start : w.end] for w in mapped]
    runs: list[list[tuple[PageText, int, int]]] = []
    for first in range(len(mapped)):
        if texts[first] != words[0]:
            continue
        run = [(page, mapped[first].start, mapped[first].end)]
        k = first + 1
        for word in words[1:]:
            while k < len(mapped) and texts[k] != word:
                k += 1
            if k == len(mapped):
                break
            run.append((page, mapped[k].start, mapped[k].end))
            k += 1
        if len(run) == len(words):
            runs.append(run)
    if not runs:
        raise RuntimeError(f"generated text not found on page {page.index}: {words}")
    return min(runs, key=lambda r: r[-1][2] - r[0][1]) if not last else runs[-1]


def generated_cases(tmp: Path, rng: random.Random, rounds: int, ocr: bool) -> list[Case]:
    paragraphs = [p for p in seed_paragraphs() if len(p.split()) >= 24]
    cases: list[Case] = []
    for r in range(rounds):
        para = rng.sample(paragraphs, 3)
        words = para[0].split()
        cut = rng.randint(10, len(words) - 10)
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        header = "Dossier de test — rapport confidentiel de la rédaction"
        layouts = {
            "page_break": [
                text_page(header, para[1], head, f"Page {r * 2 + 1}"),
                text_page(header, tail, para[2], f"Page {r * 2 + 2}"),
            ],
            "columns": [columns_page([para[1], head], [tail, para[2]], fontsize=9)],
            "columns_row_by_row": [
                columns_page([para[1], head], [tail, para[2]], row_by_row=True, fontsize=9)
            ],
        }
        for kind, specs in layouts.items():
            path = write_pdf(tmp / f"{kind}_{r}.pdf", specs)
            pages = extract_pdf(path, ocr=False).pages
            doc = Doc(f"generated:{kind}", pages, path)
            n_head, n_tail = rng.randint(3, 8), rng.randint(3, 8)
            left = _find(pages[0], words[cut - n_head : cut], last=True)
            right = _find(pages[-1], words[cut : cut + n_tail])
            truth = truth_of(*left, *right)
            plain = " ".join(words[cut - n_head : cut + n_tail])
            cases.append(Case(kind, doc, plain, truth, frozenset({"verbatim"})))
            cases.append(
                Case(
                    kind,
                    doc,
                    typographic(plain, rng),
                    truth,
                    frozenset(FOUND - {"altered", "trimmed"}),
                )
            )
        rotation = 90 if r % 2 else 270
        path = write_pdf(tmp / f"rotated_{r}.pdf", [text_page(para[1], para[2], rotation=rotation)])
        doc = Doc("generated:rotated", extract_pdf(path, ocr=False).pages, path)
        for span in pick_spans(doc, rng, 2):
            cases += [c for c in variants(doc, span, rng) if c.kind in ("verbatim", "typographic")]
            for c in cases[-2:]:
                c.kind = "rotated"
    if ocr:
        for r in range(max(1, rounds // 4)):
            para = rng.sample([p for p in paragraphs if len(p) < 600], 2)
            path = write_pdf(tmp / f"scan_{r}.pdf", [scanned_page(*para)])
            text_path = write_pdf(tmp / f"scan_text_{r}.pdf", [text_page(*para, fontsize=16.0)])
            pages = extract_pdf(path, ocr=True).pages
            reference = extract_pdf(text_path, ocr=False).pages[0]
            doc = Doc("generated:ocr", pages, path)
            for paragraph in para:
                words = paragraph.split()
                for _ in range(3):
                    k = rng.randint(6, min(16, len(words) - 1))
                    i = rng.randrange(len(words) - k)
                    truth = truth_of(*_find(reference, words[i : i + k]))
                    truth = {pages[0].index: truth[reference.index]}
                    cases.append(
                        Case("ocr", doc, " ".join(words[i : i + k]), truth, frozenset(FOUND))
                    )
    return cases


# --- running --------------------------------------------------------------------------------


class Baseline:
    """`page.search_for(quote)` on every page; text pages prepared once per document."""

    def __init__(self) -> None:
        self._open: dict[Path, tuple[Any, list[Any]]] = {}

    def search(self, pdf: Path, quote: str) -> dict[int, list[Rect]]:
        if pdf not in self._open:
            doc: Any = load_pdf(pdf)
            # A text page only holds a weak reference to its page: keep the pages alive.
            pages = [doc.load_page(i) for i in range(doc.page_count)]
            self._open[pdf] = (doc, [(page, page.get_textpage()) for page in pages])
        _, prepared = self._open[pdf]
        hits: dict[int, list[Rect]] = {}
        for number, (page, textpage) in enumerate(prepared):
            found = page.search_for(quote, textpage=textpage)
            if found:
                hits[number] = [tuple(r) for r in found]
        return hits


CONFUSED_KINDS = ("altered", "swapped", "absent")
"""Kinds whose verdicts make the confusion table: altered quotes must come out `altered`,
swapped (names or numbers replaced) and absent ones `not_found`."""


def run_cases(
    cases: list[Case], baseline: Baseline, verbose: bool, table: dict[str, dict[str, int]]
) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {}
    for case in cases:
        tally = tallies.setdefault(case.kind, Tally())
        tally.quotes += 1
        result = anchor_quote(case.quote, case.doc.pages)
        if case.kind in CONFUSED_KINDS:
            row = table.setdefault(case.kind, {})
            verdict = result.verdict if result.verdict in ("altered", "not_found") else "exact"
            row[verdict] = row.get(verdict, 0) + 1
        got: dict[int, list[Rect]] = {}
        for span in result.spans:
            got.setdefault(span.page_index, []).extend(span.rects)
        base = baseline.search(case.doc.pdf, case.quote)
        if case.kind in ("absent", "swapped"):
            tally.found += result.found
            tally.verdict_ok += not result.found
            tally.baseline_found += bool(base)
            if result.found and verbose:
                tally.misses.append({"doc": case.doc.name, "quote": case.quote, **result.to_json()})
            continue
        ok = located(got, case.truth)
        tally.found += ok and (case.kind != "altered" or result.verdict == "altered")
        tally.verdict_ok += result.verdict in case.expect
        tally.baseline_found += located(base, case.truth)
        if verbose and (not ok or result.verdict not in case.expect):
            tally.misses.append(
                {
                    "doc": case.doc.name,
                    "quote": case.quote,
                    "verdict": result.verdict,
                    "located": ok,
                    "truth_pages": sorted(case.truth),
                    "got_pages": sorted(got),
                    "score": result.score,
                }
            )
    return tallies


def speed(rng: random.Random, quick: bool) -> dict[str, Any]:
    pages: list[PageText] = []
    textpages: list[tuple[Any, Any]] = []
    for name in SPEED_DOCS:
        extracted = extract_pdf(CORPUS / name, ocr=False)
        pdf: Any = load_pdf(CORPUS / name)
        raws = [pdf.load_page(i) for i in range(pdf.page_count)]
        for page, raw in zip(extracted.pages, raws, strict=True):
            if len(pages) < 500:
                pages.append(replace(page, index=len(pages)))
                textpages.append((raw, raw.get_textpage()))
    clear_cache()
    started = time.perf_counter()
    doc_index(pages)
    build = time.perf_counter() - started
    doc = Doc("speed", pages, CORPUS / SPEED_DOCS[0])
    cases: list[Case] = []
    for span in pick_spans(doc, rng, 20 if quick else 60):
        cases += variants(doc, span, rng)
    cases += absent_cases(doc, [], rng, 20 if quick else 60)
    timings: dict[str, list[float]] = {}
    for case in cases:
        started = time.perf_counter()
        anchor_quote(case.quote, pages)
        timings.setdefault(case.kind, []).append((time.perf_counter() - started) * 1000)
    every = [t for ts in timings.values() for t in ts]
    base: list[float] = []
    for case in cases[: 10 if quick else 20]:
        started = time.perf_counter()
        for raw, textpage in textpages:
            raw.search_for(case.quote, textpage=textpage)
        base.append((time.perf_counter() - started) * 1000)
    median = statistics.median(every)
    return {
        "pages": len(pages),
        "characters": sum(len(p.text) for p in pages),
        "index_build_ms": round(build * 1000, 1),
        "quotes": len(every),
        "median_ms": round(median, 2),
        "p95_ms": round(sorted(every)[int(0.95 * (len(every) - 1))], 2),
        "max_ms": round(max(every), 2),
        "median_ms_by_kind": {k: round(statistics.median(v), 2) for k, v in timings.items()},
        "baseline_median_ms": round(statistics.median(base), 2),
        "median_vs_baseline": round(median / statistics.median(base), 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer samples (a smoke run)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--verbose", action="store_true", help="list the misses")
    parser.add_argument("--no-ocr", action="store_true", help="skip the generated scanned pages")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(json.dumps({"error": f"corpus not found at {CORPUS}"}))
        return 1
    rng = random.Random(args.seed)
    per_doc = 10 if args.quick else 30
    real: list[Doc] = []
    for name in REAL_DOCS:
        real.append(Doc(name, extract_pdf(CORPUS / name, ocr=False).pages, CORPUS / name))
    cases: list[Case] = []
    for doc in real:
        for span in pick_spans(doc, rng, per_doc):
            cases += variants(doc, span, rng)
        cases += absent_cases(doc, [d for d in real if d is not doc], rng, per_doc)
    with tempfile.TemporaryDirectory() as tmp:
        rounds = 4 if args.quick else 12
        cases += generated_cases(Path(tmp), rng, rounds, not args.no_ocr)
        confused: dict[str, dict[str, int]] = {}
        tallies = run_cases(cases, Baseline(), args.verbose, confused)
    report = summary(tallies)
    report["confusion_expected_by_verdict"] = confused
    report["near_misses"] = near_miss_table(real, per_doc)
    report["speed"] = speed(rng, args.quick)
    report["goals"] = goals(report)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def near_miss_table(real: list[Doc], passages: int) -> dict[str, Any]:
    """tests/nearmiss.py's labelled near misses (names, numbers, nouns replaced: not found;
    adverbs added, words dropped, verbs changed: altered; typography: exact), expected kind by
    verdict class, and the share of each kind judged as expected."""
    languages = dict(SOURCES)
    rows: list[tuple[str, str]] = []
    for doc in real:
        if doc.name in languages:
            rng = random.Random(doc.name)
            for case in near_misses(doc.pages, languages[doc.name], rng, passages):
                rows.append((case.kind, anchor_quote(case.quote, doc.pages).verdict))
    table = confusion(rows)
    right = {
        kind: round(row[EXPECTED[kind]] / max(1, sum(row.values())), 4)
        for kind, row in table.items()
    }
    return {"expected": EXPECTED, "kind_by_verdict": table, "as_expected": right}


def summary(tallies: dict[str, Tally]) -> dict[str, Any]:
    accuracy: dict[str, Any] = {}
    for kind, tally in sorted(tallies.items()):
        if kind in ("absent", "swapped"):
            continue
        accuracy[kind] = {
            "quotes": tally.quotes,
            "found": round(tally.found / tally.quotes, 4),
            "verdict_ok": round(tally.verdict_ok / tally.quotes, 4),
            "baseline_found": round(tally.baseline_found / tally.quotes, 4),
        }
        if tally.misses:
            accuracy[kind]["misses"] = tally.misses[:15]
    absent = tallies.get("absent", Tally())
    report: dict[str, Any] = {
        "accuracy": accuracy,
        "absent": {
            "quotes": absent.quotes,
            "false_positives": absent.found,
            "false_positive_rate": round(absent.found / max(1, absent.quotes), 4),
            "baseline_false_positives": absent.baseline_found,
        },
    }
    if absent.misses:
        report["absent"]["misses"] = absent.misses[:15]
    swapped = tallies.get("swapped", Tally())
    report["swapped"] = {
        "quotes": swapped.quotes,
        "reported_found": swapped.found,
        "not_found_rate": round(1 - swapped.found / max(1, swapped.quotes), 4),
    }
    if swapped.misses:
        report["swapped"]["misses"] = swapped.misses[:15]
    return report


def goals(report: dict[str, Any]) -> dict[str, bool]:
    accuracy = report["accuracy"]
    return {
        "verbatim_typographic_case_ellipsis_97": all(
            accuracy[k]["found"] >= 0.97 for k in KINDS_97 if k in accuracy
        ),
        "situations_97": all(accuracy[k]["found"] >= 0.97 for k in SITUATIONS if k in accuracy),
        "altered_flagged_90": accuracy.get("altered", {}).get("found", 0) >= 0.90,
        "absent_false_positives_1pct": report["absent"]["false_positive_rate"] <= 0.01,
        "swapped_not_found_95": report["swapped"]["not_found_rate"] >= 0.95,
        "near_misses_95": all(v >= 0.95 for v in report["near_misses"]["as_expected"].values()),
        "median_under_100ms_500_pages": report["speed"]["median_ms"] < 100,
    }


if __name__ == "__main__":
    raise SystemExit(main())

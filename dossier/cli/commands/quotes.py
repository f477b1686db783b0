"""`quote add | list | show | edit | delete | check | find | prepub`: quotes anchored in sources.

`--json` prints each quote as `{"id", "speaker", "source_doc_id", "verdict", "score", "spans":
[{"page_index", "start", "end", "text", "prefix", "suffix", "rects"}], "diff", "review", ...}`.
Documents and quotes are named by id or by their first characters (at least four).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from dossier.anchor.model import DiffOp, Span
from dossier.cli.context import CliContext
from dossier.errors import UsageError, safe_text
from dossier.i18n import _, ngettext
from dossier.labels import VERDICTS, label
from dossier.services.quotes.dto import (
    PassageCheck,
    QuoteCandidate,
    QuoteEdit,
    QuoteInfo,
    QuoteReview,
)

_SHORT = 70


def register(sub: Any) -> None:
    quote = sub.add_parser(
        "quote", help=_("quotes anchored to their source, with a fidelity verdict")
    )
    verbs = quote.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("add", help=_("record a quote and anchor it in its source"))
    p.add_argument("--case", required=True)
    p.add_argument("--speaker", metavar="PERSON", help=_("who said it (a person of the case)"))
    p.add_argument(
        "--source", metavar="DOC_ID", help=_("where it comes from (default: search the case)")
    )
    p.add_argument("--published-in", metavar="DOC_ID", help=_("the article or reply publishing it"))
    p.add_argument("--date", metavar="YYYY-MM-DD", help=_("when it was said"))
    p.add_argument("--notes", default="")
    p.add_argument("--json", action="store_true")
    p.add_argument("text", metavar="TEXT", help=_("the quote as published"))
    p.set_defaults(handler=add_quote)

    p = verbs.add_parser("list", help=_("quotes of a case with their verdicts"))
    p.add_argument("--case", required=True)
    p.add_argument("--doc", metavar="DOC_ID", help=_("only quotes from or published in DOC_ID"))
    p.add_argument("--reveal", action="store_true", help=_("show real names (audited)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_quotes)

    p = verbs.add_parser("show", help=_("one quote: spans, verdict and word-level diff"))
    p.add_argument("quote", metavar="QUOTE")
    p.add_argument("--reveal", action="store_true", help=_("show real names (audited)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=show_quote)

    p = verbs.add_parser("edit", help=_("change a quote (a new text or source re-anchors it)"))
    p.add_argument("quote", metavar="QUOTE")
    p.add_argument("--text")
    p.add_argument("--speaker", metavar="PERSON")
    p.add_argument("--source", metavar="DOC_ID")
    p.add_argument("--published-in", metavar="DOC_ID")
    p.add_argument("--date", metavar="YYYY-MM-DD")
    p.add_argument("--notes")
    p.add_argument("--reviewed", action="store_true", help=_("clear the re-check flag"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=edit_quote)

    p = verbs.add_parser("delete", help=_("delete a quote"))
    p.add_argument("quote", metavar="QUOTE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=delete_quote)

    p = verbs.add_parser("check", help=_("re-anchor every quote of a case and report changes"))
    p.add_argument("--case", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=check_quotes)

    p = verbs.add_parser("find", help=_("find where a pasted quote comes from in the case"))
    p.add_argument("--case", required=True)
    p.add_argument(
        "--doc", action="append", default=[], metavar="DOC_ID", help=_("only these (repeat)")
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("text", metavar="TEXT")
    p.set_defaults(handler=find_quote)

    p = verbs.add_parser("prepub", help=_("check every quotation of an article before publication"))
    p.add_argument("--case", required=True)
    p.add_argument("--article", required=True, metavar="DOC_ID")
    p.add_argument("--min-words", type=int, default=1, metavar="N", help=_("skip shorter passages"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=prepublication)


def _short(text: str, limit: int = _SHORT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _pages(spans: Sequence[Span]) -> str:
    numbers = sorted({s.page_index + 1 for s in spans})
    if not numbers:
        return _("no anchor")
    listed = ", ".join(map(str, numbers))
    return ngettext("page {pages}", "pages {pages}", len(numbers)).format(pages=listed)


def _quote_lines(info: QuoteInfo) -> list[str]:
    review = "  [" + _("review: {review}").format(review=info.review) + "]" if info.review else ""
    verdict = label(VERDICTS, info.verdict).upper()
    said = _("{speaker}: «{quote}»").format(
        speaker=info.speaker or _("unattributed"), quote=_short(info.text)
    )
    head = (
        f"{info.id}  {info.said_on or '----------'}  {verdict:<10} {info.score:.2f}  {said}{review}"
    )
    lines = [head]
    if info.source_doc_id:
        lines.append(
            _("    source: {source_title} ({source_doc_id}), {spans}").format(
                source_title=safe_text(info.source_title),
                source_doc_id=info.source_doc_id,
                spans=_pages(info.spans),
            )
        )
    if info.published_in_id:
        lines.append(
            _("    published in: {published_in_title} ({published_in_id})").format(
                published_in_title=safe_text(info.published_in_title),
                published_in_id=info.published_in_id,
            )
        )
    return lines


def diff_lines(diff: Sequence[DiffOp], indent: str = "    ") -> list[str]:
    """A quote's differences from its source, one line an operation (also `dossier anchor`)."""
    lines: list[str] = []
    for op in diff:
        if op.op == "equal":
            lines.append(_("{indent}= {published}").format(indent=indent, published=op.published))
        elif op.op == "insert":
            lines.append(
                _("{indent}+ {published}   (not in the source)").format(
                    indent=indent, published=op.published
                )
            )
        elif op.op == "delete":
            lines.append(
                _("{indent}- {source}   (in the source, not in the quote)").format(
                    indent=indent, source=op.source
                )
            )
        else:
            lines.append(
                _("{indent}~ {published}   (source: {source})").format(
                    indent=indent, published=op.published, source=op.source
                )
            )
    return lines


def _detail(info: QuoteInfo) -> str:
    lines = _quote_lines(info)
    lines.append(_("  text: {text}").format(text=safe_text(info.text)))
    for span in info.spans:
        lines.append(
            _("  page {page_index}, characters {start}-{end}: {text}").format(
                page_index=span.page_index + 1,
                start=span.start,
                end=span.end,
                text=_short(span.text),
            )
        )
    if info.verdict == "not_found" and info.diff:
        # The diff then compares the quote with a passage that is not its source.
        lines.append(
            _("  closest passage, for information only: another sentence, not the quote's source")
        )
    if info.verdict in ("trimmed", "altered", "not_found"):
        lines.extend(diff_lines(info.diff))
    if info.notes:
        lines.append(_("  notes: {notes}").format(notes=info.notes))
    return "\n".join(lines)


def add_quote(args: argparse.Namespace, ctx: CliContext) -> int:
    info = ctx.workspace().quotes.add(
        args.case,
        args.text,
        speaker=args.speaker,
        source=args.source,
        published_in=args.published_in,
        said_on=args.date,
        notes=args.notes,
    )
    ctx.emit(info.to_json(), "\n".join(["recorded quote", *_quote_lines(info)]))
    return 0


def list_quotes(args: argparse.Namespace, ctx: CliContext) -> int:
    quotes = ctx.workspace().quotes.of_case(args.case, doc_id=args.doc, reveal=args.reveal)
    lines = [line for info in quotes for line in _quote_lines(info)]
    ctx.emit([q.to_json() for q in quotes], ("\n".join(lines) if lines else _("no quotes")))
    return 0


def show_quote(args: argparse.Namespace, ctx: CliContext) -> int:
    info = ctx.workspace().quotes.get(args.quote, reveal=args.reveal)
    ctx.emit(info.to_json(), _detail(info))
    return 0


def edit_quote(args: argparse.Namespace, ctx: CliContext) -> int:
    given = {
        "text": args.text,
        "speaker": args.speaker,
        "source": args.source,
        "published_in": args.published_in,
        "said_on": args.date,
        "notes": args.notes,
    }
    edit = QuoteEdit(**{name: value for name, value in given.items() if value is not None})
    if args.reviewed:
        edit = replace(edit, review=None)
    if not edit.changed():
        raise UsageError(_("nothing to change; see 'dossier quote edit --help'"))
    info = ctx.workspace().quotes.update(args.quote, edit)
    ctx.emit(info.to_json(), "\n".join(["updated quote", *_quote_lines(info)]))
    return 0


def delete_quote(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.workspace().quotes.delete(args.quote)
    ctx.emit({"deleted": args.quote}, _("deleted quote {quote}").format(quote=args.quote))
    return 0


def _review_line(review: QuoteReview) -> str:
    before, after = review.before, review.after
    change = f"{before.verdict} -> {after.verdict}, {_pages(before.spans)} -> {_pages(after.spans)}"
    said = _("{speaker}: «{quote}»").format(
        speaker=review.speaker or _("unattributed"), quote=_short(review.text)
    )
    return f"{review.status.upper():<9} {review.quote_id}  {said}  ({change})"


def check_quotes(args: argparse.Namespace, ctx: CliContext) -> int:
    reviews = ctx.workspace().quotes.check(args.case)
    counts: dict[str, int] = {}
    for review in reviews:
        counts[review.status] = counts.get(review.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or _("none")
    lines = [_("checked {n} quote(s): {summary}").format(n=len(reviews), summary=summary)]
    lines += [_review_line(r) for r in reviews if r.needs_review]
    ctx.emit([r.to_json() for r in reviews], "\n".join(lines))
    return 0


def _candidate_lines(candidate: QuoteCandidate) -> list[str]:
    text = " … ".join(_short(s.text, 40) for s in candidate.spans)
    lines = [
        f"{candidate.verdict.upper():<10} {candidate.score:.2f}  {safe_text(candidate.doc_title)} "
        f"({candidate.doc_id}), {_pages(candidate.spans)}: {safe_text(text)}"
    ]
    if candidate.verdict in ("trimmed", "altered"):
        lines.extend(diff_lines(candidate.diff))
    return lines


def find_quote(args: argparse.Namespace, ctx: CliContext) -> int:
    candidates = ctx.workspace().quotes.find(args.case, args.text, args.doc or None)
    lines = [line for c in candidates for line in _candidate_lines(c)]
    ctx.emit([c.to_json() for c in candidates], ("\n".join(lines) if lines else _("not found")))
    return 0


def _passage_line(check: PassageCheck) -> str:
    where = (
        f"{safe_text(check.doc_title)} ({check.doc_id}), {_pages(check.spans)}"
        if check.doc_id
        else "-"
    )
    flag = (check.issue or "ok").upper()
    return (
        f"{check.number:>3}. {flag:<9} {check.verdict} ({check.score:.2f})  "
        f"«{_short(check.text, 60)}»  -> {where}"
    )


def prepublication(args: argparse.Namespace, ctx: CliContext) -> int:
    checks = ctx.workspace().quotes.prepublication_check(
        args.case, args.article, min_words=args.min_words
    )
    flagged = [c for c in checks if c.issue]
    lines = [_passage_line(c) for c in checks]
    lines.append(
        _("{n} quoted passage(s): {n2} to look at ({value} not found, {value2} altered)").format(
            n=len(checks),
            n2=len(flagged),
            value=sum(c.issue == "not_found" for c in checks),
            value2=sum(c.issue == "altered" for c in checks),
        )
    )
    ctx.emit([c.to_json() for c in checks], "\n".join(lines))
    return 0

"""`search` and `reindex`."""

from __future__ import annotations

import argparse
from typing import Any

from dossier.cli.context import CliContext
from dossier.errors import safe_text
from dossier.i18n import _
from dossier.services.constants import DOCUMENT_KINDS, SEARCH_ITEM_TYPES


def register(sub: Any) -> None:
    p = sub.add_parser("search", help=_("full-text search in one case or every case"))
    p.add_argument("--case", help=_("search this case only (default: every case)"))
    p.add_argument("--kind", action="append", choices=DOCUMENT_KINDS, default=[])
    p.add_argument(
        "--type", dest="item_types", action="append", choices=SEARCH_ITEM_TYPES, default=[]
    )
    p.add_argument("--person", action="append", default=[], metavar="P")
    p.add_argument("--tag", action="append", default=[], metavar="T")
    p.add_argument("--from", dest="date_from", metavar="DATE")
    p.add_argument("--to", dest="date_to", metavar="DATE")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--reveal", action="store_true", help=_("show real names (audited)"))
    p.add_argument("--json", action="store_true")
    p.add_argument("query", metavar="QUERY")
    p.set_defaults(handler=search)

    p = sub.add_parser("reindex", help=_("rebuild the search index from the catalog"))
    p.add_argument("--case", help=_("only this case (default: every case)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=reindex)


def search(args: argparse.Namespace, ctx: CliContext) -> int:
    hits = ctx.workspace().search.query(
        args.query,
        case=args.case,
        kinds=args.kind,
        people=args.person,
        tags=args.tag,
        date_from=args.date_from,
        date_to=args.date_to,
        item_types=args.item_types,
        limit=args.limit,
        reveal=args.reveal,
    )
    if ctx.json:
        ctx.emit([hit.to_json() for hit in hits])
        return 0
    if not hits:
        print(_("no results"))
    for hit in hits:
        where = f"p. {hit.page_label}" if hit.page_index is not None else hit.item_type
        print(
            _("{score:6.2f}  [{kind}] {title} ({where})  {value}").format(
                score=hit.score,
                kind=hit.kind,
                title=safe_text(hit.title),
                where=where,
                value=hit.doc_id or "",
            )
        )
        ctx.say(_("        {snippet}").format(snippet=hit.snippet))
    return 0


def reindex(args: argparse.Namespace, ctx: CliContext) -> int:
    counts = ctx.workspace().search.reindex(args.case)
    total = sum(counts.values())
    ctx.emit(
        {"cases": counts, "items": total},
        _("indexed {total} items in {n} case(s)").format(total=total, n=len(counts)),
    )
    return 0

"""`search` and `reindex`."""

from __future__ import annotations

import argparse
from typing import Any

from dossier.cli.context import CliContext
from dossier.errors import safe_text
from dossier.services.constants import DOCUMENT_KINDS, SEARCH_ITEM_TYPES


def register(sub: Any) -> None:
    p = sub.add_parser("search", help="full-text search in one case or every case")
    p.add_argument("--case", help="search this case only (default: every case)")
    p.add_argument("--kind", action="append", choices=DOCUMENT_KINDS, default=[])
    p.add_argument(
        "--type", dest="item_types", action="append", choices=SEARCH_ITEM_TYPES, default=[]
    )
    p.add_argument("--person", action="append", default=[], metavar="P")
    p.add_argument("--tag", action="append", default=[], metavar="T")
    p.add_argument("--from", dest="date_from", metavar="DATE")
    p.add_argument("--to", dest="date_to", metavar="DATE")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--reveal", action="store_true", help="show real names (audited)")
    p.add_argument("--json", action="store_true")
    p.add_argument("query", metavar="QUERY")
    p.set_defaults(handler=search)

    p = sub.add_parser("reindex", help="rebuild the search index from the catalog")
    p.add_argument("--case", help="only this case (default: every case)")
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
        print("no results")
    for hit in hits:
        where = f"p. {hit.page_label}" if hit.page_index is not None else hit.item_type
        print(
            f"{hit.score:6.2f}  [{hit.kind}] {safe_text(hit.title)} ({where})  {hit.doc_id or ''}"
        )
        ctx.say(f"        {hit.snippet}")
    return 0


def reindex(args: argparse.Namespace, ctx: CliContext) -> int:
    counts = ctx.workspace().search.reindex(args.case)
    total = sum(counts.values())
    ctx.emit({"cases": counts, "items": total}, f"indexed {total} items in {len(counts)} case(s)")
    return 0

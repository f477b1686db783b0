"""`timeline --case C [--person P] [--kind K]...` and `timeline add | remove` (free entries)."""

from __future__ import annotations

import argparse
from typing import Any

from dossier.cli.context import CliContext
from dossier.errors import UsageError, safe_text
from dossier.i18n import _
from dossier.services.dto import TimelineItem
from dossier.services.timeline import EVENT_KINDS, KINDS


def register(sub: Any) -> None:
    timeline = sub.add_parser("timeline", help=_("a case's dated items in order, and free entries"))
    timeline.add_argument("--case", help=_("the case to show"))
    timeline.add_argument("--person", help=_("only items involving this person"))
    timeline.add_argument("--kind", action="append", choices=KINDS, help=_("only these kinds"))
    timeline.add_argument("--as-of", metavar="YYYY-MM-DD", help=_("letter states on this day"))
    timeline.add_argument("--reveal", action="store_true", help=_("show real names (audited)"))
    timeline.add_argument("--json", action="store_true")
    timeline.set_defaults(handler=show)
    verbs = timeline.add_subparsers(dest="verb", metavar="VERB", required=False)

    p = verbs.add_parser("add", help=_("add a free entry (an interview, a call, ...)"))
    p.add_argument("--case", required=True)
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--title", required=True)
    p.add_argument("--person", action="append", default=[], metavar="P")
    p.add_argument("--kind", default="entry", choices=EVENT_KINDS)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=add)

    p = verbs.add_parser("remove", help=_("remove a free entry"))
    p.add_argument("entry", metavar="ENTRY_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=remove)


def _line(item: TimelineItem) -> str:
    who = f"  [{', '.join(n for n in item.names if n)}]" if any(item.names) else ""
    detail = f"  ({item.detail})" if item.detail else ""
    ref = f"<{item.ref_type} {item.ref_id}>"
    return f"{item.date}  {item.kind:<11} {safe_text(item.title)}{detail}{who}  {ref}"


def show(args: argparse.Namespace, ctx: CliContext) -> int:
    if not args.case:
        raise UsageError(_("timeline needs --case NAME"))
    items = ctx.workspace().timeline.items(
        args.case,
        person=args.person,
        kinds=args.kind or (),
        as_of=args.as_of,
        reveal=args.reveal,
    )
    lines = [_line(i) for i in items]
    ctx.emit(items, ("\n".join(lines) if lines else _("nothing dated in this case yet")))
    return 0


def add(args: argparse.Namespace, ctx: CliContext) -> int:
    item = ctx.workspace().timeline.add_entry(
        args.case, when=args.date, title=args.title, people=args.person, kind=args.kind
    )
    ctx.emit(item, _("added {item}").format(item=_line(item)))
    return 0


def remove(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.workspace().timeline.remove_entry(args.entry)
    ctx.emit({"removed": args.entry}, _("removed timeline entry {entry}").format(entry=args.entry))
    return 0

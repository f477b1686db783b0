"""`redact add | list | remove`: the redaction marks an export applies.

    dossier --vault DIR redact add --doc ID --page N --rect x0,y0,x1,y1
    dossier --vault DIR redact add (--case NAME | --doc ID) --term T
    dossier --vault DIR redact add (--case NAME | --doc ID) --pattern email|phone|iban|nir|plate
    dossier --vault DIR redact add --case NAME --person REF [--doc ID]

Rectangles are in PDF points from the top-left corner of the unrotated page; pages count
from 1. Protected and anonymous people need no mark: exports always redact their names.
"""

from __future__ import annotations

import argparse
from typing import Any

from dossier.cli.context import CliContext
from dossier.errors import UsageError
from dossier.i18n import _
from dossier.services.constants import REDACTION_PATTERNS
from dossier.services.export.dto import RedactionInfo
from dossier.services.export.redactions import parse_rect


def register(sub: Any) -> None:
    redact = sub.add_parser("redact", help=_("add, list or remove redaction marks"))
    verbs = redact.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("add", help=_("add a redaction mark"))
    p.add_argument("--case", help=_("case (for rules that apply to every document)"))
    p.add_argument("--doc", metavar="ID", help=_("document the mark applies to"))
    p.add_argument("--page", type=int, metavar="N", help=_("page number (from 1) for --rect"))
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--rect", action="append", metavar="x0,y0,x1,y1", help=_("repeatable"))
    what.add_argument("--term", metavar="T", help=_("every occurrence of a word or phrase"))
    what.add_argument("--pattern", choices=REDACTION_PATTERNS)
    what.add_argument("--person", metavar="REF", help=_("a person's names and aliases"))
    p.add_argument("--reason", default="", help=_("why (kept in the vault, never exported)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=add, needs_vault=True)

    p = verbs.add_parser("list", help=_("marks of a case"))
    p.add_argument("--case", required=True)
    p.add_argument("--doc", metavar="ID", help=_("only the marks that apply to this document"))
    p.add_argument("--reveal", action="store_true", help=_("show real names (audited)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_marks, needs_vault=True)

    p = verbs.add_parser("remove", help=_("remove one mark"))
    p.add_argument("mark_id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=remove, needs_vault=True)


def _describe(mark: RedactionInfo) -> str:
    scope = _("doc {id}").format(id=mark.document_id) if mark.document_id else _("whole case")
    if mark.kind == "rect":
        boxes = " ".join(",".join(f"{v:g}" for v in r) for r in mark.rects)
        page = (mark.page_index or 0) + 1
        return f"{mark.id}  rect     " + _("{scope}, page {page}: {boxes}").format(
            scope=scope, page=page, boxes=boxes
        )
    if mark.kind == "term":
        return f"{mark.id}  term     " + _("{name}: {message}").format(
            name=scope, message=mark.term
        )
    if mark.kind == "pattern":
        return f"{mark.id}  pattern  " + _("{name}: {message}").format(
            name=scope, message=mark.pattern
        )
    return f"{mark.id}  person   " + _("{scope}: person {id}").format(
        scope=scope, id=mark.person_id
    )


def add(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace()
    marks = ws.redactions
    if args.rect:
        if not args.doc or args.page is None:
            raise UsageError(_("--rect needs --doc ID and --page N"))
        if args.page < 1:
            raise UsageError(_("pages count from 1"))
        rects = [parse_rect(text) for text in args.rect]
        mark = marks.add_rect(args.doc, args.page - 1, rects, reason=args.reason)
    elif args.term is not None:
        mark = marks.add_term(args.term, case=args.case, doc_id=args.doc, reason=args.reason)
    elif args.pattern:
        mark = marks.add_pattern(args.pattern, case=args.case, doc_id=args.doc, reason=args.reason)
    else:
        if not args.case:
            raise UsageError(_("--person needs --case NAME"))
        person_id = ws.people.resolve(args.case, args.person)
        mark = marks.add_person(person_id, doc_id=args.doc, reason=args.reason)
    ctx.emit(mark, _("added {mark}").format(mark=_describe(mark)))
    return 0


def list_marks(args: argparse.Namespace, ctx: CliContext) -> int:
    marks = ctx.workspace().redactions.shown(args.case, doc_id=args.doc, reveal=args.reveal)
    lines = [_describe(m) for m in marks]
    ctx.emit(marks, ("\n".join(lines) if lines else _("no redaction marks")))
    return 0


def remove(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.workspace().redactions.remove(args.mark_id)
    ctx.emit({"removed": args.mark_id}, _("removed {mark_id}").format(mark_id=args.mark_id))
    return 0

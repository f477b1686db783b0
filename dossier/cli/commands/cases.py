"""`case create | list | delete | rename`."""

from __future__ import annotations

import argparse
from typing import Any

from dossier.cli.context import CliContext
from dossier.errors import safe_text
from dossier.i18n import _


def register(sub: Any) -> None:
    case = sub.add_parser("case", help=_("create, list, rename or delete cases"))
    verbs = case.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("create", help=_("create a case"))
    p.add_argument("name")
    p.add_argument("--description", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=create)

    p = verbs.add_parser("list", help=_("list cases"))
    p.add_argument("--reveal", action="store_true", help=_("show real names (audited)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_cases)

    p = verbs.add_parser("rename", help=_("rename a case"))
    p.add_argument("name")
    p.add_argument("new_name")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=rename)

    p = verbs.add_parser("delete", help=_("destroy a case and everything in it"))
    p.add_argument("name")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=delete)


def create(args: argparse.Namespace, ctx: CliContext) -> int:
    info = ctx.workspace().cases.create(args.name, args.description)
    ctx.emit(info, _("created case {name} ({id})").format(name=safe_text(info.name), id=info.id))
    return 0


def list_cases(args: argparse.Namespace, ctx: CliContext) -> int:
    cases = ctx.workspace().cases.all(reveal=args.reveal)
    lines = [
        f"{c.id}  {safe_text(c.name)}  " + _("({n} documents)").format(n=c.document_count)
        for c in cases
    ]
    ctx.emit(cases, ("\n".join(lines) if lines else _("no cases")))
    return 0


def rename(args: argparse.Namespace, ctx: CliContext) -> int:
    info = ctx.workspace().cases.update(args.name, name=args.new_name)
    ctx.emit(info, _("renamed to {name}").format(name=safe_text(info.name)))
    return 0


def delete(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace()
    case_id = ws.cases.resolve(args.name)
    ws.cases.delete(case_id)
    ctx.emit({"deleted": case_id}, _("case {name} destroyed").format(name=safe_text(args.name)))
    return 0

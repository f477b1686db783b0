"""`person add | list | show | edit | merge`: the people of a case and their protection.

Protected and anonymous people are listed under their pseudonym; `--reveal` shows real names
and is written to the audit trail.
"""

from __future__ import annotations

import argparse
from typing import Any

from dossier.cli.context import CliContext
from dossier.errors import safe_text
from dossier.i18n import _
from dossier.labels import PROTECTIONS as PROTECTION_LABELS
from dossier.labels import ROLES as ROLE_LABELS
from dossier.labels import label
from dossier.services.people.dto import PersonEdit, PersonInfo
from dossier.services.people.service import PROTECTIONS, ROLES


def register(sub: Any) -> None:
    person = sub.add_parser("person", help=_("add, list, edit or merge the people of a case"))
    verbs = person.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("add", help=_("add a person to a case"))
    p.add_argument("--case", required=True)
    p.add_argument("name")
    _person_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=add)

    p = verbs.add_parser("list", help=_("people of a case (protected names masked)"))
    p.add_argument("--case", required=True)
    p.add_argument("--reveal", action="store_true", help=_("show real names (audited)"))
    p.add_argument("--all", action="store_true", help=_("include people merged into others"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_people)

    p = verbs.add_parser("show", help=_("one person"))
    p.add_argument("--case", required=True)
    p.add_argument("person", help=_("id, name, alias or pseudonym"))
    p.add_argument("--reveal", action="store_true", help=_("show the real name (audited)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=show)

    p = verbs.add_parser("edit", help=_("change a person's name, aliases, role or protection"))
    p.add_argument("--case", required=True)
    p.add_argument("person", help=_("id, name, alias or pseudonym"))
    p.add_argument("--name")
    _person_options(p, editing=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=edit)

    p = verbs.add_parser("merge", help=_("fold DROP into KEEP (same person entered twice)"))
    p.add_argument("--case", required=True)
    p.add_argument("keep")
    p.add_argument("drop")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=merge)


def _person_options(p: argparse.ArgumentParser, editing: bool = False) -> None:
    alias_help = "another name (repeat); replaces the list" if editing else "another name (repeat)"
    p.add_argument("--alias", action="append", metavar="NAME", help=alias_help)
    p.add_argument("--role", choices=ROLES, default=None if editing else "other")
    p.add_argument("--protection", choices=PROTECTIONS, default=None if editing else "on_record")
    p.add_argument("--pseudonym", help=_("name used outside the vault (default: Source A, B...)"))
    p.add_argument("--organisation")
    p.add_argument("--notes")


def _line(info: PersonInfo) -> str:
    extra = [info.role, info.protection.replace("_", " ")]
    if info.pseudonym and not info.masked:
        extra.append(_("pseudonym {pseudonym}").format(pseudonym=info.pseudonym))
    if info.aliases:
        extra.append("aka " + ", ".join(info.aliases))
    if info.merged_into_id:
        extra.append(_("merged into {merged_into_id}").format(merged_into_id=info.merged_into_id))
    return f"{info.id}  {safe_text(info.name)}  ({'; '.join(extra)})"


def add(args: argparse.Namespace, ctx: CliContext) -> int:
    info = ctx.workspace().people.add(
        args.case,
        args.name,
        aliases=args.alias or (),
        role=args.role,
        protection=args.protection,
        pseudonym=args.pseudonym or "",
        organisation=args.organisation or "",
        notes=args.notes or "",
    )
    shown = _("as {name}").format(name=safe_text(info.name)) if info.masked else info.name
    ctx.emit(
        info,
        _("added person {shown} ({id}, {role}, {protection})").format(
            shown=shown,
            id=info.id,
            role=label(ROLE_LABELS, info.role),
            protection=label(PROTECTION_LABELS, info.protection),
        ),
    )
    return 0


def list_people(args: argparse.Namespace, ctx: CliContext) -> int:
    people = ctx.workspace().people.of_case(args.case, reveal=args.reveal, include_merged=args.all)
    lines = [_line(p) for p in people]
    ctx.emit(people, ("\n".join(lines) if lines else _("no people in this case")))
    return 0


def show(args: argparse.Namespace, ctx: CliContext) -> int:
    info = ctx.workspace().people.get(args.case, args.person, reveal=args.reveal)
    human = _line(info)
    if info.organisation:
        human += "\n  " + _("organisation: {organisation}").format(organisation=info.organisation)
    if info.notes:
        human += "\n  " + _("notes: {notes}").format(notes=info.notes)
    ctx.emit(info, human)
    return 0


def edit(args: argparse.Namespace, ctx: CliContext) -> int:
    given: dict[str, Any] = {
        name: getattr(args, name)
        for name in ("name", "role", "protection", "pseudonym", "organisation", "notes")
    }
    if args.alias is not None:
        given["aliases"] = list(args.alias)
    edit = PersonEdit(**{name: value for name, value in given.items() if value is not None})
    info = ctx.workspace().people.update(args.case, args.person, edit)
    ctx.emit(info, _("updated {info}").format(info=_line(info)))
    return 0


def merge(args: argparse.Namespace, ctx: CliContext) -> int:
    outcome = ctx.workspace().people.merge(args.case, args.keep, args.drop)
    moved = ", ".join(f"{n} {kind}" for kind, n in outcome.links.items() if n) or _("no links")
    ctx.emit(
        outcome,
        _("merged {dropped_id} into {name} ({id}); moved {moved}").format(
            dropped_id=outcome.dropped_id,
            name=safe_text(outcome.kept.name),
            id=outcome.kept.id,
            moved=moved,
        ),
    )
    return 0

"""`audit show | verify`: the append-only, hash-chained record of what was done to the vault.

`verify` exits 5 when an entry was removed, altered or re-linked, naming which, or when catalog
rows were changed outside Dossier (a change the trail cannot have recorded).
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable
from typing import Any

from dossier.cli.context import CliContext
from dossier.errors import DossierError
from dossier.i18n import _, ngettext
from dossier.services.dto import AuditRecord


def register(sub: Any) -> None:
    audit = sub.add_parser("audit", help=_("show or verify the audit trail"))
    verbs = audit.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("show", help=_("list audit entries, oldest first"))
    p.add_argument("--case", help=_("only entries of this case"))
    p.add_argument("--action", metavar="PREFIX", help=_("only actions starting with PREFIX"))
    p.add_argument("--last", type=int, metavar="N", help=_("only the N most recent entries"))
    p.add_argument("--reveal", action="store_true", help=_("show real names (audited)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=show)

    p = verbs.add_parser("verify", help=_("check the hash chain; exit 5 if it was tampered with"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=verify)


def _detail(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_detail(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_detail(v) for v in value) + "]"
    return str(value)


def _masked(value: object, mask: Callable[[str], str]) -> object:
    """`value` (an entry's details) with every text masked: what people wrote there (a box's
    reason) may name a protected person, masked as in every other listing."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {k: _masked(v, mask) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, mask) for v in value]
    return value


def _shown(ws: Any, records: list[AuditRecord], reveal: bool) -> list[AuditRecord]:
    masks: dict[str, Callable[[str], str]] = {}
    shown: list[AuditRecord] = []
    for record in records:
        if record.case_id:
            if record.case_id not in masks:
                try:
                    screen = ws.screen.mask(record.case_id, reveal=reveal, where="audit show")
                    masks[record.case_id] = screen.text
                except DossierError:
                    masks[record.case_id] = str  # a case deleted since: none of its people left
            details = _masked(record.details, masks[record.case_id])
            assert isinstance(details, dict)
            record = dataclasses.replace(record, details=details)
        shown.append(record)
    return shown


def _line(record: AuditRecord) -> str:
    details = " ".join(f"{k}={_detail(v)}" for k, v in record.details.items() if v is not None)
    case = f" case={record.case_id}" if record.case_id else ""
    return f"{record.seq:>6}  {record.at}  {record.action}{case}  {details}".rstrip()


def show(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace()
    case_id = ws.cases.resolve(args.case) if args.case else None
    records = ws.audit.records(case_id)
    if args.action:
        records = [r for r in records if r.action.startswith(args.action)]
    if args.last is not None:
        records = records[-args.last :] if args.last > 0 else []
    records = _shown(ws, records, args.reveal)
    lines = [_line(r) for r in records]
    ctx.emit(records, ("\n".join(lines) if lines else _("no audit entries")))
    return 0


def verify(args: argparse.Namespace, ctx: CliContext) -> int:
    # Opened for checking, not refused: a change the trail does not record is a finding too.
    ws = ctx.workspace(strict=False)
    check = ws.audit.verify()
    problems = check.problems + ws.fsck.row_problems()
    ok = not problems
    if ctx.json:
        ctx.emit({"ok": ok, "entries": check.entries, "problems": problems})
    else:
        for problem in problems:
            ctx.say(_("TAMPERED: {problem}").format(problem=problem))
        verdict = (
            _("intact")
            if ok
            else ngettext("{n} problem found", "{n} problems found", len(problems)).format(
                n=len(problems)
            )
        )
        print(
            _("audit trail: {entries} entries, {verdict}").format(
                entries=check.entries, verdict=verdict
            )
        )
    return 0 if ok else 5

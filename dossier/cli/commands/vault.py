"""`init`, `passwd`, `rekey`, `fsck`, `gc`: the vault itself."""

from __future__ import annotations

import argparse
from typing import Any

from dossier.cli.arguments import path_argument
from dossier.cli.context import CliContext
from dossier.i18n import _, ngettext


def register(sub: Any) -> None:
    p = sub.add_parser("init", help=_("create a new vault in an empty folder"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=init)

    p = sub.add_parser(
        "passwd", help=_("change the passphrase; a new master key re-wraps every case key")
    )
    p.add_argument("--new-passphrase-file", metavar="FILE", type=path_argument)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=passwd)

    p = sub.add_parser(
        "rekey",
        help=_("re-encrypt every case (or one) under new keys; resumes an interrupted one"),
    )
    p.add_argument("--case", help=_("only this case (name or id); the master key changes anyway"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=rekey)

    p = sub.add_parser("fsck", help=_("decrypt and authenticate everything; name what is damaged"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=fsck)

    p = sub.add_parser("gc", help=_("remove orphan encrypted files left by interrupted writes"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=gc)


def init(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.create_workspace()
    ctx.emit(
        {"vault": str(ws.folder), "vault_id": ws.vault.header.vault_id},
        _("created vault {folder}").format(folder=ws.folder),
    )
    return 0


def passwd(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace()
    # The settings new vaults get: a vault made weak (from source, for tests) is made strong.
    ws.keys.change_passphrase(ctx.passphrase(new=True, confirm=True), ctx.kdf())
    ctx.emit({"changed": True}, _("passphrase changed"))
    return 0


def rekey(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace()
    result = ws.rekey.run(ctx.passphrase(), args.case)
    ctx.emit(
        result.to_json(),
        (_("finished an interrupted re-encryption: ") if result.resumed else "")
        + _(
            "re-encrypted {cases} case(s) under new keys ({documents} documents, {pages} "
            "pages, {originals} original files); the master key was replaced too"
        ).format(
            cases=result.cases,
            documents=result.documents,
            pages=result.pages,
            originals=result.originals,
        ),
    )
    return 0


def fsck(args: argparse.Namespace, ctx: CliContext) -> int:
    report = ctx.workspace(strict=False).fsck.run()
    if ctx.json:
        ctx.emit(
            {
                "ok": report.ok,
                "checked": report.checked,
                "problems": report.problems,
                "notes": report.notes,
            }
        )
    else:
        for what, count in report.checked.items():
            # Keys are stable names (the JSON's); shown translated where the catalog has them.
            print(_("checked {count} {what}").format(count=count, what=_(what)))
        for note in report.notes:
            ctx.say(_("note: {note}").format(note=note))
        for problem in report.problems:
            ctx.say(_("DAMAGED: {problem}").format(problem=problem))
        print(
            _("vault is intact")
            if report.ok
            else ngettext("{n} problem found", "{n} problems found", len(report.problems)).format(
                n=len(report.problems)
            )
        )
    return 0 if report.ok else 5


def gc(args: argparse.Namespace, ctx: CliContext) -> int:
    removed = ctx.workspace().fsck.collect_garbage()
    ctx.emit(
        {"removed": removed},
        ngettext("removed {removed} orphan file", "removed {removed} orphan files", removed).format(
            removed=removed
        ),
    )
    return 0

"""`export`, `verify` and `import-bundle`: redacted, signed bundles out of and into a vault.

    dossier --vault DIR export --case NAME --out FILE.zip [--doc ID]... [--rasterize-redacted]
                               [--bundle-passphrase-file F] [--json]
    dossier verify FILE.zip [--pubkey FINGERPRINT] [--bundle-passphrase-file F] [--json]
    dossier --vault DIR import-bundle FILE.zip [--case NAME] [--pubkey FINGERPRINT]

`verify` needs no vault. It exits 0 when the bundle is intact and signed (by the expected key
when --pubkey is given), 5 otherwise.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from dossier.cli.arguments import path_argument
from dossier.cli.context import CliContext, read_secret_file
from dossier.errors import CorruptData, quoted
from dossier.i18n import _
from dossier.labels import REDACTION_COUNTS
from dossier.labels import counts as counts_in_words
from dossier.services.constants import KDF_DEFAULT
from dossier.services.export import bundle_verify
from dossier.services.export.dto import ExportRequest
from dossier.services.export.service import SelfCheckFailed


def register(sub: Any) -> None:
    p = sub.add_parser("export", help=_("write a redacted, signed bundle of a case"))
    p.add_argument("--case", required=True)
    p.add_argument("--out", required=True, metavar="FILE.zip", type=path_argument)
    p.add_argument("--doc", action="append", default=[], metavar="ID", help=_("repeatable"))
    p.add_argument("--quote", action="append", metavar="ID", help=_("repeatable (default: all)"))
    p.add_argument(
        "--rasterize-redacted",
        action="store_true",
        help=_("turn redacted pages into images (with a searchable text layer)"),
    )
    p.add_argument(
        "--bundle-passphrase-file",
        metavar="F",
        type=path_argument,
        help=_("seal the bundle for transport"),
    )
    p.add_argument(
        "--pdf-password-file",
        metavar="F",
        type=path_argument,
        help=_("password of protected originals"),
    )
    p.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=export, needs_vault=True)

    p = sub.add_parser("verify", help=_("check a bundle's signature and every file's hash"))
    p.add_argument("bundle", metavar="FILE.zip", type=path_argument)
    p.add_argument("--pubkey", metavar="FINGERPRINT", help=_("the signer's expected fingerprint"))
    p.add_argument(
        "--bundle-passphrase-file", metavar="F", type=path_argument, help=_("for a sealed bundle")
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=verify, needs_vault=False)

    p = sub.add_parser("import-bundle", help=_("bring a verified bundle in as a new case"))
    p.add_argument("bundle", metavar="FILE.zip", type=path_argument)
    p.add_argument("--case", metavar="NAME", help=_("name of the new case"))
    p.add_argument("--pubkey", metavar="FINGERPRINT", help=_("refuse bundles signed by others"))
    p.add_argument(
        "--bundle-passphrase-file", metavar="F", type=path_argument, help=_("for a sealed bundle")
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=import_bundle, needs_vault=True)


def _secret(path: str | None) -> str | None:
    return read_secret_file(path) if path else None


def export(args: argparse.Namespace, ctx: CliContext) -> int:
    out = Path(args.out).expanduser()
    if out.exists() and not args.force:
        ctx.warn(_("{out} exists; use --force to replace it").format(out=out))
        return 2
    passphrase = _secret(args.bundle_passphrase_file)
    request = ExportRequest(
        case=args.case,
        out=out,
        doc_ids=tuple(args.doc),
        quote_ids=tuple(args.quote) if args.quote else None,
        rasterize_redacted=args.rasterize_redacted,
        bundle_passphrase=passphrase,
        kdf=ctx.kdf() if passphrase is not None else KDF_DEFAULT,
        pdf_password=_secret(args.pdf_password_file),
    )
    try:
        result = ctx.workspace().exports.export(request)
    except SelfCheckFailed as exc:
        if ctx.json:
            ctx.emit({"ok": False, "findings": [str(f) for f in exc.report.findings]})
        raise
    lines = [
        _("{path}: {pages} pages, redactions {counts}").format(
            path=d.path, pages=d.pages, counts=_counts(d.redactions)
        )
        for d in result.documents
    ]
    for outcome in result.quote_outcomes:
        shown = _("left out") if outcome.text is None else quoted(outcome.text)
        lines.append(
            _("quote {quote_id}: {shown} ({reason})").format(
                quote_id=outcome.quote_id, shown=shown, reason=outcome.reason
            )
        )
    wrote = (
        _("wrote {path} (sealed with the bundle passphrase)")
        if result.sealed
        else _("wrote {path}")
    )
    lines += [
        _("{quotes} quotes, {letters} letters").format(
            quotes=result.quotes, letters=result.letters
        ),
        _("self-check: {files} files, {pages} pages, nothing found").format(
            files=result.selfcheck.files, pages=result.selfcheck.pages
        ),
        wrote.format(path=result.path),
        _("signing key fingerprint: {fingerprint}").format(fingerprint=result.fingerprint),
    ]
    if result.skipped:
        lines.append(
            _("not exported (lists of files or messages): {skipped}").format(
                skipped=", ".join(result.skipped)
            )
        )
    ctx.emit(result, "\n".join(lines))
    return 0


def _counts(counts: dict[str, int]) -> str:
    return counts_in_words(REDACTION_COUNTS, counts) or _("none")


def verify(args: argparse.Namespace, ctx: CliContext) -> int:
    report = bundle_verify.verify(
        Path(args.bundle).expanduser(),
        pubkey=args.pubkey,
        passphrase=_secret(args.bundle_passphrase_file),
    )
    data = {**report.__dict__, "ok": report.ok}
    ctx.emit(data, "\n".join(report.lines()))
    return 0 if report.ok else CorruptData.exit_code


def import_bundle(args: argparse.Namespace, ctx: CliContext) -> int:
    result = ctx.workspace().exports.import_bundle(
        Path(args.bundle).expanduser(),
        case_name=args.case,
        passphrase=_secret(args.bundle_passphrase_file),
        pubkey=args.pubkey,
    )
    ctx.emit(
        result,
        _(
            "imported {n} documents and {quotes} quotes as case {case_name} "
            "({case_id}); signed by {fingerprint}"
        ).format(
            n=len(result.documents),
            quotes=result.quotes,
            case_name=repr(result.case_name),
            case_id=result.case_id,
            fingerprint=result.fingerprint,
        ),
    )
    return 0

"""`import` and `doc list | show`."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from dossier.cli.arguments import path_argument
from dossier.cli.context import CliContext, read_secret_file
from dossier.errors import safe_text
from dossier.i18n import N_, _, ngettext
from dossier.labels import KINDS, label
from dossier.services import Workspace
from dossier.services.constants import DOCUMENT_KINDS
from dossier.services.documents.duplicates import DUPLICATE_CHOICES, LINK, SKIP
from dossier.services.dto import DocumentInfo, ImportOutcome
from dossier.text.clean import valid_text


def register(sub: Any) -> None:
    p = sub.add_parser("import", help=_("import files into a case"))
    p.add_argument("--case", required=True)
    p.add_argument("--kind", default="source", choices=DOCUMENT_KINDS)
    p.add_argument("--title")
    p.add_argument("--date", metavar="YYYY-MM-DD")
    p.add_argument("--no-ocr", action="store_true", help=_("do not OCR pages without text"))
    p.add_argument("--pdf-password", metavar="P")
    p.add_argument("--pdf-password-file", metavar="FILE", type=path_argument)
    p.add_argument(
        "--duplicates",
        choices=DUPLICATE_CHOICES,
        default=SKIP,
        help=_("a file already in the case: skip it (default) or link it to its document"),
    )
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        type=path_argument,
        help=_("files, or folders (recursively)"),
    )
    p.set_defaults(handler=import_files)

    doc = sub.add_parser("doc", help=_("list or show documents"))
    verbs = doc.add_subparsers(dest="verb", metavar="VERB", required=True)
    p = verbs.add_parser("list", help=_("documents of a case"))
    p.add_argument("--case", required=True)
    p.add_argument("--kind", choices=DOCUMENT_KINDS)
    p.add_argument("--reveal", action="store_true", help=_("show real names (audited)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_docs)
    p = verbs.add_parser("show", help=_("one document"))
    p.add_argument("doc_id")
    p.add_argument("--text", action="store_true", help=_("print the extracted text"))
    p.add_argument("--reveal", action="store_true", help=_("show real names (audited)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=show_doc)
    p = verbs.add_parser("delete", help=_("delete one document"))
    p.add_argument("doc_id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=delete_doc)


def import_files(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace()
    password = args.pdf_password
    if args.pdf_password_file:
        password = read_secret_file(args.pdf_password_file)
    files = expand_folders(args.files)
    if len(files) > 1 and (args.title or args.date):
        ctx.warn(_("--title and --date apply to every file of the batch"))
    results: list[dict[str, Any]] = []
    worst = 0

    def done(outcome: ImportOutcome) -> None:
        # Called once the file's group is committed (or at once for a refusal): what is
        # printed as imported is on disk.
        nonlocal worst
        path = Path(outcome.path)
        if outcome.already_as is not None:  # skipped, as asked: a notice, not a failure
            results.append(
                {"file": str(path), "skipped": outcome.error, "document_id": outcome.already_as}
            )
            ctx.warn(outcome.error or "")
            return
        if outcome.document is None:
            worst = outcome.exit_code or worst
            results.append({"file": str(path), "error": outcome.error})
            ctx.warn(outcome.error or "")
            return
        _imported(ws, ctx, args, path, outcome.document, results)

    ws.documents.import_many(
        args.case,
        files,
        kind=args.kind,
        title=args.title,
        date=args.date,
        ocr=not args.no_ocr,
        password=password,
        duplicates=args.duplicates,
        on_outcome=done,
    )
    if ctx.json:
        ctx.emit(results)
    return worst


def _imported(
    ws: Workspace,
    ctx: CliContext,
    args: argparse.Namespace,
    path: Path,
    info: DocumentInfo,
    results: list[dict[str, Any]],
) -> None:
    inside = ws.documents.descendants(info.id)
    elsewhere = ws.documents.other_cases_holding(info.id)
    # Shown as every listing shows it: a title, a header or an attachment's name taken from
    # the file may name a protected person.
    shown = ws.documents.get(info.id)
    results.append(
        {"file": str(path), "document": shown, "inside": inside, "also_in_cases": elsewhere}
    )
    name = valid_text(path.name)  # as the document is named: undecodable bytes as letters
    if not ctx.json:
        linked = name in info.metadata.get("also_received_as", "").splitlines()
        done = (
            _("linked {name} as {id} ({pages}, {ocr_pages} OCR)")
            if linked and args.duplicates == LINK
            else _("imported {name} as {id} ({pages}, {ocr_pages} OCR)")
        )
        pages = ngettext("{n} page", "{n} pages", info.page_count).format(n=info.page_count)
        ctx.say(done.format(name=name, id=info.id, pages=pages, ocr_pages=info.ocr_pages))
        if elsewhere:
            ctx.say(
                _("  the same file is also in: {elsewhere}").format(elsewhere=", ".join(elsewhere))
            )
        for child in inside:
            ctx.say(
                _("  {origin}: {filename} as {id}").format(
                    origin=child.origin, filename=child.filename, id=child.id
                )
            )
        for note in ("not_imported", "duplicates"):
            for line in shown.metadata.get(note, "").splitlines():
                ctx.say("  " + _("{note}: {line}").format(note=_(_NOTES[note]), line=line))
    if ws.index.pending(info.case_id):
        ctx.warn(
            _(
                "{name} is imported, but the search index could not be updated; it "
                "will be brought up to date the next time the vault is used"
            ).format(name=name)
        )


_NOTES = {"not_imported": N_("not imported"), "duplicates": N_("already in the case")}


def expand_folders(names: list[str]) -> list[Path]:
    """Files as given, and each folder's files, recursively, in name order (hidden files and
    folders skipped). A symbolic link to a folder is not followed but listed, like any link,
    FIFO or device inside: the import refuses each in one sentence instead of leaving it out
    unsaid."""
    files: list[Path] = []
    for name in names:
        path = Path(name)
        if not path.is_dir() or path.is_symlink():
            files.append(path)
            continue
        for folder, subfolders, names_inside in os.walk(path):
            links = {d for d in subfolders if os.path.islink(os.path.join(folder, d))}
            subfolders[:] = sorted(
                d for d in subfolders if not d.startswith(".") and d not in links
            )
            inside = sorted([*names_inside, *links])
            files += [Path(folder, n) for n in inside if not n.startswith(".")]
    return files


def list_docs(args: argparse.Namespace, ctx: CliContext) -> int:
    docs = ctx.workspace().documents.of_case(args.case, args.kind, reveal=args.reveal)
    lines = [
        f"{d.id}  {d.kind:<9} {d.date or '----------'}  {'  ' * depth}"
        f"{'└ ' if depth else ''}{safe_text(d.title)}  ({d.page_count} p.{_origin(d)})"
        for d, depth in in_tree_order(docs)
    ]
    ctx.emit(docs, ("\n".join(lines) if lines else _("no documents")))
    return 0


def _origin(doc: DocumentInfo) -> str:
    return f", {doc.origin}" if doc.origin else ""


def in_tree_order(docs: list[DocumentInfo]) -> list[tuple[DocumentInfo, int]]:
    """Each document followed by the documents that came out of it, with their depth; a
    document whose parent is not in `docs` (filtered out) stands at the top."""
    ids = {d.id for d in docs}
    below: dict[str, list[DocumentInfo]] = {}
    for doc in docs:
        if doc.parent_id in ids:
            below.setdefault(str(doc.parent_id), []).append(doc)
    ordered: list[tuple[DocumentInfo, int]] = []

    def visit(doc: DocumentInfo, depth: int) -> None:
        ordered.append((doc, depth))
        for child in sorted(below.get(doc.id, []), key=lambda c: _rank(c.origin)):
            visit(child, depth + 1)

    for doc in docs:
        if doc.parent_id not in ids:
            visit(doc, 0)
    return ordered


def _rank(origin: str) -> int:
    last = origin.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def show_doc(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace()
    info = ws.documents.get(args.doc_id, reveal=args.reveal)
    children = ws.documents.children(args.doc_id, reveal=args.reveal)
    parent = ws.documents.get(info.parent_id, reveal=args.reveal) if info.parent_id else None
    pages = None
    if args.text:
        shown = ws.screen.pages(
            args.doc_id, reveal=args.reveal, where="doc show", keep_offsets=False
        )
        pages = [s.page for s in shown]
    if ctx.json:
        data: dict[str, Any] = {"document": info, "children": children}
        if pages is not None:
            data["pages"] = [
                {"page_index": p.index, "label": p.display_label, "text": p.text, "ocr": p.ocr}
                for p in pages
            ]
        ctx.emit(data)
        return 0
    source = info.metadata.get("date_source")
    print(
        "\n".join(
            [
                safe_text(info.title),
                "  " + _("id: {id}").format(id=info.id),
                "  " + _("kind: {kind}").format(kind=label(KINDS, info.kind)),
                "  "
                + _("date: {date}").format(date=info.date or "-")
                + (" " + _("(from {source})").format(source=source) if source else ""),
                "  "
                + _("file: {name} ({mime}, {size} bytes)").format(
                    name=safe_text(info.filename), mime=info.mime, size=info.size
                ),
                "  "
                + _("pages: {pages} ({ocr} OCR)").format(pages=info.page_count, ocr=info.ocr_pages),
                "  " + _("language: {language}").format(language=info.language or "-"),
            ]
        )
    )
    if parent is not None:
        ctx.say(
            _("  part of: {title} ({id}), {origin}").format(
                title=parent.title, id=parent.id, origin=info.origin
            )
        )
    if children:
        print(_("  contains: {n} documents").format(n=len(children)))
        for child in children:
            ctx.say(
                _("    {origin}: {title} ({id})").format(
                    origin=child.origin, title=child.title, id=child.id
                )
            )
    for note in ("not_imported", "duplicates"):
        for line in info.metadata.get(note, "").splitlines():
            ctx.say("  " + _("{note}: {line}").format(note=_(_NOTES[note]), line=line))
    if pages is not None:
        print()
        print("\n\n".join(p.text for p in pages))
    return 0


def delete_doc(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.workspace().documents.delete(args.doc_id)
    ctx.emit({"deleted": args.doc_id}, _("deleted {doc_id}").format(doc_id=args.doc_id))
    return 0

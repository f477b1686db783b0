"""`import` and `doc list | show`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from dossier.cli.context import CliContext, read_secret_file
from dossier.errors import InputRefused, PasswordRequired
from dossier.services.constants import DOCUMENT_KINDS


def register(sub: Any) -> None:
    p = sub.add_parser("import", help="import files into a case")
    p.add_argument("--case", required=True)
    p.add_argument("--kind", default="source", choices=DOCUMENT_KINDS)
    p.add_argument("--title")
    p.add_argument("--date", metavar="YYYY-MM-DD")
    p.add_argument("--no-ocr", action="store_true", help="do not OCR pages without text")
    p.add_argument("--pdf-password", metavar="P")
    p.add_argument("--pdf-password-file", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(handler=import_files)

    doc = sub.add_parser("doc", help="list or show documents")
    verbs = doc.add_subparsers(dest="verb", metavar="VERB", required=True)
    p = verbs.add_parser("list", help="documents of a case")
    p.add_argument("--case", required=True)
    p.add_argument("--kind", choices=DOCUMENT_KINDS)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_docs)
    p = verbs.add_parser("show", help="one document")
    p.add_argument("doc_id")
    p.add_argument("--text", action="store_true", help="print the extracted text")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=show_doc)
    p = verbs.add_parser("delete", help="delete one document")
    p.add_argument("doc_id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=delete_doc)


def import_files(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace()
    password = args.pdf_password
    if args.pdf_password_file:
        password = read_secret_file(args.pdf_password_file)
    if len(args.files) > 1 and (args.title or args.date):
        print("dossier: --title and --date apply to every file of the batch", file=sys.stderr)
    results: list[dict[str, Any]] = []
    worst = 0
    for name in args.files:
        path = Path(name)
        try:
            info = ws.documents.import_file(
                args.case,
                path,
                kind=args.kind,
                title=args.title,
                date=args.date,
                ocr=not args.no_ocr,
                password=password,
            )
        except (InputRefused, PasswordRequired) as exc:
            worst = exc.exit_code
            results.append({"file": name, "error": str(exc)})
            print(f"dossier: {exc}", file=sys.stderr)
            continue
        results.append({"file": name, "document": info})
        if not ctx.json:
            print(
                f"imported {path.name} as {info.id} ({info.page_count} pages, {info.ocr_pages} OCR)"
            )
    if ctx.json:
        ctx.emit(results)
    return worst


def list_docs(args: argparse.Namespace, ctx: CliContext) -> int:
    docs = ctx.workspace().documents.of_case(args.case, args.kind)
    lines = [
        f"{d.id}  {d.kind:<9} {d.date or '----------'}  {d.title}  ({d.page_count} p.)"
        for d in docs
    ]
    ctx.emit(docs, "\n".join(lines) if lines else "no documents")
    return 0


def show_doc(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace()
    info = ws.documents.get(args.doc_id)
    text = ws.documents.text(args.doc_id) if args.text else None
    if ctx.json:
        data: dict[str, Any] = {"document": info}
        if text is not None:
            data["pages"] = [
                {"page_index": p.index, "label": p.display_label, "text": p.text, "ocr": p.ocr}
                for p in ws.documents.pages(args.doc_id, with_words=False)
            ]
        ctx.emit(data)
        return 0
    print(
        f"{info.title}\n  id: {info.id}\n  kind: {info.kind}\n  date: {info.date or '-'}\n"
        f"  file: {info.filename} ({info.mime}, {info.size} bytes)\n"
        f"  pages: {info.page_count} ({info.ocr_pages} OCR)\n  language: {info.language or '-'}"
    )
    if text is not None:
        print()
        print(text)
    return 0


def delete_doc(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.workspace().documents.delete(args.doc_id)
    ctx.emit({"deleted": args.doc_id}, f"deleted {args.doc_id}")
    return 0

"""`dossier anchor PDF QUOTE` and `dossier anchor PDF --quotes-file FILE.jsonl` (no vault).

Finds where a quote comes from in a PDF and how faithful it is. With a quotes file (one JSON
object `{"id": ..., "quote": "..."}` per line) it prints one JSON line per quote, with its id.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from dossier.anchor.model import AnchorResult, Span
from dossier.cli.arguments import path_argument
from dossier.cli.commands.quotes import diff_lines
from dossier.errors import UsageError, safe_text
from dossier.i18n import _
from dossier.services.quotes.in_file import FileAnchoring
from dossier.text import outside_json

_SHOWN = 200
"""Characters of a span's text shown in the human-readable output."""


def register(sub: Any) -> None:
    p = sub.add_parser(
        "anchor",
        help=_("find where a quote comes from in a PDF (no vault needed)"),
        description=(
            _(
                "Find the source of a quote in a PDF: page, offsets, rectangles and a "
                "fidelity verdict (verbatim, normalized, trimmed, altered, not_found)."
            )
        ),
    )
    p.add_argument("pdf", metavar="PDF", type=path_argument, help=_("the source document"))
    p.add_argument("quote", nargs="?", metavar="QUOTE", help=_("the quote as published"))
    p.add_argument(
        "--quotes-file",
        metavar="FILE",
        type=path_argument,
        help=_('JSON lines, each {"id": ..., "quote": "..."}: prints one JSON line per quote'),
    )
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.add_argument("--no-ocr", action="store_true", help=_("do not OCR pages without text"))
    p.set_defaults(handler=run, needs_vault=False)


def run(args: argparse.Namespace, ctx: object) -> int:
    """Handler; `ctx` is unused: anchoring a file needs no vault."""
    if (args.quote is None) == (args.quotes_file is None):
        raise UsageError(_("give either a QUOTE or --quotes-file FILE"))
    batch = _read_quotes(Path(args.quotes_file)) if args.quotes_file is not None else []
    source = FileAnchoring(Path(args.pdf), ocr=not args.no_ocr)
    if args.quotes_file is None:
        result = source.anchor(args.quote)
        if args.json:
            print(json.dumps(result.to_json(), ensure_ascii=False))
        else:
            print(_human(result, source))
        return 0
    for quote_id, quote in batch:
        data = {"id": quote_id, **source.anchor(quote).to_json()}
        print(json.dumps(data, ensure_ascii=False), flush=True)
    return 0


def _read_quotes(path: Path) -> list[tuple[object, str]]:
    """Every (id, quote) of a JSON-lines file, checked before any work starts."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(
            _("cannot read {path}: {strerror}").format(path=path, strerror=exc.strerror)
        ) from None
    except UnicodeDecodeError:
        raise UsageError(_("{path} is not UTF-8 text").format(path=path)) from None
    quotes: list[tuple[object, str]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = outside_json.loads(line)
        except ValueError:
            raise UsageError(
                _("{path}, line {number}: not valid JSON").format(path=path, number=number)
            ) from None
        if not isinstance(item, dict) or not isinstance(item.get("quote"), str):
            raise UsageError(
                _('{path}, line {number}: expected {{"id": ..., "quote": "..."}}').format(
                    path=path, number=number
                )
            )
        quotes.append((item.get("id"), item["quote"]))
    return quotes


def _human(result: AnchorResult, source: FileAnchoring) -> str:
    lines = [f"{result.verdict} (score {result.score:.2f})"]
    lines.extend(_span_lines(result.spans, source))
    if result.closest:
        # Labelled apart: this passage is not the quote's source, only the nearest wording.
        lines.append(
            _(
                "  closest passage, for information only: its names, numbers or nouns differ, "
                "so it is another sentence, not the quote's source"
            )
        )
        lines.extend(_span_lines(result.closest, source, indent="  "))
    if result.verdict in ("altered", "trimmed") or result.closest:
        lines.extend(diff_lines(result.diff, indent="  "))
    return "\n".join(lines)


def _span_lines(spans: tuple[Span, ...], source: FileAnchoring, indent: str = "") -> list[str]:
    lines: list[str] = []
    for span in spans:
        text = " ".join(span.text.split())
        if len(text) > _SHOWN:
            text = text[: _SHOWN - 1] + "…"
        label = source.page_label(span.page_index)
        line = _("  page {label}, characters {start}-{end}: {text}").format(
            label=label, start=span.start, end=span.end, text=safe_text(text)
        )
        lines.append(indent + line)
    return lines

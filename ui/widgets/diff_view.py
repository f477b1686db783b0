"""A quote's word-level diff, inline: what the source says struck in red, what the quote adds
in green, the words they share as they are.

The core's `DiffOp`s read from the published quote towards the source: `insert` is a word the
quote has and the source lacks (shown green), `delete` a source word the quote dropped (struck
red; a "[…]" the quote used to mark the omission is shown grey before it), `replace` both.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtWidgets import QTextBrowser, QWidget

from dossier.anchor.model import DiffOp
from ui.i18n import tr
from ui.widgets.outside_text import shown
from ui.widgets.verdict_badge import badge_html

DELETED = "color:#b3261e; text-decoration:line-through; background-color:#fde7e7;"
INSERTED = "color:#1b6e2f; font-weight:bold; background-color:#e3f5e6;"
OMISSION = "color:#7b8088;"


def _span(style: str, text: str) -> str:
    return f'<span style="{style}">{html.escape(shown(text, passage=True))}</span>'


def diff_html(diff: Sequence[DiffOp]) -> str:
    """The diff as one paragraph of HTML (escaped: quotes and sources are data)."""
    parts: list[str] = []
    for op in diff:
        if op.op == "equal":
            parts.append(html.escape(shown(op.published or op.source, passage=True)))
        elif op.op == "insert":
            parts.append(_span(INSERTED, op.published))
        elif op.op == "delete":
            if op.published:
                parts.append(_span(OMISSION, op.published))
            if op.source:
                parts.append(_span(DELETED, op.source))
        else:  # replace
            if op.source:
                parts.append(_span(DELETED, op.source))
            if op.published:
                parts.append(_span(INSERTED, op.published))
    return " ".join(p for p in parts if p)


def legend_html() -> str:
    """Swatches, then plain words: a struck legend would be as hard to read as it is to say."""
    source = html.escape(tr("in the source, not in the quote"))
    quote = html.escape(tr("in the quote, not in the source"))
    return (
        f'<span style="color:#b3261e;">■</span> {source} &nbsp; '
        f'<span style="color:#1b6e2f;">■</span> {quote}'
    )


def quote_report_html(
    verdict: str, score: float, diff: Sequence[DiffOp], heading: str = "", legend: bool = True
) -> str:
    """Verdict badge, score, the inline diff and (when something differs) its legend."""
    top = badge_html("verdict", verdict)
    if verdict not in ("not_found", "unchecked"):
        top += "&nbsp; " + html.escape(tr("score {score}").format(score=f"{score:.0%}"))
    if heading:
        top = f"<b>{html.escape(shown(heading))}</b>&nbsp; " + top
    body = diff_html(diff) if diff else html.escape(tr("No passage of the sources matches."))
    text = f"<p>{top}</p>"
    if verdict == "not_found" and diff:
        # A diff on a quote that is not found compares it with a passage that is not its source.
        note = tr(
            "Closest passage, for information only: it is another sentence, not this "
            "quote's source."
        )
        text += f"<p><i>{html.escape(note)}</i></p>"
    text += f"<p style='font-size:large'>{body}</p>"
    if legend and any(op.op != "equal" for op in diff):
        text += f"<p style='font-size:small'>{legend_html()}</p>"
    return text


class DiffView(QTextBrowser):
    """A read-only pane showing one quote's verdict and diff."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setAccessibleName(tr("Differences between the quote and its source"))

    def show_diff(
        self, verdict: str, score: float, diff: Sequence[DiffOp], heading: str = ""
    ) -> None:
        self.setHtml(quote_report_html(verdict, score, diff, heading))

    def clear_diff(self) -> None:
        self.clear()

"""`index.html`: the bundle read in any browser, offline, with no script at all.

Every value is HTML-escaped; a Content-Security-Policy forbids scripts, remote loads and
frames even if some value slipped through; links only point at files inside the bundle, with a
`#page=N` fragment that browsers' built-in PDF viewers follow.
"""

from __future__ import annotations

from html import escape

from dossier.export.content import BundleContent
from dossier.i18n import _, current_language
from dossier.labels import (
    KINDS,
    LETTER_STATES,
    QUESTION_STATES,
    REDACTION_COUNTS,
    ROLES,
    VERDICTS,
    counts,
    label,
)

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'none'"

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #ddd;
padding: .3em .5em; text-align: left; vertical-align: top; }
.meta { color: #555; } blockquote { margin: .5em 0; padding-left: 1em;
border-left: 3px solid #999; } code { font-size: .95em; }
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _t(message: str, **fields: object) -> str:
    """A sentence of the page in the exporting user's language, its values escaped."""
    return _(message).format(**{name: _e(value) for name, value in fields.items()})


def _link(path: str, page: int | None = None, label: str | None = None) -> str:
    target = path if page is None else f"{path}#page={page}"
    return f'<a href="{_e(target)}">{_e(label or path)}</a>'


def _header_row(*headers: str) -> str:
    return "<table><tr>" + "".join(f"<th>{_e(h)}</th>" for h in headers) + "</tr>"


def render(content: BundleContent) -> bytes:
    # The page is written in the language of whoever exports (LANGUAGE, LANG... or the app's
    # Preferences): the recipient is usually a colleague, an editor or the paper's lawyer.
    parts: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{current_language()}"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(content.case_name)} — Dossier</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{_e(content.case_name)}</h1>",
        '<p class="meta">'
        + _t(
            "Exported {created_at} by Dossier {version}.",
            created_at=content.created_at,
            version=content.app_version,
        )
        + " "
        + _(
            "Signing key fingerprint: {fingerprint}. Check the bundle with {command} and compare "
            "the fingerprint with the one the sender gave you."
        ).format(
            fingerprint=f"<code>{_e(content.fingerprint)}</code>",
            command="<code>dossier verify</code>",
        )
        + "</p>",
    ]
    parts.append("<h2>" + _t("Documents") + "</h2>")
    if content.documents:
        parts.append(_header_row(_("Document"), _("Kind"), _("Date"), _("Pages"), _("Blacked out")))
        none = _("none")
        for doc in content.documents:
            blacked_out = counts(REDACTION_COUNTS, doc.redactions)
            parts.append(
                f"<tr><td>{_link(doc.path, label=doc.title or doc.path)}</td>"
                f"<td>{_e(label(KINDS, doc.kind))}</td><td>{_e(doc.date or '')}</td>"
                f"<td>{doc.pages}</td><td>{_e(blacked_out or none)}</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append("<p>" + _t("No documents.") + "</p>")
    parts.append("<h2>" + _t("Quotes") + "</h2>")
    if not content.quotes:
        parts.append("<p>" + _t("No quotes.") + "</p>")
    for quote in content.quotes:
        where = ", ".join(
            _link(
                a.document,
                a.page_index + 1,
                _("{document} p. {page}").format(document=a.document, page=a.page_index + 1),
            )
            + (" " + _t("(partly redacted)") if a.redacted else "")
            for a in quote.anchors
        )
        parts.append(
            f"<blockquote>{_e(quote.text)}</blockquote><p class=meta>{_e(quote.speaker)}"
            f"{', ' + _e(quote.said_on) if quote.said_on else ''}"
            f" — {_e(label(VERDICTS, quote.verdict))}"
            f"{' — ' + where if where else ''}</p>"
        )
    parts.append("<h2>" + _t("Letters") + "</h2>")
    if not content.letters:
        parts.append("<p>" + _t("No letters.") + "</p>")
    for letter in content.letters:
        parts.append(
            "<h3>"
            + _e(letter.subject or _("(no subject)"))
            + "</h3><p class=meta>"
            + _(
                "{sender} → {recipients}; sent {sent_on}; deadline {deadline}; state: {state}"
            ).format(
                sender=_e(letter.sender),
                recipients=_e(", ".join(letter.recipients)),
                sent_on=_e(letter.sent_on or "—"),
                deadline=_e(letter.deadline or "—"),
                state=f"<b>{_e(label(LETTER_STATES, letter.state))}</b>",
            )
            + "</p>"
        )
        if letter.questions:
            parts.append("<ol>")
            for question in letter.questions:
                parts.append(
                    f'<li value="{question.number}">{_e(question.text)}'
                    f" <i>({_e(label(QUESTION_STATES, question.status))})</i></li>"
                )
            parts.append("</ol>")
        for reply in letter.replies:
            parts.append("<p>" + _t("Reply: {reply}", reply=reply) + "</p>")
    parts.append("<h2>" + _t("People") + "</h2>")
    if not content.people:
        parts.append("<p>" + _t("No people.") + "</p>")
    else:
        parts.append(_header_row(_("Name"), _("Role"), _("Organisation")))
        for person in content.people:
            protected = " <i>(" + _t("protected") + ")</i>"
            name = _e(person.name) + (protected if person.protected else "")
            parts.append(
                f"<tr><td>{name}</td><td>{_e(label(ROLES, person.role))}</td>"
                f"<td>{_e(person.organisation)}</td></tr>"
            )
        parts.append("</table>")
    parts.append("<h2>" + _t("Timeline") + "</h2>")
    if not content.timeline:
        parts.append("<p>" + _t("No dated items.") + "</p>")
    else:
        parts.append(_header_row(_("Date"), _("What"), _("People")))
        for entry in content.timeline:
            detail = f"<br><span class=meta>{_e(entry.detail)}</span>" if entry.detail else ""
            parts.append(
                f"<tr><td>{_e(entry.date)}</td><td>{_e(entry.title)}{detail}</td>"
                f"<td>{_e(', '.join(entry.people))}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "\n".join(parts).encode("utf-8")

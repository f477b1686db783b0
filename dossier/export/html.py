"""`index.html`: the bundle read in any browser, offline, with no script at all.

Every value is HTML-escaped; a Content-Security-Policy forbids scripts, remote loads and
frames even if some value slipped through; links only point at files inside the bundle, with a
`#page=N` fragment that browsers' built-in PDF viewers follow.
"""

from __future__ import annotations

from html import escape

from dossier.export.content import BundleContent

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


def _words(value: str) -> str:
    """A stored value as words: `partly_answered` reads "partly answered"."""
    return value.replace("_", " ")


def _link(path: str, page: int | None = None, label: str | None = None) -> str:
    target = path if page is None else f"{path}#page={page}"
    return f'<a href="{_e(target)}">{_e(label or path)}</a>'


def render(content: BundleContent) -> bytes:
    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(content.case_name)} — Dossier</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{_e(content.case_name)}</h1>",
        f'<p class="meta">Exported {_e(content.created_at)} by Dossier {_e(content.app_version)}.'
        f" Signing key fingerprint: <code>{_e(content.fingerprint)}</code>."
        " Check the bundle with <code>dossier verify</code> and compare the fingerprint with"
        " the one the sender gave you.</p>",
    ]
    parts.append("<h2>Documents</h2>")
    if content.documents:
        parts.append(
            "<table><tr><th>Document</th><th>Kind</th><th>Date</th><th>Pages</th>"
            "<th>Redactions</th></tr>"
        )
        for doc in content.documents:
            counts = ", ".join(f"{k}: {v}" for k, v in sorted(doc.redactions.items()) if v)
            parts.append(
                f"<tr><td>{_link(doc.path, label=doc.title or doc.path)}</td><td>{_e(doc.kind)}"
                f"</td><td>{_e(doc.date or '')}</td><td>{doc.pages}</td>"
                f"<td>{_e(counts or 'none')}</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append("<p>No documents.</p>")
    parts.append("<h2>Quotes</h2>")
    if not content.quotes:
        parts.append("<p>No quotes.</p>")
    for quote in content.quotes:
        where = ", ".join(
            _link(a.document, a.page_index + 1, f"{a.document} p. {a.page_index + 1}")
            + (" (partly redacted)" if a.redacted else "")
            for a in quote.anchors
        )
        parts.append(
            f"<blockquote>{_e(quote.text)}</blockquote><p class=meta>{_e(quote.speaker)}"
            f"{', ' + _e(quote.said_on) if quote.said_on else ''} — {_e(_words(quote.verdict))}"
            f"{' — ' + where if where else ''}</p>"
        )
    parts.append("<h2>Letters</h2>")
    if not content.letters:
        parts.append("<p>No letters.</p>")
    for letter in content.letters:
        parts.append(
            f"<h3>{_e(letter.subject or '(no subject)')}</h3><p class=meta>{_e(letter.sender)}"
            f" → {_e(', '.join(letter.recipients))}; sent {_e(letter.sent_on or '—')};"
            f" deadline {_e(letter.deadline or '—')}; state: <b>{_e(_words(letter.state))}</b></p>"
        )
        if letter.questions:
            parts.append("<ol>")
            for question in letter.questions:
                parts.append(
                    f'<li value="{question.number}">{_e(question.text)}'
                    f" <i>({_e(_words(question.status))})</i></li>"
                )
            parts.append("</ol>")
        for reply in letter.replies:
            parts.append(f"<p>Reply: {_e(reply)}</p>")
    parts.append("<h2>People</h2>")
    if not content.people:
        parts.append("<p>No people.</p>")
    else:
        parts.append("<table><tr><th>Name</th><th>Role</th><th>Organisation</th></tr>")
        for person in content.people:
            name = _e(person.name) + (" <i>(protected)</i>" if person.protected else "")
            parts.append(
                f"<tr><td>{name}</td><td>{_e(person.role)}</td>"
                f"<td>{_e(person.organisation)}</td></tr>"
            )
        parts.append("</table>")
    parts.append("<h2>Timeline</h2>")
    if not content.timeline:
        parts.append("<p>No dated items.</p>")
    else:
        parts.append("<table><tr><th>Date</th><th>What</th><th>People</th></tr>")
        for entry in content.timeline:
            detail = f"<br><span class=meta>{_e(entry.detail)}</span>" if entry.detail else ""
            parts.append(
                f"<tr><td>{_e(entry.date)}</td><td>{_e(entry.title)}{detail}</td>"
                f"<td>{_e(', '.join(entry.people))}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "\n".join(parts).encode("utf-8")

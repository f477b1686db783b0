"""Import use case: a verified bundle becomes a new case of the vault.

Everything is proven first (`open_for_import`: archive, manifest, signature, hashes); a signer
this vault has never seen must be vouched for (`signers`: the fingerprint given, or confirmed
in the app); the case name is checked free; only then is anything written. The documents go
through the normal import path (extraction, encryption, index) with their titles, kinds and
dates from the manifest; the quotes come along as unchecked quotes whose speaker is the name
the bundle gave (a pseudonym for protected sources). If any step fails, the new case is
deleted again (crypto-shredded), so a refused or interrupted import leaves the vault as it was.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dossier.db.models import DOCUMENT_KINDS, Quote
from dossier.errors import InputRefused, UsageError
from dossier.export.import_bundle import open_for_import
from dossier.i18n import _
from dossier.jobs import CancelToken, Progress, check, report
from dossier.services.cases import MAX_CASE_NAME
from dossier.services.dto import DocumentInfo
from dossier.services.export.dto import BundleImport
from dossier.services.export.signers import UnknownSigner, known_signers, remember_signer

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace


def _text(value: Any, limit: int = 10_000) -> str:
    return str(value)[:limit] if isinstance(value, str) else ""


def import_bundle(
    ws: Workspace,
    path: Path,
    *,
    case_name: str | None = None,
    passphrase: str | None = None,
    pubkey: str | None = None,
    trust_new_signer: bool = False,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> BundleImport:
    report(progress, 0.0, _("checking the bundle"))
    bundle = open_for_import(Path(path), passphrase=passphrase, pubkey=pubkey)
    signer = bundle.report.fingerprint
    known = signer in known_signers(ws)
    if not known and pubkey is None and not trust_new_signer:
        raise UnknownSigner(Path(path).name, signer)
    name = " ".join((case_name or bundle.manifest.case_name or "Imported bundle").split())
    if not case_name:  # the sender's name for it, cut as its titles are; the user's is checked
        name = name[:MAX_CASE_NAME].strip()
    if not name:
        raise UsageError(_("the imported case needs a name (--case NAME)"))
    if any(c.name.casefold() == name.casefold() for c in ws.cases.all()):
        raise UsageError(
            _("a case named {name} already exists; choose another with --case").format(
                name=repr(name)
            )
        )
    check(cancel)
    described = {d.get("path"): d for d in bundle.manifest.documents}
    days = _days(Path(path).name, bundle.manifest.raw, described, bundle.documents)
    case = ws.cases.create(
        name,
        f"Imported from a bundle signed by {bundle.report.fingerprint} "
        f"on {bundle.manifest.created_at}.",
    )
    imported: list[DocumentInfo] = []
    by_path: dict[str, str] = {}
    try:
        total = max(1, len(bundle.documents))
        for number, (member, data) in enumerate(sorted(bundle.documents.items())):
            check(cancel)
            report(
                progress, 0.1 + 0.8 * number / total, _("importing {member}").format(member=member)
            )
            facts = described.get(member, {})
            kind = facts.get("kind") if facts.get("kind") in DOCUMENT_KINDS else "source"
            # From memory to the vault: the plaintext PDF never touches the disk, on any OS.
            info = ws.documents.import_bytes(
                case.id,
                data,
                member.removeprefix("documents/"),
                kind=str(kind),
                title=_text(facts.get("title"), 500) or None,
                date=days.get(member),
                cancel=cancel,
            )
            imported.append(info)
            by_path[member] = info.id
        quotes = _import_quotes(ws, case.id, bundle.manifest.raw.get("quotes", []), by_path, days)
        with ws.vault.session() as session:
            ws.audit.append(
                session,
                "bundle.import",
                case.id,
                fingerprint=bundle.report.fingerprint,
                documents=[d.id for d in imported],
                quotes=quotes,
            )
            session.commit()
    except BaseException:
        ws.cases.delete(case.id)
        raise
    if not known:
        # Vouched for: the fingerprint was given and matched (open_for_import checked it), or
        # the user confirmed it in the app after reading it. Remembered once the bundle is in:
        # a refused one leaves no trace, its signer included.
        remember_signer(ws, signer, "pubkey" if pubkey is not None else "confirmed")
    report(progress, 1.0, _("imported"))
    return BundleImport(case.id, name, bundle.report.fingerprint, imported, quotes)


def _days(
    bundle: str, raw: dict[str, Any], described: dict[Any, dict[str, Any]], members: Any
) -> dict[str, str | None]:
    """The day of each document to import (by bundle path) and of each quote (by its index,
    as text): a signed manifest may still say what Dossier never writes, and a day that is no
    day refuses the bundle before anything is written."""
    days: dict[str, str | None] = {}

    def day(value: object, what: str) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        raise InputRefused(
            _("{name} was refused: {what} is dated on no day; nothing was written.").format(
                name=bundle, what=what
            )
        )

    for member in members:
        days[member] = day(described.get(member, {}).get("date"), member)
    quotes = raw.get("quotes", [])
    for number, item in enumerate(quotes if isinstance(quotes, list) else [], start=1):
        if isinstance(item, dict):
            days[str(number)] = day(item.get("said_on"), _("quote {number}").format(number=number))
    return days


def _import_quotes(
    ws: Workspace,
    case_id: str,
    quotes: object,
    by_path: dict[str, str],
    days: dict[str, str | None],
) -> int:
    if not isinstance(quotes, list):
        return 0
    count = 0
    with ws.vault.session() as session:
        for number, item in enumerate(quotes, start=1):
            if not isinstance(item, dict) or not _text(item.get("text")):
                continue
            anchors = [a for a in item.get("anchors", []) if isinstance(a, dict)]
            source = next(
                (by_path[a["document"]] for a in anchors if a.get("document") in by_path), None
            )
            quote = Quote(case_id=case_id, source_doc_id=source)
            quote.text = _text(item.get("text"))
            quote.said_on = days.get(str(number))
            quote.verdict = "unchecked"
            speaker = _text(item.get("speaker"), 200)
            quote.notes = f"Speaker in the bundle: {speaker}" if speaker else ""
            session.add(quote)
            count += 1
        session.commit()
    return count

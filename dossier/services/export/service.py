"""Export use case: a signed bundle of redacted documents, quotes and letters, self-checked.

For each chosen document, as a PDF (`sources`: a photo rebuilt from its pixels, a Word or text
document typeset from its text): decrypt it in memory, apply the case's marks and the names of
protected people (true redaction), scrub, optionally rasterize the redacted pages, then read
the result again (self-check). The quotes, letters and index are written with pseudonyms and
masked terms, then read again too. Only when every check found nothing is the bundle signed
with the vault's Ed25519 key and written (atomically, or sealed under a passphrase). Any
finding stops the export with the list of places; nothing is written.

The audit trail records what left the vault: documents, counts of redactions per kind, the
bundle's hash and the signing key's fingerprint; never a redacted term.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from dossier import __version__
from dossier.db.engine import hold_writes
from dossier.db.models import VaultSecret
from dossier.errors import CorruptData, InputRefused, UsageError
from dossier.export import bundle as bundle_mod
from dossier.export.content import BundleContent, BundleDocument, skeleton
from dossier.export.signing import KEY_NAME, SigningKey, load_key, new_key
from dossier.export.verify import verify_zip
from dossier.i18n import _
from dossier.jobs import CancelToken, Progress, check, report
from dossier.redact.bundlecheck import check_bundle
from dossier.redact.disclosure import Covered
from dossier.redact.picture_text import Readings
from dossier.redact.produce import redacted_copy
from dossier.redact.selfcheck import SelfCheckReport
from dossier.services.dto import DocumentInfo
from dossier.services.export.bundle_import import import_bundle
from dossier.services.export.disclosure import case_disclosure
from dossier.services.export.dto import BundleImport, ExportedDocument, ExportRequest, ExportResult
from dossier.services.export.sources import export_source
from dossier.services.export.texts import (
    chosen_quotes,
    letters_content,
    people_content,
    quotes_content,
    timeline_content,
)

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace


class SelfCheckFailed(InputRefused):
    """The re-read export still shows something it must hide; nothing was written."""

    def __init__(self, report: SelfCheckReport) -> None:
        self.report = report
        in_pdfs = all(f.file.lower().endswith(".pdf") for f in report.findings)
        advice = (
            "Check the marks of these documents, or export with --rasterize-redacted."
            if in_pdfs
            else "Dossier's own texts were not masked as the marks say: this is a bug to "
            "report (this message names no hidden text)."
        )
        super().__init__(f"export stopped, nothing was written: {report.summary()}. {advice}")


class ExportService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # -- the signing key -------------------------------------------------------------------

    def signing_key(self) -> SigningKey:
        """The vault's bundle-signing key, made (and sealed in the catalog) on first use."""
        with self.ws.vault.reading() as session:
            row = session.get(VaultSecret, KEY_NAME)
            if row is not None and row.value:
                return load_key(row.value)
        with self.ws.vault.session() as session:
            # Another export may be making it: the one made first is the vault's.
            hold_writes(session)
            row = session.get(VaultSecret, KEY_NAME)
            if row is not None and row.value:
                return load_key(row.value)
            key = new_key()
            row = VaultSecret(name=KEY_NAME)
            row.value = key.stored()
            session.add(row)
            self.ws.audit.append(session, "signing-key.create", None, fingerprint=key.fingerprint)
            session.commit()
            return key

    def fingerprint(self) -> str:
        return self.signing_key().fingerprint

    # -- export --------------------------------------------------------------------------------

    def export(
        self,
        request: ExportRequest,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> ExportResult:
        ws = self.ws
        case = ws.cases.get(request.case)
        # Checked again now, not only when the case was first opened: a mark deleted from
        # catalog.sqlite while the app was open must not let its text out.
        problems = ws.vault.vault_problems() + ws.vault.case_problems(case.id)
        if problems:
            raise CorruptData(
                _(
                    "case {name} was altered outside Dossier ({problems}); nothing was "
                    "exported: run 'dossier fsck' for the full list and restore a backup"
                ).format(name=repr(case.name), problems=problems[0])
            )
        docs, skipped = self._choose_documents(case.id, request.doc_ids)
        quotes = chosen_quotes(ws, case.id, request.quote_ids)
        report(progress, 0.0, _("reading the marks"))
        disclosure = case_disclosure(ws, case.id, [d.id for d in docs])
        gate = disclosure.gate
        key = self.signing_key()
        created = datetime.now(UTC).isoformat(timespec="seconds")
        exported: list[BundleDocument] = []
        boxes_by_doc: dict[str, dict[int, list[tuple[float, float, float, float]]]] = {}
        boxes_by_path: dict[str, dict[int, list[tuple[float, float, float, float]]]] = {}
        ocr_by_path: dict[str, set[int]] = {}
        pictures_by_path: dict[str, set[int]] = {}
        readings = Readings()
        paths: dict[str, str] = {}
        total = max(1, len(docs))
        for number, info in enumerate(docs):
            check(cancel)
            report(
                progress,
                0.8 * number / total,
                _("redacting {number} of {n}").format(number=number + 1, n=len(docs)),
            )
            title = gate.text(info.title, f"the title of document {number + 1}")
            path = gate.filename(info.title, number + 1, f"the file name of document {number + 1}")
            rules = ws.redactions.rules(case.id, info.id, disclosure.written)
            source = export_source(ws, info, rules)
            copy = redacted_copy(
                source.data,
                source.pages,
                source.rules,
                name=info.filename or title,
                password=request.pdf_password,
                rasterize=request.rasterize_redacted,
                picture=source.picture,
                cancel=cancel,
                readings=readings,
            )
            boxes = {index: plan.rects for index, plan in copy.plans.items()}
            boxes_by_doc[info.id] = boxes
            boxes_by_path[path] = boxes
            ocr_by_path[path] = {page.index for page in source.pages if page.ocr}
            if source.rules.terms:  # the pictures are read for names and terms only
                pictures_by_path[path] = ocr_by_path[path] | set(copy.rasterized)
            paths[info.id] = path
            exported.append(
                BundleDocument(
                    path=path,
                    title=title,
                    kind=info.kind,
                    date=info.date,
                    pages=info.page_count,
                    redactions=copy.counts,
                    data=copy.data,
                    rasterized_pages=tuple(copy.rasterized),
                    cleaning=copy.fallback or "scrubbed",
                )
            )
        check(cancel)
        report(progress, 0.82, _("writing quotes, letters, people and timeline"))
        bundle_quotes, outcomes = quotes_content(quotes, gate, paths, boxes_by_doc)
        by_id = {q.id: q for q in bundle_quotes}
        content = BundleContent(
            case_name=gate.text(case.name, "the case name"),
            created_at=created,
            app_version=__version__,
            fingerprint=key.fingerprint,
            documents=exported,
            quotes=bundle_quotes,
            letters=letters_content(ws, case.id, gate),
            people=people_content(ws, case.id, gate),
            timeline=timeline_content(ws, case.id, gate, by_id, set(paths)),
        )
        built = bundle_mod.build(content, key)
        check(cancel)
        report(progress, 0.88, _("reading the bundle back as its recipient will"))
        template = bundle_mod.build(skeleton(content), key).data
        sources = {path: doc_id for doc_id, path in paths.items()}
        selfcheck = check_bundle(
            built.data,
            disclosure.needles(),
            boxes_by_path,
            skeleton=template,
            sources=sources,
            ocr_pages=ocr_by_path,
            pictures=pictures_by_path,
            readings=readings,
        )
        if not selfcheck.ok:
            raise SelfCheckFailed(selfcheck)
        # The bundle as a recipient will read it: every hash and the signature must hold.
        proof = verify_zip(built.data, request.out.name, key.fingerprint)
        if not proof.ok:
            raise CorruptData(
                _("the bundle failed its own verification: {proof}").format(
                    proof="; ".join(proof.lines())
                )
            )
        check(cancel)
        report(progress, 0.95, _("writing the bundle"))
        bundle_mod.write(request.out, built, request.bundle_passphrase, request.kdf)
        try:
            result = self._result(request, built, content, exported, docs, selfcheck, skipped)
            result.quote_outcomes.extend(o for o in outcomes if o.reason)
            result.covered.extend(gate.records)
            self._audit(case.id, result)
        except BaseException:
            # An export the audit trail cannot record (a full disk) is reported as failed: it
            # leaves no bundle behind, so nothing left the vault unrecorded.
            request.out.unlink(missing_ok=True)
            raise
        report(progress, 1.0, _("exported"))
        return result

    def import_bundle(
        self,
        path: Path,
        *,
        case_name: str | None = None,
        passphrase: str | None = None,
        pubkey: str | None = None,
        trust_new_signer: bool = False,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> BundleImport:
        """Bring a verified bundle into the vault as a new case (see `bundle_import`); a
        signer never seen here needs `pubkey` or `trust_new_signer` (an explicit yes)."""
        return import_bundle(
            self.ws,
            path,
            case_name=case_name,
            passphrase=passphrase,
            pubkey=pubkey,
            trust_new_signer=trust_new_signer,
            progress=progress,
            cancel=cancel,
        )

    def _choose_documents(
        self, case_id: str, wanted: Sequence[str]
    ) -> tuple[list[DocumentInfo], list[str]]:
        docs = self.ws.documents.of_case(case_id)
        if not wanted:
            return [d for d in docs if d.exportable], [d.id for d in docs if not d.exportable]
        by_id = {d.id: d for d in docs}
        chosen: list[DocumentInfo] = []
        for doc_id in dict.fromkeys(wanted):
            info = by_id.get(doc_id)
            if info is None:
                raise UsageError(_("document {doc_id} is not in this case").format(doc_id=doc_id))
            if not info.exportable:
                raise UsageError(
                    _(
                        "document {doc_id} lists the files of an archive or a mailbox; export "
                        "those files instead"
                    ).format(doc_id=doc_id)
                )
            chosen.append(info)
        return chosen, []

    def _result(
        self,
        request: ExportRequest,
        built: bundle_mod.BuiltBundle,
        content: BundleContent,
        exported: list[BundleDocument],
        docs: list[DocumentInfo],
        selfcheck: SelfCheckReport,
        skipped: list[str],
    ) -> ExportResult:
        documents = [
            ExportedDocument(
                doc_id=info.id,
                path=doc.path,
                title=doc.title,
                pages=doc.pages,
                redactions=dict(doc.redactions),
                rasterized_pages=[i + 1 for i in doc.rasterized_pages],
                cleaning=doc.cleaning,
                sha256=hashlib.sha256(doc.data).hexdigest(),
                size=len(doc.data),
            )
            for info, doc in zip(docs, exported, strict=True)
        ]
        return ExportResult(
            path=request.out,
            fingerprint=built.fingerprint,
            sealed=request.bundle_passphrase is not None,
            sha256=hashlib.sha256(request.out.read_bytes()).hexdigest(),
            size=request.out.stat().st_size,
            documents=documents,
            quotes=len(content.quotes),
            letters=len(content.letters),
            redactions=content.redaction_totals(),
            selfcheck=selfcheck,
            skipped=skipped,
        )

    def _audit(self, case_id: str, result: ExportResult) -> None:
        with self.ws.vault.session() as session:
            self.ws.audit.append(
                session,
                "export",
                case_id,
                documents=[
                    {"doc_id": d.doc_id, "redactions": d.redactions, "sha256": d.sha256}
                    for d in result.documents
                ],
                quotes=result.quotes,
                letters=result.letters,
                redactions=result.redactions,
                # What the gate changed, by kind of mark; never the text it covered.
                gated=_gated(result.covered),
                quotes_changed=sum(1 for q in result.quote_outcomes if q.text is not None),
                quotes_left_out=sum(1 for q in result.quote_outcomes if q.text is None),
                bundle_sha256=result.sha256,
                sealed=result.sealed,
                fingerprint=result.fingerprint,
            )
            session.commit()


def _gated(covered: list[Covered]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for record in covered:
        totals[record.what] = totals.get(record.what, 0) + record.count
    return totals

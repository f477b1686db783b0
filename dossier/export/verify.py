"""`dossier verify`: is this bundle exactly what its signer made? No vault needed.

Checks the signature of `manifest.json`, optionally that it was made by the key whose
fingerprint the recipient was given, then every file the manifest lists (size and SHA-256),
and reports each file changed, missing or added, and every byte of the zip outside its
files (`layout`: prepended or appended data, comments, extra fields, directory entries). The
zip is read through `zipsafe`, so a hostile archive is refused before anything in it is used.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from dossier.errors import InputRefused, NotFoundError, PasswordRequired
from dossier.export import manifest as manifest_mod
from dossier.export.layout import layout_problems, zip_time
from dossier.export.signing import check_signature, normalize_fingerprint
from dossier.export.transport import is_sealed, read_sealed_bundle
from dossier.i18n import _
from dossier.zipsafe import SafeZip

MAX_BUNDLE_BYTES = 4 * 1024**3


@dataclass
class VerifyReport:
    bundle: str
    signature_valid: bool = False
    fingerprint: str = ""
    pinned: bool | None = None
    """None: no expected fingerprint given; else whether the signer's matched it."""
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    files_checked: int = 0
    app_version: str = ""
    created_at: str = ""
    documents: int = 0
    quotes: int = 0
    sealed: bool = False

    @property
    def ok(self) -> bool:
        return (
            self.signature_valid
            and self.pinned is not False
            and not (self.changed or self.missing or self.added or self.problems)
        )

    def lines(self) -> list[str]:
        """A human report, one fact a line, the verdict last."""
        out: list[str] = []
        if self.fingerprint:
            pin = {None: "not pinned", True: "matches --pubkey", False: "DOES NOT match --pubkey"}
            out.append(f"signing key: {self.fingerprint} ({pin[self.pinned]})")
        out.append(f"signature: {'valid' if self.signature_valid else 'INVALID'}")
        out += [f"changed: {name}" for name in self.changed]
        out += [f"missing: {name}" for name in self.missing]
        out += [f"added: {name}" for name in self.added]
        out += [f"problem: {text}" for text in self.problems]
        out.append(
            f"{'OK' if self.ok else 'FAILED'}: {self.files_checked} files checked, "
            f"{self.documents} documents, {self.quotes} quotes"
        )
        return out


def load_bundle_bytes(path: Path, passphrase: str | None) -> tuple[bytes, bool]:
    """The zip bytes of a bundle file (unsealing it when it is sealed) and whether it was."""
    if not path.is_file():
        raise NotFoundError(_("no bundle at {path}").format(path=path))
    if path.stat().st_size > MAX_BUNDLE_BYTES:
        raise InputRefused(_("{name} is larger than a bundle may be").format(name=path.name))
    if is_sealed(path):
        if passphrase is None:
            raise PasswordRequired(
                _(
                    "{name} is sealed with a passphrase; give it with --bundle-passphrase-file"
                ).format(name=path.name)
            )
        return read_sealed_bundle(path, passphrase), True
    return path.read_bytes(), False


def verify_zip(data: bytes, label: str, pubkey: str | None = None) -> VerifyReport:
    """Signature, pinned signer, every listed file's size and hash, and the zip's framing."""
    report = _verify_files(data, label, pubkey)
    try:
        stamp = zip_time(report.created_at) if report.created_at else None
    except ValueError:
        stamp = None
        report.problems.append(_("the manifest's creation time is not a date"))
    # Bytes no signature covers make the bundle fail, whatever it holds.
    report.problems[:0] = layout_problems(data, stamp)
    return report


def _verify_files(data: bytes, label: str, pubkey: str | None) -> VerifyReport:
    expected = normalize_fingerprint(pubkey) if pubkey else None
    report = VerifyReport(bundle=label)
    with SafeZip(data, label=label) as archive:
        names = {m.name for m in archive.members}
        if manifest_mod.MANIFEST not in names:
            report.problems.append(_("manifest.json is missing: nothing can be checked"))
            report.added = sorted(names - {manifest_mod.SIGNATURE})
            return report
        raw = archive.read(manifest_mod.MANIFEST, manifest_mod.MAX_MANIFEST_BYTES)
        if manifest_mod.SIGNATURE in names:
            sig = check_signature(raw, archive.read(manifest_mod.SIGNATURE, 4096))
            report.signature_valid, report.fingerprint = sig.valid, sig.fingerprint
            if not sig.valid:
                report.problems.append(sig.problem + " (manifest.json or manifest.sig changed)")
        else:
            report.problems.append(_("manifest.sig is missing: the bundle is not signed"))
        if expected is not None and report.fingerprint:
            report.pinned = report.fingerprint == expected
        elif expected is not None:
            report.pinned = False
        try:
            parsed = manifest_mod.parse(raw)
        except InputRefused as exc:
            report.problems.append(str(exc))
            return report
        report.app_version, report.created_at = parsed.app_version, parsed.created_at
        report.documents = len(parsed.documents)
        report.quotes = len(parsed.raw.get("quotes", []))
        listed = {entry.path for entry in parsed.files}
        for entry in parsed.files:
            if entry.path not in names:
                report.missing.append(entry.path)
                continue
            member = archive.by_name[entry.path]
            report.files_checked += 1
            if member.size != entry.size:
                report.changed.append(entry.path)
                continue
            try:
                data_ = archive.read(entry.path)
            except InputRefused:
                report.changed.append(entry.path)  # damaged inside the zip (CRC, deflate)
                continue
            if hashlib.sha256(data_).hexdigest() != entry.sha256:
                report.changed.append(entry.path)
        for name in sorted(names - listed - {manifest_mod.MANIFEST, manifest_mod.SIGNATURE}):
            if not name.endswith("/"):
                report.added.append(name)
    return report


def verify_bundle(
    path: Path, *, pubkey: str | None = None, passphrase: str | None = None
) -> VerifyReport:
    data, sealed = load_bundle_bytes(path, passphrase)
    report = verify_zip(data, path.name, pubkey)
    report.sealed = sealed
    return report

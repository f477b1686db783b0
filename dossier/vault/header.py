"""`vault.json`: the plaintext header. No secrets, but every field is authenticated.

A SHA-256 checksum catches accidental damage before the KDF runs (so a flipped byte is reported as
damage, not as a wrong passphrase); a MAC under the master key, checked after unlocking, catches
deliberate edits of any field.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.crypto import aead
from dossier.crypto.kdf import KdfParams
from dossier.crypto.keys import subkey
from dossier.errors import CorruptData
from dossier.fsutil import atomic_write, fsync_dir
from dossier.i18n import _

FORMAT = "dossier-vault"
VERSION = 1
HEADER_NAME = "vault.json"
PENDING_NAME = "vault.json.next"
"""A passphrase change in progress: the new header, promoted once the catalog switched to it."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object, what: str) -> bytes:
    if not isinstance(value, str):
        raise CorruptData(_("vault.json: {what} is missing").format(what=what))
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        raise CorruptData(_("vault.json: {what} is not valid base64").format(what=what)) from None


def _canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def key_check(kek: bytes) -> bytes:
    return subkey(kek, "key-check")[:16]


@dataclass
class VaultHeader:
    vault_id: str
    kdf: KdfParams
    salt: bytes
    wrapped_master: bytes
    key_check: bytes
    mac: bytes = b""

    def _fields(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": self.vault_id,
            "kdf": self.kdf.to_json(),
            "salt": _b64(self.salt),
            "wrapped_master_key": _b64(self.wrapped_master),
            "key_check": _b64(self.key_check),
        }

    @property
    def key_id(self) -> str:
        """Names the master key this header wraps (the catalog records it): not secret."""
        return hashlib.sha256(b"dossier/master-id\x00" + self.wrapped_master).hexdigest()[:32]

    def master_ad(self) -> bytes:
        return b"master-key|" + self.vault_id.encode()

    def compute_mac(self, master: bytes) -> bytes:
        return hmac.new(subkey(master, "header-mac"), _canonical(self._fields()), "sha256").digest()

    def verify_mac(self, master: bytes) -> None:
        if not hmac.compare_digest(self.mac, self.compute_mac(master)):
            raise CorruptData(_("vault.json was modified (header authentication failed)"))

    def write(self, folder: Path, name: str = HEADER_NAME) -> None:
        fields = self._fields()
        fields["header_mac"] = _b64(self.mac)
        fields["checksum"] = hashlib.sha256(_canonical(fields)).hexdigest()
        atomic_write(folder / name, json.dumps(fields, indent=2).encode() + b"\n")

    def write_pending(self, folder: Path) -> None:
        self.write(folder, PENDING_NAME)

    @classmethod
    def read(cls, folder: Path, name: str = HEADER_NAME) -> VaultHeader:
        path = folder / name
        try:
            raw = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise CorruptData(
                _("{folder} is not a Dossier vault (no {HEADER_NAME})").format(
                    folder=folder, HEADER_NAME=HEADER_NAME
                )
            ) from None
        except (ValueError, UnicodeDecodeError):
            raise CorruptData(_("vault.json is damaged (not valid JSON)")) from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise CorruptData(_("vault.json is damaged or not a Dossier vault header"))
        checksum = raw.pop("checksum", None)
        if checksum != hashlib.sha256(_canonical(raw)).hexdigest():
            raise CorruptData(_("vault.json is damaged (checksum mismatch)"))
        if raw.get("version") != VERSION:
            raise CorruptData(
                _("vault.json has unsupported format version {value}").format(
                    value=raw.get("version")
                )
            )
        vault_id = raw.get("vault_id")
        if not isinstance(vault_id, str) or not vault_id:
            raise CorruptData(_("vault.json: vault id is missing"))
        return cls(
            vault_id=vault_id,
            kdf=KdfParams.from_json(raw.get("kdf")),
            salt=_unb64(raw.get("salt"), "salt"),
            wrapped_master=_unb64(raw.get("wrapped_master_key"), "wrapped master key"),
            key_check=_unb64(raw.get("key_check"), "key check"),
            mac=_unb64(raw.get("header_mac"), "header MAC"),
        )


def new_header(kdf: KdfParams, salt: bytes, kek: bytes, master: bytes) -> VaultHeader:
    header = VaultHeader(
        vault_id=os.urandom(16).hex(),
        kdf=kdf,
        salt=salt,
        wrapped_master=b"",
        key_check=key_check(kek),
    )
    header.wrapped_master = aead.seal(kek, master, header.master_ad())
    header.mac = header.compute_mac(master)
    return header


def promote_pending(folder: Path) -> None:
    """The catalog switched to the pending header: make it the header (atomic rename)."""
    os.replace(folder / PENDING_NAME, folder / HEADER_NAME)
    fsync_dir(folder)


def settle_pending(folder: Path, catalog_key_id: str | None) -> None:
    """Finish or undo a passphrase change a crash interrupted, before anything is unlocked.

    The catalog commit is the switch: if the catalog names the pending header's master key,
    the change happened and the pending header becomes the header; otherwise it never did.
    Either way exactly one passphrase opens the vault afterwards.
    """
    if not (folder / PENDING_NAME).exists():
        return
    try:
        pending = VaultHeader.read(folder, PENDING_NAME)
    except CorruptData:
        if catalog_key_id is not None and _current_key_id(folder) == catalog_key_id:
            (folder / PENDING_NAME).unlink(missing_ok=True)  # damaged, and never used
            return
        # The catalog may name the key only this file wraps: deleted, no passphrase would
        # open the vault again. Kept, for a backup or a repair.
        raise CorruptData(
            _(
                "{name}, the new header of a passphrase change, is damaged and the catalog "
                "may already use its key; it was kept: restore the vault folder from a backup"
            ).format(name=PENDING_NAME)
        ) from None
    if catalog_key_id is not None and pending.key_id == catalog_key_id:
        promote_pending(folder)
    else:
        (folder / PENDING_NAME).unlink(missing_ok=True)


def _current_key_id(folder: Path) -> str | None:
    try:
        return VaultHeader.read(folder).key_id
    except CorruptData:
        return None

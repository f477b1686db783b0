"""The bundle signers this vault knows: its own key, and every key the user vouched for.

A bundle's signature proves only that its files are those its signer made; who the signer is
comes from comparing the key's fingerprint with one given by another channel. So a bundle
from a key never seen in this vault is not imported until the user says whose it is: by
giving the fingerprint they were told (`--pubkey`), or by an explicit confirmation in the app.
Keys so accepted are remembered, sealed in the catalog like every other secret (their list
says whom the journalist exchanges with), and later bundles from them import directly.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from dossier.db.engine import hold_writes
from dossier.db.models import VaultSecret
from dossier.errors import CorruptData, InputRefused
from dossier.export.signing import KEY_NAME, load_key
from dossier.i18n import _

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

KNOWN_SIGNERS = "known-bundle-signers"


class UnknownSigner(InputRefused):
    """A verified bundle signed by a key this vault has never seen; nothing was written."""

    def __init__(self, bundle: str, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        super().__init__(
            f"{bundle} is signed by a key this vault has never seen: {fingerprint}. Check "
            "this fingerprint with the sender by another channel (phone, in person), then "
            f"import again with --pubkey '{fingerprint}'; nothing was written."
        )


def known_signers(ws: Workspace) -> dict[str, str]:
    """Fingerprint -> when it was first accepted ("own" for this vault's key)."""
    with ws.vault.reading() as session:
        row = session.get(VaultSecret, KNOWN_SIGNERS)
        own = session.get(VaultSecret, KEY_NAME)
        known: dict[str, str] = {}
        if row is not None and row.value:
            try:
                stored = json.loads(row.value)
            except ValueError:
                raise CorruptData(
                    _("the vault's list of known bundle signers is damaged")
                ) from None
            if not isinstance(stored, dict):
                raise CorruptData(_("the vault's list of known bundle signers is damaged"))
            known.update({str(k): str(v) for k, v in stored.items()})
        if own is not None and own.value:
            known[load_key(own.value).fingerprint] = "own"
    return known


def remember_signer(ws: Workspace, fingerprint: str, how: str) -> None:
    """Add `fingerprint` to the known signers (audited: how it was vouched for)."""
    with ws.vault.session() as session:
        hold_writes(session)  # the list read is the list written back, with this one
        row = session.get(VaultSecret, KNOWN_SIGNERS)
        if row is None:
            row = VaultSecret(name=KNOWN_SIGNERS)
            session.add(row)
        known = json.loads(row.value) if row.value else {}
        if fingerprint in known:
            return
        known[fingerprint] = datetime.now(UTC).isoformat(timespec="seconds")
        row.value = json.dumps(known, sort_keys=True)
        ws.audit.append(session, "signer.accept", None, fingerprint=fingerprint, how=how)
        session.commit()

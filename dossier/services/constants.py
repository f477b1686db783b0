"""Constants a front end needs from the lower layers, re-exported so it never imports them.

The UI may import only `dossier.services` (an import-linter contract keeps it away from
`dossier.crypto` and `dossier.db`); the few values it needs from there are named here.
"""

from __future__ import annotations

from dossier.crypto.kdf import DEFAULT as KDF_DEFAULT
from dossier.crypto.kdf import TEST_ONLY_FAST as KDF_TEST_ONLY_FAST
from dossier.crypto.kdf import KdfParams, weak_vault_expected
from dossier.db.models import DOCUMENT_KINDS
from dossier.redact.patterns import PATTERN_KINDS as REDACTION_PATTERNS
from dossier.search.model import ITEM_TYPES as SEARCH_ITEM_TYPES
from dossier.services.cases import STATUSES as CASE_STATUSES
from dossier.vault.passphrase import MIN_PASSPHRASE_LENGTH, passphrase_problem, strength_score

__all__ = [
    "CASE_STATUSES",
    "DOCUMENT_KINDS",
    "KDF_DEFAULT",
    "KDF_TEST_ONLY_FAST",
    "MIN_PASSPHRASE_LENGTH",
    "REDACTION_PATTERNS",
    "SEARCH_ITEM_TYPES",
    "KdfParams",
    "passphrase_problem",
    "strength_score",
    "weak_vault_expected",
]

DATE_FROM_PARENT = "the date of the message or file it came in"
"""`date_source` of a document that states no date and took its container's (an attachment
dated by its message): the timeline shows it within its parent's entry."""

"""The self-check does not take the digests, ids and keys Dossier writes for a marked number.

Read with letters cut from digits (to find "Quartermaine2024"), a SHA-256 digest in the manifest
held a marked number by chance: a box over "0412" (a reference on the sample's scanned memo)
refused the export as a leak in Dossier's own texts whenever a digest held "c0412b" (one export
in 30 with a box over a three-digit number; found by a full run of the suite)."""

from __future__ import annotations

import base64
import json

from dossier.redact.bundlecheck import Watchlist
from dossier.redact.selfcheck import Finding
from tests.core.export.checked import findings_in


def _findings(manifest: dict[str, object]) -> list[Finding]:
    files = {"manifest.json": json.dumps(manifest), "index.html": f"<p>{json.dumps(manifest)}</p>"}
    return findings_in(files, WATCH)


WATCH = Watchlist(terms=[("a marked term", "0412"), ("a marked word", "cafe")])


def test_a_marked_number_inside_a_digest_or_an_id_is_no_finding() -> None:
    digest = "d46dacc2cb2c51c0412bc" + "7" * 43
    manifest = {
        "files": [{"path": "documents/memo.pdf", "sha256": digest, "id": "cafe0412bd" + "e" * 14}],
        "fingerprint": "ab0412cd" * 4,
        "signature": base64.b64encode(b"\xd3\x8d6" + bytes(61)).decode(),
        "public_key": base64.b64encode(bytes(32)).decode(),
    }
    assert len(digest) == 64
    assert _findings(manifest) == []


def test_the_same_number_written_as_text_is_still_found() -> None:
    for shown in ("Réf. : SP31-ANV-0412", "ref0412", "c0412b" + "7" * 57, "cafe 0412"):
        manifest = {"files": [], "title": shown}
        assert _findings(manifest), shown

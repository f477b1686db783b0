"""`dossier import` prints what it brought in as every listing shows it: masked.

The attack: an e-mail addressed to the protected source, with her surname in its subject and
in an attachment's name, imported with `--json`, printed her name in the title, the To header,
the subject, the attachment list and the child's title and file name; importing it again
printed the first copy's title in the "already in this case" notice.
"""

from __future__ import annotations

from pathlib import Path

from dossier.text.fold import contains_term
from tests.clivault import CliVault

PARTS = ("Wilhelmina", "Quartermaine")
MAIL = """\
From: Paul Durand <paul@example.org>
To: Wilhelmina Quartermaine <w.quartermaine@example.org>
Subject: Rendez-vous avec Quartermaine
Date: Mon, 4 Mar 2024 10:00:00 +0100
Content-Type: multipart/mixed; boundary="XX"

--XX
Content-Type: text/plain; charset=utf-8

Bonjour Wilhelmina.
--XX
Content-Type: text/plain; name="Quartermaine-cv.txt"
Content-Disposition: attachment; filename="Quartermaine-cv.txt"

CV de W. Quartermaine
--XX--
"""


def _leaks(text: str) -> list[str]:
    return [p for p in PARTS if contains_term(text, p)]


def test_import_output_and_notices_mask_the_protected_source(tmp_path: Path) -> None:
    vault = CliVault(tmp_path, "v.dossier")
    vault.ok("init")
    vault.ok("case", "create", "Affaire")
    vault.ok(
        "person", "add", "--case", "Affaire", "Wilhelmina Quartermaine", "--protection", "protected"
    )
    mail = tmp_path / "rdv.eml"
    mail.write_text(MAIL, encoding="utf-8")
    imported = vault.json("import", "--case", "Affaire", str(mail))
    assert imported[0]["inside"], imported
    assert not _leaks(repr(imported)), imported
    again = tmp_path / "encore.eml"
    again.write_text(MAIL, encoding="utf-8")
    for args in (("--json",), ()):
        result = vault.run("import", "--case", "Affaire", str(again), *args)
        assert "already in this case" in result.stderr
        assert not _leaks(result.stdout + result.stderr), result
    linked = vault.json("import", "--case", "Affaire", str(again), "--duplicates", "link")
    assert not _leaks(repr(linked)), linked

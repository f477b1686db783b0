"""A name or an address written percent-encoded, as links carry them, is hidden like its plain
form.

A newsletter or a notification sent to the source ends with links that carry their address,
"https://lettre.example/desinscription?email=hq%40exemple.org"; a search link carries a name,
"?q=Hyacinthe%20Quarterma%C3%AFne". A recipient's browser, or their eye, decodes them. The
export must hide them in the PDF and in every text it writes, and the self-check must read
them decoded too.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from dossier.redact.bundlecheck import Needles, Watchlist, needles
from dossier.services.export.service import ExportRequest
from dossier.services.workspace import Workspace
from tests.core.export.checked import findings_in
from tests.recipient import leaks, read_bundle

SOURCE = "Hyacinthe Quartermaïne"
ADDRESS = "hq@exemple.org"
LINKS = [
    "https://lettre.example/desinscription?email=hq%40exemple.org&liste=7",
    "https://recherche.example/?q=Hyacinthe%20Quarterma%C3%AFne",
    "https://agenda.example/invite?de=Quarterma%c3%afne%2C%20Hyacinthe",
]


def _newsletter() -> bytes:
    message = EmailMessage()
    message["From"] = "Lettre du port <lettre@port.example>"
    message["To"] = f"{SOURCE} <{ADDRESS}>"
    message["Subject"] = "La lettre du port, mars"
    message["Date"] = "Tue, 5 Mar 2024 10:00:00 +0100"
    links = [*LINKS, "https://lettre.example/transferer?a=lea.v%40autre.example"]
    message.set_content("Les travaux du quai avancent.\n\n" + "\n".join(links) + "\n")
    return message.as_bytes()


def _source_watch() -> Watchlist:
    return Watchlist(
        people=[("a protected person's name", [SOURCE])],
        contacts=[("a protected person's contact", ADDRESS)],
    )


def _source_needles() -> Needles:
    return needles(_source_watch(), lambda doc: [])


def test_a_percent_encoded_name_or_address_is_hidden(workspace: Workspace, tmp_path: Path) -> None:
    case = workspace.cases.create("Lettre").id
    workspace.documents.import_bytes(case, _newsletter(), "lettre.eml")
    workspace.people.add(case, SOURCE, protection="protected")
    workspace.redactions.add_pattern("email", case=case)
    workspace.quotes.add(case, f"Voir {LINKS[0]} et {LINKS[1]}")
    out = tmp_path / "bundle.zip"
    workspace.exports.export(ExportRequest(case=case, out=out))
    secrets = ["Quartermaïne", "Hyacinthe", ADDRESS, "lea.v@autre.example"]
    assert leaks(out, secrets) == []  # the recipient reads the links decoded
    assert "travaux du quai" in " ".join(read_bundle(out).values())


def test_the_self_check_reads_percent_encoded_text_on_its_own() -> None:
    found = _source_needles()
    assert found.search(LINKS[0]) == ["a protected person's contact"]
    assert found.search(LINKS[1]) == ["a protected person's name"]
    assert found.search(LINKS[2]) == ["a protected person's name"]
    marked = needles(Watchlist(patterns=[("a redacted e-mail", "email")]), lambda doc: [])
    assert marked.search("https://x.example/?to=lea.v%40autre.example") == ["a redacted e-mail"]
    bundle = {"quotes.csv": "text\n" + "\n".join(LINKS) + "\n"}
    assert {f.file for f in findings_in(bundle, _source_watch())} == {"quotes.csv"}


HIDDEN_FROM_ROBOTS = [
    "hq [at] exemple [dot] org",
    "hq(at)exemple.org",
    "hq at exemple dot org",
    "hq arobase exemple point org",
]


CHARACTER_REFERENCES = [
    "hq&#64;exemple.org",
    "hq&#x40;exemple&#x2E;org",
    "hq&commat;exemple&period;org",
    "&#104;&#x71;&#64;&#101;xemple.org",
    "Hyacinthe Quarterma&iuml;ne",
    "Hyacinthe Quarterm&#97;&#xEF;ne",
]


@pytest.mark.parametrize("written_forms", [HIDDEN_FROM_ROBOTS, CHARACTER_REFERENCES])
def test_an_address_written_to_fool_robots_or_with_character_references_is_hidden(
    workspace: Workspace, tmp_path: Path, written_forms: list[str]
) -> None:
    # A web page or a signature writes the address so that robots miss it; a page's source or an
    # HTML mail copied as it is writes HTML character references: a reader reads past both.
    case = workspace.cases.create("Contacts").id
    workspace.documents.import_bytes(case, _newsletter(), "lettre.eml")
    workspace.people.add(case, SOURCE, protection="protected", notes=f"Écrire à {ADDRESS}")
    for written in written_forms:
        workspace.quotes.add(case, f"Écrivez-moi : {written}, jamais au bureau.")
    out = tmp_path / "bundle.zip"
    workspace.exports.export(ExportRequest(case=case, out=out))
    assert leaks(out, ["Quartermaïne", ADDRESS, *written_forms]) == []
    assert "jamais au bureau" in " ".join(read_bundle(out).values())


def test_the_self_check_reads_html_character_references_on_its_own() -> None:
    found = _source_needles()
    for written in CHARACTER_REFERENCES[:4]:
        assert found.search(written) == ["a protected person's contact"], written
    for written in CHARACTER_REFERENCES[4:]:
        assert found.search(written) == ["a protected person's name"], written
    marked = needles(Watchlist(patterns=[("a redacted e-mail", "email")]), lambda doc: [])
    assert marked.search("écrire à lea.v&#64;autre.example") == ["a redacted e-mail"]

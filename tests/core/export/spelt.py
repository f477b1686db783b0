"""A protected name spelt so that its characters are not its letters (look-alike scripts,
right-to-left overrides): the case that shows it, and the self-check run on a bundle of files."""

from __future__ import annotations

from pathlib import Path

from dossier.redact.bundlecheck import Watchlist
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.core.export.checked import findings_in
from tests.recipient import leaks, read_bundle

NAME = "Hyacinthe Quartermaine"
ORDINARY = "Une ligne ordinaire reste lisible."


def exported_note(workspace: Workspace, tmp_path: Path, line: str, quote: str) -> Path:
    """A note whose first line is `line` and a quote `quote` from it, in a case where NAME is
    protected, exported: the bundle (whose self-check passed), the name found nowhere in it and
    the note's ordinary line still readable."""
    case = workspace.cases.create("Orthographe").id
    doc = workspace.documents.import_bytes(case, f"{line}\n{ORDINARY}\n".encode(), "note.txt")
    workspace.people.add(case, NAME, protection="protected")
    workspace.quotes.add(case, quote, source=doc.id)
    out = tmp_path / "bundle.zip"
    assert workspace.exports.export(ExportRequest(case=case, out=out)).selfcheck.ok
    assert leaks(out, [NAME, "Quartermaine", "Hyacinthe"]) == []
    assert "une ligne ordinaire reste lisible" in " ".join(read_bundle(out).values())
    return out


def findings_in_quotes(quote: str) -> set[str]:
    """What the self-check finds in a bundle whose quotes file holds `quote`, NAME protected."""
    watch = Watchlist(people=[("a protected person's name", [NAME])])
    return {f.what for f in findings_in({"quotes.csv": f"text\n{quote}\n"}, watch)}

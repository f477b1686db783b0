"""A snippet never shows part of a word: its window is cut between words, or a name cut at
its edge would escape the screen mask, which finds names in the snippet, not the page.

Found by attack: a search for 'menti' showed '… et M. Lambe…' for a protected Lambertini,
the last word of the page, cut by the window (no space after it to end on); a long run
such as 'giovanni.lambertini@example.org' was cut anywhere too.
"""

from __future__ import annotations

import re

from dossier.search.query import parse_query
from dossier.search.schema import build_schema
from dossier.search.snippets import ELLIPSIS, SNIPPET_CHARS, build_snippet
from dossier.services.workspace import Workspace

NAME = "Zorglubinski"
TAILS = (
    f"M. {NAME}.",
    f"giovanni.{NAME.lower()}@example.org",
    f"{NAME}\nsuite du texte",
    f"{NAME}-Casa cite la note",
)


def _texts() -> list[str]:
    texts = []
    for tail in TAILS:
        for fill in range(SNIPPET_CHARS - 30, SNIPPET_CHARS + 40):
            filler = ("mot " * 100)[: fill - len("menti ")]
            texts.append(f"menti {filler}{tail}")
    return texts


def test_a_snippet_is_cut_between_words() -> None:
    spec = parse_query("menti", build_schema()).highlight
    for text in _texts():
        body = build_snippet(text, spec).text.removeprefix(ELLIPSIS).removesuffix(ELLIPSIS)
        runs = {run for run in re.split(r"\s+", text) if run}
        cut = [run for run in re.split(r"\s+", body) if run and run not in runs]
        assert cut == [], (text, body)


def test_a_protected_name_at_a_snippets_edge_is_not_shown_in_part(workspace: Workspace) -> None:
    case = workspace.cases.create("Affaire").id
    for number, text in enumerate(_texts()[::3]):
        workspace.documents.import_bytes(case, text.encode(), f"note{number}.txt")
    workspace.people.add(case, f"Giovanni {NAME}", protection="protected", pseudonym="Source B")
    hits = workspace.search.query("menti", case=case, limit=200)
    assert len(hits) == len(_texts()[::3])
    pieces = {NAME.lower()[k : k + 4] for k in range(len(NAME) - 3)}
    shown = [h.snippet for h in hits if any(p in h.snippet.lower() for p in pieces)]
    assert shown == []

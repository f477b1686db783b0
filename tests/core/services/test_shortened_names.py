"""A text shortened for a title is cut between words: the screen mask finds names in what is
shown, so a name cut in two at the limit ('… Zorglub…') would show in part beside it.

Found by attack: a quote's title in the timeline and in search results (its first 80
characters) showed the first letters of a protected name that straddled the limit.
"""

from __future__ import annotations

from dossier.services.workspace import Workspace
from dossier.text.shorten import shorten

NAME = "Zorglubinski"


def _quotes() -> list[str]:
    texts = []
    for fill in range(66, 82):
        filler = ("le maire a dit " * 10)[:fill].rstrip()
        texts.append(f"{filler} {NAME} marmotte témoigne encore longuement")
    return texts


def _pieces() -> set[str]:
    return {NAME.lower()[k : k + 4] for k in range(len(NAME) - 3)}


def test_shorten_cuts_between_words() -> None:
    for text in _quotes():
        short = shorten(text, 80)
        assert len(short) <= 80
        assert short.endswith("…")
        assert text.startswith(short.removesuffix("…"))
        assert text[len(short) - 1] == " ", short
    assert shorten("court", 80) == "court"
    assert shorten("x" * 100, 80) == "…"  # one word longer than the limit: none of it


def test_a_quotes_title_shows_no_part_of_a_protected_name(workspace: Workspace) -> None:
    case = workspace.cases.create("Affaire").id
    workspace.people.add(case, f"Jean {NAME}", protection="protected", pseudonym="Source B")
    for text in _quotes():
        workspace.quotes.add(case, text, said_on="2023-05-03")
    titles = [item.title for item in workspace.timeline.items(case)]
    titles += [hit.title for hit in workspace.search.query("marmotte", case=case, limit=100)]
    assert len(titles) >= 2 * len(_quotes())
    shown = [t for t in titles if any(p in t.lower() for p in _pieces())]
    assert shown == []


def test_a_notes_excerpt_shows_no_part_of_a_protected_name(workspace: Workspace) -> None:
    """A note's excerpt is its passage: a passage begun inside the name, or longer than an
    excerpt holds with the name at the cut, shows none of it."""
    case = workspace.cases.create("Affaire").id
    text = f"Selon {NAME} le marché " + "est signé " * 38 + f"par {NAME} hier."
    doc = workspace.documents.import_bytes(case, text.encode(), "note.txt")
    workspace.people.add(case, f"Jean {NAME}", protection="protected", pseudonym="Source B")
    (page,) = workspace.documents.pages(doc.id)
    first = page.text.index(NAME)
    workspace.notes.add_on_span(doc.id, 0, first + 3, first + 40, "début dans le nom")
    last = page.text.rindex(NAME)
    for cut in range(last - 400 + 2, last - 400 + len(NAME), 3):
        workspace.notes.add_on_span(doc.id, 0, max(0, cut), len(page.text), "coupé")
    excerpts = [note.excerpt for note in workspace.notes.of_document(doc.id)]
    assert len(excerpts) >= 4
    shown = [e for e in excerpts if any(p in e.lower() for p in _pieces())]
    assert shown == []

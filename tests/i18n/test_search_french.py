"""Search results name letters, questions, replies and quotes in the user's language: the index
keeps one English form, translated where a hit is shown."""

from __future__ import annotations

from dossier import i18n
from dossier.services.workspace import Workspace
from tests.i18n.typography import faults


def test_letter_reply_and_quote_hits_in_french(workspace: Workspace) -> None:
    case = workspace.cases.create("Affaire du port")
    workspace.people.add(case.id, "Claire Dumas", role="official")
    workspace.people.add(case.id, "Marc Lenoir", role="elected")
    letter = workspace.letters.add(
        case.id, sender="Claire Dumas", recipients=["Marc Lenoir"],
        questions=["Qui a signé le marché portuaire ?"], sent_on="2024-03-01",
    )  # fmt: skip
    workspace.letters.add_reply(
        case.id, sender="Marc Lenoir", letter=letter.id, answers=["1"], received_on="2024-03-05",
        summary="Le marché portuaire est signé.",
    )  # fmt: skip
    workspace.quotes.add(case.id, "Le marché portuaire est une affaire réglée.")
    english = {h.item_type: h.title for h in workspace.search.query("portuaire", case=case.id)}
    assert english["question"] == "Letter from Claire Dumas, question 1"
    i18n.set_language("fr")
    hits = workspace.search.query("portuaire", case=case.id)
    titles = {h.item_type: h.title for h in hits}
    assert titles["question"] == "Courrier de Claire Dumas, question 1"
    assert titles["reply"] == "Réponse de Marc Lenoir"
    assert titles["quote"].startswith("Non attribuée\u00a0: «\u00a0Le marché portuaire")
    assert all(faults(t) == [] for t in titles.values())

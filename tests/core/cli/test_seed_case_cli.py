"""The model case of shared/seed, entered end to end through the `dossier` console script.

Facts from the seed: four deputies (Hadrien Clouet, Christophe Bex, Anne Stambach, François
Piquemal) write on 20 November 2023 to the departmental director of public security of
Haute-Garonne with four questions about the Video Synopsis software; commissaire Patrick
Léonard denies its use in La Dépêche du Midi; France 3 Occitanie interviews Hadrien Clouet.
Dates the seed does not give (the denial, the interview, the newsroom's own right-of-reply
letter, the publication) and the protected source are test data, the questions are
paraphrased, and the interview transcript imported is an excerpt of the seed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dossier.services.workspace import Workspace
from tests.clivault import CliVault
from tests.conftest import PASSPHRASE

CASE = "Video Synopsis"
TRANSCRIPT = """\
« Nous n'avons jamais utilisé le logiciel Synopsis. Il n'est installé sur aucun ordinateur de \
notre service » a répondu le commissaire Patrick Léonard dans un article de La Dépêche du Midi.

France 3 Occitanie : Quelles sont vos inquiétudes concernant l’utilisation d’un logiciel de \
reconnaissance faciale
Hadrien Clouet : " Mes inquiétudes sont nombreuses. [...] L’utilisation de ce logiciel veut dire \
que n’importe qui peut être suivi à partir des traits de son visage, en dehors de tout cadre \
légal. C’est intrinsèquement dangereux."
"""
QUESTIONS = [
    "Depuis quelle date le logiciel Video Synopsis est-il employé ?",
    "Quels services s'en servent ?",
    "Dans quel but est-il utilisé ?",
    "Qui, dans la hiérarchie, en a été informé ?",
]


class Vault(CliVault):
    def __init__(self, tmp_path: Path) -> None:
        super().__init__(tmp_path, "Synopsis.dossier")

    def states(self, as_of: str) -> dict[str, str]:
        letters = self.json("letter", "list", "--case", CASE, "--as-of", as_of)
        return {letter["subject"]: letter["state"] for letter in letters}

    def workspace(self) -> Workspace:
        return Workspace.open(self.path, PASSPHRASE)


def _add_quote(v: Vault, speaker: str, text: str, said_on: str, *extra: str) -> dict[str, Any]:
    quote: dict[str, Any] = v.json(
        "quote", "add", "--case", CASE, "--speaker", speaker, "--date", said_on, *extra, text
    )
    return quote


def _people(v: Vault) -> None:
    v.ok("init")
    v.ok("case", "create", CASE)
    for name, alias in (
        ("Hadrien Clouet", "@HadrienClouet"),
        ("Christophe Bex", "@ChristopheBex"),
        ("Anne Stambach", "@Anne_Stambach"),
        ("François Piquemal", "@FraPiquemal"),
    ):
        v.ok("person", "add", "--case", CASE, name, "--role", "elected", "--alias", alias)
    v.ok("person", "add", "--case", CASE,
         "Directeur départemental de la sécurité publique de la Haute-Garonne",
         "--role", "official", "--alias", "DDSP 31")  # fmt: skip
    v.ok("person", "add", "--case", CASE, "Patrick Léonard", "--role", "official",
         "--alias", "commissaire Léonard",
         "--organisation", "Direction territoriale de police judiciaire de Toulouse")  # fmt: skip
    v.ok("person", "add", "--case", CASE, "France 3 Occitanie", "--role", "journalist")
    v.ok("person", "add", "--case", CASE, "Sylvie Marchal", "--role", "source",
         "--protection", "protected")  # fmt: skip


def test_seed_case_end_to_end(tmp_path: Path) -> None:
    v = Vault(tmp_path)
    _people(v)

    people = v.json("person", "list", "--case", CASE)
    assert len(people) == 8
    assert "Sylvie Marchal" not in json.dumps(people)
    assert any(p["name"] == "Source A" and p["masked"] for p in people)

    # The deputies' letter: four co-signed questions, ten working days to answer.
    v.refused("letter", "add", "--case", CASE, "--from", "Hadrien Clouet", "--to", "DDSP 31",
              "--sent", "2023-11-20", "--deadline", "2023-11-10", "--question", "x")  # fmt: skip
    v.refused("letter", "add", "--case", CASE, "--from", "Hadrien Clouet", "--to", "Préfet",
              "--sent", "2023-11-20")  # fmt: skip
    v.refused("letter", "add", "--case", CASE, "--from", "Hadrien Clouet", "--to", "DDSP 31",
              "--sent", "20/11/2023")  # fmt: skip
    assert v.json("letter", "list", "--case", CASE) == []
    question_args = [arg for q in QUESTIONS for arg in ("--question", q)]
    letter = v.json(
        "letter", "add", "--case", CASE, "--subject", "Video Synopsis en Haute-Garonne",
        "--from", "hadrien clouet", "--from", "Christophe Bex", "--from", "anne stambach",
        "--from", "FRANCOIS PIQUEMAL", "--to", "directeur", "--sent", "2023-11-20",
        "--deadline-days", "10", "--working-days", *question_args,
    )  # fmt: skip
    assert letter["sender"] == "Hadrien Clouet"
    assert letter["cosigners"] == ["Christophe Bex", "Anne Stambach", "François Piquemal"]
    assert letter["recipients"] == [
        "Directeur départemental de la sécurité publique de la Haute-Garonne"
    ]
    assert letter["deadline"] == "2023-12-04"
    assert [q["number"] for q in letter["questions"]] == [1, 2, 3, 4]
    letter_id = letter["id"]
    subject = "Video Synopsis en Haute-Garonne"

    assert v.states("2023-11-19") == {subject: "draft"}
    assert v.states("2023-11-21") == {subject: "awaiting"}
    assert v.states("2023-12-04") == {subject: "awaiting"}
    assert v.states("2023-12-05") == {subject: "overdue"}
    overdue = v.json(
        "letter", "list", "--case", CASE, "--state", "overdue", "--as-of", "2023-12-05"
    )
    assert [x["id"] for x in overdue] == [letter_id]
    summary = v.json("letter", "summary", "--case", CASE, "--as-of", "2023-12-05")
    assert (summary["unanswered"], summary["overdue"]) == (4, 1)

    # The denial in La Dépêche du Midi: a reply without a letter, tied to two questions.
    v.refused("reply", "add", "--case", CASE, "--from", "commissaire Léonard",
              "--received", "2023-11-22", "--answers", "1:partly")  # fmt: skip
    v.refused("reply", "add", "--case", CASE, "--from", "commissaire Léonard",
              "--received", "2023-11-22", "--answers", f"{letter_id[:8]}:7")  # fmt: skip
    denial = v.json(
        "reply", "add", "--case", CASE, "--from", "commissaire leonard",
        "--received", "2023-11-22", "--via", "La Dépêche du Midi",
        "--answers", f"{letter_id[:8]}:1:partly", "--answers", f"{letter_id[:8]}:2:partly",
        "--summary", "Says the judicial police never ran the software on any of its computers.",
    )  # fmt: skip
    assert denial["letter_id"] is None and denial["sender"] == "Patrick Léonard"
    assert [(a["number"], a["status"]) for a in denial["answers"]] == [(1, "partly"), (2, "partly")]

    assert v.states("2023-11-21") == {subject: "awaiting"}
    assert v.states("2023-11-22") == {subject: "partly_answered"}
    assert v.states("2023-12-05") == {subject: "partly_answered"}
    listed = v.json("letter", "list", "--case", CASE, "--as-of", "2023-12-05")[0]
    statuses = [q["status"] for q in listed["questions"]]
    assert statuses == ["partly", "partly", "unanswered", "unanswered"]
    assert [r["via"] for r in listed["replies"]] == ["La Dépêche du Midi"]

    # The interview, and quotes from it and from the denial.
    v.ok("timeline", "add", "--case", CASE, "--date", "2023-11-22", "--kind", "interview",
         "--title", "France 3 Occitanie interviews Hadrien Clouet",
         "--person", "Hadrien Clouet", "--person", "France 3 Occitanie")  # fmt: skip
    transcript = tmp_path / "transcript.txt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    [imported] = v.json("import", "--case", CASE, "--kind", "interview", str(transcript))
    doc_id = imported["document"]["id"]
    denied = _add_quote(
        v,
        "Patrick Léonard",
        "jamais utilisé le logiciel Synopsis",
        "2023-11-22",
        "--source",
        doc_id,
    )
    assert (denied["verdict"], denied["source_doc_id"]) == ("verbatim", doc_id)
    # Without --source the case's documents are searched.
    danger = _add_quote(v, "Hadrien Clouet", "C’est intrinsèquement dangereux.", "2023-11-22")
    assert (danger["verdict"], danger["source_doc_id"]) == ("verbatim", doc_id)
    assert danger["spans"][0]["text"] == "C’est intrinsèquement dangereux."
    unsourced = _add_quote(
        v, "Sylvie Marchal", "The software was on a desktop in our unit.", "2023-11-25"
    )
    assert (unsourced["verdict"], unsourced["speaker"]) == ("not_found", "Source A")

    # The same commissaire entered twice, then merged: his quote follows him.
    v.ok("person", "add", "--case", CASE, "Commissaire P. Léonard", "--role", "official")
    _add_quote(v, "Commissaire P. Léonard", "aucun ordinateur de notre service", "2023-11-22")
    merged = v.json("person", "merge", "--case", CASE, "Patrick Léonard", "Commissaire P. Léonard")
    assert merged["links"]["quotes"] == 1
    leonard = v.json("timeline", "--case", CASE, "--person", "Patrick Léonard")
    assert [i["kind"] for i in leonard] == ["reply", "quote", "quote"]

    clouet = v.json("timeline", "--case", CASE, "--person", "clouet", "--as-of", "2023-12-05")
    assert [(i["date"], i["kind"]) for i in clouet] == [
        ("2023-11-20", "letter"),
        ("2023-11-22", "quote"),
        ("2023-11-22", "interview"),
        ("2023-12-04", "deadline"),
    ]
    everything = v.ok("timeline", "--case", CASE)
    assert "Source A: «The software was on a desktop" in everything
    assert "Sylvie Marchal" not in everything

    # The newsroom's own right-of-reply letter goes unanswered until publication.
    v.ok("letter", "add", "--case", CASE, "--subject", "Demande de réaction",
         "--from", "France 3 Occitanie", "--to", "DDSP 31", "--channel", "email",
         "--sent", "2023-11-23", "--deadline", "2023-11-24",
         "--question", "Vos services emploient-ils Video Synopsis ?")  # fmt: skip
    assert v.states("2023-11-24")["Demande de réaction"] == "awaiting"
    assert v.states("2023-11-25")["Demande de réaction"] == "overdue"
    with v.workspace() as ws:
        ws.cases.update(CASE, published_on="2023-11-27")
    assert v.states("2023-11-26") == {subject: "partly_answered", "Demande de réaction": "overdue"}
    assert v.states("2023-11-27") == {
        subject: "partly_answered",
        "Demande de réaction": "no_reply_by_publication",
    }
    summary = v.json("letter", "summary", "--case", CASE, "--as-of", "2023-11-27")
    assert summary["unanswered"] == 3 and summary["by_state"]["no_reply_by_publication"] == 1
    human = v.ok("letter", "list", "--case", CASE, "--as-of", "2023-11-27")
    assert "NO REPLY BY PUBLICATION" in human and "3 questions unanswered" in human
    kinds = [i["kind"] for i in v.json("timeline", "--case", CASE, "--as-of", "2023-11-27")]
    assert "publication" in kinds and kinds.count("deadline") == 2

    # Real names only on request, and the request is on record; the chain holds.
    revealed = v.ok("person", "list", "--case", CASE, "--reveal")
    assert "Sylvie Marchal" in revealed
    actions = [e["action"] for e in v.json("audit", "show", "--case", CASE)]
    for action in (
        "letter.add",
        "reply.add",
        "timeline.add",
        "person.merge",
        "person.reveal",
        "quote.add",
    ):
        assert action in actions
    verdict = v.json("audit", "verify")
    assert verdict["ok"] and verdict["entries"] == len(v.json("audit", "show"))

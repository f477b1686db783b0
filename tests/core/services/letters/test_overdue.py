"""Lateness per question: unanswered after the deadline is overdue, whatever the letter's state;
a reply received after publication is flagged."""

from __future__ import annotations

from datetime import date

from dossier.services.letters.dto import LetterFacts
from dossier.services.letters.states import after_publication, overdue_questions, past_deadline
from dossier.services.workspace import Workspace

D = date.fromisoformat
LETTER = LetterFacts("l", D("2023-11-20"), D("2023-12-11"), ("q1", "q2", "q3", "q4"))
PARTLY = {"q1": "partly", "q2": "answered", "q3": "declined", "q4": "unanswered"}


def test_unanswered_questions_are_overdue_only_after_the_deadline() -> None:
    assert overdue_questions(LETTER, PARTLY, D("2023-12-11")) == set()  # the last day counts
    assert overdue_questions(LETTER, PARTLY, D("2023-12-12")) == {"q4"}
    assert overdue_questions(LETTER, {}, D("2024-01-01")) == {"q1", "q2", "q3", "q4"}
    unsent = LetterFacts("l", None, D("2023-12-11"), ("q1",))
    assert not past_deadline(unsent, D("2024-01-01"))
    no_deadline = LetterFacts("l", D("2023-11-20"), None, ("q1",))
    assert overdue_questions(no_deadline, {}, D("2030-01-01")) == set()


def test_a_reply_after_publication_is_flagged() -> None:
    assert after_publication(D("2023-11-25"), D("2023-11-24"))
    assert not after_publication(D("2023-11-24"), D("2023-11-24"))
    assert not after_publication(None, D("2023-11-24"))
    assert not after_publication(D("2023-11-25"), None)


def test_a_partly_answered_letter_past_its_deadline_is_also_overdue(workspace: Workspace) -> None:
    ws = workspace
    case = ws.cases.create("Video Synopsis").id
    ws.people.add(case, "Hadrien Clouet", role="elected")
    ws.people.add(case, "DDSP Haute-Garonne", role="official")
    letter = ws.letters.add(
        case, sender="Hadrien Clouet", recipients=["DDSP Haute-Garonne"], sent_on="2023-11-20",
        deadline="2023-12-11", questions=["Since when?", "Used by whom?", "Who knew?"],
    ).id  # fmt: skip
    ws.letters.add_reply(
        case, sender="DDSP Haute-Garonne", received_on="2023-11-22", letter=letter,
        answers=["1:partly", "2"],
    )  # fmt: skip
    before = ws.letters.get(letter, as_of="2023-12-11")
    assert before.state == "partly_answered" and not before.is_overdue
    assert ws.letters.summary(case, as_of="2023-12-11").overdue == 0

    after = ws.letters.get(letter, as_of="2023-12-12")
    assert after.state == "partly_answered" and after.is_overdue
    assert [q.number for q in after.overdue_questions] == [3]
    assert [q.overdue for q in after.questions] == [False, False, True]
    summary = ws.letters.summary(case, as_of="2023-12-12")
    assert (summary.overdue, summary.overdue_questions) == (1, 1)
    assert summary.overdue_letters == [letter]
    assert summary.by_state == {"partly_answered": 1}

    ws.cases.update(case, published_on="2023-12-01")
    ws.letters.add_reply(
        case,
        sender="DDSP Haute-Garonne",
        received_on="2023-12-15",
        letter=letter,
        answers=["1", "3"],
    )
    done = ws.letters.get(letter, as_of="2023-12-20")
    assert done.state == "replied" and not done.is_overdue
    assert [r.after_publication for r in done.replies] == [False, True]

"""Letters, questions, replies: deadlines (calendar and working days), states, validation."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.db.models import Document, Letter, Question, Reply
from dossier.errors import NotFoundError, UsageError
from dossier.services.letters.dto import LetterEdit, LetterFacts, ReplyFacts
from dossier.services.letters.states import letter_state, parse_answer_spec, question_statuses
from dossier.services.letters.workdays import (
    add_days,
    add_working_days,
    holidays_between,
    is_working_day,
    public_holidays,
    working_days_between,
)
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE, run_cli

D = date.fromisoformat

# -- working days -------------------------------------------------------------------------------


def test_french_holidays_2024() -> None:
    holidays = public_holidays("FR", 2024)
    assert len(holidays) == 11
    for day in ("2024-04-01", "2024-05-08", "2024-05-09", "2024-05-20", "2024-07-14"):
        assert D(day) in holidays
    assert D("2024-03-29") not in holidays  # Good Friday: Alsace-Moselle only
    assert not is_working_day(D("2024-05-09"))
    assert is_working_day(D("2024-05-10"))
    assert not is_working_day(D("2024-05-11"))  # Saturday


def test_alsace_moselle_adds_good_friday_and_saint_stephen() -> None:
    # Thursday 28 March 2024: Good Friday and Easter Monday are off in Alsace-Moselle only
    # (Easter Monday everywhere), so 2 working days end on Tuesday in France, Wednesday there.
    assert add_working_days(D("2024-03-28"), 2, "FR") == D("2024-04-02")
    assert add_working_days(D("2024-03-28"), 2, "FR-AM") == D("2024-04-03")
    assert [name for _, name in holidays_between(D("2024-03-28"), D("2024-04-03"), "FR-AM")] == [
        "Vendredi saint",
        "Lundi de Pâques",
    ]
    # Tuesday 7 May 2024: 8 May, Ascension (9 May) and Whit Monday (20 May) are off.
    assert add_working_days(D("2024-05-07"), 10, "FR-AM") == D("2024-05-24")
    assert [day for day, _ in holidays_between(D("2024-05-07"), D("2024-05-24"), "FR-AM")] == [
        D("2024-05-08"),
        D("2024-05-09"),
        D("2024-05-20"),
    ]
    # Monday 23 December 2024: Christmas everywhere, 26 December in Alsace-Moselle.
    assert add_working_days(D("2024-12-23"), 3, "FR") == D("2024-12-27")
    assert add_working_days(D("2024-12-23"), 3, "FR-AM") == D("2024-12-30")
    assert D("2024-12-26") in public_holidays("FR-AM", 2024)
    assert D("2024-12-26") not in public_holidays("FR", 2024)


def test_belgian_quebec_and_overseas_holidays() -> None:
    # Friday 18 July 2025: Monday 21 July is Belgium's national day.
    assert add_working_days(D("2025-07-18"), 1, "BE") == D("2025-07-22")
    assert add_working_days(D("2025-07-18"), 1, "FR") == D("2025-07-21")
    # Monday 23 June 2025: 24 June is the Fête nationale in Québec.
    assert add_working_days(D("2025-06-23"), 1, "CA-QC") == D("2025-06-25")
    assert add_working_days(D("2025-06-23"), 1, "FR") == D("2025-06-24")
    assert holidays_between(D("2025-06-23"), D("2025-06-25"), "CA-QC") == [
        (D("2025-06-24"), "Fête nationale du Québec")
    ]
    # La Réunion keeps 20 December (abolition of slavery); Geneva its Jeûne genevois.
    assert not is_working_day(D("2024-12-20"), "FR-RE")
    assert is_working_day(D("2024-12-20"), "FR")
    assert not is_working_day(D("2025-09-11"), "CH-GE")
    assert is_working_day(D("2025-09-11"), "CH-VD")
    with pytest.raises(UsageError, match="unknown jurisdiction"):
        public_holidays("Narnia", 2025)


def test_working_day_deadlines_skip_weekends_and_holidays() -> None:
    # Sent Monday 20 November 2023: ten working days later is Monday 4 December.
    assert add_working_days(D("2023-11-20"), 10) == D("2023-12-04")
    # Tuesday 7 May 2024: 8 May and Ascension (9 May) are off, so 3 working days is 14 May.
    assert add_working_days(D("2024-05-07"), 3) == D("2024-05-14")
    # Friday 22 December 2023: Christmas is off.
    assert add_working_days(D("2023-12-22"), 3) == D("2023-12-28")
    assert add_days(D("2023-11-20"), 15) == D("2023-12-05")
    assert add_days(D("2023-11-20"), 0, working=True) == D("2023-11-20")
    assert working_days_between(D("2023-11-20"), D("2023-12-04")) == 10
    with pytest.raises(UsageError):
        add_days(D("2023-11-20"), -1)


# -- pure state rules ---------------------------------------------------------------------------


def _facts(deadline: str | None = "2023-12-04") -> LetterFacts:
    return LetterFacts("L", D("2023-11-20"), D(deadline) if deadline else None, ("q1", "q2"))


def _reply(day: str, **answers: str) -> ReplyFacts:
    return ReplyFacts(None, D(day), answers)


def test_states_without_reply_follow_the_calendar() -> None:
    letter = _facts()
    assert letter_state(LetterFacts("L", None, None), [], D("2023-11-20")) == "draft"
    assert letter_state(letter, [], D("2023-11-19")) == "draft"
    assert letter_state(letter, [], D("2023-11-20")) == "awaiting"
    assert letter_state(letter, [], D("2023-12-04")) == "awaiting"
    assert letter_state(letter, [], D("2023-12-05")) == "overdue"
    assert letter_state(_facts(None), [], D("2024-06-01")) == "sent"
    published = D("2023-11-30")
    assert letter_state(letter, [], D("2023-11-29"), published) == "awaiting"
    assert letter_state(letter, [], D("2023-11-30"), published) == "no_reply_by_publication"
    assert letter_state(letter, [], D("2023-12-10"), published) == "no_reply_by_publication"
    # A story published before the letter was sent does not count against it.
    assert letter_state(letter, [], D("2023-12-10"), D("2023-11-01")) == "overdue"


def test_states_with_replies() -> None:
    letter = _facts()
    full = [_reply("2023-11-25", q1="answered", q2="answered")]
    assert letter_state(letter, full, D("2023-11-24")) == "awaiting"
    assert letter_state(letter, full, D("2023-11-25")) == "replied"
    partly = [_reply("2023-11-25", q1="answered")]
    assert letter_state(letter, partly, D("2023-12-30")) == "partly_answered"
    assert letter_state(letter, [_reply("2023-11-25", q1="partly", q2="answered")],
                        D("2023-12-30")) == "partly_answered"  # fmt: skip
    declined = [_reply("2023-11-25", q1="declined", q2="declined")]
    assert letter_state(letter, declined, D("2023-12-30")) == "declined"
    # A later full answer beats an earlier refusal.
    both = [*declined, _reply("2023-12-20", q1="answered", q2="answered")]
    assert letter_state(letter, both, D("2023-12-10")) == "declined"
    assert letter_state(letter, both, D("2023-12-20")) == "replied"
    statuses = question_statuses(("q1", "q2"), [*declined, _reply("2023-12-01", q1="partly")],
                                 D("2023-12-02"))  # fmt: skip
    assert statuses == {"q1": "partly", "q2": "declined"}
    # A reply that reached us after publication still counts once received.
    assert letter_state(letter, full, D("2023-12-01"), D("2023-11-22")) == "replied"
    # A reply to another letter does not touch this one.
    other = [ReplyFacts("OTHER", D("2023-11-22"), {"x": "answered"})]
    assert letter_state(letter, other, D("2023-12-05")) == "overdue"
    linked_no_questions = LetterFacts("L", D("2023-11-20"), None, ())
    assert letter_state(linked_no_questions, [ReplyFacts("L", D("2023-11-21"))],
                        D("2023-11-22")) == "replied"  # fmt: skip


def test_answer_specs() -> None:
    assert parse_answer_spec("2") == (None, 2, "answered")
    assert parse_answer_spec("3:partly") == (None, 3, "partly")
    assert parse_answer_spec("abcd12:4:declined") == ("abcd12", 4, "declined")
    assert parse_answer_spec("abcd12:1") == ("abcd12", 1, "answered")
    for bad in ("x", "0", "1:maybe", "a:b:c:d", ""):
        with pytest.raises(UsageError):
            parse_answer_spec(bad)


# -- the service --------------------------------------------------------------------------------


@pytest.fixture
def case(workspace: Workspace) -> str:
    ws = workspace
    case_id = ws.cases.create("Video Synopsis").id
    ws.people.add(case_id, "Hadrien Clouet", role="elected")
    ws.people.add(case_id, "Anne Stambach", role="elected")
    ws.people.add(case_id, "DDSP Haute-Garonne", role="official", aliases=["DDSP 31"])
    ws.people.add(case_id, "Patrick Léonard", role="official")
    return case_id


QUESTIONS = ["Since when?", "Used by whom?", "For what purpose?", "Who knew?"]


def _letter(ws: Workspace, case: str, **extra: object) -> str:
    fields: dict[str, object] = {
        "sender": "Hadrien Clouet",
        "recipients": ["DDSP 31"],
        "sent_on": "2023-11-20",
        "questions": QUESTIONS,
    }
    fields.update(extra)
    return ws.letters.add(case, **fields).id  # type: ignore[arg-type]


def _count(ws: Workspace, model: type[Letter] | type[Question] | type[Reply]) -> int:
    with ws.vault.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_add_letter_computes_deadlines(workspace: Workspace, case: str) -> None:
    ws = workspace
    working = ws.letters.get(_letter(ws, case, deadline_days=10, working_days=True))
    assert working.deadline == "2023-12-04"
    assert [q.number for q in working.questions] == [1, 2, 3, 4]
    assert working.sender == "Hadrien Clouet" and working.recipients == ["DDSP Haute-Garonne"]
    calendar = ws.letters.get(_letter(ws, case, deadline_days=10))
    assert calendar.deadline == "2023-11-30"
    explicit = ws.letters.get(_letter(ws, case, deadline="2023-11-27", channel="e-mail"))
    assert explicit.deadline == "2023-11-27" and explicit.channel == "email"
    signed = ws.letters.get(_letter(ws, case, cosigners=["Anne Stambach"]))
    assert signed.cosigners == ["Anne Stambach"]
    assert [r.action for r in ws.audit.records()].count("letter.add") == 4


@pytest.mark.parametrize(
    ("extra", "error", "message"),
    [
        ({"sent_on": "2023-13-01"}, UsageError, "invalid sending date"),
        ({"deadline": "20/11/2023"}, UsageError, "invalid deadline"),
        ({"deadline": "2023-11-19"}, UsageError, "before the sending date"),
        ({"deadline": "2023-11-30", "deadline_days": 3}, UsageError, "not both"),
        ({"working_days": True}, UsageError, "--working-days"),
        ({"deadline_days": -2}, UsageError, "between 0 and"),
        ({"recipients": ["Nobody"]}, NotFoundError, "no person 'Nobody'"),
        ({"sender": "Someone Else"}, NotFoundError, "no person"),
        ({"recipients": []}, UsageError, "at least one recipient"),
        ({"recipients": ["Hadrien Clouet"]}, UsageError, "both sign and receive"),
        ({"questions": ["ok", "  "]}, UsageError, "question cannot be empty"),
        ({"channel": "pigeon"}, UsageError, "unknown channel"),
    ],
)
def test_bad_letters_store_nothing(
    workspace: Workspace, case: str, extra: dict[str, object], error: type[Exception], message: str
) -> None:
    before = len(workspace.audit.records())
    with pytest.raises(error, match=message):
        _letter(workspace, case, **extra)
    assert _count(workspace, Letter) == 0 and _count(workspace, Question) == 0
    assert len(workspace.audit.records()) == before


def test_state_transitions_through_the_service(workspace: Workspace, case: str) -> None:
    ws = workspace
    letter_id = _letter(ws, case, sent_on=None, deadline_days=10, working_days=True)
    assert ws.letters.get(letter_id, as_of="2023-11-25").state == "draft"
    assert ws.letters.get(letter_id).deadline is None  # no sending date, no deadline yet
    ws.letters.edit(letter_id, LetterEdit(sent_on="2023-11-20"))
    assert ws.letters.get(letter_id, as_of="2023-11-19").state == "draft"
    assert ws.letters.get(letter_id, as_of="2023-11-25").state == "awaiting"
    assert ws.letters.get(letter_id, as_of="2023-12-05").state == "overdue"
    assert [i.id for i in ws.letters.of_case(case, state="overdue", as_of="2023-12-05")] == [
        letter_id
    ]
    ws.letters.add_reply(
        case,
        sender="DDSP 31",
        received_on="2023-12-06",
        letter=letter_id,
        answers=["1", "2:partly", "3:declined"],
    )
    assert ws.letters.get(letter_id, as_of="2023-12-05").state == "overdue"
    later = ws.letters.get(letter_id, as_of="2023-12-06")
    assert later.state == "partly_answered"
    assert [q.status for q in later.questions] == ["answered", "partly", "declined", "unanswered"]
    assert len(later.replies) == 1 and later.replies[0].sender == "DDSP Haute-Garonne"
    assert ws.letters.get(letter_id, as_of="2023-12-05").replies == []
    ws.letters.add_reply(
        case, sender="DDSP 31", received_on="2023-12-20", letter=letter_id, answers=["2", "3", "4"]
    )
    assert ws.letters.get(letter_id, as_of="2023-12-20").state == "replied"
    summary = ws.letters.summary(case, as_of="2023-12-20")
    assert (summary.unanswered, summary.overdue, summary.by_state) == (0, 0, {"replied": 1})


def test_reply_to_a_letter_without_answers_answers_everything(
    workspace: Workspace, case: str
) -> None:
    ws = workspace
    letter_id = _letter(ws, case, deadline="2023-12-01")
    reply = ws.letters.add_reply(case, sender="DDSP 31", received_on="2023-11-28", letter=letter_id)
    assert [a.number for a in reply.answers] == [1, 2, 3, 4]
    assert ws.letters.get(letter_id, as_of="2023-12-10").state == "replied"


def test_declined_and_publication_states(workspace: Workspace, case: str) -> None:
    ws = workspace
    refused = _letter(ws, case, deadline="2023-12-01")
    silent = _letter(ws, case, deadline="2023-12-01", subject="Second letter")
    answers = [f"{n}:declined" for n in range(1, 5)]
    ws.letters.add_reply(
        case, sender="DDSP 31", received_on="2023-11-24", letter=refused, answers=answers
    )
    ws.cases.update(case, published_on="2023-11-28")
    states = {i.id: i.state for i in ws.letters.of_case(case, as_of="2023-11-29")}
    assert states == {refused: "declined", silent: "no_reply_by_publication"}
    before = {i.id: i.state for i in ws.letters.of_case(case, as_of="2023-11-27")}
    assert before == {refused: "declined", silent: "awaiting"}
    summary = ws.letters.summary(case, as_of="2023-11-29")
    assert summary.unanswered == 4 and summary.open_letters == [silent]


def test_press_statement_ties_to_questions_of_a_letter(workspace: Workspace, case: str) -> None:
    ws = workspace
    letter_id = _letter(ws, case, deadline="2023-12-01")
    prefix = letter_id[:6]
    statement = ws.letters.add_reply(
        case,
        sender="patrick leonard",
        received_on="2023-11-22",
        via="La Dépêche du Midi",
        answers=[f"{prefix}:1:partly", f"{prefix}:2:declined"],
    )
    assert statement.letter_id is None and statement.via == "La Dépêche du Midi"
    assert [(a.number, a.status) for a in statement.answers] == [(1, "partly"), (2, "declined")]
    info = ws.letters.get(letter_id, as_of="2023-11-23")
    assert info.state == "partly_answered"
    assert info.replies[0].id == statement.id
    # A statement that ties to no question leaves the letter's state alone.
    ws.letters.add_reply(case, sender="Patrick Léonard", received_on="2023-11-23", via="radio")
    assert ws.letters.get(letter_id, as_of="2023-11-24").state == "partly_answered"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"letter": "LETTER", "received_on": "2023-11-19"}, UsageError, "cannot come before"),
        ({"letter": "LETTER", "answers": ["5"]}, NotFoundError, "has no question 5"),
        ({"letter": "LETTER", "answers": ["1", "1:partly"]}, UsageError, "answered twice"),
        ({"answers": ["2"]}, UsageError, "needs a letter"),
        ({"letter": "ffffffffffff"}, NotFoundError, "no letter"),
        ({"letter": "LETTER", "sender": "Nobody"}, NotFoundError, "no person"),
        ({"letter": "LETTER", "received_on": "yesterday"}, UsageError, "invalid reception date"),
        ({"letter": "LETTER", "answers": ["1:maybe"]}, UsageError, "cannot read answer"),
    ],
)
def test_bad_replies_store_nothing(
    workspace: Workspace, case: str, kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    letter_id = _letter(workspace, case)
    fields: dict[str, object] = {"sender": "DDSP 31", "received_on": "2023-11-25"}
    fields.update(kwargs)
    if fields.get("letter") == "LETTER":
        fields["letter"] = letter_id
    with pytest.raises(error, match=message):
        workspace.letters.add_reply(case, **fields)  # type: ignore[arg-type]
    assert _count(workspace, Reply) == 0


def test_a_draft_cannot_be_replied_to(workspace: Workspace, case: str) -> None:
    letter_id = _letter(workspace, case, sent_on=None)
    with pytest.raises(UsageError, match="still a draft"):
        workspace.letters.add_reply(
            case, sender="DDSP 31", received_on="2023-11-25", letter=letter_id
        )


def test_letter_edit_and_delete(workspace: Workspace, case: str) -> None:
    ws = workspace
    letter_id = _letter(ws, case, deadline="2023-12-01")
    with pytest.raises(UsageError, match="before the sending date"):
        ws.letters.edit(letter_id, LetterEdit(sent_on="2023-12-05"))
    assert ws.letters.get(letter_id).sent_on == "2023-11-20"
    edited = ws.letters.edit(letter_id, LetterEdit(deadline_days=5))
    assert (edited.deadline, edited.working_days) == ("2023-11-25", False)
    edited = ws.letters.edit(letter_id, LetterEdit(working_days=True))
    assert (edited.deadline, edited.deadline_days) == ("2023-11-27", 5)
    with pytest.raises(UsageError, match="not both"):
        ws.letters.edit(letter_id, LetterEdit(deadline="2023-12-01", deadline_days=3))
    assert (
        ws.letters.edit(letter_id, LetterEdit(deadline=None, deadline_days=None)).deadline is None
    )
    ws.letters.delete(letter_id[:8])
    assert ws.letters.of_case(case) == []
    assert _count(ws, Question) == 0
    with pytest.raises(NotFoundError):
        ws.letters.get(letter_id)
    assert [r.action for r in ws.audit.records()][-2:] == ["letter.edit", "letter.delete"]


def test_letter_and_reply_cli_verbs(tmp_path: Path, vault_path: Path) -> None:
    with Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Video Synopsis").id
        ws.people.add(case, "Hadrien Clouet", role="elected")
        ws.people.add(case, "DDSP Haute-Garonne", role="official", aliases=["DDSP 31"])
        letter_id = _letter(ws, case, sent_on=None, subject="Video Synopsis")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        result = run_cli(tmp_path, "--vault", str(vault_path), *args)
        assert "Traceback" not in result.stderr
        return result

    prefix = letter_id[:6]
    edited = cli("letter", "edit", prefix, "--sent", "2023-11-20", "--deadline-days", "10",
                 "--working-days", "--json")  # fmt: skip
    assert edited.returncode == 0, edited.stderr
    assert json.loads(edited.stdout)["deadline"] == "2023-12-04"
    assert cli("letter", "edit", prefix, "--working-days").returncode == 2
    shown = cli("letter", "show", prefix, "--as-of", "2023-12-05")
    assert "OVERDUE" in shown.stdout and "Q4 [unanswered] Who knew?" in shown.stdout
    added = cli("reply", "add", "--case", "Video Synopsis", "--letter", prefix, "--from", "ddsp",
                "--received", "2023-11-30", "--answers", "1", "--answers", "2:declined",
                "--json")  # fmt: skip
    assert added.returncode == 0, added.stderr
    reply_id = json.loads(added.stdout)["id"]
    listed = cli("reply", "list", "--case", "Video Synopsis")
    assert f"reply {reply_id} 2023-11-30 from DDSP Haute-Garonne: Q1 answered, Q2 declined" in (
        listed.stdout
    )
    summary = cli("letter", "summary", "--case", "Video Synopsis", "--as-of", "2023-12-05")
    assert "1 partly answered" in summary.stdout and "2 questions unanswered" in summary.stdout
    assert cli("reply", "delete", reply_id[:6]).returncode == 0
    assert cli("reply", "delete", reply_id).returncode == 2
    assert cli("letter", "delete", prefix).returncode == 0
    empty = cli("letter", "list", "--case", "Video Synopsis")
    assert empty.stdout.startswith("no letters")


def test_letter_and_reply_files_become_documents(
    workspace: Workspace, case: str, tmp_path: Path
) -> None:
    pytest.importorskip("dossier.ingest.formats")
    ws = workspace
    letter_file = tmp_path / "courrier.txt"
    letter_file.write_text("Monsieur le Directeur,\nNous sollicitons des explications.\n")
    with pytest.raises(NotFoundError):
        _letter(ws, case, recipients=["Nobody"], file=letter_file)
    assert ws.documents.of_case(case) == []  # refused before the file was imported
    letter = ws.letters.get(_letter(ws, case, subject="Video Synopsis", file=letter_file))
    assert letter.document_id is not None
    doc = ws.documents.get(letter.document_id)
    assert (doc.kind, doc.title, doc.date) == ("letter", "Video Synopsis", "2023-11-20")
    people = {ws.people.resolve(case, "Hadrien Clouet"), ws.people.resolve(case, "DDSP 31")}
    assert set(doc.people) == people
    reply_file = tmp_path / "reponse.txt"
    reply_file.write_text("Nous ne pouvons pas répondre à ces questions.\n")
    reply = ws.letters.add_reply(
        case, sender="DDSP 31", received_on="2023-11-30", letter=letter.id, file=reply_file
    )
    assert reply.document_id is not None
    assert ws.documents.get(reply.document_id).kind == "reply"
    with ws.vault.session() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 2


def test_searchable_items_cover_letters_questions_replies(workspace: Workspace, case: str) -> None:
    ws = workspace
    ws.people.add(case, "Marie Dufour", protection="protected")
    letter_id = _letter(ws, case, subject="Video Synopsis", recipients=["Marie Dufour"])
    ws.letters.add_reply(case, sender="Marie Dufour", received_on="2023-11-21", letter=letter_id)
    items = ws.letters.searchable_items(case)
    kinds = [i.item_type for i in items]
    assert kinds.count("letter") == 1 and kinds.count("question") == 4
    assert kinds.count("reply") == 1 and kinds.count("person") == 5
    assert "Marie Dufour" not in repr(items)
    letter_item = next(i for i in items if i.item_type == "letter")
    assert "Who knew?" in letter_item.text and letter_item.date == "2023-11-20"
    assert ws.letters.get(letter_id).recipients == ["Source A"]
    assert ws.letters.of_case(case)[0].replies[0].sender == "Source A"
    assert "person.reveal" not in [r.action for r in ws.audit.records()]
    assert ws.letters.get(letter_id, reveal=True).recipients == ["Marie Dufour"]
    assert [r.action for r in ws.audit.records()][-1] == "person.reveal"

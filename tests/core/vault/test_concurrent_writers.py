"""Writers that read what they are about to write see what the last commit left, whatever
commits meanwhile, and a passphrase change lets no row be written under the key it replaces.

The driver begins a transaction at the first write: a service that reads a row and writes it
back (the recent searches, the known signers), or makes a row when it finds none (the signing
key), read what was committed last, and another writer committing between that read and the
write lost its change or made the second one fail on a database error."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.db.models import VaultSecret
from dossier.errors import UsageError
from dossier.services.documents.dto import DocumentEdit
from dossier.services.export.signers import known_signers, remember_signer
from dossier.services.letters.dto import LetterEdit
from dossier.services.people.dto import PersonEdit
from dossier.services.quotes.dto import QuoteEdit
from dossier.services.workspace import Workspace
from tests.alongside import alongside, at_once
from tests.conftest import PASSPHRASE


def _clean(ws: Workspace) -> None:
    assert ws.vault.vault_problems() == []
    assert ws.audit.verify().problems == []
    report = ws.fsck.run()
    assert report.problems == []


def test_searches_remembered_at_once_are_all_kept(workspace: Workspace) -> None:
    def remembering(writer: int) -> Callable[[], object]:
        return lambda: [workspace.recent_searches.remember(None, f"{writer} {n}") for n in range(4)]

    at_once(*(remembering(w) for w in range(3)))
    assert len(workspace.recent_searches.of(None)) == 12  # none lost to another's write
    _clean(workspace)


def test_signing_key_asked_for_at_once_is_made_once(workspace: Workspace) -> None:
    keys: list[str] = []
    at_once(*(lambda: keys.append(workspace.exports.fingerprint()) for _ in range(3)))
    assert len(set(keys)) == 1
    assert keys[0] == workspace.exports.fingerprint()
    made = [r for r in workspace.audit.records() if r.action == "signing-key.create"]
    assert len(made) == 1
    _clean(workspace)


def test_signers_accepted_at_once_are_all_kept(workspace: Workspace) -> None:
    prints = [f"{n:02x}" * 16 for n in range(3)]
    at_once(*(lambda p=p: remember_signer(workspace, p, "test") for p in prints))
    assert set(prints) <= set(known_signers(workspace))
    _clean(workspace)


def test_cases_named_alike_at_once_are_made_once(workspace: Workspace) -> None:
    with pytest.raises(ExceptionGroup) as refused:
        at_once(*(lambda: workspace.cases.create("Twin") for _ in range(3)))
    assert len(refused.value.exceptions) == 2
    assert all(isinstance(f, UsageError) for f in refused.value.exceptions)
    assert [c.name for c in workspace.cases.all()].count("Twin") == 1
    _clean(workspace)


def test_people_named_alike_at_once_are_added_once(workspace: Workspace) -> None:
    case = workspace.cases.create("People").id
    with pytest.raises(ExceptionGroup) as refused:
        at_once(*(lambda: workspace.people.add(case, "Ana Lima") for _ in range(3)))
    assert len(refused.value.exceptions) == 2
    assert all(isinstance(f, UsageError) for f in refused.value.exceptions)
    assert [p.name for p in workspace.people.of_case(case)].count("Ana Lima") == 1
    _clean(workspace)


def test_writers_through_a_passphrase_change_leave_a_vault_that_opens(
    workspace: Workspace, vault_path: Path
) -> None:
    """Writers that do not hold a case's `changing` (searches remembered, timeline entries,
    people, a signing key made) committing around a passphrase change: nothing they wrote
    may be sealed or signed under the master key the change replaced."""
    case = workspace.cases.create("Editing").id
    passphrase = ""
    for attempt in range(4):
        passphrase = f"a new long passphrase {attempt}"

        def changing(p: str = passphrase) -> None:
            workspace.keys.change_passphrase(p, TEST_ONLY_FAST)

        def searching(a: int = attempt) -> None:
            for n in range(6):
                workspace.recent_searches.remember(case, f"s{a} {n}")

        def dating(a: int = attempt) -> None:
            for n in range(4):
                workspace.timeline.add_entry(case, when="2024-01-02", title=f"e{a} {n}")

        def naming(a: int = attempt) -> None:
            for n in range(3):
                workspace.people.add(case, f"Person {a} {n}")

        def keeping(a: int = attempt) -> None:
            # As any vault-level setting is stored: a row sealed by its session's flush.
            for n in range(6):
                with workspace.vault.session() as session:
                    secret = VaultSecret(name=f"test-{a}-{n}")
                    secret.value = f"kept {a} {n}"
                    session.add(secret)
                    session.commit()

        jobs = [changing, searching, dating, naming, keeping]
        if attempt == 0:
            jobs.append(workspace.exports.fingerprint)
        at_once(*jobs)
    _clean(workspace)
    workspace.close()
    again = Workspace.open(vault_path, passphrase)
    try:
        _clean(again)
        assert again.vault.case_problems(case) == []
        assert len(again.recent_searches.of(case)) == 12
        assert len(again.people.of_case(case)) == 12
        with again.vault.session() as session:
            kept = [s.value for s in session.scalars(select(VaultSecret)) if s.name[:5] == "test-"]
        assert sorted(kept) == sorted(f"kept {a} {n}" for a in range(4) for n in range(6))
    finally:
        again.close()


def test_checks_and_reads_through_a_passphrase_change_find_nothing_wrong(
    workspace: Workspace,
) -> None:
    """What runs beside a passphrase change (the check before an export, the trail's check,
    the recent searches, the signing key) reads the catalog as one key sealed it."""
    case = workspace.cases.create("Read").id
    workspace.recent_searches.remember(case, "warm")
    workspace.exports.fingerprint()
    found: list[str] = []

    def reading() -> None:
        found.extend(workspace.vault.vault_problems())
        found.extend(workspace.audit.verify().problems)
        assert workspace.recent_searches.of(case) == ["warm"]
        workspace.exports.fingerprint()

    with alongside(reading, repeat=True) as reader:
        for attempt in range(4):
            before = reader.rounds
            workspace.keys.change_passphrase(f"a new long passphrase {attempt}", TEST_ONLY_FAST)
            # Reads on both sides of each change, however loaded the machine: the next change
            # starts once the reader has gone round twice since this one began.
            reader.wait_rounds(before + 2)
    assert found == []
    assert reader.rounds >= 8
    _clean(workspace)


def test_edits_of_one_item_at_once_keep_every_field(workspace: Workspace, tmp_path: Path) -> None:
    """Two edits of one quote, letter, person or case at once, each of its own field (the
    window's edit and a background job's): each is kept, none written over with the value
    the other read before it."""
    ws = workspace
    case = ws.cases.create("Edited").id
    ws.people.add(case, "Ana Lima")
    ws.people.add(case, "Ben Cole")
    quote = ws.quotes.add(case, "nothing was decided before the vote").id
    letter = ws.letters.add(
        case, sender="Ana Lima", recipients=["Ben Cole"], questions=["Why?"], sent_on="2024-03-01"
    ).id
    person = ws.people.resolve(case, "Ben Cole")
    (tmp_path / "memo.txt").write_text("A memo on the vote.", encoding="utf-8")
    doc = ws.documents.import_file(case, tmp_path / "memo.txt").id
    rounds = range(6)
    edits: list[Callable[[], object]] = [
        lambda: [ws.quotes.update(quote, QuoteEdit(notes=f"n{n}")) for n in rounds],
        lambda: [ws.quotes.update(quote, QuoteEdit(language=f"l{n}")) for n in rounds],
        lambda: [ws.letters.edit(letter, LetterEdit(subject=f"s{n}")) for n in rounds],
        lambda: [
            ws.letters.edit(letter, LetterEdit(channel="email" if n % 2 else "post"))
            for n in rounds
        ],
        lambda: [ws.people.update(case, person, PersonEdit(notes=f"p{n}")) for n in rounds],
        lambda: [ws.people.update(case, person, PersonEdit(organisation=f"o{n}")) for n in rounds],
        lambda: [ws.documents.update(doc, DocumentEdit(title=f"t{n}")) for n in rounds],
        lambda: [ws.documents.update(doc, DocumentEdit(author=f"m{n}")) for n in rounds],
        lambda: [ws.cases.update(case, description=f"d{n}") for n in rounds],
        lambda: [ws.cases.update(case, status="published" if n % 2 else "open") for n in rounds],
    ]
    at_once(*edits)
    kept = ws.quotes.get(quote)
    assert (kept.notes, kept.language) == ("n5", "l5")
    sent = ws.letters.get(letter)
    assert (sent.subject, sent.channel) == ("s5", "email")
    named = ws.people.get(case, person)
    assert (named.notes, named.organisation) == ("p5", "o5")
    memo = ws.documents.get(doc)
    assert (memo.title, memo.author) == ("t5", "m5")
    shown = ws.cases.get(case)
    assert (shown.description, shown.status) == ("d5", "published")
    _clean(ws)


def test_edits_of_a_case_through_its_re_encryption(workspace: Workspace) -> None:
    """Edits of a case's quotes, people and timeline while the case is re-encrypted (which
    holds its originals, not its edits): each is kept, none told the case was altered, and
    the case opens under its new key."""
    ws = workspace
    case = ws.cases.create("Rekeyed").id
    ws.people.add(case, "Ana Lima")
    quote = ws.quotes.add(case, "nothing was decided before the vote").id
    for attempt in range(3):

        def rekeying() -> None:
            ws.rekey.run(PASSPHRASE)

        def quoting(a: int = attempt) -> None:
            for n in range(6):
                ws.quotes.update(quote, QuoteEdit(notes=f"q{a} {n}"))

        def naming(a: int = attempt) -> None:
            for n in range(4):
                ws.people.add(case, f"Person {a} {n}")

        def dating(a: int = attempt) -> None:
            for n in range(4):
                ws.timeline.add_entry(case, when="2024-01-02", title=f"e{a} {n}")

        at_once(rekeying, quoting, naming, dating)
    assert ws.quotes.get(quote).notes == "q2 5"
    assert len(ws.people.of_case(case)) == 13
    assert ws.vault.case_problems(case) == []
    _clean(ws)


def test_an_edit_right_after_a_case_is_re_encrypted_is_sealed_under_its_new_key(
    workspace: Workspace,
) -> None:
    """An edit of the case that commits the moment its re-encryption has committed (it waited
    for the write lock) seals and signs under the case's new key: the new key was taken into
    use only after that commit had returned, and the edit, sealed under the old one, was told
    the case was altered."""
    ws = workspace
    case = ws.cases.create("Switched").id
    quote = ws.quotes.add(case, "nothing was decided before the vote").id
    failures: list[BaseException] = []
    edits: list[str] = []
    busy = threading.Lock()

    def edit(note: str) -> None:
        try:
            ws.quotes.update(quote, QuoteEdit(notes=note))
            edits.append(note)
        except BaseException as exc:
            failures.append(exc)

    def right_after(changes: set[tuple[str, str | None, str]]) -> None:
        switched = any(t == "audit_entry" and c == case for t, c, _row in changes)
        if switched and busy.acquire(blocking=False):  # not the edit's own commit
            try:
                editor = threading.Thread(target=edit, args=(f"after {len(edits)}",))
                editor.start()
                editor.join()
            finally:
                busy.release()

    ws.vault.add_commit_listener(right_after)
    ws.rekey.run(PASSPHRASE)
    assert failures == []
    assert edits  # the case's switch committed, and an edit right after it
    assert ws.quotes.get(quote).notes == edits[-1]
    assert ws.vault.case_problems(case) == []
    _clean(ws)


def test_a_passphrase_change_waits_on_no_one_who_waits_for_it(workspace: Workspace) -> None:
    """What a passphrase change's commit tells its listeners (the search index, the screen
    masks) runs once it lets reads go on: a listener waiting for a lock held by a thread that
    waits to read a case's key waited forever."""
    ws = workspace
    case = ws.cases.create("Unopened").id
    ws.vault.keyring.forget_case(case)  # its key not unwrapped yet in this session
    held = threading.Lock()
    holding = threading.Event()
    failures: list[BaseException] = []
    told: list[bool] = []

    def opening() -> None:
        with held:  # as the search service holds its own lock while it opens a case's index
            holding.set()
            try:
                ws.vault.case_keys(case)
            except BaseException as exc:
                failures.append(exc)

    def listening(changes: set[tuple[str, str | None, str]]) -> None:
        if told or not any(table == "case" for table, _c, _r in changes):
            return
        told.append(True)
        threading.Thread(target=opening).start()
        # The thread holds its lock and asks for the case's key (a fixed 0.05 s let a loaded
        # machine take the lock first, and the test proved nothing).
        if not holding.wait(timeout=60):
            failures.append(TimeoutError("the thread that asks for the case's key never ran"))
            return
        if not held.acquire(timeout=60):
            failures.append(TimeoutError("the change's listener waited for a waiting reader"))
            return
        held.release()

    ws.vault.add_commit_listener(listening)
    ws.keys.change_passphrase("a new long passphrase", TEST_ONLY_FAST)
    with held:  # the opening thread is done
        pass
    assert told
    assert failures == []
    _clean(ws)

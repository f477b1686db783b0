"""When a batch's group is committed by the time its files have waited: a group due by time
with the batch's last few files coming at its pace waits for them (a loaded machine reading a
batch a little past `GROUP_SECONDS` committed it twice, its second small group indexed apart),
and a file waits twice `GROUP_SECONDS` at most, however long the batch."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from dossier.services.documents import group as group_module
from dossier.services.dto import ImportOutcome
from dossier.services.workspace import Workspace
from tests.core.services.documents.test_group_commit import _notes


def _read_at_pace(monkeypatch: pytest.MonkeyPatch, seconds: float) -> list[float]:
    """A clock for the groups that moves `seconds` as each file is read; the times read."""
    now = [0.0]
    monkeypatch.setattr(group_module, "time", SimpleNamespace(monotonic=lambda: now[0]))
    added = group_module.ImportGroup.add

    def add(self: group_module.ImportGroup, *args: object, **kwargs: object) -> None:
        now[0] += seconds
        added(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(group_module.ImportGroup, "add", add)
    return now


def _commits(workspace: Workspace) -> list[int]:
    commits: list[int] = []
    workspace.vault.add_commit_listener(
        lambda changes: commits.append(sum(1 for t, _c, _r in changes if t == "document"))
    )
    return commits


@pytest.mark.parametrize(("files", "pace"), [(5, 0.35), (8, 0.18), (4, 0.6)])
def test_a_batch_read_a_little_past_its_group_s_time_is_one_commit(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: int, pace: float
) -> None:
    case = workspace.cases.create("Notes").id
    paths = _notes(tmp_path / "notes", files)
    _read_at_pace(monkeypatch, pace * group_module.GROUP_SECONDS)
    commits = _commits(workspace)
    outcomes = workspace.documents.import_many(case, paths, ocr=False)
    assert all(o.document is not None for o in outcomes)
    assert [n for n in commits if n] == [files]


@pytest.mark.parametrize("pace", [0.35, 0.15, 0.6])
def test_no_file_of_a_long_batch_waits_past_twice_its_group_s_time(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pace: float
) -> None:
    case = workspace.cases.create("Notes").id
    paths = _notes(tmp_path / "notes", 30)
    now = _read_at_pace(monkeypatch, pace * group_module.GROUP_SECONDS)
    read: dict[str, float] = {}
    heard: list[tuple[str, float]] = []
    real_add = group_module.ImportGroup.add

    def add(self: group_module.ImportGroup, incoming: object, *args: object) -> None:
        real_add(self, incoming, *args)  # type: ignore[arg-type]
        read[str(getattr(incoming, "name", ""))] = now[0]

    monkeypatch.setattr(group_module.ImportGroup, "add", add)

    def reported(outcome: ImportOutcome) -> None:
        heard.append((Path(outcome.path).name, now[0]))

    commits = _commits(workspace)
    workspace.documents.import_many(case, paths, ocr=False, on_outcome=reported)
    assert len(heard) == 30
    limit = 2 * group_module.GROUP_SECONDS + pace * group_module.GROUP_SECONDS
    assert max(at - read[name] for name, at in heard) <= limit
    assert len([n for n in commits if n]) > 1


def test_files_read_before_a_long_last_file_are_not_held_while_it_is_read(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wait for a batch's last files is weighed by their bytes, not their count: quick
    notes and then a file forty times as long (a huge PDF) held the notes uncommitted,
    unreported and lost to a crash, for as long as it took."""
    case = workspace.cases.create("Notes").id
    folder = tmp_path / "notes"
    folder.mkdir()
    paths = []
    for n, size in enumerate([1_000] * 5 + [40_000]):
        path = folder / f"note{n}.txt"
        path.write_text(
            f"Note {n}. " + ("Le préfet a reçu la délégation. " * 2_000)[:size], encoding="utf-8"
        )
        paths.append(path)
    per_byte = 0.3 * group_module.GROUP_SECONDS / 1_000
    now = [0.0]
    monkeypatch.setattr(group_module, "time", SimpleNamespace(monotonic=lambda: now[0]))
    real_add = group_module.ImportGroup.add
    read: dict[str, float] = {}

    def add(self: group_module.ImportGroup, incoming: object, root: object, *args: object) -> None:
        now[0] += per_byte * group_module._tree_size(root)  # type: ignore[arg-type]
        real_add(self, incoming, root, *args)  # type: ignore[arg-type]
        read[str(getattr(incoming, "name", ""))] = now[0]

    monkeypatch.setattr(group_module.ImportGroup, "add", add)
    heard: dict[str, float] = {}

    def reported(outcome: ImportOutcome) -> None:
        heard[Path(outcome.path).name] = now[0]

    workspace.documents.import_many(case, paths, ocr=False, on_outcome=reported)
    assert len(heard) == 6
    # The fifth, read just before the long file, is in a group as young as it (as before
    # 69d818b: a group is not due until it is `GROUP_SECONDS` old).
    waits = [heard[f"note{n}.txt"] - read[f"note{n}.txt"] for n in range(4)]
    assert max(waits) <= 2 * group_module.GROUP_SECONDS

"""The app refuses what is not a regular file, with the core's one sentence, batch going on."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.ui.conftest import sample_pdf
from ui.case.import_dialog import ImportRequest
from ui.case.import_panel import DONE, FAILED

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file kinds")


def test_a_symlink_and_a_fifo_are_refused_in_the_app(qtbot, unlocked, tmp_path: Path) -> None:
    win = unlocked
    secret = tmp_path / "outside" / "passwd"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:secret\n", encoding="utf-8")
    link = tmp_path / "in" / "symlink.txt"
    link.parent.mkdir()
    link.symlink_to(secret)
    fifo = tmp_path / "in" / "pipe.txt"
    os.mkfifo(fifo)
    good = sample_pdf(tmp_path / "in")
    requests = [ImportRequest(link), ImportRequest(fifo), ImportRequest(good)]
    with qtbot.waitSignal(win.imports.batch_finished, timeout=60000):
        rows = win.imports.enqueue(win.state.case_id, requests)
    assert [r.state for r in rows] == [FAILED, FAILED, DONE]
    assert "symbolic link" in rows[0].reason and "passwd" in rows[0].reason
    assert "named pipe" in rows[1].reason
    docs = win.state.ws.documents.of_case(win.state.case_id)
    assert [d.filename for d in docs] == [good.name]

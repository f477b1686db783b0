"""A case named after a protected person shows the pseudonym in the app's case list, its
tooltip, the rename box and the delete confirmation, until real names are revealed."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


def test_the_case_list_masks_a_protected_name(qtbot, unlocked, monkeypatch) -> None:
    win = unlocked
    ws = win.state.ws
    case_id = win.state.case_id
    ws.people.add(case_id, "Wilhelmina Quartermaine", protection="protected", pseudonym="Source A")
    ws.cases.update(case_id, name="Affaire Quartermaine", description="Pour Quartermaine")
    win.cases.reload()
    items = [win.cases.list.item(i) for i in range(win.cases.list.count())]
    shown = [text for item in items for text in (item.text(), item.toolTip())]
    assert any("Affaire Source A" in text for text in shown), shown
    assert not any("quartermaine" in text.casefold() for text in shown), shown
    asked: list[str] = []
    monkeypatch.setattr(win.cases, "ask_name", lambda _t, _l, name: asked.append(name))
    win.cases.rename_action.trigger()
    boxes: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box.text()) or 0)
    win.cases.delete_action.trigger()
    assert asked == ["Affaire Source A"] and boxes and "Quartermaine" not in boxes[0]
    assert "quartermaine" not in win.windowTitle().casefold()
    ws.screen.reveal(case_id)
    win.cases.reload()
    assert "Affaire Quartermaine" in win.cases.list.item(0).text()

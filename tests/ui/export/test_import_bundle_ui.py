"""File > Import a bundle: a bundle from a signer never seen here shows the fingerprint and is
imported only after an explicit yes; the key is remembered for the next bundle."""

from __future__ import annotations

from pathlib import Path

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.export.dto import ExportRequest
from dossier.services.export.signers import known_signers
from dossier.services.workspace import Workspace
from tests.core.export.test_export_bundle import build_case
from ui.export.import_bundle_dialog import ImportBundleDialog


def _foreign_bundle(tmp_path: Path) -> tuple[Path, str]:
    with Workspace.create(
        tmp_path / "Sender.dossier", "the sender's passphrase", TEST_ONLY_FAST
    ) as ws:
        built = build_case(ws, tmp_path)
        out = tmp_path / "received.zip"
        ws.exports.export(ExportRequest(case=built.case_id, out=out))
        return out, ws.exports.fingerprint()


def test_an_unknown_signer_needs_an_explicit_yes(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    bundle, fingerprint = _foreign_bundle(tmp_path)
    before = {c.id for c in win.state.ws.cases.all()}
    dialog = ImportBundleDialog(win.state, win)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(bundle))
    dialog.case_name.setText("Reçu de la rédaction")
    dialog.run_import()
    qtbot.waitUntil(lambda: not dialog.trust.isHidden(), timeout=15000)
    assert fingerprint in dialog.report_view.toPlainText()
    assert {c.id for c in win.state.ws.cases.all()} == before  # nothing written
    dialog.trust.setChecked(True)
    with qtbot.waitSignal(win.state.cases_changed, timeout=30000):
        dialog.run_import()
    assert dialog.imported is not None and dialog.imported.fingerprint == fingerprint
    assert "Reçu de la rédaction" in {c.name for c in win.state.ws.cases.all()}
    assert fingerprint in known_signers(win.state.ws)
    assert win.workflows.actions()["import_bundle"].isEnabled()

"""In the window: a served bundle says which of its documents changed since it was served,
rebuilds to the file that was served, the serve dialog explains what serving freezes, and a
build whose served content is gone is refused with the document named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gui_helpers import bundles_page, unlock

from served_fixture import replace_alpha, serve_case, sha256
from support import ADMIN, ADMIN_PASS


def _build(qtbot, tab, out: Path) -> Any:  # type: ignore[no-untyped-def]
    op = tab.build(out)
    qtbot.waitUntil(lambda: op.done, timeout=30000)
    return op


def test_served_bundle_in_the_window(qtbot, make_window, vault_folder: Path, tmp_path: Path) -> None:
    from clinic_app.services.session import unlock as open_vault

    with open_vault(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        entry, served = serve_case(s, tmp_path)
        replace_alpha(s, tmp_path)  # a longer file now holds d-alpha's record
    window = make_window(vault_folder)
    unlock(qtbot, window)
    tab = bundles_page(window, "m-1")
    qtbot.waitUntil(lambda: tab.current_ref() == "b-s" and tab.frozen.isVisible(), timeout=10000)
    note = tab.frozen.text()
    assert "read-only" in note and "Changed since it was served: \u2068Alpha\u2069 (d-alpha)" in note
    assert "keeps the version that was served" in note and "Bravo" not in note

    again = tmp_path / "out" / "again.pdf"
    again.parent.mkdir()
    op = _build(qtbot, tab, again)
    assert op.error is None, op.error
    assert sha256(again) == sha256(served)  # the served content, not the replacement

    dialog = tab.mark_served()  # served again (e.g. on another party): the dialog says what is frozen
    assert dialog is not None and dialog.isVisible()
    warning = dialog.warning.text()
    assert "exact version of each document" in warning and "supplementary bundle" in warning
    dialog.reject()

    old = entry.snapshot["sources"]["d-alpha"]["sha256"]
    from clinic_app.gui.tasks import Op

    gone = Op(window.runner, lambda job: job.session.vault.conn.execute(
        "DELETE FROM blobs WHERE sha256 = ?", (old,)).rowcount, writes=True).run()  # as in a damaged vault
    qtbot.waitUntil(lambda: gone.done, timeout=10000)
    assert gone.error is None and gone.result == 1
    refused = tmp_path / "out" / "refused.pdf"
    op = _build(qtbot, tab, refused)
    assert op.error is not None and not refused.exists()
    message = tab.note.text()
    assert "d-alpha “Alpha”" in message and "served version" in message and "Nothing was written" in message

"""An older vault.db put back in the folder: the window says so, with dates, and the person chooses."""

from __future__ import annotations

import shutil
from pathlib import Path

from gui_helpers import wait_idle
from PySide6.QtCore import Qt

from support import ADMIN, ADMIN_PASS, folder_digest


def _newer_records(folder: Path) -> None:
    from clinic_app.domain.client import Client
    from clinic_app.services import case_record
    from clinic_app.services.session import unlock

    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-newer", legal_name="Added After The Copy"))


def test_older_copy_is_named_and_opened_only_when_chosen(qtbot, make_window, vault_folder: Path,
                                                         tmp_path: Path) -> None:
    shutil.copy2(vault_folder / "vault.db", tmp_path / "old.db")
    _newer_records(vault_folder)
    shutil.copy2(tmp_path / "old.db", vault_folder / "vault.db")
    before = folder_digest(vault_folder)

    window = make_window(vault_folder)
    page = window.unlock_page
    assert not page.open_older_button.isVisible()
    page.user.setCurrentText(ADMIN)
    page.passphrase.setText(ADMIN_PASS)
    qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.open_older_button.isVisible, timeout=15000)
    assert "older copy" in page.error.text() and "UTC" in page.error.text()
    assert window.desk is None and page.passphrase.text() == ADMIN_PASS  # a choice, not a retry
    assert folder_digest(vault_folder) == before  # nothing was written before the choice

    qtbot.mouseClick(page.open_older_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.desk is not None, timeout=15000)
    wait_idle(qtbot, window)
    window.lock_now()
    wait_idle(qtbot, window)

    page.user.setCurrentText(ADMIN)  # accepted once: the next unlock is an ordinary one
    page.passphrase.setText(ADMIN_PASS)
    qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.desk is not None, timeout=15000)
    assert not page.open_older_button.isVisible()

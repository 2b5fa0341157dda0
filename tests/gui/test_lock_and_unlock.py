"""First run, unlock, wrong passphrase, Ctrl+L and auto-lock, driven through the real window."""

from __future__ import annotations

import re
from pathlib import Path

from gui_helpers import MARKER, activate, all_texts, marker_visible, unlock, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from support import ADMIN, ADMIN_PASS, folder_digest


def test_first_run_creates_the_vault_and_shows_the_recovery_key_once(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(tmp_path / "new-vault")
    page = window.first_run
    assert window.stack.currentWidget() is page and window.windowTitle().startswith("Haven")
    page.user.setText("amira")
    page.passphrase.setText("short")
    page.confirm.setText("short")
    page.create()
    assert "12 characters" in page.error.text()  # the meter's verdict, nothing created
    assert not (tmp_path / "new-vault").exists()
    page.passphrase.setText(ADMIN_PASS)
    page.confirm.setText(ADMIN_PASS + "x")
    page.create()
    assert "different" in page.error.text()
    QTest.keyClicks(page.confirm, ADMIN_PASS)
    QTest.keyClick(page.confirm, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.desk is not None, timeout=15000)
    dialog = window.recovery_dialog
    key = dialog.key_label.text()
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){7}", key) or len(key.split("-")) == 8, key
    sheet = tmp_path / "sheet.pdf"
    dialog.save_pdf(str(sheet))
    assert sheet.read_bytes().startswith(b"%PDF")
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()
    dialog.confirm.setChecked(True)
    ok.click()
    assert not dialog.isVisible() and dialog.key_label.text() == ""
    assert window.windowTitle().startswith("Haven") and "amira" in window.windowTitle()
    assert window.opened is not None and window.opened.role == "admin"
    assert not any(key in t for t in all_texts())


def test_wrong_passphrase_shows_an_error_and_changes_nothing(qtbot, make_window, vault_folder: Path) -> None:
    window = make_window(vault_folder)
    assert window.stack.currentWidget() is window.unlock_page
    before = folder_digest(vault_folder)
    page = window.unlock_page
    page.user.setCurrentText(ADMIN)
    page.passphrase.setText("not the passphrase at all")
    page.unlock()
    qtbot.waitUntil(lambda: "Wrong" in page.error.text(), timeout=15000)
    assert window.desk is None and page.passphrase.text() == ""
    assert folder_digest(vault_folder) == before
    unlock(qtbot, window)
    assert window.stack.currentWidget() is window.desk


def test_ctrl_l_locks_and_leaves_no_client_text(qtbot, make_window, marked_vault: Path) -> None:
    window = make_window(marked_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: marker_visible(), timeout=5000)
    activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.unlock_page
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: not marker_visible(), timeout=5000)
    assert window.runner._state.session is None  # the key is gone with the session
    assert window.windowTitle() == "Haven" and window.undo.count() == 0


def test_auto_lock_after_idle_clears_every_widget(qtbot, make_window, marked_vault: Path) -> None:
    window = make_window(marked_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    ws = window.desk.current_workspace()
    wait_idle(qtbot, window)
    ws.setCurrentWidget(ws.letters)
    QTest.keyClicks(ws.letters.form.writer, f"Unsaved {MARKER}")  # an unsaved edit is discarded too
    window.clipboard.copy(f"1234-5678 {MARKER}")
    assert marker_visible()
    # A second of idleness from here, not from the unlock: a slow start (unlock, opening the
    # matter) must not lock the window while the test is still typing into it.
    window.inactivity.set_timeout(1)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.unlock_page, timeout=4000)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: not marker_visible(), timeout=5000)
    assert window.runner._state.session is None
    assert "inactivity" in window.unlock_page.notice.text()
    unlock(qtbot, window)  # and the vault opens again as usual
    assert window.desk is not None


def test_screen_lock_or_sleep_signal_locks(qtbot, make_window, marked_vault: Path) -> None:
    window = make_window(marked_vault)
    unlock(qtbot, window)
    window.system_lock.on_bool(False)  # screensaver off: nothing happens
    assert window.desk is not None
    window.system_lock.on_bool(True)  # what logind PrepareForSleep / ScreenSaver.ActiveChanged deliver
    assert window.desk is None and window.stack.currentWidget() is window.unlock_page
    wait_idle(qtbot, window)
    assert window.runner._state.session is None


def test_the_recovery_key_stays_until_confirmed_through_escape_close_and_auto_lock(qtbot, make_window,
                                                                                  tmp_path: Path) -> None:
    window = make_window(tmp_path / "new-vault")
    page = window.first_run
    page.user.setText("amira")
    page.passphrase.setText(ADMIN_PASS)
    page.confirm.setText(ADMIN_PASS)
    page.create()
    qtbot.waitUntil(lambda: window.desk is not None, timeout=15000)
    dialog = window.recovery_dialog
    qtbot.waitUntil(dialog.isVisible)
    key = dialog.key_label.text()
    assert key and not dialog.confirm.isChecked()

    dialog.activateWindow()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)  # refused: the key would be gone for good
    assert dialog.isVisible() and dialog.key_label.text() == key
    assert dialog.reminder.isVisible() and "tick the box" in dialog.reminder.text()
    dialog.close()  # the title bar's close button: refused too
    assert dialog.isVisible() and dialog.key_label.text() == key

    # auto-lock: the vault locks and the key leaves the screen, but it is not lost
    window.inactivity.set_timeout(1)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.unlock_page, timeout=4000)
    wait_idle(qtbot, window)
    assert window.runner._state.session is None
    assert not dialog.isVisible() and not any(key in t for t in all_texts())

    unlock(qtbot, window, "amira", ADMIN_PASS)  # the administrator who created the vault sees it again
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert dialog.key_label.text() == key
    dialog.confirm.setChecked(True)
    dialog.buttons.buttons()[0].click()
    assert not dialog.isVisible() and not any(key in t for t in all_texts())

    window.lock_now()  # confirmed: it is not shown again
    unlock(qtbot, window, "amira", ADMIN_PASS)
    assert not dialog.isVisible() and dialog.key_label.text() == ""


def test_matter_forms_cancelled_or_left_open_keep_no_client_text_after_auto_lock(qtbot, make_window,
                                                                                 marked_vault: Path) -> None:
    from clinic_app.gui.dialogs.matter_form import MatterForm
    from PySide6.QtWidgets import QApplication

    def open_form() -> MatterForm:
        qtbot.waitUntil(lambda: any(isinstance(w, MatterForm) and w.isVisible()
                                    for w in QApplication.topLevelWidgets()), timeout=5000)
        return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MatterForm) and w.isVisible())

    window = make_window(marked_vault)
    unlock(qtbot, window)
    window.desk.home.new_matter_button.click()  # New matter…, cancelled once the clients are listed
    form = open_form()
    qtbot.waitUntil(lambda: form.client.count() == 1, timeout=5000)
    assert MARKER in form.client.itemText(0)
    form.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert form.client.count() == 0
    window.action_map["new_matter"].trigger()  # cancelled before the client list arrives
    open_form().reject()
    window.open_matter("m-001")  # Edit matter…, left open
    wait_idle(qtbot, window)
    ws = window.desk.current_workspace()
    ws.overview.edit_matter.click()
    form = open_form()
    qtbot.waitUntil(lambda: form.client.count() == 1, timeout=5000)
    assert MARKER in form.title.text()

    window.inactivity.set_timeout(1)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.unlock_page, timeout=4000)
    wait_idle(qtbot, window)
    assert not form.isVisible()
    leftovers = [t for t in all_texts() if MARKER in t]
    assert leftovers == []

"""What a screen reader says for the outcome of the recovery, Check vault and Audit log dialogs.

A label's accessible name replaces its text for assistive technology: a label named "Result"
was read as "Result", never as "The vault is intact.". Each outcome's text must be what is read
(its name), with the label's purpose as its description.
"""

from __future__ import annotations

from gui_helpers import unlock, wait_idle
from PySide6.QtGui import QAccessible

from support import ADMIN
from test_recovery_and_check_window import WRONG_KEY, _check, _fill, _finished, _ok, _open_recovery


def _read(widget) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    face = QAccessible.queryAccessibleInterface(widget)
    return face.text(QAccessible.Text.Name), face.text(QAccessible.Text.Description)


def test_a_wrong_recovery_key_is_read_out_not_just_error(qtbot, make_window, new_vault) -> None:
    folder, _key = new_vault()
    window = make_window(folder)
    dialog = _open_recovery(qtbot, window)
    _fill(dialog, WRONG_KEY, admin=ADMIN)
    _ok(dialog)
    _finished(qtbot, window, dialog)
    name, description = _read(dialog.error)
    assert "does not open this vault" in name
    assert description == "Error"


def test_check_vault_and_audit_log_outcomes_are_read_out(qtbot, make_window, new_vault) -> None:
    folder, _key = new_vault()
    window = make_window(folder)
    unlock(qtbot, window)
    dialog = _check(qtbot, window)
    assert _read(dialog.summary) == ("The vault is intact.", "Result")
    dialog.reject()

    window.action_map["audit_log"].trigger()
    audit = window.admin_dialog
    qtbot.waitUntil(lambda: audit.loaded and window.runner.pending == 0, timeout=10000)
    name, description = _read(audit.message)
    assert name.endswith("entries.") and description == "Audit log message"
    audit.verify_button.click()
    qtbot.waitUntil(audit.verify_button.isEnabled, timeout=10000)
    wait_idle(qtbot, window)
    name, description = _read(audit.result)
    assert name.startswith("The audit log is intact") and description == "Verification result"


def test_a_wrong_passphrase_on_the_unlock_page_is_read_out(qtbot, make_window, new_vault) -> None:
    folder, _key = new_vault()
    window = make_window(folder)
    page = window.unlock_page
    page.user.setCurrentText(ADMIN)
    page.passphrase.setText("not the passphrase at all")
    page.unlock_button.click()
    qtbot.waitUntil(page.unlock_button.isEnabled, timeout=15000)
    wait_idle(qtbot, window)
    assert _read(page.error) == ("Wrong user name or passphrase. Nothing was changed.", "Unlock error")

"""The recovery key from the unlock page, and Vault → Check vault, driven through the real window."""

from __future__ import annotations

import io
import os
from pathlib import Path

from gui_helpers import unlock, wait_idle
from PySide6.QtWidgets import QDialogButtonBox

from support import ADMIN, ADMIN_PASS, folder_digest

NEW_PASS = "orange kettles sing beneath quiet bridges"
WRONG_KEY = "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"


def _open_recovery(qtbot, window):  # type: ignore[no-untyped-def]
    page = window.unlock_page
    assert page.forgot_button.isVisible() and "&recovery key" in page.forgot_button.text()
    page.forgot_button.click()
    dialog = page.recover_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    return dialog


def _fill(dialog, key: str, new: str = NEW_PASS, again: str | None = None, admin: str | None = None) -> None:
    if admin is not None:
        dialog.admin.setText(admin)
    dialog.key.setText(key)
    dialog.new.passphrase.setText(new)
    dialog.new.confirm.setText(new if again is None else again)


def _ok(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def _finished(qtbot, window, dialog) -> None:
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled() or not dialog.isVisible(), timeout=15000)


def test_a_forgotten_admin_passphrase_is_reset_with_the_recovery_key_on_the_locked_window(
        qtbot, make_window, new_vault) -> None:
    from clinic_app.services import audit_log
    from clinic_app.services.session import unlock as open_vault

    folder, key = new_vault()
    before = folder_digest(folder)
    window = make_window(folder)
    assert window.desk is None  # locked: the unlock page
    window.unlock_page.user.setCurrentText(ADMIN)
    dialog = _open_recovery(qtbot, window)
    assert dialog.admin.text() == ADMIN  # from the unlock page

    # the two new passphrases differ: refused before anything runs
    _fill(dialog, key, again=NEW_PASS + " typo")
    _ok(dialog)
    assert "different" in dialog.error.text() and dialog.isVisible()
    assert window.runner.pending == 0
    # too weak: the meter's words
    _fill(dialog, key, new="short", again="short")
    _ok(dialog)
    assert dialog.error.text() and dialog.error.text() == dialog.new.meter.label.text()
    assert window.runner.pending == 0
    # a wrong key: shown in words, and nothing in the folder changed
    _fill(dialog, WRONG_KEY)
    _ok(dialog)
    _finished(qtbot, window, dialog)
    assert dialog.isVisible()
    assert "Recovery key:" in dialog.error.text() and "does not open this vault" in dialog.error.text()
    assert dialog.key.text() == ""
    assert folder_digest(folder) == before
    # the right key, but for a user who is not an admin
    _fill(dialog, key, admin="nobody")
    _ok(dialog)
    _finished(qtbot, window, dialog)
    assert dialog.isVisible() and "nobody is not an admin of this vault" in dialog.error.text()
    assert folder_digest(folder) == before

    # the right key as a person types it from paper: lower case, spaces for dashes; the same key
    # sits on the clipboard, pasted from a password manager, and leaves it once it has been used
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().setText(key)
    _fill(dialog, key.lower().replace("-", " "), admin=ADMIN)
    _ok(dialog)
    _finished(qtbot, window, dialog)
    assert not dialog.isVisible(), dialog.error.text()
    assert QGuiApplication.clipboard().text() == ""
    assert dialog.key.text() == "" and dialog.new.passphrase.text() == "" and dialog.new.confirm.text() == ""
    page = window.unlock_page
    assert "has a new passphrase" in page.notice.text() and page.user.currentText() == ADMIN
    assert folder_digest(folder) != before

    # and the new passphrase unlocks through the unlock page
    page.passphrase.setText(NEW_PASS)
    page.unlock_button.click()
    qtbot.waitUntil(lambda: window.desk is not None, timeout=15000)
    assert window.opened is not None and window.opened.user == ADMIN
    window.lock_now()
    wait_idle(qtbot, window)
    with open_vault(folder, user=ADMIN, passphrase=NEW_PASS) as s:
        actions = [(e.actor, e.action, e.target) for e in audit_log.entries(s)]
    assert ("recovery-key", "recovery_used", ADMIN) in actions


def test_a_wrong_recovery_key_leaves_the_old_passphrase_working(qtbot, make_window, new_vault) -> None:
    folder, _key = new_vault()
    window = make_window(folder)
    dialog = _open_recovery(qtbot, window)
    _fill(dialog, WRONG_KEY.lower(), admin=ADMIN)
    _ok(dialog)
    _finished(qtbot, window, dialog)
    assert "does not open this vault" in dialog.error.text()
    dialog.reject()
    assert dialog.new.passphrase.text() == "" and dialog.new.confirm.text() == ""
    unlock(qtbot, window)  # the old passphrase still opens it
    assert window.opened is not None


def test_the_recovery_key_typed_in_full_width_by_an_input_method_is_the_key(qtbot, make_window, new_vault) -> None:
    """A Chinese or Japanese input method left in full-width types ＡＢＣＤ－２３４５; the right
    key was refused as one that 'does not open this vault'."""
    folder, key = new_vault()
    window = make_window(folder)
    dialog = _open_recovery(qtbot, window)
    wide = "".join(chr(ord(ch) + 0xFEE0) for ch in key)  # ASCII → full-width forms
    _fill(dialog, wide, admin=ADMIN)
    _ok(dialog)
    _finished(qtbot, window, dialog)
    assert not dialog.isVisible(), dialog.error.text()
    assert "has a new passphrase" in window.unlock_page.notice.text()


def test_escape_while_the_key_is_checked_does_not_hide_a_change_still_being_made(
        qtbot, make_window, new_vault) -> None:
    """Cancel is greyed while the key is checked, but Escape closed the dialog as if cancelled,
    and the new passphrase was set behind it all the same."""
    from PySide6.QtCore import Qt

    folder, key = new_vault()
    window = make_window(folder)
    dialog = _open_recovery(qtbot, window)
    _fill(dialog, key, admin=ADMIN)
    _ok(dialog)
    assert window.runner.pending == 1 and not dialog.buttons.isEnabled()
    qtbot.keyClick(dialog.key, Qt.Key.Key_Escape)
    assert dialog.isVisible() and "Checking the recovery key" in dialog.error.text()
    _finished(qtbot, window, dialog)
    assert not dialog.isVisible()  # closed by its outcome, which the unlock page then says
    assert "has a new passphrase" in window.unlock_page.notice.text()
    assert dialog.key.text() == "" and dialog.new.passphrase.text() == ""
    # and once it is done, Escape closes it again
    dialog = _open_recovery(qtbot, window)
    qtbot.keyClick(dialog.key, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def _check(qtbot, window):  # type: ignore[no-untyped-def]
    action = window.action_map["check"]
    assert action.isVisible() and action.isEnabled() and action.text() == "Chec&k vault…"
    action.trigger()
    dialog = window.admin_dialog
    qtbot.waitUntil(lambda: dialog.shown is not None, timeout=30000)
    wait_idle(qtbot, window)
    return dialog


def test_check_vault_reports_a_healthy_vault_as_intact(qtbot, make_window, new_vault) -> None:
    folder, _key = new_vault()
    window = make_window(folder)
    assert not window.action_map["check"].isEnabled()  # needs the vault open
    unlock(qtbot, window)
    dialog = _check(qtbot, window)
    text = dialog.report.toPlainText()
    assert dialog.shown.ok and "Vault is intact (schema" in text
    assert "What is wrong" not in text and "The audit log: its chain is intact." in text
    assert dialog.summary.text() == "The vault is intact."


def test_check_vault_names_the_damaged_page_and_the_backup_to_restore(qtbot, make_window, new_vault,
                                                                      tmp_path: Path) -> None:
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.services import backup as backups
    from clinic_app.services import evidence
    from clinic_app.services.session import unlock as open_vault
    from clinic_app.vault.pages import PAGE_SIZE

    folder, _key = new_vault()
    saved = tmp_path / "backups"
    saved.mkdir()
    with open_vault(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        evidence.store_document(s, io.BytesIO(os.urandom(50_000)), DocumentMeta(ref="d-1", title="Doc"), [])
        good = backups.make_backup(s, saved).path
    page = (folder / "vault.db").stat().st_size // PAGE_SIZE - 2
    with open(folder / "vault.db", "r+b") as fh:  # one bit flipped on disk, as tests/reliability do
        fh.seek((page - 1) * PAGE_SIZE + 10)
        byte = fh.read(1)
        fh.seek((page - 1) * PAGE_SIZE + 10)
        fh.write(bytes([byte[0] ^ 0x01]))
    window = make_window(folder)
    window.settings.backup_folder = str(saved)
    unlock(qtbot, window)
    dialog = _check(qtbot, window)
    window.settings.backup_folder = ""  # no automatic backup of a damaged vault at close
    text = dialog.report.toPlainText()
    assert not dialog.shown.ok
    assert f"Damaged pages: {page}" in text
    assert "The vault is damaged. Restore it from a backup." in text
    assert f"Newest good backup: {good}" in text and "Restore from backup" in text
    assert "problems" in dialog.summary.text()


def test_the_unlock_page_and_vault_menu_keep_their_alt_letters_unique_in_both_languages(
        qtbot, make_window, new_vault) -> None:
    import pytest

    from clinic_app.gui.application import apply_language
    from test_mnemonics import _clashes, _letter

    folder, _key = new_vault()
    for lang in ("en", "fr"):
        apply_language(lang)
        try:
            window = make_window(folder)
            assert window.unlock_page.forgot_button.isVisible()
            assert _clashes(window) == {}, lang
            vault_menu = window.action_map["check"].associatedObjects()
            menu = next(m for m in vault_menu if hasattr(m, "title"))
            letters = [_letter(a.text()) for a in menu.actions() if a.text()]
            assert len(letters) == len(set(letters)), (lang, letters)
        finally:
            apply_language("en")
    with pytest.raises(AssertionError):  # the check above can fail: a clash is found when there is one
        assert not _clashes_with(window, window.unlock_page.forgot_button.text())


def _clashes_with(window, text: str) -> dict:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    from test_mnemonics import _clashes

    extra = QPushButton(text, window.unlock_page)
    extra.show()
    try:
        return _clashes(window)
    finally:
        extra.deleteLater()

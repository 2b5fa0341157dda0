"""Users, passphrase change, backup and restore, driven through the real dialogs on a real vault."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import unlock, wait_idle

from support import ADMIN, ADMIN_PASS, PASSES, folder_digest

from clinic_app.gui import file_dialogs

NEW_PASS = "orange kettles sing beneath quiet bridges"


def _answer(monkeypatch, module: str, answers: list[bool]) -> list[str]:
    """Answer the dialogs' confirmation questions in order; returns the questions asked."""
    import importlib

    asked: list[str] = []

    def confirm(_parent, _title: str, text: str, _action: str) -> bool:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(importlib.import_module(f"clinic_app.gui.dialogs.{module}"), "confirm", confirm)
    return asked


def _lock(qtbot, window) -> None:
    window.lock_now()
    wait_idle(qtbot, window)
    assert window.runner._state.session is None


def _open_as(folder: Path, user: str, passphrase: str):
    from clinic_app.services.session import unlock as open_vault

    return open_vault(folder, user=user, passphrase=passphrase)


def _users_dialog(qtbot, window, expected: int):
    window.action_map["users"].trigger()
    dialog = window.admin_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == expected, timeout=5000)
    return dialog


def test_admin_adds_a_volunteer_who_can_unlock_then_removes_them(qtbot, make_window, vault_folder: Path,
                                                                monkeypatch) -> None:
    from clinic_app.errors import AuthError

    window = make_window(vault_folder)
    unlock(qtbot, window)
    assert window.action_map["users"].isVisible() and window.action_map["users"].isEnabled()
    dialog = _users_dialog(qtbot, window, 1)
    assert dialog.table.item(0, 0).text() == ADMIN and dialog.table.item(0, 1).text() == "Admin"
    dialog.add()
    form = dialog.add_dialog
    form.name.setText("vic")
    form.role.setCurrentIndex(form.role.findData("volunteer"))
    form.new.passphrase.setText("short")
    form.new.confirm.setText("short")
    form.save()
    assert "12 characters" in form.error.text() and form.isVisible()  # refused like the first run
    form.new.passphrase.setText(PASSES["volunteer"])
    form.new.confirm.setText(PASSES["volunteer"] + "x")
    form.save()
    assert "different" in form.error.text()
    form.new.confirm.setText(PASSES["volunteer"])
    form.save()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=15000)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=5000)
    assert "Added vic as Volunteer." in dialog.note.text()
    assert {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(2)}["vic"] == "Volunteer"
    _lock(qtbot, window)
    with _open_as(vault_folder, "vic", PASSES["volunteer"]) as session:
        assert session.role.value == "volunteer"

    unlock(qtbot, window)
    dialog = _users_dialog(qtbot, window, 2)
    dialog.select(ADMIN)
    assert not dialog.remove_button.isEnabled()  # you cannot remove yourself
    asked = _answer(monkeypatch, "users_dialog", [True, False, True])
    dialog.remove()  # even when asked directly, the service refuses
    qtbot.waitUntil(lambda: "cannot remove yourself" in dialog.note.text(), timeout=5000)
    dialog.select("vic")
    assert dialog.remove_button.isEnabled()
    dialog.remove()  # answered Cancel: nothing happens
    wait_idle(qtbot, window)
    assert dialog.table.rowCount() == 2 and "vic" in asked[1]
    dialog.remove()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=15000)
    assert "Removed vic" in dialog.note.text() and dialog.table.item(0, 0).text() == ADMIN
    _lock(qtbot, window)
    with pytest.raises(AuthError):
        _open_as(vault_folder, "vic", PASSES["volunteer"]).lock()
    _open_as(vault_folder, ADMIN, ADMIN_PASS).lock()


def test_a_volunteer_changes_their_own_passphrase_but_sees_no_admin_entries(qtbot, make_window,
                                                                           vault_folder: Path) -> None:
    from clinic_app.domain.roles import Role
    from clinic_app.errors import AuthError
    from clinic_app.services.users import add_user

    with _open_as(vault_folder, ADMIN, ADMIN_PASS) as admin:
        add_user(admin, "vic", Role.VOLUNTEER, PASSES["volunteer"])
    window = make_window(vault_folder)
    assert window.action_map["restore"].isEnabled()  # reachable while locked
    unlock(qtbot, window, "vic", PASSES["volunteer"])
    for key in ("users", "backup", "restore"):
        assert not window.action_map[key].isVisible(), key
    assert window.action_map["passphrase"].isVisible() and window.action_map["passphrase"].isEnabled()
    window.action_map["passphrase"].trigger()
    dialog = window.admin_dialog
    dialog.current.setText("not my passphrase")
    dialog.new.passphrase.setText(NEW_PASS)
    dialog.new.confirm.setText(NEW_PASS)
    dialog.save()
    qtbot.waitUntil(lambda: "Wrong" in dialog.error.text(), timeout=15000)
    assert dialog.isVisible() and dialog.current.text() == ""
    dialog.current.setText(PASSES["volunteer"])
    dialog.new.passphrase.setText("password123")
    dialog.new.confirm.setText("password123")
    dialog.save()
    assert "guess" in dialog.error.text() or "12 characters" in dialog.error.text()
    dialog.new.passphrase.setText(NEW_PASS)
    dialog.new.confirm.setText(NEW_PASS)
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    assert window.statusBar().currentMessage() == "Passphrase changed."
    assert dialog.new.passphrase.text() == "" and dialog.current.text() == ""  # nothing kept in the widgets
    _lock(qtbot, window)
    with pytest.raises(AuthError):
        _open_as(vault_folder, "vic", PASSES["volunteer"]).lock()
    unlock(qtbot, window, "vic", NEW_PASS)
    assert window.opened is not None and window.opened.user == "vic"


def test_backup_to_a_file_then_restore_it_over_the_vault(qtbot, make_window, marked_vault: Path, tmp_path: Path,
                                                         monkeypatch) -> None:
    from clinic_app.domain.client import Client
    from clinic_app.errors import NotFound
    from clinic_app.gui.operations import records as record_ops
    from clinic_app.services import case_record

    window = make_window(marked_vault)
    unlock(qtbot, window)
    window.action_map["backup"].trigger()
    dialog = window.admin_dialog
    assert dialog.to_file.isChecked() and not dialog.to_folder.isEnabled()  # no backup folder set
    out = tmp_path / "saved" / "clinic"
    out.parent.mkdir()
    monkeypatch.setattr(file_dialogs, "save_file", lambda *a, **k: str(out))
    dialog.choose_file()
    assert dialog.path.text() == str(out) + ".havenbak"
    dialog.start()
    qtbot.waitUntil(lambda: dialog.done_path is not None, timeout=15000)
    backup = Path(str(out) + ".havenbak")
    assert dialog.done_path == backup and backup.is_file() and str(backup) in dialog.outcome.text()
    dialog.start()  # a second time to the same name: refused, the first file kept
    qtbot.waitUntil(lambda: "already exists" in dialog.outcome.text(), timeout=15000)
    dialog.reject()
    record_ops.save_client(window.runner, client=Client(ref="c-002", legal_name="Made after the backup"),
                           new=True).run()
    wait_idle(qtbot, window)

    window.action_map["restore"].trigger()  # locks first: restoring replaces the vault
    assert window.desk is None and window.stack.currentWidget() is window.unlock_page
    restore = window.admin_dialog
    monkeypatch.setattr(file_dialogs, "open_file", lambda *a, **k: str(backup))
    restore.choose_file()
    qtbot.waitUntil(lambda: restore.preview is not None, timeout=5000)
    assert [restore.user.itemText(i) for i in range(restore.user.count())] == [ADMIN]
    assert restore.made.text().startswith("Made ")
    wait_idle(qtbot, window)
    before = folder_digest(marked_vault)
    asked = _answer(monkeypatch, "backup_dialog", [False, True, True])
    restore.passphrase.setText(ADMIN_PASS)
    restore.start()  # answered Cancel
    wait_idle(qtbot, window)
    assert restore.isVisible() and folder_digest(marked_vault) == before
    assert str(marked_vault) in asked[0] and "kept, renamed" in asked[0]
    restore.passphrase.setText("not the passphrase at all")
    restore.start()
    qtbot.waitUntil(lambda: "Wrong" in restore.error.text(), timeout=15000)
    assert restore.isVisible() and folder_digest(marked_vault) == before
    restore.passphrase.setText(ADMIN_PASS)
    restore.start()
    qtbot.waitUntil(lambda: not restore.isVisible(), timeout=30000)
    notice = window.unlock_page.notice.text()
    assert "Restored the backup" in notice and "kept as" in notice
    aside = [p for p in marked_vault.parent.iterdir() if p.name.startswith(marked_vault.name + ".replaced-")]
    assert len(aside) == 1 and (aside[0] / "vault.db").is_file()  # moved aside, not deleted

    unlock(qtbot, window)
    assert window.desk is not None
    _lock(qtbot, window)
    with _open_as(marked_vault, ADMIN, ADMIN_PASS) as session:
        assert case_record.get_client(session, "c-001").legal_name.startswith("Ana ")
        with pytest.raises(NotFound):
            case_record.get_client(session, "c-002")  # made after the backup: gone with the restore
    with _open_as(aside[0], ADMIN, ADMIN_PASS) as session:
        assert case_record.get_client(session, "c-002").legal_name == "Made after the backup"


def test_backup_folder_warnings_and_restore_into_a_new_folder(qtbot, make_window, marked_vault: Path,
                                                              tmp_path: Path) -> None:
    from clinic_app.gui.dialogs.settings_dialog import SettingsDialog

    synced = tmp_path / "Dropbox" / "haven-backups"
    window = make_window(marked_vault)
    window.open_settings()
    settings = next(w for w in window.findChildren(SettingsDialog) if w.isVisible())
    settings.backup.setText(str(synced))
    settings.check_backup_folder()
    qtbot.waitUntil(lambda: "cloud" in settings.backup_warnings.text(), timeout=5000)
    settings.accept()
    assert window.settings.backup_folder == str(synced)

    unlock(qtbot, window)
    window.action_map["backup"].trigger()
    dialog = window.admin_dialog
    assert dialog.to_folder.isEnabled() and dialog.to_folder.isChecked()
    qtbot.waitUntil(lambda: "Dropbox" in dialog.warnings.text(), timeout=5000)
    dialog.start()  # the folder does not exist yet: it is made
    qtbot.waitUntil(lambda: dialog.done_path is not None, timeout=15000)
    assert dialog.done_path.parent == synced and dialog.done_path.suffix == ".havenbak"
    assert "cloud" in dialog.outcome.text()
    dialog.reject()
    _lock(qtbot, window)  # the lock's automatic backup goes there too

    fresh = make_window(tmp_path / "new-computer")
    assert fresh.stack.currentWidget() is fresh.first_run
    fresh.action_map["restore"].trigger()
    restore = fresh.admin_dialog
    qtbot.waitUntil(lambda: restore.recent.count() >= 1 and restore.preview is not None, timeout=5000)
    restore.passphrase.setText(ADMIN_PASS)
    restore.start()  # an empty place: nothing to replace, so nothing to confirm
    qtbot.waitUntil(lambda: not restore.isVisible(), timeout=30000)
    assert fresh.stack.currentWidget() is fresh.unlock_page
    assert "kept as" not in fresh.unlock_page.notice.text()
    unlock(qtbot, fresh)
    fresh.open_matter("m-001")
    wait_idle(qtbot, fresh)
    assert fresh.desk.current_workspace() is not None and fresh.desk.current_workspace().ref == "m-001"


def test_restore_list_says_which_backup_dates_could_not_be_verified(qtbot, tmp_path: Path) -> None:
    """A header that failed its MAC is labelled; with no key to check (locked), none is."""
    from clinic_app.gui.dialogs.backup_dialog import RestoreDialog
    from clinic_app.gui.operations import admin as admin_ops
    from clinic_app.gui.tasks import TaskRunner

    dialog = RestoreDialog(TaskRunner(), tmp_path / "vault", None)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "chosen.havenbak"))  # a file already chosen: the list inspects none
    dialog._list([admin_ops.BackupEntry(tmp_path / "a.havenbak", "2026-03-02T00:00:00+00:00", True, True),
                  admin_ops.BackupEntry(tmp_path / "b.havenbak", "2099-01-01T00:00:00+00:00", True, False),
                  admin_ops.BackupEntry(tmp_path / "c.havenbak", "2026-03-01T00:00:00+00:00", True, None)])
    texts = [dialog.recent.itemText(i) for i in range(dialog.recent.count())]
    assert ["not verified" in t for t in texts] == [False, True, False]

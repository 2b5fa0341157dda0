"""Sharing through the window, on real vaults and a real PostgreSQL: connect, invite, join,
Sync now on two windows, a conflict settled in the conflicts list, the offline state and the
automatic sync."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")
pytest.importorskip("pytestqt")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "gui"))

from gui_helpers import unlock, wait_idle  # noqa: E402
from window_fixtures import _empty_clipboard_after, make_window  # noqa: E402,F401 - the window fixtures

from support import ADMIN, ADMIN_PASS, PASSES  # noqa: E402


def _visible(cls):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()), None)


def _wait_dialog(qtbot, cls):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: _visible(cls) is not None, timeout=5000)
    return _visible(cls)


def _no_message_box() -> bool:
    from PySide6.QtWidgets import QMessageBox

    return _visible(QMessageBox) is None


def _sync(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Vault → Sync now, as a person chooses it, then wait for the round to end."""
    window.action_map["sync_now"].trigger()
    assert window.sharing.running
    qtbot.waitUntil(lambda: not window.sharing.running, timeout=30000)
    wait_idle(qtbot, window)


def _client_name(qtbot, window) -> str:  # type: ignore[no-untyped-def]
    from gui_helpers import in_vault

    from clinic_app.services.case_record import get_client

    return in_vault(qtbot, window, lambda s: get_client(s, "c-001").legal_name)


def _rename_client(qtbot, window, name: str) -> None:  # type: ignore[no-untyped-def]
    from clinic_app.gui.dialogs.client_form import ClientForm

    window.desk.home.edit_client("c-001")
    form = _wait_dialog(qtbot, ClientForm)
    form.name.setText(name)
    form.buttons.button(form.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10000)
    wait_idle(qtbot, window)


def _home_texts(window) -> list[str]:  # type: ignore[no-untyped-def]
    model = window.desk.home.table.model()
    return [str(model.index(r, c).data()) for r in range(model.rowCount()) for c in range(model.columnCount())]


def _admin_vault(tmp_path: Path) -> Path:
    from clinic_app.domain.client import Client
    from clinic_app.domain.roles import Role
    from clinic_app.services import case_record, users
    from clinic_app.services.session import create_vault

    folder = tmp_path / "office"
    session, _key = create_vault(folder, admin=ADMIN, passphrase=ADMIN_PASS, kdf_profile="fast")
    with session as s:
        users.add_user(s, "lena", Role.LAWYER, PASSES["lawyer"])
        case_record.save_client(s, Client(ref="c-001", legal_name="Amira Haddad"))
    return folder


@pytest.fixture
def no_early_sync(monkeypatch) -> None:
    """Only the rounds a test asks for: none of its own shortly after unlock."""
    from clinic_app.gui.sync_status import SyncController

    monkeypatch.setattr(SyncController, "after_unlock_ms", 3_600_000)


def test_connect_invite_join_sync_and_settle_a_conflict(qtbot, make_window, tmp_path: Path, server_url: str,
                                                        no_early_sync) -> None:
    from PySide6.QtGui import QGuiApplication

    from clinic_app.gui.dialogs.recovery import RecoveryKeyDialog
    from clinic_app.gui.dialogs.sync_conflicts import SyncConflictsDialog
    from clinic_app.gui.dialogs.sync_connect import ConnectDialog, InviteDialog
    from clinic_app.gui.dialogs.sync_join import JoinDialog

    office = make_window(_admin_vault(tmp_path))
    unlock(qtbot, office)
    qtbot.waitUntil(lambda: office.sharing.state == "not_connected", timeout=5000)
    assert office.sharing.button.isVisible() and office.sharing.button.text() == "Not connected"
    assert not office.action_map["sync_invite"].isEnabled() and office.action_map["sync_setup"].isEnabled()

    # an admin connects the vault: the dialog says what the server sees, then sets up and uploads
    office.action_map["sync_setup"].trigger()
    connect = _wait_dialog(qtbot, ConnectDialog)
    assert "will not see" in connect.sees.text()
    connect.url.setText(server_url)
    connect.start_button.click()
    qtbot.waitUntil(lambda: "Connected this vault" in connect.outcome.text(), timeout=30000)
    assert "Synced." in connect.outcome.text() and connect.error.text() == ""
    assert connect.url.text() == ""  # the owner's password does not stay in the dialog
    connect.reject()
    server = server_url.rsplit("@", 1)[1].split(":")[0] + "/" + server_url.rsplit("/", 1)[1]
    qtbot.waitUntil(lambda: office.sharing.state == "connected", timeout=5000)
    assert office.sharing.button.text().startswith(f"Connected to {server} — last sync ")
    assert office.action_map["sync_invite"].isEnabled() and not office.action_map["sync_setup"].isEnabled()

    # invite lena: the code is shown once, the file written, the code copied through the secure clipboard
    office.action_map["sync_invite"].trigger()
    invite = _wait_dialog(qtbot, InviteDialog)
    qtbot.waitUntil(lambda: invite.user.count() == 2, timeout=5000)
    invite.user.setCurrentIndex(invite.user.findData("lena"))
    invite.path.setText(str(tmp_path / "for-lena"))
    invite.start_button.click()
    qtbot.waitUntil(lambda: invite.code_label.isVisible(), timeout=30000)
    code = invite.code_label.text()
    file = tmp_path / "for-lena.haveninvite"
    assert len(code.replace("-", "")) == 32 and file.is_file() and code not in file.read_text()
    assert "in person or by phone" in invite.note.text()
    invite.copy_button.click()
    assert QGuiApplication.clipboard().text() == code and office.clipboard.holds_ours
    invite.reject()
    assert invite.code_label.text() == "" and invite.code == ""

    # lena joins from the first page of another window: a wrong code creates nothing
    lena_folder = tmp_path / "lena-laptop"
    laptop = make_window(lena_folder)
    assert laptop.stack.currentWidget() is laptop.first_run
    laptop.first_run.join_button.click()
    join = _wait_dialog(qtbot, JoinDialog)
    join.path.setText(str(file))
    join.code.setText("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    join.new.passphrase.setText(PASSES["lawyer"])
    join.new.confirm.setText(PASSES["lawyer"])
    join.buttons.button(join.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: "does not open this invitation" in join.error.text(), timeout=10000)
    assert not lena_folder.exists()
    join.code.setText(code)
    join.new.confirm.setText(PASSES["lawyer"])
    join.buttons.button(join.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: laptop.desk is not None, timeout=30000)
    assert _visible(RecoveryKeyDialog) is not None  # the new vault's recovery key, shown once
    laptop.recovery_dialog.accept()
    wait_idle(qtbot, laptop)
    assert laptop.windowTitle().endswith("lena (lawyer)")
    qtbot.waitUntil(lambda: laptop.sharing.state == "connected", timeout=5000)
    qtbot.waitUntil(lambda: "Amira Haddad" in _home_texts(laptop), timeout=5000)

    # an edit on the office laptop reaches lena's at the next Sync now on both
    _rename_client(qtbot, office, "Amira H. Haddad")
    _sync(qtbot, office)
    assert "records sent" in office.statusBar().currentMessage()
    _sync(qtbot, laptop)
    qtbot.waitUntil(lambda: "Amira H. Haddad" in _home_texts(laptop), timeout=5000)  # the list reloaded

    # the same field edited on both before they meet: a conflict, settled in the conflicts list
    _rename_client(qtbot, office, "Amira Haddad-Office")
    _rename_client(qtbot, laptop, "Amira Haddad-Court")
    _sync(qtbot, office)
    _sync(qtbot, laptop)
    assert laptop.sharing.state == "connected" and laptop.sharing.conflicts == 1
    assert laptop.sharing.button.text().endswith("— 1 conflict")
    assert "1 conflict needs a person" in laptop.statusBar().currentMessage()
    kept, other = "Amira Haddad-Court", "Amira Haddad-Office"  # the later edit is in use everywhere
    assert _client_name(qtbot, laptop) == kept
    laptop.action_map["sync_conflicts"].trigger()
    dialog = _wait_dialog(qtbot, SyncConflictsDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)
    row = [dialog.table.item(0, c).text() for c in range(5)]
    assert row[:4] == ["Client c-001", "Legal name", kept, other]
    assert row[4] == f"{ADMIN}'s laptop ({office.sharing.status.info['device']})"
    dialog.choices[0][1].click()  # use the other value
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=10000)
    assert "No conflicts" in dialog.message.text()
    assert _client_name(qtbot, laptop) == other
    qtbot.waitUntil(lambda: laptop.sharing.conflicts == 0, timeout=5000)
    dialog.reject()
    _sync(qtbot, laptop)
    _sync(qtbot, office)
    assert _client_name(qtbot, office) == other


def test_offline_without_a_message_box_then_connected_again(qtbot, make_window, tmp_path: Path, server_url: str,
                                                            pg_cluster, monkeypatch) -> None:
    from clinic_app.gui.sync_status import SyncController
    from laptops import admin_laptop

    monkeypatch.setattr(SyncController, "after_unlock_ms", 50)
    from clinic_app.services.sync import status

    office = admin_laptop(tmp_path, server_url)
    with office.session() as s:
        first = status.status(s)["last_sync"]
    window = make_window(office.folder)
    unlock(qtbot, window)
    # the automatic round shortly after unlock, then the next one on the usual timer
    qtbot.waitUntil(lambda: window.sharing.status.info["last_sync"] > first and not window.sharing.running,
                    timeout=20000)
    assert window.sharing.timer.isActive() and window.sharing.timer.interval() == SyncController.every_ms

    pg_cluster.pg_ctl("-m", "immediate", "stop")
    try:
        window.sharing.timer.timeout.emit()  # the automatic round comes due with the server gone
        assert window.sharing.state == "syncing"
        window.action_map["sync_now"].trigger()  # never two at once
        assert window.statusBar().currentMessage() == "Already syncing…"
        qtbot.waitUntil(lambda: window.sharing.state == "offline", timeout=20000)
        assert _no_message_box()
        assert window.sharing.button.text().startswith("Offline — last sync ")
        tip = window.sharing.button.toolTip()
        assert tip.startswith("The last attempt failed: Sharing with the clinic's server did not finish")
        assert "Haven tries again in 1 min" in tip
        assert window.sharing.timer.interval() == SyncController.backoff_ms[0]
        window.action_map["sync_now"].trigger()  # by hand: said in the status bar, still no message box
        qtbot.waitUntil(lambda: not window.sharing.running, timeout=20000)
        assert window.sharing.state == "offline" and _no_message_box()
        assert "did not finish" in window.statusBar().currentMessage()
        assert window.sharing.timer.interval() == SyncController.backoff_ms[1]  # less often after each failure
    finally:
        pg_cluster.resume()
    _sync(qtbot, window)
    assert window.sharing.state == "connected" and window.sharing.reason == ""
    assert window.sharing.button.text().startswith("Connected to 127.0.0.1/")

    window.lock_now()  # paused while locked
    assert window.sharing.state == "locked" and not window.sharing.timer.isActive()
    assert not window.sharing.button.isVisible()


def test_joining_while_the_server_is_down_opens_the_vault_offline(qtbot, make_window, tmp_path: Path,
                                                                   server_url: str, pg_cluster) -> None:
    from clinic_app.domain.roles import Role
    from clinic_app.gui.dialogs.sync_join import JoinDialog
    from clinic_app.services.sync import enrol
    from laptops import admin_laptop

    office = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER})
    with office.session() as s:
        made = enrol.invite(s, "lena", tmp_path / "lena.haveninvite")
    window = make_window(tmp_path / "lena-laptop")
    window.first_run.join_button.click()
    join = _wait_dialog(qtbot, JoinDialog)
    join.path.setText(str(made.path))
    join.code.setText(made.code)
    join.new.passphrase.setText(PASSES["lawyer"])
    join.new.confirm.setText(PASSES["lawyer"])
    pg_cluster.pg_ctl("-m", "immediate", "stop")
    try:
        join.buttons.button(join.buttons.StandardButton.Ok).click()
        qtbot.waitUntil(lambda: window.desk is not None, timeout=30000)  # the vault opens all the same
        dialog = window.recovery_dialog  # and its recovery key is shown once, as for any new vault
        assert len(dialog.key_label.text().split("-")) == 8 and _no_message_box()
        dialog.confirm.setChecked(True)
        dialog.buttons.buttons()[0].click()
        qtbot.waitUntil(lambda: window.sharing.state == "offline", timeout=30000)  # said, not a message box
        assert _no_message_box()
    finally:
        pg_cluster.resume()
    _sync(qtbot, window)  # it catches up by syncing
    assert window.sharing.state == "connected" and window.sharing.status.info["last_sync"]

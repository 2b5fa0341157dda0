"""Volunteers see letters only; the clipboard forgets identifiers; `clinic-app` opens the window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gui_helpers import MARKER, all_texts, unlock, wait_idle
from PySide6.QtGui import QGuiApplication

from support import ADMIN, ADMIN_PASS, PASSES


def test_volunteer_sees_letters_but_no_client_records(qtbot, make_window, marked_vault: Path) -> None:
    from clinic_app.domain.roles import Role
    from clinic_app.services.session import unlock as open_vault
    from clinic_app.services.users import add_user

    with open_vault(marked_vault, user=ADMIN, passphrase=ADMIN_PASS) as s:
        add_user(s, "volunteer", Role.VOLUNTEER, PASSES["volunteer"])
    window = make_window(marked_vault)
    unlock(qtbot, window, "volunteer", PASSES["volunteer"])
    wait_idle(qtbot, window)
    letters = window.desk.letters
    assert window.desk.home is None and letters is not None
    assert not letters.scans.button.isVisibleTo(window)  # linking a scan needs the documents they cannot see
    qtbot.waitUntil(lambda: len(letters.model.rows) == 1, timeout=5000)
    texts = all_texts()
    assert any(f"Writer {MARKER}" in t for t in texts)  # their letters are there
    for secret in (f"Ana {MARKER}", f"Lucia {MARKER}", f"story {MARKER}", f"{MARKER} H&C", f"Report {MARKER}"):
        assert not any(secret in t for t in texts), secret
    for key in ("new_client", "new_matter", "import"):
        assert not window.action_map[key].isVisible()
    window.open_matter("m-001")  # a volunteer "opening" a matter only filters the letters
    assert window.desk.count() == 1


def test_clipboard_is_marked_secret_and_cleared_only_if_still_ours(qtbot) -> None:
    from clinic_app.gui.clipboard import SecureClipboard

    from PySide6.QtWidgets import QWidget

    owner = QWidget()
    qtbot.addWidget(owner)
    board = SecureClipboard(owner, clear_after_s=0.2)
    board.copy("1234-5678")
    assert bytes(QGuiApplication.clipboard().mimeData().data("x-kde-passwordManagerHint")) == b"secret"
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "", timeout=3000)
    board.copy("1234-5678")
    QGuiApplication.clipboard().setText("the user's own text")
    qtbot.wait(400)
    assert QGuiApplication.clipboard().text() == "the user's own text"


def test_app_dispatch_keeps_commands_on_the_command_line(monkeypatch) -> None:
    from clinic_app.app import gui_request

    monkeypatch.setenv("HAVEN_GUI", "1")
    assert gui_request([]) is not None
    request = gui_request(["--vault", "/x/v"])
    assert request is not None and request.vault == "/x/v" and not request.demo
    assert gui_request(["demo"]).demo  # type: ignore[union-attr]
    for argv in (["check"], ["--version"], ["demo", "--kdf-profile", "fast"], ["--help"], ["list", "clients"]):
        assert gui_request(argv) is None, argv
    monkeypatch.setenv("HAVEN_GUI", "0")
    assert gui_request([]) is None


def test_clinic_app_without_arguments_opens_the_unlock_window(vault_folder: Path) -> None:
    env = {**os.environ, "HAVEN_GUI": "1", "HAVEN_QUIT_WHEN_SHOWN": "1", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "clinic_app", "--vault", str(vault_folder)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("haven-window-shown"))
    assert line.split(" ", 2)[2].startswith("Haven")


def test_language_switch_installs_qt_translations(qtbot) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from clinic_app.gui.application import _translators, apply_language
    from clinic_app.i18n import current_language

    try:
        assert apply_language("fr") == "fr" and current_language() == "fr"
        assert _translators, "qtbase_fr.qm should load from Qt's translations folder"
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        assert box.buttons()[0].text().replace("&", "") == "Annuler"
    finally:
        apply_language("en")


def test_signal_emits_keep_reference_counts_right(qtbot) -> None:
    """PySide6 6.12's Signal.emit() returns an unowned True; on Python 3.11 thousands of
    emits used to abort the interpreter ("bool_dealloc"). `qtcompat.emit` repairs it."""
    from PySide6.QtCore import QObject, Signal

    from clinic_app.gui.qtcompat import emit

    class Source(QObject):
        ping = Signal(object)

    source = Source()
    before = sys.getrefcount(True)
    for i in range(2000):
        emit(source.ping, i)
    assert abs(sys.getrefcount(True) - before) < 10


def test_switching_language_in_settings_rebuilds_the_window(qtbot, make_window, marked_vault: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from clinic_app.gui.application import apply_language
    from clinic_app.gui.dialogs.settings_dialog import SettingsDialog
    from clinic_app.i18n import _

    window = make_window(marked_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    wait_idle(qtbot, window)
    window.action_map["settings"].trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SettingsDialog) and w.isVisible())
    try:
        dialog.language.setCurrentIndex(dialog.language.findData("fr"))
        dialog.minutes.setValue(7)
        dialog.accept()
        wait_idle(qtbot, window)
        assert window.settings.language == "fr" and window.settings.autolock_seconds == 420
        assert window.inactivity.timeout_s == 420
        assert [ws.ref for ws in window.desk.workspaces()] == ["m-001"]  # the desk came back, same matter open
        # what outlives the rebuild is named again: the status bar's label, read by screen readers
        assert window.busy.accessibleName() == _("Background work") != "Background work"
        assert window.sharing.button.accessibleName() == _("Connection to the clinic's server")
    finally:
        window.settings.language = ""
        apply_language("en")

"""Nothing in the window is a dead end: every button and menu command does something, the
Help menu works offline, and the next person to unlock is told about failed attempts."""

from __future__ import annotations

from pathlib import Path

from gui_helpers import activate, unlock, wait_idle
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QPushButton
from support import ADMIN, ADMIN_PASS

# Controls that may stay unconnected, and why. Buttons that open a menu (setMenu) and
# actions that are separators or open a submenu do their work through the menu, so the
# check below skips them by rule; nothing else is excused today.
EXCEPTIONS: dict[str, str] = {}


def _connected(obj: QObject, signals: tuple[str, ...]) -> bool:
    meta = obj.metaObject()
    return any(obj.isSignalConnected(meta.method(meta.indexOfSignal(s))) for s in signals)


def dead_controls(root: QObject) -> list[str]:
    dead = []
    for button in root.findChildren(QPushButton):
        if button.menu() is None and not _connected(button, ("clicked(bool)", "pressed()", "released()",
                                                             "toggled(bool)")):
            dead.append(f"button {button.text()!r} in {type(button.parent()).__name__}")
    for action in root.findChildren(QAction):
        if action.isSeparator() or action.menu() is not None:
            continue
        if not _connected(action, ("triggered(bool)", "toggled(bool)")):
            dead.append(f"action {action.text()!r} in {type(action.parent()).__name__}")
    return [d for d in dead if d not in EXCEPTIONS]


def _windows() -> list[QObject]:
    """The top-level widgets now (held, so that their Python wrappers stay the same objects)."""
    return list(QApplication.topLevelWidgets())


def _new_dialog(qtbot, before: list[QObject]) -> QDialog:  # type: ignore[no-untyped-def]
    def opened() -> list[QDialog]:
        return [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QDialog) and w.isVisible() and not any(w is b for b in before)]

    qtbot.waitUntil(lambda: bool(opened()), timeout=10000)
    return opened()[0]


def test_every_button_and_menu_command_is_connected(qtbot, make_window, marked_vault: Path) -> None:
    window = make_window(marked_vault)
    assert dead_controls(window) == []  # the first-run and unlock pages
    unlock(qtbot, window)
    window.open_matter("m-001")  # every tab of a matter workspace
    wait_idle(qtbot, window)
    assert dead_controls(window) == []
    for key in ("new_client", "new_matter", "settings", "users", "backup", "passphrase", "guide", "shortcuts",
                "about"):
        before = _windows()
        window.action_map[key].trigger()
        dialog = _new_dialog(qtbot, before)
        assert dead_controls(dialog) == [], key
        dialog.close()
        wait_idle(qtbot, window)


def test_home_buttons_open_the_forms(qtbot, make_window, marked_vault: Path) -> None:
    from clinic_app.gui.dialogs.client_form import ClientForm
    from clinic_app.gui.dialogs.matter_form import MatterForm

    window = make_window(marked_vault)
    unlock(qtbot, window)
    home = window.desk.home
    for button, kind in ((home.new_client_button, ClientForm), (home.new_matter_button, MatterForm)):
        before = _windows()
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        dialog = _new_dialog(qtbot, before)
        assert isinstance(dialog, kind)
        dialog.reject()


def test_help_menu_guide_shortcuts_and_about_offline(qtbot, make_window, vault_folder: Path) -> None:
    from clinic_app.gui.dialogs.help import AboutDialog, GuideWindow, ShortcutsDialog

    window = make_window(vault_folder)  # locked: help needs no vault
    activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_F1)
    guide = _new_dialog(qtbot, [])
    assert isinstance(guide, GuideWindow) and "Haven user guide" in guide.browser.toPlainText()
    guide.browser.setSource(guide.browser.source().resolved("04-importing-evidence.md#what-refused-means"))
    assert "Importing evidence" in guide.browser.toPlainText()
    assert guide.browser.verticalScrollBar().value() > 0  # scrolled down to the heading the link names
    guide.show_chapter("05-support-letters.md")  # its screenshot is found beside the guide
    shot = guide.browser.source().resolved("../screenshots/06-support-letters.png")
    image = guide.browser.document().resource(2, shot)  # 2: QTextDocument.ImageResource
    assert image is not None and not image.isNull()
    guide.close()
    window.action_map["shortcuts"].trigger()
    shortcuts = _new_dialog(qtbot, [guide])
    assert isinstance(shortcuts, ShortcutsDialog)
    rows = {shortcuts.table.item(r, 0).text(): shortcuts.table.item(r, 1).text()
            for r in range(shortcuts.table.rowCount())}
    assert rows["Lock"] == "Ctrl+L" and rows["New client"] == "Ctrl+Shift+N" and rows["User guide"] == "F1"
    shortcuts.close()
    window.action_map["about"].trigger()
    about = _new_dialog(qtbot, [guide, shortcuts])
    assert isinstance(about, AboutDialog)
    licences = {about.table.item(r, 0).text(): about.table.item(r, 2).text() for r in range(about.table.rowCount())}
    assert licences["PySide6-Essentials"] == "LGPL-3.0-only" and licences["pikepdf"] == "MPL-2.0"
    assert any(name.startswith("DejaVu Sans") for name in licences)
    about.close()


def test_failed_unlock_attempts_are_shown_to_the_next_person(qtbot, make_window, vault_folder: Path) -> None:
    window = make_window(vault_folder)
    page = window.unlock_page
    page.user.setCurrentText(ADMIN)
    page.passphrase.setText("not the passphrase at all")
    page.unlock()
    wait_idle(qtbot, window)
    assert "Wrong user name or passphrase" in page.error.text()
    unlock(qtbot, window, ADMIN, ADMIN_PASS)
    notice = window.desk.home.notice
    assert notice.isVisible()
    assert "1 failed unlock attempt" in notice.text() and f"as {ADMIN}" in notice.text()

"""Browsing in a file dialog into a folder named after a client leaves no trace of it on
disk: not in Qt's QtProject settings (history, last visited folder, sidebar places), not in
a recently-used list (reliability.md section 5: no plaintext in OS recent lists or QSettings)."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import unlock, wait_idle
from PySide6.QtCore import QSettings, QStandardPaths, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

FOLDER = "Ana Lucia Reyes Mejia - evidence"


@pytest.fixture
def user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The account's config and data folders, here empty: where Qt and GTK keep what dialogs remember."""
    config, data = tmp_path / "xdg-config", tmp_path / "xdg-data"
    config.mkdir()
    data.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    default = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    formats = (QSettings.Format.NativeFormat, QSettings.Format.IniFormat)
    for fmt in formats:  # Qt reads XDG_CONFIG_HOME once per process: point it here for this test
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(config))
    yield config, data
    for fmt in formats:
        QSettings.setPath(fmt, QSettings.Scope.UserScope, default)


def _walk(folder: Path, name: str, answered: list[str]) -> QTimer:
    """Answer the next file dialog as a person does: type the folder, Enter, then type the
    file's name, Enter."""
    def step() -> None:
        for d in QApplication.topLevelWidgets():
            if isinstance(d, QFileDialog) and d.isVisible():
                edit = d.findChild(QLineEdit, "fileNameEdit")
                answered.append(str(d.testOption(QFileDialog.Option.DontUseNativeDialog)))
                edit.setText(str(folder) if len(answered) == 1 else name)
                QTest.keyClick(edit, Qt.Key.Key_Return)
                return

    timer = QTimer()
    timer.timeout.connect(step)
    timer.start(150)
    return timer


def _traces(*roots: Path) -> list[Path]:
    return [p for root in roots for p in root.rglob("*")
            if p.is_file() and ("Reyes" in p.read_text(errors="replace") or "Reyes" in p.name)]


def test_importing_through_the_dialog_remembers_no_folder_on_disk(qtbot, make_window, marked_vault: Path,
                                                                  tmp_path: Path, user_config) -> None:
    config, data = user_config
    folder = tmp_path / FOLDER
    folder.mkdir()
    (folder / "passport.txt").write_text("passport page")
    window = make_window(marked_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    wait_idle(qtbot, window)
    ws = window.desk.current_workspace()
    ws.setCurrentWidget(ws.documents)
    answered: list[str] = []
    timer = _walk(folder, "passport.txt", answered)
    window.action_map["import"].trigger()
    timer.stop()
    assert answered and set(answered) == {"True"}  # Qt's own dialog: a native one keeps recent lists
    docs = ws.documents
    qtbot.waitUntil(lambda: docs.import_op is not None and docs.import_op.done, timeout=30000)
    assert any("passport.txt" in docs.outcomes.item(i).text() for i in range(docs.outcomes.count()))
    assert not _traces(config, data), [p.read_text() for p in _traces(config, data)]


def test_every_kind_of_dialog_forgets_its_folders_and_keeps_what_was_there(qtbot, user_config, tmp_path) -> None:
    from clinic_app.gui import file_dialogs

    config, data = user_config
    others = QSettings(QSettings.Scope.UserScope, "QtProject")
    others.setValue("FileDialog/viewMode", "Detail")  # another Qt program's choice, kept
    others.sync()
    folder = tmp_path / FOLDER
    folder.mkdir()
    (folder / "letter.pdf").write_bytes(b"%PDF-1.4")

    def answer(text: str) -> None:
        def step() -> None:
            for d in QApplication.topLevelWidgets():
                if isinstance(d, QFileDialog) and d.isVisible():
                    d.findChild(QLineEdit, "fileNameEdit").setText(text)
                    d.accept()
                    return
        QTimer.singleShot(200, step)

    answer(str(folder / "letter.pdf"))
    assert file_dialogs.open_file(None, "Open", str(folder)) == str(folder / "letter.pdf")
    answer(str(folder / "copy.pdf"))
    assert file_dialogs.save_file(None, "Save", str(folder / "suggested.pdf"), "PDF (*.pdf)") == str(folder / "copy.pdf")
    answer(str(folder))
    assert file_dialogs.existing_folder(None, "Folder", str(tmp_path)) == str(folder)
    assert (config / "QtProject.conf").is_file()  # Qt did write its settings here, as it does
    assert not _traces(config, data)
    assert QSettings(QSettings.Scope.UserScope, "QtProject").value("FileDialog/viewMode") == "Detail"

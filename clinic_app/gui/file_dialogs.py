"""File dialogs that leave no record of where the person browsed.

Every file and folder dialog of Haven goes through this module. A folder's name can
say whose file it was ("Ana Lucia Reyes Mejia - evidence"), and dialogs remember
folders on disk in three places:

- Qt's own dialog writes its history, the last folder visited and the sidebar's
  places to the `FileDialog` group of the user's `QtProject` settings
  (`~/.config/QtProject.conf`, the registry on Windows) when it is destroyed
  (`QFileDialogPrivate::saveSettings`, called from `~QFileDialog`).
- The platform's native dialogs keep lists of their own: GTK's file chooser adds the
  chosen files to `~/.local/share/recently-used.xbel` (`add_selection_to_recent_list`),
  Windows' dialog to its most-recently-used lists in the registry, macOS's panel to the
  recent places. Haven cannot clear those, so it never uses a native dialog.

So each dialog here is Qt's own (`DontUseNativeDialog`); before it is destroyed its
history is emptied, its sidebar put back and its folder moved to Documents (which also
resets the "last visited" folder Qt keeps in memory), so what Qt writes names no folder
the person opened; then the `FileDialog` settings are put back as they were before the
dialog opened (they are shared with every other Qt program of the account).
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

_GROUP = "FileDialog"


def _neutral_folder() -> str:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return documents if documents and Path(documents).is_dir() else str(Path.home())


def documents_folder() -> str:
    """Where a file Haven writes is suggested first: Documents, else the home folder."""
    return _neutral_folder()


def _qt_settings() -> QSettings:
    return QSettings(QSettings.Scope.UserScope, "QtProject")


def _remembered() -> dict[str, object]:
    settings = _qt_settings()
    settings.beginGroup(_GROUP)
    return {key: settings.value(key) for key in settings.allKeys()}


def _put_back(before: dict[str, object]) -> None:
    settings = _qt_settings()
    settings.beginGroup(_GROUP)
    for key in settings.allKeys():
        if key not in before:
            settings.remove(key)
    for key, value in before.items():
        settings.setValue(key, value)
    settings.endGroup()
    if not before:
        settings.remove(_GROUP)
    settings.sync()


def _run(parent: QWidget | None, caption: str, start: str, filters: str,
         mode: QFileDialog.FileMode, accept: QFileDialog.AcceptMode) -> list[str]:
    before = _remembered()
    dialog = QFileDialog(parent, caption)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setFileMode(mode)
    dialog.setAcceptMode(accept)
    if mode == QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if filters:
        dialog.setNameFilter(filters)
    dialog.setHistory([])  # what other Qt programs visited is none of this dialog's business
    sidebar = dialog.sidebarUrls()
    target = Path(start) if start else Path(_neutral_folder())
    if start and not target.is_dir() and mode != QFileDialog.FileMode.Directory:
        dialog.setDirectory(str(target.parent))
        dialog.selectFile(target.name)
    else:
        dialog.setDirectory(str(target))
    try:
        chosen = dialog.selectedFiles() if dialog.exec() == QDialog.DialogCode.Accepted else []
    finally:
        dialog.setHistory([])
        dialog.setSidebarUrls(sidebar)
        dialog.setDirectory(_neutral_folder())
        shiboken6.delete(dialog)  # Qt saves its settings now, naming no folder of this session
        _put_back(before)
    return chosen


def open_file(parent: QWidget | None, caption: str, start: str, filters: str = "") -> str:
    """The existing file chosen, or "" when the person cancelled."""
    chosen = _run(parent, caption, start, filters, QFileDialog.FileMode.ExistingFile, QFileDialog.AcceptMode.AcceptOpen)
    return chosen[0] if chosen else ""


def open_files(parent: QWidget | None, caption: str, start: str, filters: str = "") -> list[str]:
    """The existing files chosen (none when the person cancelled)."""
    return _run(parent, caption, start, filters, QFileDialog.FileMode.ExistingFiles, QFileDialog.AcceptMode.AcceptOpen)


def save_file(parent: QWidget | None, caption: str, start: str, filters: str = "") -> str:
    """The path to save to (`start` may name a file: it is suggested), or "" when cancelled."""
    chosen = _run(parent, caption, start, filters, QFileDialog.FileMode.AnyFile, QFileDialog.AcceptMode.AcceptSave)
    return chosen[0] if chosen else ""


def existing_folder(parent: QWidget | None, caption: str, start: str) -> str:
    """The existing folder chosen, or "" when the person cancelled."""
    chosen = _run(parent, caption, start, "", QFileDialog.FileMode.Directory, QFileDialog.AcceptMode.AcceptOpen)
    return chosen[0] if chosen else ""

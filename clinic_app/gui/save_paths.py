"""Where a save dialog starts, the name it suggests, and opening what was saved.

A dialog given a bare file name starts in the process's working folder (often Haven's
install or source folder): every save starts in the person's Documents folder instead,
or in the folder they last saved to in this session (kept in memory only: a folder
name can say whose file it was, and settings never hold that). Suggested names are
made of refs and Haven's own titles ("m-001 - Application on humanitarian and
compassionate grounds.pdf"), never of a client's name or a title someone typed.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from clinic_app.domain.display import display_name
from clinic_app.gui import file_dialogs
from clinic_app.i18n import _

_last_folder: Path | None = None
_NOT_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')  # refused by Windows, or a path separator
MAX_NAME = 120
_SUFFIX = re.compile(r"(\.[A-Za-z0-9]{1,10})?")


def start_folder() -> Path:
    """The folder last saved to in this session, else Documents, else the home folder."""
    if _last_folder is not None and _last_folder.is_dir():
        return _last_folder
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def kind_of(path: Path) -> str | None:
    """"file", "folder", "other" or None (nothing there). A name the disk cannot hold (too
    long, a NUL pasted in) is None: only a check before the work, whose writer or reader
    then says in words what is wrong (Path.exists raised OSError into the event loop)."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return None
    return "file" if stat.S_ISREG(mode) else "folder" if stat.S_ISDIR(mode) else "other"


def file_name(*parts: str, suffix: str = ".pdf") -> str:
    """`parts` joined with " - ", safe as a file name on every system (an odd suffix is dropped)."""
    text = " - ".join(" ".join(p.split()) for p in parts if p and p.strip())
    text = _NOT_IN_NAMES.sub("-", display_name(text)).strip(" .")[:MAX_NAME].rstrip(" .")
    return (text or "haven") + (suffix if _SUFFIX.fullmatch(suffix) else "")


def ask_save_path(parent: QWidget, caption: str, name: str, filters: str) -> Path | None:
    """The path the person chose (remembered as the next start folder), or None."""
    global _last_folder
    path = file_dialogs.save_file(parent, caption, str(start_folder() / name), filters)
    if not path:
        return None
    _last_folder = Path(path).parent
    return Path(path)


def open_saved(parent: QWidget, path: Path) -> bool:
    """Open `path` with the system's viewer; when there is none, say so (the path can be
    selected and copied) and offer to show its folder instead."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    box = QMessageBox(QMessageBox.Icon.Information, _("No program to open the file"),
                      _("This computer has no program set to open {name}. The file is saved in {folder}.").format(
                          name=display_name(path.name), folder=display_name(str(path.parent))),
                      QMessageBox.StandardButton.Close, parent)
    box.setObjectName("no_viewer")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    show = box.addButton(_("Show the folder"), QMessageBox.ButtonRole.ActionRole)
    show.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return False

"""What every page is handed: no globals, the main window passes this in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QUndoStack

from clinic_app.domain.roles import Permission
from clinic_app.gui.clipboard import SecureClipboard
from clinic_app.gui.operations.vault import Opened
from clinic_app.gui.tasks import TaskRunner


@dataclass
class Context:
    runner: TaskRunner
    opened: Opened
    undo: QUndoStack
    clipboard: SecureClipboard
    status: Callable[[str], None]
    open_matter: Callable[[str], None]

    def can(self, permission: Permission) -> bool:
        return self.opened.can(permission)

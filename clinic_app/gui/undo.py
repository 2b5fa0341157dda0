"""Undo for edits: each step saves the previous version back through the same service.

Services keep no undo log yet, so the window keeps the version it replaced (in
memory, cleared at lock) and undoing is simply another audited save.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from clinic_app.gui.tasks import Op


class ServiceEdit(QUndoCommand):
    def __init__(self, text: str, save: Callable[[Any], Op], before: Any, after: Any) -> None:
        super().__init__(text)
        self._save = save
        self._before = before
        self._after = after
        self._applied = True  # pushed after the edit was saved: the first redo() does nothing

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._save(self._after).run()

    def undo(self) -> None:
        self._save(self._before).run()

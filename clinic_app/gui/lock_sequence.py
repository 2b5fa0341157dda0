"""The lock sequence, after KeePassXC's DatabaseWidget::lock().

1. `lock_requested` is emitted and every open dialog, message and menu closes;
2. the clipboard is cleared if it still holds what Haven put there;
3. unsaved edits are checked: a manual lock asks, an automatic one discards them
   (leaving client text on an unattended screen is the worse failure) and says so;
4. the desk is emptied and deleted, the undo history and window title cleared,
   and the unlock page shown at once;
5. on the vault thread, queued behind any write still running (so an import
   finishes before the key goes), the backup service runs and the session is
   closed, which drops the key.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QMessageBox, QWidget

from clinic_app.gui import messages
from clinic_app.gui.operations import vault as vault_ops
from clinic_app.gui.presenter import describe
from clinic_app.i18n import _
from clinic_app.gui.qtcompat import emit


class LockController(QObject):
    lock_requested = Signal()
    locked = Signal()

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self._locking = False
        self.lock_requested.connect(close_transient_windows)

    def lock(self, reason: str = "manual") -> bool:
        w = self.window
        if w.desk is None or self._locking:
            return False
        unsaved = w.desk.has_unsaved()
        if unsaved and reason == "manual":
            answer = QMessageBox.question(
                w, _("Lock Haven"), _("A form has changes that are not saved. Discard them and lock?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return False
        self._locking = True
        try:
            emit(self.lock_requested)
        finally:
            self._locking = False
        w.clipboard.clear_if_ours()
        w.tear_down()
        w.runner.new_epoch()
        notes = []
        if reason == "idle":
            notes.append(messages.locked_after_idle())
        if unsaved and reason != "manual":
            notes.append(messages.unsaved_discarded())
        w.show_unlock(" ".join(notes))
        vault_ops.lock(w.runner, backup_folder=w.backup_folder()).success(self._locked) \
            .failure(self._lock_failed).run()
        return True

    def _locked(self, note: str) -> None:
        emit(self.locked)

    def _lock_failed(self, exc: BaseException) -> None:
        self.window.show_unlock(_("Haven locked, but the automatic backup failed: {reason}").format(
            reason=describe(exc)))
        emit(self.locked)


def close_transient_windows() -> None:
    """Close every dialog, message box and popup menu, whoever opened it. A dialog that must
    outlive the lock (the recovery key, not yet confirmed) hides itself with `hide_for_lock`."""
    for widget in QApplication.topLevelWidgets():
        if not widget.isVisible():
            continue
        if isinstance(widget, QDialog):
            hide_for_lock = getattr(widget, "hide_for_lock", None)  # the recovery key: see dialogs/recovery.py
            (hide_for_lock or widget.reject)()
        elif isinstance(widget, QMenu) or _is_popup(widget):
            widget.close()


def _is_popup(widget: QWidget) -> bool:
    from PySide6.QtCore import Qt

    return (widget.windowFlags() & Qt.WindowType.WindowType_Mask) == Qt.WindowType.Popup

"""The conflict-check warning: similar names already in the vault, then save anyway or go back.

Shown by the client and matter forms when a new or changed name resembles someone
recorded under another client. "Go back" is the default (Enter, Esc, closing the
window); either answer is audited by the form's Op (services.conflict_check).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from clinic_app.gui.qtcompat import emit
from clinic_app.gui.tasks import Op, TaskRunner
from clinic_app.i18n import _


class ConflictDialog(QDialog):
    save_anyway = Signal()
    went_back = Signal()

    def __init__(self, conflicts: tuple[object, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Possible conflict of interest"))
        intro = QLabel(_("These names resemble people already in the vault. A clinic must not act against a "
                         "client or for someone it acts against: check each match before you save."))
        intro.setWordWrap(True)
        rows = [(c.name, m.person.name, m.whose(), m.reason.label)  # type: ignore[attr-defined]
                for c in conflicts for m in c.matches]  # type: ignore[attr-defined]
        self.table = QTableWidget(len(rows), 4)
        self.table.setAccessibleName(_("Similar names found"))
        self.table.setHorizontalHeaderLabels([_("Name you entered"), _("Similar name"), _("Whose"), _("Why")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.buttons = QDialogButtonBox()
        self.back_button = self.buttons.addButton(_("&Go back"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button = self.buttons.addButton(_("&Save anyway"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.back_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.accepted.connect(lambda: emit(self.save_anyway))
        self.rejected.connect(lambda: emit(self.went_back))
        layout = QVBoxLayout(self)
        for part in (intro, self.table, self.buttons):
            layout.addWidget(part)
        self.resize(760, 320)
        self.finished.connect(self.table.clearContents)  # no names kept in a closed dialog


def not_saved_text() -> str:
    return _("Not saved: check the similar names (a possible conflict of interest), then save again or cancel.")


def checked_save(form: QWidget, runner: TaskRunner, save: Callable[[bool], Op], saved: Callable[[Any], None],
                 failed: Callable[[BaseException], None], went_back: Callable[[], None]) -> None:
    """Run `save(accept_conflicts=False)`; if names resemble others, ask in a ConflictDialog,
    then `save(True)` or audit going back (clients.went_back) and call `went_back()`."""
    from clinic_app.gui.operations import clients as client_ops

    def checked(result: Any) -> None:
        if result.saved:
            saved(result)
            return
        dialog = ConflictDialog(result.conflicts, form)
        dialog.save_anyway.connect(lambda: save(True).success(saved).failure(failed).run())

        def back() -> None:
            client_ops.went_back(runner, conflicts=result.conflicts).run()
            went_back()

        dialog.went_back.connect(back)
        form.conflict_dialog = dialog  # type: ignore[attr-defined] - kept alive, closed by the lock sequence
        dialog.open()

    save(False).success(checked).failure(failed).run()

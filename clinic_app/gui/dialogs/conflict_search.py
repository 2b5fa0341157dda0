"""Edit → Conflict check…: who in the vault has a name like these, before the clinic takes a
case (the prospective client, the people they fear, the other side), without saving anything.

The same service as `clinic-app conflicts NAME...` (services.conflict_check.search), run off
the GUI thread. Names typed here stay in this dialog: not saved, not audited, cleared when it
closes, as the conflict warning of the forms is.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QSizePolicy, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from clinic_app.domain.display import display_name
from clinic_app.gui.presenter import describe
from clinic_app.gui.operations.clients import search_names
from clinic_app.gui.tasks import TaskRunner
from clinic_app.i18n import _

MAX_NAMES = 50


class ConflictSearchDialog(QDialog):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle(_("Conflict check"))
        intro = QLabel(_("Before taking a case, check the names of the person, the people they fear and the other "
                         "side against every client, alias, relative and adverse party in the vault. One name "
                         "per line. Nothing you type here is saved."))
        intro.setWordWrap(True)
        self.names = QPlainTextEdit()
        self.names.setAccessibleName(_("Names to check"))
        self.names.setPlaceholderText(_("One name per line"))
        self.names.setTabChangesFocus(True)
        self.check_button = QPushButton(_("C&heck"))
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.check)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.check)
        self.result = QLabel()
        self.result.setWordWrap(True)
        # a name with no space to wrap at (pasted e-mail addresses) must not widen the dialog off the screen
        self.result.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.result.setAccessibleName(_("Result of the check"))
        self.table = QTableWidget(0, 4)
        self.table.setAccessibleName(_("Similar names found"))
        self.table.setHorizontalHeaderLabels([_("Name you entered"), _("Similar name"), _("Whose"), _("Why")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for part in (intro, self.names, self.check_button, self.result, self.table, buttons):
            layout.addWidget(part)
        self.resize(760, 460)
        self.finished.connect(self._forget)

    def typed(self) -> list[str]:
        return [line.strip() for line in self.names.toPlainText().splitlines() if line.strip()]

    def check(self) -> None:
        names = self.typed()
        if not names:
            self.result.setText(_("Type at least one name, one per line."))
            return
        if len(names) > MAX_NAMES:
            self.result.setText(_("Check at most {limit} names at a time.").format(limit=MAX_NAMES))
            return
        self.check_button.setEnabled(False)
        self.result.setText(_("Checking…"))
        search_names(self.runner, names=names).success(self._show).failure(self._failed).run()

    def _show(self, found: Any) -> None:
        self.check_button.setEnabled(True)
        if not self.isVisible():  # closed (or the window locked) while the check ran
            return
        rows = [(display_name(c.name), display_name(m.person.name), m.whose(), f"{m.reason.label} ({m.score:.2f})")
                for c in found for m in c.matches]
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for col, text in enumerate(row):
                self.table.setItem(r, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        clear = [display_name(c.name) for c in found if not c.matches]
        lines = [_("Similar names found: check each one before taking the case.")] if rows else \
            [_("No similar name in the vault.")]
        if rows and clear:
            lines.append(_("No names like: {names}.").format(names="; ".join(clear)))
        self.result.setText("\n".join(lines))

    def _failed(self, exc: BaseException) -> None:
        self.check_button.setEnabled(True)
        self.result.setText(describe(exc))

    def _forget(self) -> None:
        self.names.clear()
        self.table.clearContents()
        self.table.setRowCount(0)
        self.result.clear()

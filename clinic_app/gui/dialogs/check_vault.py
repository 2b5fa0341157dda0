"""Vault → Check vault: the integrity check of `clinic-app check`, shown in the window.

The check (services.vault_check) verifies every page of the database, every stored
document's SHA-256 and the audit chain, and names the newest good backup when something
is wrong. It runs on the vault thread; the service reports no progress, so the dialog
shows a busy bar until the report arrives, in three parts: what is fine, what is wrong,
and what to do (the same lines as the command line, where it has them).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QProgressBar, QVBoxLayout, QWidget,
)

from clinic_app.gui.operations import vault as vault_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.tasks import TaskRunner
from clinic_app.i18n import _


class CheckVaultDialog(QDialog):
    def __init__(self, runner: TaskRunner, backups_folder: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle(_("Check the vault"))
        self.summary = QLabel(_("Checking every page of the vault, every stored document and the audit log…"))
        self.summary.setWordWrap(True)
        self.summary.setAccessibleDescription(_("Result"))  # a name would be read instead of the result
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: the check reports no steps
        self.bar.setAccessibleName(_("Checking"))
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setAccessibleName(_("Check report"))
        self.report.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (self.summary, self.bar, self.report, self.buttons):
            layout.addWidget(w)
        self.resize(640, 420)
        self.shown: vault_ops.CheckShown | None = None
        vault_ops.check_vault(runner, backups_folder=backups_folder) \
            .success(self._show).failure(self._failed).run()

    def _show(self, shown: vault_ops.CheckShown) -> None:
        self.shown = shown
        self.bar.hide()
        if shown.ok:
            self.summary.setText(_("The vault is intact."))
            self.summary.setStyleSheet("color: #1b5e20; font-weight: 600;")
        else:
            self.summary.setText(_("The check found problems: see what is wrong and what to do below."))
            self.summary.setStyleSheet("color: #b00020; font-weight: 600;")
        parts = []
        for title, lines in ((_("What is fine:"), shown.fine), (_("What is wrong:"), shown.wrong),
                             (_("What to do:"), shown.todo)):
            if lines:
                parts.append("\n".join([title] + [f"  • {line}" for line in lines]))
        self.report.setPlainText("\n\n".join(parts))
        self.report.show()

    def _failed(self, exc: BaseException) -> None:
        self.bar.hide()
        self.summary.setStyleSheet("color: #b00020;")
        self.summary.setText(_("The check could not run: {reason}").format(reason=describe(exc)))

"""Confirming a client's deletion, then showing its progress.

Deletion cannot be undone, so the dialog lists what goes and what stays (refs and
counts only, never a name), says that older backups still hold the client, and
keeps its Delete button disabled until the client's ref is typed: a deliberate
act, not a reflex click or a stray Enter. The dialog runs nothing itself; the
client form runs the deletion when `confirmed` fires and reports back here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.gui.qtcompat import emit
from clinic_app.gui.widgets.fields import line
from clinic_app.i18n import _

if TYPE_CHECKING:
    from clinic_app.services.purge import DeletionPlan


def plan_lines(plan: DeletionPlan) -> list[str]:
    """What the deletion destroys and keeps, one line each."""
    lines = [
        _("Matters: {refs}").format(refs=", ".join(plan.matters) or "-"),
        _("Documents: {count}").format(count=len(plan.documents_deleted)),
        _("Support letters: {count}").format(count=plan.letters),
        _("Bundle projects: {count}").format(count=plan.bundles),
    ]
    if plan.documents_kept:
        lines.append(_("Kept, because another client's matter uses them: {refs}").format(
            refs=", ".join(plan.documents_kept)))
    return lines


class DeleteClientDialog(QDialog):
    confirmed = Signal()

    def __init__(self, plan: DeletionPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(_("Delete client {ref}").format(ref=plan.client_ref))
        heading = QLabel(_("Client {ref} and everything below will be deleted for good. This cannot be undone.")
                         .format(ref=plan.client_ref))
        heading.setWordWrap(True)
        self.contents = QListWidget()
        self.contents.setAccessibleName(_("What will be deleted"))
        self.contents.addItems(plan_lines(plan))
        backups = QLabel(_("Backups made before now still hold this client's records."))
        backups.setWordWrap(True)
        prompt = QLabel(_("Type the client's ref ({ref}) to confirm:").format(ref=plan.client_ref))
        self.typed = line(name=_("Client ref to confirm"), placeholder=plan.client_ref)
        prompt.setBuddy(self.typed)
        self.typed.textChanged.connect(self._typed)
        self.typed.returnPressed.connect(self.confirm)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(_("Deletion progress"))
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.delete_button = QPushButton(_("Delete for good"))
        self.buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        for button in (self.delete_button, cancel):  # Enter never presses a button: only a typed ref confirms
            button.setAutoDefault(False)
            button.setDefault(False)
        self.delete_button.setEnabled(False)
        self.delete_button.clicked.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (heading, self.contents, backups, prompt, self.typed, self.progress, self.error,
                       self.buttons):
            layout.addWidget(widget)
        self.typed.setFocus(Qt.FocusReason.OtherFocusReason)
        self.finished.connect(self.contents.clear)  # no list of the client's records kept once closed

    def matches(self) -> bool:
        return self.typed.text().strip() == self.plan.client_ref

    def _typed(self, _text: str) -> None:
        self.delete_button.setEnabled(self.matches() and not self.progress.isVisible())

    def confirm(self) -> None:
        if not self.matches() or self.progress.isVisible():
            return
        self.error.clear()
        self.typed.setEnabled(False)
        self.delete_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(False)
        self.progress.show()
        emit(self.confirmed)

    def show_progress(self, done: int, total: int, label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(label)
        self.progress.setAccessibleDescription(label)

    def show_failure(self, message: str) -> None:
        """The deletion failed: say why; a new attempt starts from a fresh plan."""
        self.progress.hide()
        self.error.setText(message)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(True)

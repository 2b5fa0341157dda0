"""Who can open the vault: the admin's Users dialog, and everyone's passphrase change.

The forms check a new passphrase with the same meter and rule as the first run,
so a weak one is refused before any key derivation starts; the services check it
again. Removing a user re-encrypts the vault, so it is confirmed first.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QMessageBox, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from clinic_app.gui.operations import admin as admin_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.qtcompat import emit
from clinic_app.gui.tasks import TaskRunner
from clinic_app.gui.widgets.dialog_parts import dialog_buttons, stack
from clinic_app.gui.widgets.strength import StrengthMeter
from clinic_app.i18n import N_, _

ROLE_LABELS = {"admin": N_("Admin"), "lawyer": N_("Lawyer"), "staff": N_("Staff"), "volunteer": N_("Volunteer")}


def confirm(parent: QWidget, title: str, text: str, action: str) -> bool:
    """Ask before something that cannot be undone from here; Cancel is the default.
    (A module function so tests can answer it.)"""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent)
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is yes


def role_label(role: str) -> str:
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    label.setAccessibleDescription(_("Error"))  # a name would be read instead of the message
    return label


def password_field(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    return edit


class NewPassphrase:
    """A new passphrase typed twice, with the strength meter; `refused()` says what is wrong."""

    def __init__(self, user: str = "") -> None:
        self.user = user
        self.passphrase = password_field(_("New passphrase"))
        self.confirm = password_field(_("Passphrase again"))
        self.meter = StrengthMeter()
        self.passphrase.textChanged.connect(lambda _t: self.meter.update_for(self.passphrase.text(), self.user))

    def set_user(self, user: str) -> None:
        self.user = user
        self.meter.update_for(self.passphrase.text(), user)

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow(_("New passphrase:"), self.passphrase)
        form.addRow(_("Passphrase again:"), self.confirm)
        form.addRow(_("Strength:"), self.meter)

    def refused(self, error: QLabel) -> bool:
        """True (with the reason in `error` and the cursor in the field) when the passphrase
        cannot be used: the two differ, or the meter finds it too weak."""
        if self.passphrase.text() != self.confirm.text():
            self.confirm.clear()
            problem = _("The two passphrases are different. Type them again.")
        elif not self.meter.assess_now():
            problem = self.meter.label.text()
        else:
            return False
        error.setText(problem)
        self.passphrase.setFocus()
        return True

    def text(self) -> str:
        return self.passphrase.text()

    def clear(self) -> None:
        self.passphrase.clear()
        self.confirm.clear()


class AddUserDialog(QDialog):
    added = Signal(object)  # admin_ops.UserRow

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle(_("Add a user"))
        self.name = QLineEdit()
        self.name.setAccessibleName(_("User name"))
        self.role = QComboBox()
        self.role.setAccessibleName(_("Role"))
        for code in ("volunteer", "staff", "lawyer", "admin"):
            self.role.addItem(role_label(code), code)
        self.new = NewPassphrase()
        self.name.textChanged.connect(lambda text: self.new.set_user(text.strip()))
        self.error = error_label()
        form = QFormLayout()
        form.addRow(_("User name:"), self.name)
        form.addRow(_("Role:"), self.role)
        self.new.add_rows(form)
        self.buttons = dialog_buttons(self, self.save, ok_text=_("Add user"))
        stack(self, form, self.error, self.buttons)
        self.finished.connect(lambda _r: self.new.clear())
        self.name.setFocus()

    def save(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.error.setText(_("Type the new user's name."))
            self.name.setFocus()
            return
        if self.new.refused(self.error):
            return
        self.buttons.setEnabled(False)
        self.error.setText(_("Adding {user}… this takes a few seconds.").format(user=name))
        admin_ops.add_user(self.runner, name=name, role=self.role.currentData(), passphrase=self.new.text()) \
            .success(self._added).failure(self._failed).run()

    def _added(self, row: admin_ops.UserRow) -> None:
        emit(self.added, row)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(describe(exc))


class UsersDialog(QDialog):
    """The list of users and roles, with Add and Remove (admins only: the menu hides it)."""

    def __init__(self, runner: TaskRunner, me: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.me = runner, me
        self.rows: list[admin_ops.UserRow] = []
        self.add_dialog: AddUserDialog | None = None
        self.setWindowTitle(_("Users"))
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName(_("Users"))
        self.table.setHorizontalHeaderLabels([_("User"), _("Role"), _("Since")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.add_button = QPushButton(_("&Add user…"))
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton(_("&Remove user…"))
        self.remove_button.clicked.connect(self.remove)
        self.remove_button.setEnabled(False)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName(_("Result"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(close)
        self.resize(520, 360)
        self.refresh()

    def refresh(self) -> None:
        admin_ops.list_users(self.runner).success(self._show).failure(self._failed).run()

    def _show(self, rows: list[admin_ops.UserRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for i, user in enumerate(rows):
            for j, text in enumerate((user.name, role_label(user.role), user.since)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        self._selection_changed()

    def selected(self) -> str:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()].name if rows and rows[0].row() < len(self.rows) else ""

    def select(self, name: str) -> None:
        for i, user in enumerate(self.rows):
            if user.name == name:
                self.table.selectRow(i)

    def _selection_changed(self) -> None:
        name = self.selected()
        self.remove_button.setEnabled(bool(name) and name != self.me)
        self.remove_button.setToolTip(_("You cannot remove yourself; ask another admin.") if name == self.me else "")

    def add(self) -> None:
        self.add_dialog = AddUserDialog(self.runner, self)
        self.add_dialog.added.connect(self._added)
        self.add_dialog.open()

    def _added(self, row: admin_ops.UserRow) -> None:
        self.note.setText(_("Added {user} as {role}.").format(user=row.name, role=role_label(row.role)))
        self.refresh()

    def remove(self) -> None:
        name = self.selected()
        if not name:
            return
        question = _("Remove {user}? Their passphrase will no longer open the vault, and the vault is "
                     "re-encrypted under a new key. Backups made before still open with it.").format(user=name)
        if not confirm(self, _("Remove user"), question, _("Remove {user}").format(user=name)):
            return
        self.add_button.setEnabled(False)
        self.remove_button.setEnabled(False)
        self.note.setText(_("Removing {user} and re-encrypting the vault…").format(user=name))
        admin_ops.remove_user(self.runner, name=name).success(self._removed).failure(self._failed).run()

    def _removed(self, name: str) -> None:
        self.add_button.setEnabled(True)
        self.note.setText(_("Removed {user}; the vault now uses a new encryption key.").format(user=name))
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.add_button.setEnabled(True)
        self._selection_changed()
        self.note.setText(describe(exc))


class ChangePassphraseDialog(QDialog):
    """Any user changes their own passphrase; only their key slot is rewritten."""

    def __init__(self, runner: TaskRunner, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle(_("Change my passphrase"))
        self.current = password_field(_("Current passphrase"))
        self.new = NewPassphrase(user)
        self.error = error_label()
        form = QFormLayout()
        form.addRow(_("Current passphrase:"), self.current)
        self.new.add_rows(form)
        self.buttons = dialog_buttons(self, self.save, ok_text=_("Change passphrase"))
        stack(self, form, self.error, self.buttons)
        self.finished.connect(self._forget)
        self.current.setFocus()

    def save(self) -> None:
        if not self.current.text():
            self.error.setText(_("Type your current passphrase."))
            self.current.setFocus()
            return
        if self.new.refused(self.error):
            return
        self.buttons.setEnabled(False)
        self.error.setText(_("Changing the passphrase…"))
        admin_ops.change_passphrase(self.runner, old=self.current.text(), new=self.new.text()) \
            .success(lambda _r: self.accept()).failure(self._failed).run()

    def _forget(self) -> None:
        self.current.clear()
        self.new.clear()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.current.clear()
        self.current.setFocus()
        self.error.setText(describe(exc))

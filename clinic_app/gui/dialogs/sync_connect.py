"""An admin connects the vault to the clinic's server, and invites a colleague's new laptop.

Connecting says first what the server will and will not see, then creates the server's
tables and logins and uploads the vault (services/sync/enrol.setup, then a first round)
with progress; the owner's password in the address is used for that and never stored.
An invitation is a file plus a one-time code shown once here: the code opens the file,
so it goes to the person another way (in person, by phone), never with the file. Copying
it uses the secure clipboard, which clears it after a few seconds and at lock.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
    QWidget,
)

from clinic_app.gui import file_dialogs
from clinic_app.gui.clipboard import CLEAR_AFTER_S, SecureClipboard
from clinic_app.gui.dialogs.users_dialog import error_label, role_label
from clinic_app.gui.operations import admin as admin_ops
from clinic_app.gui.operations import sync as sync_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.qtcompat import emit
from clinic_app.gui.sync_status import summary
from clinic_app.gui.tasks import Op, TaskRunner
from clinic_app.gui.widgets.dialog_parts import dialog_buttons, stack, with_browse
from clinic_app.i18n import _

INVITE_EXTENSION = ".haveninvite"


def invitation_filter() -> str:
    return _("Haven invitations (*.haveninvite)")


def invitation_path(text: str) -> Path:
    path = Path(text).expanduser()
    return path if path.suffix == INVITE_EXTENSION else path.with_name(path.name + INVITE_EXTENSION)


def busy_bar(name: str) -> QProgressBar:
    bar = QProgressBar()
    bar.setAccessibleName(name)
    bar.setVisible(False)
    return bar


def wrapped(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:  # what the label is for; its text stays what a screen reader reads (a name replaces it)
        label.setAccessibleDescription(name)
    return label


class ConnectDialog(QDialog):
    connected = Signal(object)  # sync_ops.Connected

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.op: Op | None = None
        self.setWindowTitle(_("Connect to the clinic's server"))
        intro = wrapped(_("Haven creates its tables and one login per laptop in the clinic's PostgreSQL database, "
                          "then sends this vault there, encrypted on this laptop. Give the address of an empty "
                          "database with its owner's login; the owner's password is used now and never stored. "
                          "Ask for TLS (sslmode=verify-full, or at least require) unless the server runs on this "
                          "computer."))
        self.url = QLineEdit()
        self.url.setAccessibleName(_("Server address"))
        self.url.setPlaceholderText("postgresql://owner:password@db.example.org/haven?sslmode=verify-full")
        self.sees = wrapped("\n\n".join(sync_ops.what_the_server_sees()), _("What the server will see"))
        self.progress = busy_bar(_("Connection progress"))
        self.outcome = wrapped(name=_("Connection result"))
        self.error = error_label()
        form = QFormLayout()
        form.addRow(_("Server address:"), self.url)
        self.buttons = dialog_buttons(self, self.start, ok_text=_("Connect"))
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        stack(self, intro, form, self.sees, self.progress, self.outcome, self.error, self.buttons)
        self.finished.connect(lambda _r: self.url.clear())
        self.resize(640, 420)

    def start(self) -> None:
        url = self.url.text().strip()
        if not url:
            self.error.setText(_("Type the server's address."))
            self.url.setFocus()
            return
        self.error.clear()
        self.url.setEnabled(False)
        self.start_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.outcome.setText(_("Connecting and sending the vault… a large vault takes a while; Cancel stops the "
                               "upload, and the next sync goes on from there."))
        self.op = sync_ops.connect(self.runner, url=url).progress(self._progress).success(self._done) \
            .failure(self._failed).run()

    def reject(self) -> None:
        """Closing (Cancel, Esc, the lock) stops the first upload; the connection made stays, and
        the next sync sends the rest (the status button says so)."""
        if self.op is not None and not self.op.done:
            self.op.cancel.cancel()
        super().reject()

    def _progress(self, done: int, total: int, label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(label)

    def _done(self, done: sync_ops.Connected) -> None:
        self.progress.setVisible(False)
        lines = [_("Connected this vault to {server} as laptop {device}.").format(server=done.server,
                                                                                  device=done.device)]
        if done.report is not None:
            lines.append(summary(done.report))
        if done.sync_error:
            lines.append(done.sync_error)
        if done.stopped:
            lines.append(_("The upload was stopped: the next sync sends the rest."))
        self.outcome.setText("\n".join(lines))
        self.start_button.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Close"))
        self.url.clear()
        emit(self.connected, done)

    def _failed(self, exc: BaseException) -> None:
        self.progress.setVisible(False)
        self.outcome.clear()
        self.url.setEnabled(True)
        self.start_button.setEnabled(True)
        self.error.setText(describe(exc))


class InviteDialog(QDialog):
    """Choose the user and the file; the code is shown once, with how to hand it over."""

    def __init__(self, runner: TaskRunner, clipboard: SecureClipboard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.clipboard = runner, clipboard
        self.code = ""
        self.setWindowTitle(_("Invite a laptop"))
        intro = wrapped(_("An invitation lets one person's new laptop join the clinic with their role. The file "
                          "opens only with a one-time code, shown here once: give the file and the code "
                          "separately."))
        self.user = QComboBox()
        self.user.setAccessibleName(_("User"))
        self.path = QLineEdit()
        self.path.setAccessibleName(_("Invitation file"))
        file_row, _browse = with_browse(self.path, self.choose_file)
        self.code_label = QLabel()
        self.code_label.setAccessibleName(_("One-time code"))
        self.code_label.setStyleSheet("font-family: monospace; font-size: 16pt; font-weight: 600;")
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = wrapped(name=_("How to hand over the invitation"))
        self.copy_button = QPushButton(_("&Copy the code"))
        self.copy_button.clicked.connect(self.copy_code)
        self.copied = wrapped()
        for w in (self.code_label, self.copy_button):
            w.hide()
        self.error = error_label()
        form = QFormLayout()
        form.addRow(_("User:"), self.user)
        form.addRow(_("Invitation file:"), file_row)
        self.buttons = dialog_buttons(self, self.start, ok_text=_("Create the invitation"))
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        stack(self, intro, form, self.code_label, self.copy_button, self.copied, self.note, self.error, self.buttons)
        self.finished.connect(lambda _r: self.forget_code())
        self.resize(600, 360)
        admin_ops.list_users(runner).success(self._users).failure(lambda exc: self.error.setText(describe(exc))).run()

    def _users(self, rows: list[admin_ops.UserRow]) -> None:
        self.user.clear()
        for row in rows:
            self.user.addItem(_("{user} ({role})").format(user=row.name, role=role_label(row.role)), row.name)

    def choose_file(self) -> None:
        name = str(Path.home() / f"invitation-{self.user.currentData() or 'laptop'}{INVITE_EXTENSION}")
        path = file_dialogs.save_file(self, _("Save the invitation as"), name, invitation_filter())
        if path:
            self.path.setText(str(invitation_path(path)))

    def start(self) -> None:
        user, text = self.user.currentData(), self.path.text().strip()
        if not user:
            self.error.setText(_("Choose the user who gets the new laptop."))
            return
        if not text:
            self.error.setText(_("Choose where to save the invitation file."))
            return
        path = invitation_path(text)
        self.error.clear()
        self.buttons.setEnabled(False)
        self.note.setText(_("Creating the invitation…"))
        sync_ops.invite(self.runner, user=user, out=path).success(self._done).failure(self._failed).run()

    def _done(self, made: sync_ops.Invited) -> None:
        if not self.isVisible():  # closed meanwhile: the code is never shown, so make a new invitation
            return
        self.code = made.code
        self.code_label.setText(made.code)
        self.note.setText(_("Invitation for {user} ({role}) written to {path}.").format(
            user=made.user, role=role_label(made.role), path=made.path) + "\n\n" + _(
            "Give this code to {user} in person or by phone, never with the file. It is shown only now and is not "
            "stored anywhere: if it is lost, make a new invitation.").format(user=made.user))
        for w in (self.code_label, self.copy_button):
            w.show()
        self.buttons.setEnabled(True)
        self.start_button.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Close"))

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.note.clear()
        self.error.setText(describe(exc))

    def copy_code(self) -> None:
        if self.code:
            self.clipboard.copy(self.code)
            self.copied.setText(_("Code copied: Haven clears the clipboard in {seconds} seconds and when it "
                                  "locks.").format(seconds=CLEAR_AFTER_S))

    def forget_code(self) -> None:
        self.code = ""
        self.code_label.clear()
        self.copied.clear()

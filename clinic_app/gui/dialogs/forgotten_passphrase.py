"""A forgotten admin passphrase, mended from the unlock page with the printed recovery key.

The same service as `clinic-app recover` (services.users.recover): it checks the key, that
the user is an admin and that the new passphrase is strong, writes the admin a new key slot
and records "recovery_used" in the audit log. It runs while the window is locked, on the
vault thread. The key and the passphrases leave the widgets when the dialog closes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from clinic_app.errors import WrongRecoveryKey
from clinic_app.gui.dialogs.users_dialog import NewPassphrase, error_label
from clinic_app.gui.operations import vault as vault_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.qtcompat import emit
from clinic_app.gui.tasks import TaskRunner
from clinic_app.gui.widgets.dialog_parts import dialog_buttons, stack
from clinic_app.i18n import _
from clinic_app.vault import recovery_key


class ForgottenPassphraseDialog(QDialog):
    recovered = Signal(str)  # the admin who now has a new passphrase

    def __init__(self, runner: TaskRunner, folder: Path, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.folder = runner, Path(folder)
        self.setWindowTitle(_("Forgotten passphrase"))
        explain = QLabel(_("An admin who has forgotten their passphrase can choose a new one with the vault's "
                           "recovery key: the 8 groups of 4 letters printed when the vault was created and kept "
                           "in the clinic's safe. Only an admin's passphrase can be set this way; other users ask "
                           "an admin."))
        explain.setWordWrap(True)
        self.admin = QLineEdit(user)
        self.admin.setAccessibleName(_("Admin user name"))
        self.key = QLineEdit()
        self.key.setAccessibleName(_("Recovery key"))
        self.key.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)  # readable while typed from paper only
        self.key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.key.setFont(mono)
        self.new = NewPassphrase(user.strip())
        self.admin.textChanged.connect(lambda text: self.new.set_user(text.strip()))
        self.error = error_label()
        form = QFormLayout()
        form.addRow(_("Admin user name:"), self.admin)
        form.addRow(_("Recovery key:"), self.key)
        self.new.add_rows(form)
        self.buttons = dialog_buttons(self, self.save, ok_text=_("Set the new passphrase"))
        stack(self, explain, form, self.error, self.buttons)
        self.busy = False  # the key is being checked and the new slot written
        self.finished.connect(self._forget)
        (self.key if user.strip() else self.admin).setFocus()

    def save(self) -> None:
        admin = self.admin.text().strip()
        if not admin:
            self.error.setText(_("Type the admin's user name."))
            self.admin.setFocus()
            return
        if not self.key.text().strip():
            self.error.setText(_("Type the recovery key."))
            self.key.setFocus()
            return
        if self.new.refused(self.error):
            return
        self.busy = True
        self.buttons.setEnabled(False)
        self.error.setText(_("Checking the recovery key and setting the new passphrase… this takes a few seconds."))
        vault_ops.recover(self.runner, folder=self.folder, admin=admin, recovery_key=self.key.text(),
                          new_passphrase=self.new.text()).success(self._done).failure(self._failed).run()

    def reject(self) -> None:
        """Escape or the title bar's close while the key is checked: ignored, as the greyed Cancel
        is. The new slot cannot be stopped halfway, and closing then looked like a cancel."""
        if not self.busy:
            super().reject()

    def _done(self, admin: str) -> None:
        self.busy = False
        _clear_pasted(self.key.text())
        self.accept()  # wipes the widgets first (finished → _forget)
        emit(self.recovered, admin)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.buttons.setEnabled(True)
        if isinstance(exc, WrongRecoveryKey):
            self.key.clear()
            self.key.setFocus()
            text = _("Recovery key: {problem}").format(problem=describe(exc))
        else:
            self.admin.setFocus()
            text = describe(exc)
        self.error.setText(text)

    def _forget(self) -> None:
        self.key.clear()
        self.new.clear()


def _clear_pasted(typed: str) -> None:
    """A recovery key pasted from the clipboard (a password manager, an e-mail) stays there
    after it has done its job: clear the clipboard when it holds this key, in any spelling."""
    board = QGuiApplication.clipboard()
    try:
        same = recovery_key.normalise(board.text()) == recovery_key.normalise(typed)
    except WrongRecoveryKey:
        return
    if same:
        board.clear()

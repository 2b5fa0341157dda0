"""The unlock page: user and passphrase. A wrong passphrase changes nothing but this page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from clinic_app.errors import WrongPassphrase
from clinic_app.gui.operations import vault as vault_ops
from clinic_app.gui.tasks import TaskRunner
from clinic_app.i18n import _
from clinic_app.gui.qtcompat import emit
from clinic_app.vault.errors import VaultOlderCopy


class UnlockPage(QWidget):
    unlocked = Signal(object)  # vault_ops.Opened
    choose_folder = Signal()

    def __init__(self, runner: TaskRunner, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.folder = runner, Path(folder)
        title = QLabel(_("Haven is locked"))
        title.setStyleSheet("font-size: 20pt; font-weight: 600;")
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.folder_label = QLabel()
        other = QPushButton(_("Open another vault…"))
        other.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(other)
        self.user = QComboBox()
        self.user.setEditable(True)
        self.user.setAccessibleName(_("User name"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.passphrase.returnPressed.connect(self.unlock)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.setAccessibleDescription(_("Unlock error"))  # a name would be read instead of the error
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.unlock_button = QPushButton(_("Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(lambda: self.unlock())
        self.open_older_button = QPushButton(_("Open this older copy"))
        self.open_older_button.setToolTip(_("Only if you restored this copy on purpose: Haven then takes it "
                                            "as the vault's current state."))
        self.open_older_button.clicked.connect(self.open_older_copy)
        self.open_older_button.hide()
        self.forgot_button = QPushButton(_("Forgot your passphrase? Use the &recovery key…"))
        self.forgot_button.setToolTip(_("An admin sets a new passphrase with the vault's printed recovery key"))
        self.forgot_button.clicked.connect(lambda: self.recover())
        self.recover_dialog: QDialog | None = None
        form = QFormLayout()
        form.addRow(_("Vault:"), folder_row)
        form.addRow(_("User:"), self.user)
        form.addRow(_("Passphrase:"), self.passphrase)
        box = QWidget()
        box.setMaximumWidth(560)
        inner = QVBoxLayout(box)
        inner.addStretch(1)
        inner.addWidget(title)
        inner.addWidget(self.notice)
        inner.addLayout(form)
        inner.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_older_button)
        buttons.addWidget(self.unlock_button)
        inner.addLayout(buttons)
        inner.addWidget(self.forgot_button, 0, Qt.AlignmentFlag.AlignLeft)
        inner.addWidget(self.hint)
        inner.addStretch(2)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 3)
        outer.addStretch(1)
        self.set_folder(self.folder)

    def set_folder(self, folder: Path, preferred_user: str = "") -> None:
        self.folder = Path(folder)
        self.folder_label.setText(str(self.folder))
        users = vault_ops.users_of(self.folder)
        self.user.clear()
        self.user.addItems(users)
        self.open_older_button.hide()
        if preferred_user in users:
            self.user.setCurrentText(preferred_user)
        self.error.clear()

    def set_notice(self, text: str) -> None:
        self.notice.setText(text)

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)

    def focus(self) -> None:
        (self.passphrase if self.user.currentText() else self.user).setFocus()

    def unlock(self, accept_older: bool = False) -> None:
        user = self.user.currentText().strip()
        if not user or not self.passphrase.text():
            self.error.setText(_("Type your user name and passphrase."))
            return
        self.error.setText(_("Unlocking…"))
        self.unlock_button.setEnabled(False)
        self.open_older_button.hide()
        vault_ops.unlock(self.runner, folder=self.folder, user=user, passphrase=self.passphrase.text(),
                         accept_older=accept_older).success(self._unlocked).failure(self._failed).run()

    def open_older_copy(self) -> None:
        """The person read why this copy looks older and chose to open it anyway."""
        self.unlock(accept_older=True)

    def recover(self) -> None:
        """A forgotten admin passphrase: the recovery-key dialog (gui/dialogs/forgotten_passphrase.py)."""
        from clinic_app.gui.dialogs.forgotten_passphrase import ForgottenPassphraseDialog

        dialog = ForgottenPassphraseDialog(self.runner, self.folder, self.user.currentText().strip(), self)
        dialog.recovered.connect(self._recovered)
        self.recover_dialog = dialog
        dialog.open()

    def _recovered(self, admin: str) -> None:
        self.set_folder(self.folder, admin)
        self.user.setCurrentText(admin)
        self.passphrase.clear()
        self.notice.setText(_("{user} has a new passphrase.").format(user=admin) + " "
                            + _("Type it below to unlock the vault."))
        self.passphrase.setFocus()

    def _unlocked(self, opened: vault_ops.Opened) -> None:
        self.passphrase.clear()
        self.error.clear()
        self.notice.clear()
        self.unlock_button.setEnabled(True)
        emit(self.unlocked, opened)

    def _failed(self, exc: BaseException) -> None:
        self.unlock_button.setEnabled(True)
        if isinstance(exc, VaultOlderCopy):  # keep the passphrase: the next step is a choice, not a retry
            self.error.setText(str(exc))
            self.open_older_button.show()
            self.open_older_button.setFocus()
            return
        self.passphrase.clear()
        self.passphrase.setFocus()
        self.error.setText(str(WrongPassphrase()) if isinstance(exc, WrongPassphrase) else str(exc))

"""First run: create a vault with its administrator, passphrase and recovery key."""

from __future__ import annotations

import getpass
import re
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from clinic_app.gui import messages
from clinic_app.gui.operations import vault as vault_ops
from clinic_app.gui.tasks import TaskRunner
from clinic_app.gui.widgets.strength import StrengthMeter
from clinic_app.i18n import _
from clinic_app.gui.qtcompat import emit


def default_user_name() -> str:
    try:
        name = re.sub(r"[^A-Za-z0-9._-]", "", getpass.getuser())
    except (KeyError, OSError):
        name = ""
    return name[:64] if name[:1].isalnum() else "admin"


class FirstRunPage(QWidget):
    created = Signal(object)  # vault_ops.Opened
    choose_folder = Signal()
    joined_unsynced = Signal(str)  # joined a clinic, but its first sync did not finish: a notice to show

    def __init__(self, runner: TaskRunner, folder: Path, kdf_profile: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.folder, self.kdf_profile = runner, Path(folder), kdf_profile
        title = QLabel(_("Welcome to Haven"))
        title.setStyleSheet("font-size: 20pt; font-weight: 600;")
        intro = QLabel(messages.first_run_intro())
        intro.setWordWrap(True)
        self.folder_label = QLabel()
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        change = QPushButton(_("Choose another folder…"))
        change.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(change)
        self.user = QLineEdit(default_user_name())
        self.user.setAccessibleName(_("Your user name"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName(_("Passphrase again"))
        self.meter = StrengthMeter()
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.create_button = QPushButton(_("Create vault"))
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create)
        for field in (self.passphrase, self.user):
            field.textChanged.connect(lambda _t: self.meter.update_for(self.passphrase.text(), self.user.text()))
        self.confirm.returnPressed.connect(self.create)
        form = QFormLayout()
        form.addRow(_("Vault folder:"), folder_row)
        form.addRow(_("Your user name:"), self.user)
        form.addRow(_("Passphrase:"), self.passphrase)
        form.addRow(_("Passphrase again:"), self.confirm)
        form.addRow(_("Strength:"), self.meter)
        box = QWidget()
        box.setMaximumWidth(640)
        inner = QVBoxLayout(box)
        for w in (title, intro):
            inner.addWidget(w)
        inner.addLayout(form)
        inner.addWidget(self.error)
        inner.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignRight)
        self.join_button = QPushButton(_("Join a clinic…"))
        self.join_button.setToolTip(_("Your clinic shares its vault and an admin gave you an invitation: create "
                                      "this laptop's vault from it"))
        self.join_button.clicked.connect(lambda: self.join_clinic())
        inner.addWidget(self.join_button, 0, Qt.AlignmentFlag.AlignRight)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 4)
        outer.addStretch(1)
        self.set_folder(self.folder)

    def set_folder(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder_label.setText(str(self.folder))

    def join_clinic(self) -> None:
        """Create this laptop's vault from an invitation instead (gui/dialogs/sync_join.py)."""
        from clinic_app.gui.dialogs.sync_join import JoinDialog

        dialog = JoinDialog(self.runner, self.folder, self.kdf_profile, self)
        dialog.joined.connect(self._created)
        dialog.created_unsynced.connect(self.joined_unsynced)
        self.join_dialog = dialog
        dialog.open()

    def create(self) -> None:
        self.error.clear()
        if self.passphrase.text() != self.confirm.text():
            self.error.setText(_("The two passphrases are different. Type them again."))
            self.confirm.clear()
            self.confirm.setFocus()
            return
        if not self.meter.assess_now():
            self.error.setText(self.meter.label.text())
            self.passphrase.setFocus()
            return
        self.create_button.setEnabled(False)
        self.error.setText(_("Creating the vault… this takes a few seconds."))
        op = vault_ops.create_vault(self.runner, folder=self.folder, admin=self.user.text().strip(),
                                    passphrase=self.passphrase.text(), kdf_profile=self.kdf_profile)
        op.success(self._created).failure(self._failed).run()

    def _created(self, opened: vault_ops.Opened) -> None:
        self.reset()
        emit(self.created, opened)

    def _failed(self, exc: BaseException) -> None:
        self.create_button.setEnabled(True)
        self.error.setText(str(exc))

    def reset(self) -> None:
        self.passphrase.clear()
        self.confirm.clear()
        self.error.clear()
        self.create_button.setEnabled(True)

"""Joining a clinic from Haven's first page: an invitation file, its one-time code, a new passphrase.

The code opens the file (a wrong code creates nothing); the vault is then created in the
window's folder for the invited user, and the first sync receives what their role may see
(services/sync/enrol.join). The new vault opens like a freshly created one, recovery key
first. If the vault was created but that first sync did not finish, the window goes to
the unlock page with a notice: the vault catches up at its next sync.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QWidget

from clinic_app.gui import file_dialogs
from clinic_app.gui.dialogs.sync_connect import busy_bar, invitation_filter, wrapped
from clinic_app.gui.dialogs.users_dialog import NewPassphrase, error_label
from clinic_app.gui.operations import vault as vault_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.qtcompat import emit
from clinic_app.gui.tasks import TaskRunner
from clinic_app.gui.widgets.dialog_parts import dialog_buttons, stack, with_browse
from clinic_app.i18n import _


class JoinDialog(QDialog):
    joined = Signal(object)  # vault_ops.Opened, with the new vault's recovery key
    created_unsynced = Signal(str)  # a notice for the unlock page

    def __init__(self, runner: TaskRunner, folder: Path, kdf_profile: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.folder, self.kdf_profile = runner, Path(folder), kdf_profile
        self.setWindowTitle(_("Join a clinic"))
        intro = wrapped(_("An admin gave you an invitation file and, separately, a one-time code. Haven creates "
                          "this laptop's vault in {folder} for you, then receives from the clinic's server what "
                          "your role may see. Choose a new passphrase for this laptop.").format(folder=self.folder))
        self.path = QLineEdit()
        self.path.setAccessibleName(_("Invitation file"))
        file_row, _browse = with_browse(self.path, self.choose_file)
        self.code = QLineEdit()
        self.code.setAccessibleName(_("One-time code"))
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.new = NewPassphrase()
        self.progress = busy_bar(_("Joining progress"))
        self.error = error_label()
        form = QFormLayout()
        form.addRow(_("Invitation file:"), file_row)
        form.addRow(_("One-time code:"), self.code)
        self.new.add_rows(form)
        self.buttons = dialog_buttons(self, self.start, ok_text=_("Join"))
        stack(self, intro, form, self.progress, self.error, self.buttons)
        self.finished.connect(lambda _r: self._forget())
        self.resize(620, 400)

    def choose_file(self) -> None:
        path = file_dialogs.open_file(self, _("Choose the invitation"), str(Path.home()), invitation_filter())
        if path:
            self.path.setText(path)

    def start(self) -> None:
        path, code = self.path.text().strip(), self.code.text().strip()
        if not path:
            self.error.setText(_("Choose the invitation file."))
            return
        if not code:
            self.error.setText(_("Type the one-time code that came with the invitation."))
            self.code.setFocus()
            return
        if self.new.refused(self.error):
            return
        self.buttons.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.error.setText(_("Joining the clinic… Haven receives what your role may see; this can take a while."))
        vault_ops.join_clinic(self.runner, folder=self.folder, invitation=Path(path).expanduser(), code=code,
                              passphrase=self.new.text(), kdf_profile=self.kdf_profile) \
            .success(self._done).failure(self._failed).run()

    def _done(self, opened: vault_ops.Opened) -> None:
        emit(self.joined, opened)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.progress.setVisible(False)
        if vault_ops.users_of(self.folder):
            emit(self.created_unsynced, _(
                "Your vault was created on this laptop, but the first sync did not finish: {reason} Unlock it with "
                "your new passphrase: it catches up at the next sync.").format(reason=describe(exc)))
            self.accept()
            return
        self.buttons.setEnabled(True)
        self.error.setText(describe(exc))
        self.code.setFocus()

    def _forget(self) -> None:
        self.code.clear()
        self.new.clear()

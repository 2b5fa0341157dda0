"""Back up now, and restore from a backup.

A backup goes to a file the user names or, with an automatic name, into the
backup folder chosen in Settings; where that folder is synced or on a network
the location guard's warning is shown before and after. Restore replaces the
vault in the window's folder, so the window locks first; the service checks the
whole backup before it moves the current vault aside (never deleting it).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QProgressBar,
    QRadioButton, QVBoxLayout, QWidget,
)

from clinic_app.gui import file_dialogs
from clinic_app.gui.dialogs.users_dialog import confirm, error_label, password_field
from clinic_app.gui.operations import admin as admin_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.qtcompat import emit
from clinic_app.gui.tasks import TaskRunner
from clinic_app.gui.widgets.dialog_parts import dialog_buttons, stack, with_browse
from clinic_app.i18n import _, ngettext

EXTENSION = ".havenbak"


def file_filter() -> str:
    return _("Haven backups (*.havenbak)")


def when(created_at: str) -> str:
    return created_at[:19].replace("T", " ")


def warning_lines(warnings: tuple[str, ...] | list[str]) -> str:
    return "\n".join(_("Warning: {text}").format(text=w) for w in warnings)


def _progress_bar(name: str) -> QProgressBar:
    bar = QProgressBar()
    bar.setAccessibleName(name)
    bar.setVisible(False)
    return bar


def _warning_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #8a4b00;")
    label.setAccessibleName(_("Backup folder warnings"))
    return label


class BackupDialog(QDialog):
    """Write one backup now; the dialog stays open to say where it went."""

    def __init__(self, runner: TaskRunner, backup_folder: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.backup_folder = runner, backup_folder
        self.done_path: Path | None = None
        self.setWindowTitle(_("Back up now"))
        self.to_folder = QRadioButton(
            _("Into the backup folder {folder}").format(folder=backup_folder) if backup_folder
            else _("Into the backup folder (choose one in Settings first)"))
        self.to_folder.setEnabled(backup_folder is not None)
        self.to_file = QRadioButton(_("To a file I choose:"))
        self.path = QLineEdit()
        self.path.setAccessibleName(_("Backup file"))
        self.path.textChanged.connect(lambda _t: self.to_file.setChecked(True))
        self.path.editingFinished.connect(self._check_folder)
        file_row, _browse = with_browse(self.path, self.choose_file)
        (self.to_folder if backup_folder else self.to_file).setChecked(True)
        self.to_folder.toggled.connect(lambda _on: self._check_folder())
        self.warnings = _warning_label()
        self.progress = _progress_bar(_("Backup progress"))
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.setAccessibleName(_("Backup result"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close)
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText(_("Back up"))
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel(_("Write an encrypted copy of the whole vault. It opens with today's passphrases and the "
                         "recovery key."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.to_folder)
        layout.addWidget(self.to_file)
        layout.addLayout(file_row)
        for w in (self.warnings, self.progress, self.outcome):
            layout.addWidget(w)
        layout.addWidget(self.buttons)
        self._check_folder()

    def choose_file(self) -> None:
        start = self.backup_folder or Path.home()
        name = str(start / f"haven-backup-{date.today().isoformat()}{EXTENSION}")
        path = file_dialogs.save_file(self, _("Save the backup as"), name, file_filter())
        if path:
            self.set_file(Path(path))

    def set_file(self, path: Path) -> None:
        if path.suffix != EXTENSION:
            path = path.with_name(path.name + EXTENSION)
        self.path.setText(str(path))
        self.to_file.setChecked(True)
        self._check_folder()

    def target(self) -> tuple[Path | None, bool]:
        if self.to_folder.isChecked() and self.backup_folder is not None:
            return self.backup_folder, True
        text = self.path.text().strip()
        if not text:
            return None, False
        path = Path(text).expanduser()
        return (path if path.suffix == EXTENSION else path.with_name(path.name + EXTENSION)), False

    def _check_folder(self) -> None:
        target, into = self.target()
        if target is None:
            self.warnings.clear()
            return
        folder = target if into else target.parent
        admin_ops.folder_warnings(self.runner, folder=folder) \
            .success(lambda found: self.warnings.setText(warning_lines(found))) \
            .failure(lambda _exc: self.warnings.clear()).run()

    def start(self) -> None:
        target, into = self.target()
        if target is None:
            self.outcome.setText(_("Choose where to save the backup."))
            return
        self.start_button.setEnabled(False)
        self.progress.setRange(0, 0)  # the service reports no steps: a busy bar
        self.progress.setVisible(True)
        self.outcome.setText(_("Writing the backup…"))
        admin_ops.backup_now(self.runner, target=target, into_folder=into) \
            .progress(lambda _d, _t, label: self.progress.setFormat(label)) \
            .success(self._done).failure(self._failed).run()

    def _done(self, done: admin_ops.BackupDone) -> None:
        self.done_path = done.path
        self.progress.setVisible(False)
        self.start_button.setEnabled(True)
        text = _("Backup written to {path} ({size} bytes).").format(path=done.path, size=done.size)
        self.outcome.setText("\n".join(filter(None, (text, warning_lines(done.warnings)))))

    def _failed(self, exc: BaseException) -> None:
        self.progress.setVisible(False)
        self.start_button.setEnabled(True)
        self.outcome.setText(describe(exc))


def restored_notice(done: admin_ops.Restored) -> str:
    """What the unlock page says after a restore."""
    lines = [ngettext("Restored the backup made {when} into {folder}; {count} document verified.",
                      "Restored the backup made {when} into {folder}; {count} documents verified.",
                      done.documents).format(
        when=when(done.created_at), folder=done.folder, count=done.documents)]
    if done.moved_aside:
        lines.append(_("The previous vault was kept as {path}.").format(path=done.moved_aside))
    if done.warnings:
        lines.append(warning_lines(done.warnings))
    return "\n".join(lines)


class RestoreDialog(QDialog):
    """Choose a backup, who you are in it and your passphrase; the vault folder is the window's."""

    restored = Signal(object)  # admin_ops.Restored

    def __init__(self, runner: TaskRunner, folder: Path, backup_folder: Path | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.folder, self.backup_folder = runner, Path(folder), backup_folder
        self.preview: admin_ops.BackupPreview | None = None
        self.setWindowTitle(_("Restore from backup"))
        explain = QLabel(_("Restoring replaces the vault in {folder} with the backup. The current vault is not "
                           "deleted: it is moved aside and kept beside it as {name}.replaced-<date>. Work done "
                           "after the backup was made is not in it.").format(folder=self.folder,
                                                                              name=self.folder.name))
        explain.setWordWrap(True)
        self.recent = QComboBox(self)  # shown only when Settings names a backup folder
        self.recent.setVisible(backup_folder is not None)
        self.recent.setAccessibleName(_("Backups in your backup folder"))
        self.recent.activated.connect(self._recent_chosen)
        self.path = QLineEdit()
        self.path.setAccessibleName(_("Backup file"))
        self.path.editingFinished.connect(self.inspect)
        file_row, _browse = with_browse(self.path, self.choose_file)
        self.made = QLabel()
        self.made.setAccessibleName(_("Backup details"))
        self.user = QComboBox()
        self.user.setAccessibleName(_("User name"))
        self.passphrase = password_field(_("Passphrase"))
        self.progress = _progress_bar(_("Restore progress"))
        self.error = error_label()
        form = QFormLayout()
        if backup_folder is not None:
            form.addRow(_("Recent backups:"), self.recent)
        form.addRow(_("Backup file:"), file_row)
        form.addRow("", self.made)
        form.addRow(_("User:"), self.user)
        form.addRow(_("Passphrase:"), self.passphrase)
        self.buttons = dialog_buttons(self, self.start, ok_text=_("Restore"))
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        stack(self, explain, form, self.progress, self.error, self.buttons)
        self.finished.connect(lambda _r: self.passphrase.clear())
        if backup_folder is not None:
            admin_ops.list_backups(runner, folder=backup_folder).success(self._list).failure(lambda _e: None).run()

    def _list(self, entries: list[admin_ops.BackupEntry]) -> None:
        self.recent.clear()
        for entry in entries:
            label = (_("{when} UTC (date not verified): {name}") if entry.verified is False  # checked, failed
                     else _("{when} UTC: {name}"))
            self.recent.addItem(label.format(when=when(entry.created_at), name=entry.path.name), str(entry.path))
        if entries and not self.path.text():
            self.set_file(entries[0].path)

    def _recent_chosen(self, index: int) -> None:
        if index >= 0:
            self.set_file(Path(self.recent.itemData(index)))

    def choose_file(self) -> None:
        start = str(self.backup_folder or Path.home())
        path = file_dialogs.open_file(self, _("Choose a backup"), start, file_filter())
        if path:
            self.set_file(Path(path))

    def set_file(self, path: Path) -> None:
        self.path.setText(str(path))
        self.inspect()

    def inspect(self) -> None:
        self.preview = None
        self.user.clear()
        self.made.clear()
        self.error.clear()
        text = self.path.text().strip()
        if text:
            admin_ops.inspect_backup(self.runner, backup=Path(text).expanduser(), folder=self.folder) \
                .success(self._inspected).failure(lambda exc: self.error.setText(describe(exc))).run()

    def _inspected(self, preview: admin_ops.BackupPreview) -> None:
        self.preview = preview
        self.user.clear()
        self.user.addItems(list(preview.users))
        if preview.created_at:
            self.made.setText(_("Made {when} UTC.").format(when=when(preview.created_at)))
        self.passphrase.setFocus()

    def start(self) -> None:
        if self.preview is None:
            self.error.setText(_("Choose a backup file first."))
            return
        if not self.user.currentText() or not self.passphrase.text():
            self.error.setText(_("Type your user name and passphrase."))
            return
        if self.preview.folder_state == "vault" and not confirm(
                self, _("Restore from backup"),
                _("Replace the vault in {folder} with this backup? The current vault is kept, renamed.").format(
                    folder=self.folder), _("Replace the vault")):
            return
        self.buttons.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.error.setText(_("Checking and restoring the backup…"))
        op = admin_ops.restore_backup(self.runner, backup=Path(self.path.text().strip()).expanduser(),
                                      folder=self.folder, user=self.user.currentText(),
                                      passphrase=self.passphrase.text())
        self.passphrase.clear()
        op.progress(self._progress).success(self._done).failure(self._failed).run()

    def _progress(self, done: int, total: int, label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(label)

    def _done(self, done: admin_ops.Restored) -> None:
        emit(self.restored, done)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.progress.setVisible(False)
        self.error.setText(describe(exc))
        self.passphrase.setFocus()

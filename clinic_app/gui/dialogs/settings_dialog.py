"""Preferences: language, auto-lock delay, backup folder. Nothing about clients.

A backup folder that is cloud-synced or on a network share earns the location
guard's warning as soon as it is chosen (checked off the GUI thread).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget,
)

from clinic_app.gui import file_dialogs, messages
from clinic_app.gui.dialogs.backup_dialog import warning_lines
from clinic_app.gui.operations import admin as admin_ops
from clinic_app.gui.settings import Settings
from clinic_app.gui.tasks import TaskRunner
from clinic_app.gui.widgets.dialog_parts import with_browse
from clinic_app.i18n import _


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None, runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.settings, self.runner = settings, runner
        self.setWindowTitle(_("Haven settings"))
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language"))
        for code, label in (("", _("Same as the computer")), ("en", "English"), ("fr", "Français")):
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 120)
        self.minutes.setSuffix(_(" min"))
        self.minutes.setAccessibleName(_("Lock after inactivity (minutes)"))
        self.minutes.setValue(max(1, round(settings.autolock_seconds / 60)))
        self.backup = QLineEdit(settings.backup_folder)
        self.backup.setAccessibleName(_("Backup folder"))
        self.backup_warnings = QLabel()
        self.backup_warnings.setWordWrap(True)
        self.backup_warnings.setStyleSheet("color: #8a4b00;")
        self.backup_warnings.setAccessibleName(_("Backup folder warnings"))
        self.backup.editingFinished.connect(self.check_backup_folder)
        row, _browse = with_browse(self.backup, self._browse)
        limits = QLabel(messages.lock_limits())
        limits.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Language:"), self.language)
        form.addRow(_("Lock after inactivity:"), self.minutes)
        form.addRow(_("Backup folder:"), row)
        form.addRow("", self.backup_warnings)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(limits)
        layout.addWidget(buttons)
        self.check_backup_folder()

    def _browse(self) -> None:
        folder = file_dialogs.existing_folder(self, _("Backup folder"), self.backup.text())
        if folder:
            self.backup.setText(folder)
            self.check_backup_folder()

    def check_backup_folder(self) -> None:
        self.backup_warnings.clear()
        folder = self.backup.text().strip()
        if folder and self.runner is not None:
            admin_ops.folder_warnings(self.runner, folder=Path(folder)) \
                .success(lambda found: self.backup_warnings.setText(warning_lines(found))) \
                .failure(lambda _exc: None).run()

    def apply(self) -> bool:
        """Store the choices; True when the language changed."""
        changed = self.language.currentData() != self.settings.language
        self.settings.language = self.language.currentData()
        self.settings.autolock_seconds = self.minutes.value() * 60
        self.settings.backup_folder = self.backup.text().strip()
        self.settings.sync()
        return changed

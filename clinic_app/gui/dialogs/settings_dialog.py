"""Preferences: language, auto-lock delay, backup folder. Nothing about clients."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QSpinBox, QVBoxLayout, QWidget,
)

from clinic_app.gui import messages
from clinic_app.gui.settings import Settings
from clinic_app.i18n import _


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
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
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.backup, 1)
        row.addWidget(browse)
        limits = QLabel(messages.lock_limits())
        limits.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Language:"), self.language)
        form.addRow(_("Lock after inactivity:"), self.minutes)
        form.addRow(_("Backup folder:"), row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(limits)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Backup folder"), self.backup.text())
        if folder:
            self.backup.setText(folder)

    def apply(self) -> bool:
        """Store the choices; True when the language changed."""
        changed = self.language.currentData() != self.settings.language
        self.settings.language = self.language.currentData()
        self.settings.autolock_seconds = self.minutes.value() * 60
        self.settings.backup_folder = self.backup.text().strip()
        self.settings.sync()
        return changed

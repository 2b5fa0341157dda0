"""The recovery key, shown once, with a printable sheet made in memory (no temp file)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPdfWriter, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from clinic_app.gui import messages
from clinic_app.gui.save_paths import ask_save_path
from clinic_app.i18n import _


class RecoveryKeyDialog(QDialog):
    """The new vault's recovery key. It is never stored anywhere, so this dialog is the only
    place it can be read: it closes only through Continue, once the box says the key was
    printed or written down. Escape and the title bar's close button leave it open and point
    at the box.

    The lock (auto-lock, screen lock, suspend) does not wait for it, and does not lose the key
    either: `hide_for_lock` takes the key off the screen and out of the widgets and hides the
    dialog, and the window shows it again (`show_again`) when the administrator who created the
    vault unlocks it. Postponing the lock instead would leave the vault open, and soon its
    clients' records, on an unattended screen for as long as nobody ticks the box; closing the
    dialog would make a vault nobody can recover once its passphrases are forgotten. The key
    stays only in this process's memory while locked, as it did while shown.
    """

    def __init__(self, key: str, folder: str, admin: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key, self._folder, self._admin = key, folder, admin
        self.setWindowTitle(_("Haven: your recovery key"))
        self._html = messages.recovery_sheet_html(key, folder, admin, date.today().isoformat())
        explain = QLabel(messages.recovery_explained())
        explain.setWordWrap(True)
        self.key_label = QLabel(key)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(18)
        self.key_label.setFont(font)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAccessibleName(_("Recovery key"))
        print_button = QPushButton(_("Print…"))
        print_button.clicked.connect(self.print_sheet)
        pdf_button = QPushButton(_("Save as PDF…"))
        pdf_button.clicked.connect(self.save_pdf)
        row = QHBoxLayout()
        row.addWidget(print_button)
        row.addWidget(pdf_button)
        row.addStretch(1)
        self.confirm = QCheckBox(_("I have printed or written down the recovery key"))
        self.reminder = QLabel(_("Print or write down the key first, then tick the box: it is shown only once "
                                 "and cannot be shown again."))
        self.reminder.setWordWrap(True)
        self.reminder.setStyleSheet("color: #b00020;")
        self.reminder.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Continue"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.confirm.toggled.connect(self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled)
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        for w in (explain, self.key_label):
            layout.addWidget(w)
        layout.addLayout(row)
        layout.addWidget(self.confirm)
        layout.addWidget(self.reminder)
        layout.addWidget(self.buttons)
        self.finished.connect(self._forget)

    def reject(self) -> None:
        """Escape, the close button and anything else that would dismiss the key unconfirmed
        leave it on screen and point at the box instead (QDialog.closeEvent calls this too)."""
        if self.confirm.isChecked():
            super().reject()
            return
        self.reminder.show()
        self.confirm.setFocus()

    def hide_for_lock(self) -> None:
        """The lock closes every dialog: this one keeps its key, off screen, for the next unlock."""
        if self.confirm.isChecked() or not self._key:
            super().reject()
            return
        self.key_label.clear()
        self.hide()

    def pending_for(self, folder: str, user: str) -> bool:
        """Is the key still to be confirmed by `user`, who unlocked the vault in `folder`?"""
        return bool(self._key) and not self.isVisible() and (folder, user) == (self._folder, self._admin)

    def show_again(self) -> None:
        self.key_label.setText(self._key)
        self.open()

    def document(self) -> QTextDocument:
        doc = QTextDocument(self)
        doc.setHtml(self._html)
        return doc

    def print_sheet(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.document().print_(printer)

    def save_pdf(self, path: str = "") -> None:
        if not path:
            chosen = ask_save_path(self, _("Save the recovery sheet"), "haven-recovery-key.pdf",
                                   _("PDF files (*.pdf)"))
            path = str(chosen) if chosen is not None else ""
        if path:
            writer = QPdfWriter(path)
            writer.setTitle(_("Haven recovery key"))
            self.document().print_(writer)

    def _forget(self) -> None:
        """The key leaves memory the window holds once the dialog closes."""
        self._html = self._key = ""
        self.key_label.clear()

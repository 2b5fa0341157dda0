"""Vault > Deadline rules: where the clinic's rules folder is, the clinic's province, which
rules files are in force (Haven's own or the clinic's copy) and which rules are unconfirmed.

The same facts as `clinic-app deadline-rules` (services/deadline_settings.py). A broken
copy in the rules folder shows the loader's message (file, rule, field) here, and the
agenda shows it too until the file is fixed: Haven never falls back to its own file
without saying so. Changing the province needs the edit permission; others see it only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from clinic_app.domain.citations import cite
from clinic_app.gui.operations import deadlines as deadline_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.tasks import TaskRunner
from clinic_app.gui.widgets.rows import Column, RowsModel, rows_table
from clinic_app.i18n import _, current_language

if TYPE_CHECKING:
    from clinic_app.gui.main_window import MainWindow


def _label(text: str = "", *, selectable: bool = False) -> QLabel:
    """A wrapping label; `selectable` for paths and messages a person may copy."""
    label = QLabel(text)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class DeadlineRulesDialog(QDialog):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from clinic_app.services.deadline_settings import PROVINCE_NAMES

        self.runner = runner
        self.shown: object = None
        self.setWindowTitle(_("Deadline rules"))
        intro = _label(_("Haven computes deadlines from its rules files. To correct a rule, copy Haven's file of "
                         "that name into the clinic's rules folder and edit the copy: Haven then uses the copy "
                         "instead of its own file, on this computer."))
        self.folder = _label(selectable=True)
        self.folder.setWordWrap(False)
        self.folder.setAccessibleName(_("Rules folder"))
        self.open_button = QPushButton(_("&Open folder"))
        self.open_button.clicked.connect(self.open_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel(_("Rules folder:")))
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.open_button)
        self.province = QComboBox()
        for code, name in sorted(PROVINCE_NAMES.items(), key=lambda item: _(item[1])):
            self.province.addItem(f"{_(name)} ({code})", code)
        self.province.setEnabled(False)  # until the vault's choice is read
        self.province.currentIndexChanged.connect(self._province_edited)
        province_label = QLabel(_("&Province for holidays:"))
        province_label.setBuddy(self.province)
        province_row = QHBoxLayout()
        province_row.addWidget(province_label)
        province_row.addWidget(self.province, 1)
        self.error = _label(selectable=True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setAccessibleName(_("Rules file refused"))
        self.error.hide()
        self.files_model = RowsModel([
            Column(_("File"), lambda f: f.name, lambda f: str(f.path)),
            Column(_("Forum"), lambda f: f.forum),
            Column(_("In force"), lambda f: _("the clinic's copy") if f.overridden else _("Haven's own")),
            Column(_("Rules"), lambda f: str(len(f.rule_ids))),
        ])
        self.files = rows_table(self.files_model, name=_("Rules files in force"), stretch=2)
        lang = current_language()
        self.unconfirmed_model = RowsModel([
            Column(_("Rule"), lambda r: r.id),
            Column(_("Title"), lambda r: r.name.get(lang)),
            Column(_("Citation"), lambda r: cite(r.citation, lang)),
        ])
        self.unconfirmed = rows_table(self.unconfirmed_model, name=_("Unconfirmed rules"), stretch=1, wrap=True)
        files_box, unconfirmed_box = QGroupBox(_("Rules files in force")), QGroupBox(_("Unconfirmed rules"))
        QVBoxLayout(files_box).addWidget(self.files)
        unconfirmed_layout = QVBoxLayout(unconfirmed_box)
        unconfirmed_layout.addWidget(_label(_("Haven still counts these, marked UNCONFIRMED, until a lawyer has "
                                              "checked each against its source.")))
        unconfirmed_layout.addWidget(self.unconfirmed)
        self.note = _label(selectable=True)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(_("&Save province"), QDialogButtonBox.ButtonRole.ApplyRole)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(folder_row)
        layout.addLayout(province_row)
        for part in (self.error, files_box, unconfirmed_box, self.note, self.buttons):
            layout.addWidget(part)
        self.resize(820, 620)
        self.reload()

    # --- reading -----------------------------------------------------------------------
    def reload(self) -> None:
        deadline_ops.rules_overview(self.runner).success(self._show).failure(self._failed).run()

    def _show(self, shown: object) -> None:
        self.shown = shown
        self.folder.setText(str(shown.folder))  # type: ignore[attr-defined]
        self.province.blockSignals(True)
        self.province.setCurrentIndex(max(0, self.province.findData(shown.province)))  # type: ignore[attr-defined]
        self.province.blockSignals(False)
        self.province.setEnabled(shown.may_change_province)  # type: ignore[attr-defined]
        self.save_button.setVisible(shown.may_change_province)  # type: ignore[attr-defined]
        self.save_button.setEnabled(False)
        error = shown.error  # type: ignore[attr-defined]
        self.error.setText("\n".join((error, _("No deadline can be computed until this file is corrected or "
                                                "removed from the rules folder."))) if error else "")
        self.error.setVisible(bool(error))
        self.files_model.set_rows(shown.files)  # type: ignore[attr-defined]
        self.unconfirmed_model.set_rows(shown.unconfirmed)  # type: ignore[attr-defined]

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(describe(exc))
        self.error.show()

    # --- changing ----------------------------------------------------------------------
    def _province_edited(self) -> None:
        saved = getattr(self.shown, "province", None)
        self.save_button.setEnabled(self.province.currentData() != saved)
        self.note.clear()

    def save(self) -> None:
        code, name = self.province.currentData(), self.province.currentText()
        self.save_button.setEnabled(False)

        def saved(_changes: object) -> None:
            self.note.setText(_("Saved: deadlines now note the holidays of {province}.").format(province=name))
            self.reload()

        def failed(exc: BaseException) -> None:
            self.note.setText(describe(exc))
            self._province_edited()

        deadline_ops.set_province(self.runner, province=code).success(saved).failure(failed).run()

    def open_folder(self) -> None:
        """Create the folder if missing, then open it in the system's file manager."""

        def opened(folder: object) -> None:
            self.folder.setText(str(folder))
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
                self.note.setText(_("No program opened the folder. It is {path}").format(path=folder))

        deadline_ops.make_rules_folder(self.runner).success(opened).failure(
            lambda exc: self.note.setText(describe(exc))).run()


def show(window: MainWindow) -> None:
    """Open the dialog over the window (one at a time; the lock sequence closes it). Closing
    it refreshes the agenda: a file fixed or added in the rules folder shows at once."""
    if window.opened is None:
        return
    old = getattr(window, "rules_dialog", None)
    if old is not None:
        old.close()
    dialog = DeadlineRulesDialog(window.runner, window)
    dialog.finished.connect(lambda _result: _refresh_agenda(window))
    window.rules_dialog = dialog  # type: ignore[attr-defined]
    dialog.open()


def _refresh_agenda(window: MainWindow) -> None:
    home = window.desk.home if window.desk is not None else None
    if home is not None:
        home.refresh_agenda()

"""A matter's correspondence log: every letter, email or web form sent to or received from an
authority, with the document that proves it. A mandamus record draws its delay chronology
from it; the list shows, above it, how long the matter has been waiting."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from clinic_app.domain.correspondence import CorrespondenceEntry, waiting_days
from clinic_app.domain.roles import Permission
from clinic_app.gui.context import Context
from clinic_app.gui.dialogs.correspondence_entry import CorrespondenceDialog
from clinic_app.gui.operations import correspondence as ops
from clinic_app.gui.presenter import describe
from clinic_app.i18n import _, ngettext


class CorrespondenceTab(QWidget):
    def __init__(self, ctx: Context, matter_ref: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.matter_ref = ctx, matter_ref
        self.entries: list[CorrespondenceEntry] = []
        self.documents: list[dict[str, Any]] = []
        self.dialog: CorrespondenceDialog | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName(_("Correspondence log of the matter"))
        self.table.setHorizontalHeaderLabels([_("Date"), _("Sent or received"), _("With"), _("Subject"),
                                              _("Document")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.add_button = QPushButton(_("&Add…"))
        self.add_button.setToolTip(_("Log a letter, email or web form sent or received"))
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton(_("Edit entr&y…"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(_("Delete e&ntry"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.note = QLabel()
        self.note.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        editing = ctx.can(Permission.EDIT_RECORDS)
        for b in (self.add_button, self.edit_button, self.delete_button):
            b.setEnabled(editing)

    def set_documents(self, documents: list[dict[str, Any]]) -> None:
        self.documents = list(documents)

    def refresh(self) -> Any:
        return ops.entries(self.ctx.runner, matter_ref=self.matter_ref).success(self._show) \
            .failure(lambda exc: self.note.setText(describe(exc))).run()

    def _show(self, entries: list[CorrespondenceEntry]) -> None:
        self.entries = list(entries)
        titles = {d["ref"]: d["title"] for d in self.documents}
        self.table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            document = f"{titles.get(e.document_ref, '')} ({e.document_ref})" if e.document_ref else ""
            for col, text in enumerate((e.day.isoformat(), e.direction.label, e.party, e.subject, document)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnToContents(0)
        waited = waiting_days(entries, date.today())
        self.summary.setText(_("No correspondence logged yet.") if not entries else
                             ngettext("{count} entry; {days} days since the first letter sent.",
                                      "{count} entries; {days} days since the first letter sent.",
                                      len(entries)).format(count=len(entries), days=waited)
                             if waited is not None else
                             ngettext("{count} entry.", "{count} entries.", len(entries)).format(count=len(entries)))

    def selected(self) -> CorrespondenceEntry | None:
        row = self.table.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def add(self) -> CorrespondenceDialog:
        return self._open(None)

    def edit_selected(self) -> CorrespondenceDialog | None:
        entry = self.selected()
        if entry is None:
            self.note.setText(_("Select an entry first."))
            return None
        return self._open(entry)

    def _open(self, entry: CorrespondenceEntry | None) -> CorrespondenceDialog:
        dialog = CorrespondenceDialog(self.documents, entry, self)
        dialog.accepted.connect(lambda: self.save(dialog.result_entry))
        self.dialog = dialog
        dialog.open()
        return dialog

    def save(self, entry: CorrespondenceEntry | None) -> Any:
        if entry is None:
            return None
        return ops.save(self.ctx.runner, matter_ref=self.matter_ref, entry=entry) \
            .success(lambda _c: self.note.setText(_("Correspondence saved."))) \
            .failure(lambda exc: self.note.setText(describe(exc))).run()

    def delete_selected(self, confirm: bool = True) -> Any:
        entry = self.selected()
        if entry is None:
            self.note.setText(_("Select an entry first."))
            return None
        if confirm and QMessageBox.question(self, _("Delete the entry"), _("Delete “{subject}” from the log?").format(
                subject=entry.subject)) != QMessageBox.StandardButton.Yes:
            return None
        return ops.delete(self.ctx.runner, matter_ref=self.matter_ref, entry=entry.entry) \
            .success(lambda _c: self.note.setText(_("Entry deleted."))) \
            .failure(lambda exc: self.note.setText(describe(exc))).run()

    def clear(self) -> None:
        self.entries, self.documents = [], []
        self.table.setRowCount(0)
        self.summary.clear()
        self.note.clear()

    def has_unsaved(self) -> bool:
        return False

"""The conflicts list: the same field changed on two laptops before they synced.

The later edit already won on every laptop; the other value waits here until a person
chooses: keep the value in use, or use the other one (a new edit that wins everywhere
at the next sync). Each choice is audited by services/sync/conflicts.resolve. The list
reloads after every sync and after each choice, and empties when the dialog closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QPushButton, QTableWidget, QTableWidgetItem,
    QWidget,
)

from clinic_app.gui.dialogs.sync_connect import wrapped
from clinic_app.gui.operations import sync as sync_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.tasks import TaskRunner
from clinic_app.gui.widgets.dialog_parts import stack
from clinic_app.i18n import N_, _

if TYPE_CHECKING:
    from clinic_app.gui.sync_status import SyncController

KIND_LABELS = {"client": N_("Client"), "matter": N_("Matter"), "document": N_("Document"),
               "letter": N_("Support letter"), "bundle": N_("Bundle")}
# The labels the forms show, by record kind and field name (the `data.` or `col.` part removed).
FIELD_LABELS = {
    "client": {"legal_name": N_("Legal name"), "aliases": N_("Aliases"), "public_initials": N_("Public initials"),
               "birth_date": N_("Birth date"), "country": N_("Country"), "languages": N_("Languages"),
               "uci": N_("UCI"), "narrative": N_("Narrative"), "notes": N_("Notes"), "contacts": N_("Contacts"),
               "relatives": N_("Relatives")},
    "matter": {"title": N_("Title"), "type": N_("Type"), "status": N_("Status"),
               "language": N_("Language of the proceeding"), "counsel": N_("Counsel"),
               "adverse_parties": N_("Adverse parties"), "client_ref": N_("Client"),
               "file_numbers": N_("File numbers"), "dates": N_("Key dates")},
    "letter": {"writer": N_("Writer"), "relationship": N_("Relationship to the client"),
               "organisation": N_("Organisation"), "writer_status": N_("Writer's status in Canada"),
               "contact": N_("Contact"), "letter_date": N_("Date of the letter"), "language": N_("Language"),
               "translation_status": N_("Translation"), "themes": N_("Themes"), "key_quote": N_("Key quote"),
               "status": N_("Status"), "signed": N_("Signed"), "id_copy_attached": N_("ID copy attached"),
               "matter_ref": N_("Matter ref")},
    "document": {"title": N_("Document title"), "doc_date": N_("Document date"),
                 "language": N_("Document language"), "category": N_("Category"), "tags": N_("Tags"),
                 "source": N_("Source")},
}
PART_LABELS = {"document_matters": N_("Matters of the document"), "package_items": N_("Package checklist item"),
               "package_attachments": N_("Package attachment"), "deadline_marks": N_("Deadline"),
               "translations": N_("Translation link"), "document_text": N_("Document text"),
               "bundle_service": N_("Service record")}
COLUMNS = (N_("Record"), N_("Field"), N_("Value in use"), N_("Other value"), N_("Other value from"), N_("Choice"))


def field_label(kind: str, field: str) -> str:
    """The form's label for a field ("data.legal_name" -> "Legal name"), else its raw name."""
    if field == "*":
        return _("The whole record (deleted on one laptop)")
    if field == "ref":
        return _("Its ref (created on two laptops at once)")
    name = field.split(".", 1)[1] if field.startswith(("data.", "col.")) else field
    if ":" in name:
        part = PART_LABELS.get(name.split(":", 1)[0])
        return _(part) if part else field
    label = FIELD_LABELS.get(kind, {}).get(name)
    return _(label) if label else field


def record_label(kind: str, ref: str) -> str:
    return _("{kind} {ref}").format(kind=_(KIND_LABELS[kind]) if kind in KIND_LABELS else kind, ref=ref)


def laptop_label(row: sync_ops.ConflictRow) -> str:
    if row.from_this_laptop:
        return _("this laptop")
    if row.laptop_user:
        return _("{user}'s laptop ({laptop})").format(user=row.laptop_user, laptop=row.conflict.other_author)
    return str(row.conflict.other_author)


class SyncConflictsDialog(QDialog):
    def __init__(self, runner: TaskRunner, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.controller = runner, controller
        self.rows: list[sync_ops.ConflictRow] = []
        self.choices: list[tuple[QPushButton, QPushButton]] = []
        self.setWindowTitle(_("Sync conflicts"))
        intro = wrapped(_("The same field was changed on two laptops before they synced. The later edit is in "
                          "use on every laptop; the other value waits here. Keep the value in use, or use the "
                          "other value instead: it then replaces it on every laptop at the next sync."))
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName(_("Conflicts"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.message = wrapped(name=_("Conflicts message"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        stack(self, intro, self.table, self.message, buttons)
        self.resize(980, 420)
        controller.synced.connect(self._synced)
        self.finished.connect(self._closed)
        self.reload()

    def _synced(self, _done: object) -> None:
        self.reload()

    def reload(self) -> None:
        sync_ops.list_conflicts(self.runner).success(self._show).failure(
            lambda exc: self.message.setText(describe(exc))).run()

    def _show(self, rows: list[sync_ops.ConflictRow]) -> None:
        if not self.isVisible():  # closed while the list was loading: keep no client text
            return
        self.rows = rows
        self.choices = []
        self.table.clearContents()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            c = row.conflict
            texts = (record_label(c.kind, c.ref), field_label(c.kind, c.field), c.kept_text, c.other_text,
                     laptop_label(row))
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
            self.table.setCellWidget(r, len(texts), self._choice(row))
        self.table.resizeColumnsToContents()
        if not rows:
            self.message.setText(_("No conflicts: nothing waits for a choice."))

    def _choice(self, row: sync_ops.ConflictRow) -> QWidget:
        keep = QPushButton(_("Keep"))
        keep.setToolTip(_("Keep the value in use; forget the other one"))
        other = QPushButton(_("Use the other value"))
        other.setToolTip(_("Replace the value in use with the other one, on every laptop at the next sync"))
        keep.clicked.connect(lambda: self.settle(row.conflict.id, "kept"))
        other.clicked.connect(lambda: self.settle(row.conflict.id, "other"))
        self.choices.append((keep, other))
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(2, 0, 2, 0)
        layout.addWidget(keep)
        layout.addWidget(other)
        return box

    def settle(self, conflict_id: int, keep: str) -> None:
        for pair in self.choices:
            for button in pair:
                button.setEnabled(False)
        sync_ops.resolve(self.runner, conflict_id=conflict_id, keep=keep).success(self._settled).failure(
            self._failed).run()

    def _settled(self, _changes: object) -> None:
        self.message.setText(_("Settled. The choice is written to the audit log."))
        self.controller.reload()
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(describe(exc))
        self.reload()

    def _closed(self, _result: int) -> None:
        """No client text stays in a closed dialog, and it no longer follows the syncs."""
        try:
            self.controller.synced.disconnect(self._synced)
        except (RuntimeError, TypeError):
            pass
        self.rows, self.choices = [], []
        self.table.clearContents()
        self.table.setRowCount(0)

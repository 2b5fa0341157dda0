"""Filing packages of a matter: choose a package, fill its checklist (attach documents,
drafts: see package_items.py), track item status, pre-flight, build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidgetItem,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.packages import (
    Checklist,
    ItemStatus,
    PackageDef,
    PackageNotReady,
)
from clinic_app.domain.roles import Permission
from clinic_app.domain.citations import cite
from clinic_app.gui import messages
from clinic_app.gui.context import Context
from clinic_app.gui.dialogs.choose_document import document_text
from clinic_app.gui.operations import packages as package_ops
from clinic_app.gui.pages.package_items import ItemActions
from clinic_app.gui.presenter import describe
from clinic_app.gui.save_paths import ask_save_path, file_name, open_saved
from clinic_app.gui.widgets.rows import wrapping_list
from clinic_app.gui.widgets.document_drag import ChecklistTable, DocumentSource
from clinic_app.i18n import _, current_language, ngettext

ERROR_COLOUR = QColor(176, 0, 32)


class PackagesTab(QWidget):
    def __init__(self, ctx: Context, matter_ref: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.matter_ref = ctx, matter_ref
        self.checklist: Checklist | None = None
        self.problems_found: list[Any] = []
        self.result_path: Path | None = None
        self.documents: list[dict[str, Any]] = []  # rows of the matter view, for the chooser and the drag list
        self.choice = QComboBox()
        self.choice.setAccessibleName(_("Filing package"))
        self.choice.currentIndexChanged.connect(self._user_chose)
        self.table = ChecklistTable(0, 4)
        self.table.setAccessibleName(_("Checklist of the package"))
        self.table.setHorizontalHeaderLabels([_("Item"), _("Required"), _("Status"), _("What satisfies it")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.items = ItemActions(self)
        self.table.documents_dropped.connect(self.items.dropped_documents)
        self.table.files_dropped.connect(self.items.dropped_files)
        self.table.setToolTip(_("Drop a document of the matter, or a file, on an item to attach it."))
        self.source = DocumentSource()
        self.source.setAccessibleName(_("Documents of the matter: drag one onto a checklist item"))
        self.readiness = QLabel()
        self.readiness.setWordWrap(True)
        self.readiness.setAccessibleName(_("Readiness of the package"))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.problems = wrapping_list(_("Pre-flight problems"))
        self.force = QCheckBox(_("Build an&yway (draft)"))
        self.force.setAccessibleName(_("Build anyway, as a draft, even with pre-flight errors"))
        self.check_button = QPushButton(_("Pre-flight check"))
        self.build_button = QPushButton(_("Build…"))
        self.build_button.setToolTip(_("Build the package into a PDF file (Ctrl+B)"))
        self.open_button = QPushButton(_("Open the result"))
        self.open_button.setEnabled(False)
        self.check_button.clicked.connect(self.check)
        self.build_button.clicked.connect(self.choose_and_build)
        self.open_button.clicked.connect(self.open_result)
        shortcut = QShortcut(QKeySequence("Ctrl+B"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.choose_and_build)
        buttons = QHBoxLayout()
        for button in (self.check_button, self.force, self.build_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        item_row = QHBoxLayout()
        for button in self.items.buttons():
            item_row.addWidget(button)
        item_row.addWidget(self.readiness, 1)
        split = QSplitter()
        split.addWidget(self.table)
        side = QWidget()
        sv = QVBoxLayout(side)
        sv.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(_("Documents of the matter: drag one onto an item to attach it."))
        hint.setWordWrap(True)
        sv.addWidget(hint)
        sv.addWidget(self.source, 1)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        for w in (self.note, self.choice):
            layout.addWidget(w)
        layout.addWidget(split, 3)
        layout.addLayout(item_row)
        layout.addLayout(buttons)
        layout.addWidget(self.problems, 1)
        self.set_enabled(ctx.can(Permission.BUILD))

    def set_enabled(self, allowed: bool) -> None:
        editing = allowed and self.ctx.can(Permission.EDIT_RECORDS)
        for w in (self.choice, self.table, self.check_button, self.force, self.build_button,
                  self.items.draft_button):
            w.setEnabled(allowed)
        for w in (self.items.attach_button, self.items.detach_button, self.source):
            w.setEnabled(editing)
        self.table.setAcceptDrops(editing)

    def set_documents(self, documents: list[dict[str, Any]]) -> None:
        """The matter's documents (rows of the matter view): the drag list and the chooser."""
        self.documents = list(documents)
        self.source.clear()
        for row in self.documents:
            item = QListWidgetItem(document_text(row))
            item.setData(Qt.ItemDataRole.UserRole, row["ref"])
            self.source.addItem(item)

    def package(self) -> str:
        return str(self.choice.currentData() or "")

    # --- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the packages of the matter (its type may have changed) and the checklist."""
        package_ops.available(self.ctx.runner, matter_ref=self.matter_ref).success(self._packages) \
            .failure(self.failed).run()

    def _packages(self, defs: list[PackageDef]) -> None:
        current = self.package()
        self.choice.blockSignals(True)
        self.choice.clear()
        lang = current_language()
        for d in defs:
            self.choice.addItem(d.title_in(lang), d.type.value)
        index = self.choice.findData(current)
        self.choice.setCurrentIndex(index if index >= 0 else 0 if defs else -1)
        self.choice.blockSignals(False)
        if not defs:
            self.note.setText(_("No filing package fits this kind of matter."))
        self._load_checklist()

    def _user_chose(self, *_args: object) -> None:
        self.problems.clear()
        self.open_button.setEnabled(False)
        self._load_checklist()

    def _load_checklist(self) -> None:
        if not self.package():
            self.table.setRowCount(0)
            return
        package_ops.checklist(self.ctx.runner, matter_ref=self.matter_ref, package=self.package()) \
            .success(self._show_checklist).failure(self.failed).run()

    def _show_checklist(self, checklist: Checklist) -> None:
        if checklist.package.type.value != self.package():
            return  # an answer for a package no longer shown
        self.checklist = checklist
        self.items.fill_drafts()
        self._show_readiness(checklist)
        selected = self.table.currentRow()
        lang = current_language()
        self.table.setRowCount(len(checklist.entries))
        for row, entry in enumerate(checklist.entries):
            label = QTableWidgetItem(entry.item.label_in(lang))
            label.setToolTip(f"{entry.section.title_in(lang)} – {cite(entry.item.citation, lang)}".rstrip(" –"))
            self.table.setItem(row, 0, label)
            self.table.setItem(row, 1, QTableWidgetItem(_("Required") if entry.required else _("Optional")))
            self.table.setCellWidget(row, 2, self._status_combo(entry, label.text()))
            self.table.setItem(row, 3, QTableWidgetItem(package_ops.satisfied_by(entry)))
        self.table.resizeColumnToContents(1)
        self.table.resizeColumnToContents(2)
        if 0 <= selected < self.table.rowCount():
            self.table.selectRow(selected)

    def _show_readiness(self, checklist: Checklist) -> None:
        missing = checklist.missing()
        if not missing:
            self.readiness.setText(_("Every required item is filled. Run the pre-flight check before building."))
            return
        lang = current_language()
        names = [e.item.label_in(lang) for e in missing]
        self.readiness.setText(ngettext("{count} required item missing: {items}",
                                        "{count} required items missing: {items}", len(missing)).format(
            count=len(missing), items="; ".join(names[:3]) + ("; \u2026" if len(names) > 3 else "")))
        self.readiness.setToolTip("\n".join(names))

    def _status_combo(self, entry: Any, label: str) -> QComboBox:
        """The statuses a person records, and first "Automatic": the status Haven derives from the
        documents, shown while nobody recorded one, chosen to forget a recorded one."""
        combo = QComboBox()
        combo.setAccessibleName(_("Status of {item}").format(item=label))
        combo.addItem(_("Automatic: {status}").format(status=entry.status.label) if not entry.stored
                      else _("Automatic"), "")
        for value in ItemStatus:
            combo.addItem(value.label, value.value)
        combo.setCurrentIndex(combo.findData(entry.status.value) if entry.stored else 0)
        combo.setEnabled(self.ctx.can(Permission.EDIT_RECORDS))
        combo.currentIndexChanged.connect(
            lambda _i, c=combo, ref=entry.item.id: self._status_chosen(ref, c.currentData()))
        return combo

    def _status_chosen(self, item_id: str, value: str) -> Any:
        return self.set_status(item_id, ItemStatus(value)) if value else self.clear_status(item_id)

    def clear_status(self, item_id: str) -> Any:
        op = package_ops.clear_status(self.ctx.runner, matter_ref=self.matter_ref, package=self.package(),
                                      item_id=item_id)
        return op.success(lambda _c: self.note.setText(_("Status set back to automatic."))).failure(self.failed).run()

    def set_status(self, item_id: str, status: ItemStatus) -> Any:
        op = package_ops.set_status(self.ctx.runner, matter_ref=self.matter_ref, package=self.package(),
                                    item_id=item_id, status=status)
        return op.by(self).success(lambda _c: self.note.setText(_("Status saved."))).failure(self.failed).run()

    def failed(self, exc: BaseException) -> None:
        self.note.setText(describe(exc))

    # --- pre-flight ----------------------------------------------------------------------------

    def check(self) -> Any:
        self.problems.clear()
        if not self.package():
            return None
        return package_ops.preflight(self.ctx.runner, matter_ref=self.matter_ref, package=self.package()) \
            .success(lambda report: self._show_problems(list(report.problems))).failure(self.failed).run()

    def _show_problems(self, problems: list[Any]) -> None:
        self.problems_found = problems
        self.problems.clear()
        for p in problems:
            error = p.severity == "error"
            item = QListWidgetItem((_("Error: {message}") if error else _("Warning: {message}")).format(
                message=p.message))
            if error:
                item.setForeground(QBrush(ERROR_COLOUR))
            self.problems.addItem(item)
        if not problems:
            self.problems.addItem(_("No problems found."))

    # --- building ------------------------------------------------------------------------------

    def choose_and_build(self) -> None:
        if not self.package() or not self.build_button.isEnabled():
            return
        path = ask_save_path(self, _("Save the package as"), file_name(self.matter_ref, self.choice.currentText()),
                             _("PDF files (*.pdf)"))
        if path is not None:
            self.build(path)

    def build(self, out_path: Path) -> Any:
        dialog = QProgressDialog(_("Building the package…"), _("Cancel"), 0, 100, self)
        dialog.setWindowTitle(_("Building"))
        dialog.setMinimumDuration(0)
        op = package_ops.build(self.ctx.runner, matter_ref=self.matter_ref, package=self.package(),
                               out_path=out_path, force=self.force.isChecked())
        dialog.canceled.connect(op.cancel.cancel)
        op.progress(lambda d, t, label: self.progress(dialog, d, t, label))
        op.success(lambda r: self._built(dialog, r, out_path)).failure(lambda exc: self._build_failed(dialog, exc))
        return op.run()

    @staticmethod
    def progress(dialog: QProgressDialog, done: int, total: int, label: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)
        dialog.setLabelText(label)

    def _built(self, dialog: QProgressDialog, result: Any, out_path: Path) -> None:
        dialog.reset()
        files = list(getattr(result, "files", ()) or ())
        self.result_path = Path(files[0]) if files else out_path
        self.open_button.setEnabled(True)
        text = messages.built(getattr(result, "pages", 0), max(1, len(files)), package=True)
        if getattr(result, "forced", False):
            text += " " + _("Built as a draft despite the pre-flight errors: every page says it is not ready "
                            "to file, and its cover lists what is missing.")
        self.note.setText(text + " " + _("Use “Open the result” to see it."))
        self._show_problems(list(getattr(result, "problems", ()) or ()))

    def _build_failed(self, dialog: QProgressDialog, exc: BaseException) -> None:
        dialog.reset()
        if isinstance(exc, PackageNotReady):
            self.note.setText(_("Not built: pre-flight found errors. Fix them, or tick “Build anyway (draft)”."))
            self._show_problems(list(exc.problems))
        else:
            self.note.setText(describe(exc))

    def open_result(self) -> None:
        if self.result_path is not None:
            open_saved(self, self.result_path)

    def clear(self) -> None:
        self.checklist = None
        self.documents = []
        self.source.clear()
        self.readiness.clear()
        self.table.setRowCount(0)
        self.choice.clear()
        self.problems.clear()
        self.note.clear()

    def has_unsaved(self) -> bool:
        return False

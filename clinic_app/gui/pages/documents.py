"""A matter's documents: the list, drag-and-drop import with per-file outcomes,
details, and page previews rendered in memory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QFormLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton,
    QSplitter, QTableView, QVBoxLayout, QWidget,
)

from clinic_app.domain.display import display_name
from clinic_app.domain.document import DocumentCategory, DocumentMeta
from clinic_app.domain.roles import Permission
from clinic_app.errors import HavenError
from clinic_app.gui import file_dialogs
from clinic_app.gui.context import Context
from clinic_app.gui.operations import adapters
from clinic_app.gui.operations import documents as doc_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.save_paths import ask_save_path, file_name, start_folder
from clinic_app.gui.widgets.fields import choice, line, parse_date
from clinic_app.gui.widgets.preview import PagePreview
from clinic_app.gui.widgets.rows import Column, RowsModel, cap_columns, fit_columns, wrapping_list
from clinic_app.i18n import N_, _, ngettext
from clinic_app.gui.qtcompat import emit

STATUS_LABELS = {"imported": N_("imported"), "duplicate": N_("already in the vault"),
                 "refused": N_("not imported")}


class DropTable(QTableView):
    """A table that takes files dragged from the desktop."""

    files_dropped = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            emit(self.files_dropped, paths)


class DocumentsTab(QWidget):
    def __init__(self, ctx: Context, matter_ref: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.matter_ref = ctx, matter_ref
        self.import_op: Any = None
        self.model = RowsModel([
            Column(_("Ref"), lambda d: d["ref"]),
            Column(_("Title"), lambda d: d["title"], tooltip=lambda d: d["title"]),
            Column(_("Date"), lambda d: d["date"] or ""),
            Column(_("Category"), lambda d: DocumentCategory(d["category"]).label),
            Column(_("Language"), lambda d: d["language"]),
            Column(_("Pages"), lambda d: "" if d["pages"] is None else str(d["pages"])),
            Column(_("File"), lambda d: display_name(d["original_filename"]),
                   tooltip=lambda d: display_name(d["original_filename"])),
        ], self)
        self.table = DropTable()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Documents; drop files here to import them"))
        self.table.setToolTip(_("Drop files here to import them into this matter."))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        fit_columns(self.table, 1)
        self.table.files_dropped.connect(self._dropped)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._selected(cur.row()))
        self.import_button = QPushButton(_("Import files…"))
        self.import_button.clicked.connect(self.choose_files)
        self.import_button.setVisible(ctx.can(Permission.IMPORT_DOCUMENTS))
        self.table.setAcceptDrops(ctx.can(Permission.IMPORT_DOCUMENTS))
        self.progress = QProgressBar()
        self.progress.setAccessibleName(_("Import progress"))
        self.cancel_button = QPushButton(_("Cancel import"))
        self.cancel_button.clicked.connect(self.cancel_import)
        self.outcomes = wrapping_list(_("Import results"))
        self.outcomes.setMaximumHeight(120)
        for w in (self.progress, self.cancel_button, self.outcomes):
            w.hide()
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.table, 1)
        lv.addLayout(row)
        lv.addWidget(self.outcomes)
        self.title = line(name=_("Document title"))
        self.date = line(name=_("Document date"), placeholder="YYYY-MM-DD")
        self.language = line(name=_("Document language"), placeholder="en, fr, es…")
        self.category = choice([(c.value, c.label) for c in DocumentCategory], name=_("Category"))
        self.tags = line(name=_("Tags"), placeholder=_("comma-separated, e.g. removal_direction, health"))
        self.tags.setToolTip(_("Package checklists find documents by their category and tags "
                               "(pre-flight names the tag an item wants)."))
        self.save_button = QPushButton(_("Save details"))
        self.save_button.clicked.connect(self.save_details)
        self.export_button = QPushButton(_("Save a copy of the original…"))
        self.export_button.setToolTip(_("Write the file as it was imported to a folder outside the vault "
                                        "(recorded in the audit log)"))
        self.export_button.clicked.connect(self.choose_export)
        self.export_button.setVisible(ctx.can(Permission.EXPORT))
        self.detail_message = QLabel()
        self.detail_message.setWordWrap(True)
        form = QFormLayout()
        for label, w in ((_("Title:"), self.title), (_("Date:"), self.date), (_("Language:"), self.language),
                         (_("Category:"), self.category), (_("Tags:"), self.tags)):
            form.addRow(label, w)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        form.addRow(self.detail_message)
        self.save_button.setVisible(ctx.can(Permission.EDIT_RECORDS))
        if not adapters.can_update_documents():
            self.save_button.setEnabled(False)
            self.save_button.setToolTip(_("Editing document details is not available in this version of Haven yet."))
        self.preview = PagePreview(ctx.runner)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addLayout(form)
        rv.addWidget(self.preview, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 360])  # the list, with its titles, gets the larger share
        QVBoxLayout(self).addWidget(split)

    def set_documents(self, documents: list[dict[str, Any]]) -> None:
        current = self.table.currentIndex().row()
        self.model.set_rows(documents)
        cap_columns(self.table, {0: 110, 3: 130, 6: 130})  # ref, category, file: the title keeps its room
        if documents and current < 0:
            self.table.selectRow(0)

    def _selected(self, row_number: int) -> None:
        doc = self.model.row(row_number)
        if doc is None:
            return
        self.title.setText(doc["title"])
        self.date.setText(doc["date"] or "")
        self.language.setText(doc["language"])
        self.category.setCurrentIndex(self.category.findData(doc["category"]))
        self.tags.setText(", ".join(doc.get("tags", ())))
        self.detail_message.clear()
        self.preview.show_document(doc["ref"])

    def _dropped(self, paths: list[Path]) -> None:
        self.import_paths(paths)

    def cancel_import(self) -> None:
        if self.import_op is not None:
            self.import_op.cancel.cancel()

    def choose_files(self) -> None:
        names = file_dialogs.open_files(self, _("Import files into this matter"), str(start_folder()))
        if names:
            self.import_paths([Path(n) for n in names])
            return

    def import_paths(self, paths: list[Path]) -> Any:
        """What a drop or the Import button does: import every file, each with its own outcome."""
        files = [display_name(found.name) for found in doc_ops.expand(paths)]
        if not files:
            self.ctx.status(_("There is nothing to import there."))
            return None
        self.outcomes.clear()
        for name in files:
            self.outcomes.addItem("{name}: {state}".format(name=name, state=_("waiting")))
        for w in (self.progress, self.cancel_button, self.outcomes):
            w.show()
        self.progress.setRange(0, len(files))
        self.progress.setValue(0)
        self.import_button.setEnabled(False)
        op = doc_ops.import_files(self.ctx.runner, paths=paths, matter_ref=self.matter_ref)
        self.import_op = op
        op.progress(lambda done, total, label: self._progress(files, done, total, label)).success(
            lambda done: self._imported(done.files)).failure(self._import_failed).run()
        return op

    def _progress(self, files: list[str], done: int, total: int, label: str) -> None:
        """Every file before `done` is checked, including those whose own report the runner
        skipped (it passes at most ~20 a second); "complete" waits for the outcomes."""
        self.progress.setValue(done)
        self.progress.setFormat(_("Finishing the import…") if done >= total else label)
        for i in range(min(done, self.outcomes.count())):
            self.outcomes.item(i).setText("{name}: {state}".format(name=files[i], state=_("checked")))
        if done < self.outcomes.count():
            self.outcomes.item(done).setText("{name}: {state}".format(name=files[done], state=_("importing…")))

    def _imported(self, outcomes: list[Any]) -> None:
        self.outcomes.clear()
        for o in outcomes:
            text = f"{display_name(o.name)}: {_(STATUS_LABELS.get(o.outcome, o.outcome))}"
            details = [o.message, *o.warnings]
            if o.document_ref:
                text += f" ({o.document_ref})"
            self.outcomes.addItem(". ".join([text, *[d for d in details if d]]))
        self.progress.setValue(self.progress.maximum())
        self.progress.setFormat(_("Import complete"))
        self.import_button.setEnabled(True)
        self.cancel_button.hide()
        refused = sum(1 for o in outcomes if o.outcome == "refused")
        self.ctx.status(ngettext("{ok} of {total} file imported or linked.",
                                 "{ok} of {total} files imported or linked.", len(outcomes)).format(
            ok=len(outcomes) - refused, total=len(outcomes)))

    def _import_failed(self, exc: BaseException) -> None:
        """Files not reached say so: none is left "waiting" under a finished import."""
        self.import_button.setEnabled(True)
        self.cancel_button.hide()
        unfinished = (_("waiting"), _("importing…"))
        for i in range(self.outcomes.count()):
            item = self.outcomes.item(i)
            for state in unfinished:
                if item.text().endswith(": " + state):
                    item.setText(item.text()[: -len(state)] + _("not imported"))
        self.progress.setFormat(_("Import stopped"))
        self.outcomes.addItem(describe(exc))

    def save_details(self) -> None:
        doc = self.model.row(self.table.currentIndex().row())
        if doc is None:
            return
        try:
            fields = {"title": self.title.text(), "doc_date": parse_date(self.date.text(), "date"),
                      "language": self.language.text(), "category": DocumentCategory(self.category.currentData()),
                      "tags": tuple(t.strip() for t in self.tags.text().split(",") if t.strip())}
            DocumentMeta(ref=doc["ref"], **fields)  # type: ignore[arg-type]  # check before sending
        except HavenError as exc:
            self.detail_message.setText(describe(exc))
            return
        doc_ops.update_document(self.ctx.runner, ref=doc["ref"], fields=fields).success(
            lambda _c: self.detail_message.setText(_("Details saved."))).failure(
            lambda exc: self.detail_message.setText(describe(exc))).run()

    def choose_export(self) -> Any:
        """The suggested name is the document's ref and its file type, never the file's own name."""
        doc = self.model.row(self.table.currentIndex().row())
        if doc is None:
            return None
        suffix = Path(doc["original_filename"]).suffix.lower() if doc.get("original_filename") else ""
        path = ask_save_path(self, _("Save a copy of the original as"), file_name(doc["ref"], suffix=suffix),
                             _("All files (*)"))
        if path is None:
            return None
        return doc_ops.export_original(self.ctx.runner, ref=doc["ref"], target=path).success(
            lambda saved: self.detail_message.setText(_("Copy saved to {path}.").format(path=saved))).failure(
            lambda exc: self.detail_message.setText(describe(exc))).run()

    def has_unsaved(self) -> bool:
        return False

    def clear(self) -> None:
        self.model.clear()
        self.outcomes.clear()
        self.preview.clear()
        for w in (self.title, self.date, self.language, self.tags):
            w.clear()

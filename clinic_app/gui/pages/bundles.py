"""Bundles of a matter: tab order by drag, page ranges, live page count, pre-flight, build."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QProgressDialog, QPushButton, QVBoxLayout, QWidget,
)

from clinic_app.domain.bundle import BundleSpec, Tab, parse_page_ranges, resolve_pages
from clinic_app.domain.roles import Permission
from clinic_app.errors import HavenError
from clinic_app.gui.context import Context
from clinic_app.gui.operations import adapters
from clinic_app.gui.operations import bundles as bundle_ops
from clinic_app.gui.presenter import describe
from clinic_app.i18n import _


class BundlesTab(QWidget):
    def __init__(self, ctx: Context, matter_ref: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.matter_ref = ctx, matter_ref
        self.specs: dict[str, BundleSpec] = {}
        self._titles: dict[str, str] = {}
        self.pages_of: dict[str, int | None] = {}
        self.result_path: Path | None = None
        self.choice = QComboBox()
        self.choice.setAccessibleName(_("Bundle"))
        self.choice.currentIndexChanged.connect(self._show_spec)
        self.tabs = QListWidget()
        self.tabs.setAccessibleName(_("Tabs of the bundle; drag to reorder"))
        self.tabs.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tabs.model().rowsMoved.connect(lambda *_a: self._update_count())
        self.tabs.currentRowChanged.connect(self._tab_chosen)
        self.ranges = QLineEdit()
        self.ranges.setAccessibleName(_("Page ranges of the selected tab"))
        self.ranges.setPlaceholderText(_("all pages, or e.g. 12-18 or 1-3, 7"))
        self.ranges.editingFinished.connect(self._ranges_edited)
        self.count = QLabel()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setAccessibleName(_("Pre-flight problems"))
        self.problems.itemActivated.connect(self._jump)
        self.save_button = QPushButton(_("Save order"))
        self.check_button = QPushButton(_("Pre-flight check"))
        self.build_button = QPushButton(_("Build…"))
        self.open_button = QPushButton(_("Open the result"))
        self.open_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        self.check_button.clicked.connect(self.check)
        self.build_button.clicked.connect(self.choose_and_build)
        self.open_button.clicked.connect(self.open_result)
        buttons = QHBoxLayout()
        for b in (self.save_button, self.check_button, self.build_button, self.open_button):
            b.setVisible(ctx.can(Permission.BUILD))
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        for w in (self.note, self.choice, self.tabs, self.ranges, self.count):
            layout.addWidget(w)
        layout.addLayout(buttons)
        layout.addWidget(self.problems)
        if not adapters.available("bundles"):
            self.note.setText(_("Building bundles is not available in this version of Haven yet."))
            for w in (self.save_button, self.check_button, self.build_button, self.tabs, self.ranges):
                w.setEnabled(False)

    def open_result(self) -> None:
        if self.result_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result_path)))

    def set_data(self, bundle_refs: list[str], documents: list[dict[str, Any]]) -> None:
        self.pages_of = {d["ref"]: d.get("pages") for d in documents}
        self._titles = {d["ref"]: d["title"] for d in documents}
        if not bundle_refs:
            self.choice.clear()
            self.specs = {}
            self._show_spec()
            return
        if adapters.available("bundles") and self.ctx.can(Permission.BUILD):
            bundle_ops.projects(self.ctx.runner, matter_ref=self.matter_ref).success(self._loaded) \
                .failure(lambda exc: self.note.setText(describe(exc))).run()

    def _loaded(self, projects: list[tuple[str, BundleSpec]]) -> None:
        current = self.choice.currentText()
        self.specs = {ref: copy.deepcopy(spec) for ref, spec in projects}
        self.choice.blockSignals(True)
        self.choice.clear()
        self.choice.addItems(list(self.specs))
        if current in self.specs:
            self.choice.setCurrentText(current)
        self.choice.blockSignals(False)
        self._show_spec()

    def _spec(self) -> BundleSpec | None:
        return self.specs.get(self.choice.currentText())

    def _show_spec(self, *_args: object) -> None:
        self.tabs.clear()
        spec = self._spec()
        if spec is None:
            self._update_count()
            return
        for row in bundle_ops.tab_rows(spec):
            tab = spec.sections[row.section].tabs[row.index]
            self.tabs.addItem(self._item(row, tab))
        self._update_count()

    def _item(self, row: bundle_ops.TabRow, tab: Tab) -> QListWidgetItem:
        ranges = ", ".join(p.pages for p in tab.parts if p.pages)
        kind = _("reference only") if tab.reference_only else ranges or _("all pages")
        item = QListWidgetItem(f"{row.label}. {tab.title}  ({kind})")
        item.setData(Qt.ItemDataRole.UserRole, f"{row.section}|{row.index}|{row.label}")  # survives a drag
        return item

    def _row(self, i: int) -> bundle_ops.TabRow:
        section, index, label = str(self.tabs.item(i).data(Qt.ItemDataRole.UserRole)).split("|", 2)
        return bundle_ops.TabRow(int(section), int(index), label)

    def _ordered(self) -> list[bundle_ops.TabRow]:
        return [self._row(i) for i in range(self.tabs.count())]

    def _tab_at(self, row: int) -> Tab | None:
        spec = self._spec()
        if spec is None or not 0 <= row < self.tabs.count():
            return None
        where = self._row(row)
        return spec.sections[where.section].tabs[where.index]

    def _update_count(self) -> None:
        spec = self._spec()
        tabs = [self._tab_at(i) for i in range(self.tabs.count())] if spec else []
        counts = [bundle_ops.tab_pages(t, self.pages_of) for t in tabs if t is not None]
        known = sum(c for c in counts if c is not None)
        text = _("{pages} pages of documents (before cover, index and tab pages)").format(pages=known)
        unknown = sum(1 for c in counts if c is None)
        if unknown:
            text += " " + _("{count} tabs not counted (no page count yet, or a wrong range).").format(count=unknown)
        self.count.setText(text)

    def _tab_chosen(self, row: int) -> None:
        tab = self._tab_at(row)
        self.ranges.setEnabled(tab is not None and bool(tab.parts))
        self.ranges.setText(tab.parts[0].pages if tab is not None and tab.parts else "")

    def _ranges_edited(self) -> None:
        row = self.tabs.currentRow()
        tab = self._tab_at(row)
        if tab is None or not tab.parts:
            return
        text = self.ranges.text().strip()
        count = self.pages_of.get(tab.parts[0].document_id)
        try:
            resolve_pages(text, count) if count else parse_page_ranges(text)
        except HavenError as exc:
            self.note.setText(str(exc))
            self.ranges.setText(tab.parts[0].pages)
            return
        tab.parts[0].pages = text
        self.tabs.item(row).setText(self._item(self._row(row), tab).text())
        self.note.clear()
        self._update_count()

    def save(self) -> None:
        spec = self._spec()
        if spec is None:
            return
        bundle_ops.reorder(spec, self._ordered())
        bundle_ops.save_project(self.ctx.runner, ref=self.choice.currentText(), matter_ref=self.matter_ref,
                                spec=spec).success(lambda _c: self.note.setText(_("Bundle saved."))) \
            .failure(lambda exc: self.note.setText(describe(exc))).run()

    def check(self) -> None:
        self.problems.clear()
        bundle_ops.preflight(self.ctx.runner, ref=self.choice.currentText()).success(self._show_problems) \
            .failure(lambda exc: self.note.setText(describe(exc))).run()

    def _show_problems(self, problems: list[Any]) -> None:
        for p in problems:
            where = _("Tab {label}").format(label=p.tab) if getattr(p, "tab", "") else _("Whole bundle")
            severity = _("Error") if getattr(p, "severity", "") == "error" else _("Warning")
            item = QListWidgetItem(f"{severity} – {where}: {p.message}")
            item.setData(Qt.ItemDataRole.UserRole, getattr(p, "tab", ""))
            self.problems.addItem(item)
        if not problems:
            self.problems.addItem(_("No problems found."))

    def _jump(self, item: QListWidgetItem) -> None:
        """Select the tab a problem names, so it can be fixed at once."""
        label = str(item.data(Qt.ItemDataRole.UserRole) or "")
        for i, row in enumerate(self._ordered()):
            if label and row.label == label:
                self.tabs.setCurrentRow(i)
                self.tabs.setFocus()
                return

    def choose_and_build(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _("Save the bundle as"), f"{self.choice.currentText()}.pdf",
                                               _("PDF files (*.pdf)"))
        if path:
            self.build(Path(path))

    def build(self, out_path: Path) -> Any:
        dialog = QProgressDialog(_("Building the bundle…"), _("Cancel"), 0, 100, self)
        dialog.setWindowTitle(_("Building"))
        dialog.setMinimumDuration(0)
        op = bundle_ops.build(self.ctx.runner, ref=self.choice.currentText(), out_path=out_path)
        dialog.canceled.connect(op.cancel.cancel)
        op.progress(lambda d, t, label: (dialog.setMaximum(max(t, 1)), dialog.setValue(d), dialog.setLabelText(label)))
        op.success(lambda r: self._built(dialog, r, out_path)).failure(lambda exc: self._build_failed(dialog, exc)).run()
        return op

    def _built(self, dialog: QProgressDialog, result: Any, out_path: Path) -> None:
        dialog.reset()
        volumes = list(getattr(result, "volumes", ()) or ())
        self.result_path = Path(volumes[0].path) if volumes else out_path
        self.open_button.setEnabled(True)
        self.note.setText(_("Bundle built: {pages} pages in {volumes} file(s).").format(
            pages=getattr(result, "total_pages", "?"), volumes=max(1, len(volumes))))

    def _build_failed(self, dialog: QProgressDialog, exc: BaseException) -> None:
        dialog.reset()
        self.note.setText(describe(exc))

    def clear(self) -> None:
        self.specs = {}
        self.tabs.clear()
        self.choice.clear()
        self.problems.clear()
        self.note.clear()
        self.ranges.clear()

    def has_unsaved(self) -> bool:
        return False

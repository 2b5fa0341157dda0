"""Bundles of a matter: tab order by drag, moving tabs between sections, page ranges, live
page count, pre-flight, build, service (after which the tab list is frozen), the service
log and supplementary bundles. Creating and editing projects (documents, reference-only
entries, sections, tab details, settings) is in `bundle_editing`."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QProgressDialog, QPushButton, QVBoxLayout, QWidget,
)

from clinic_app.domain.bundle import BundleSpec, Tab, parse_page_ranges, resolve_pages
from clinic_app.domain.display import isolate
from clinic_app.domain.roles import Permission
from clinic_app.errors import HavenError
from clinic_app.gui import messages
from clinic_app.gui.context import Context
from clinic_app.gui.dialogs.serve_bundle import ServeBundleDialog, frozen_note, service_log_view
from clinic_app.gui.operations import adapters
from clinic_app.gui.operations import bundles as bundle_ops
from clinic_app.gui.pages.bundle_editing import BundleEditor
from clinic_app.gui.presenter import describe
from clinic_app.gui.save_paths import ask_save_path, file_name, open_saved
from clinic_app.gui.widgets.rows import wrapping_list
from clinic_app.i18n import _, ngettext


class BundlesTab(QWidget):
    def __init__(self, ctx: Context, matter_ref: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.matter_ref = ctx, matter_ref
        self.specs: dict[str, BundleSpec] = {}
        self.log: list[Any] = []  # the matter's service entries, oldest first
        self.changed: dict[str, list[tuple[str, str]]] = {}  # served bundle -> documents changed since
        self.built: dict[str, Any] = {}  # bundle ref -> its last build in this session, for serving
        self.dirty: set[str] = set()  # bundles with edits not saved yet
        self._wanted = ""  # a bundle to select once the projects are reloaded
        self._titles: dict[str, str] = {}
        self.documents: list[dict[str, Any]] = []  # the matter's documents, for "Add documents"
        self.pages_of: dict[str, int | None] = {}
        self.result_path: Path | None = None
        self.choice = QComboBox()
        self.choice.setAccessibleName(_("Bundle"))
        self.choice.currentIndexChanged.connect(self._show_spec)
        self.frozen = QLabel()
        self.frozen.setWordWrap(True)
        self.frozen.setAccessibleName(_("Service status of the bundle"))
        self.frozen.setStyleSheet("font-weight: bold;")
        self.frozen.hide()
        self.tabs = QListWidget()
        self.tabs.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tabs.model().rowsMoved.connect(self._dragged)
        self.tabs.currentRowChanged.connect(self._tab_chosen)
        self.move_target = QComboBox()
        self.move_target.setAccessibleName(_("Section to move the selected tab to"))
        self.move_button = QPushButton(_("Move to &section"))
        self.move_button.setToolTip(_("Move the selected tab to the chosen section (Alt+Shift+Down or Alt+Shift+Up "
                                      "moves it to the next or previous section)"))
        self.move_button.clicked.connect(lambda: self.move_to(self.move_target.currentIndex()))
        for keys, step in (("Alt+Shift+Down", 1), ("Alt+Shift+Up", -1)):
            shortcut = QShortcut(QKeySequence(keys), self.tabs)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda s=step: self.move_by(s))
        self.ranges = QLineEdit()
        self.ranges.setAccessibleName(_("Page ranges of the selected tab"))
        self.ranges.setPlaceholderText(_("all pages, or e.g. 12-18 or 1-3, 7"))
        self.ranges.editingFinished.connect(self._ranges_edited)
        self.count = QLabel()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.problems = wrapping_list(_("Pre-flight problems"))
        self.problems.itemActivated.connect(self._jump)
        self.save_button = QPushButton(_("S&ave"))
        self.save_button.setToolTip(_("Save the bundle: its tabs, their order, sections and settings"))
        self.check_button = QPushButton(_("Pre-flight check"))
        self.build_button = QPushButton(_("Build…"))
        self.open_button = QPushButton(_("Open the result"))
        self.open_button.setEnabled(False)
        self.serve_button = QPushButton(_("Mark as served…"))
        self._serve_tip = _("Record on whom, how and when the last build was served; its page numbers "
                            "are then frozen")
        self.serve_button.setToolTip(self._serve_tip)
        self.statement_button = QPushButton(_("Statement of service…"))
        self.supplement_button = QPushButton(_("Supplementary bundle…"))
        self.supplement_button.setToolTip(_("Start a new bundle whose tabs and pages continue after the served ones"))
        self.save_button.clicked.connect(self.save)
        self.check_button.clicked.connect(self.check)
        self.build_button.clicked.connect(self.choose_and_build)
        self.open_button.clicked.connect(self.open_result)
        self.serve_button.clicked.connect(self.mark_served)
        self.statement_button.clicked.connect(self.choose_statement)
        self.supplement_button.clicked.connect(self.ask_supplementary)
        self.log_view, self.log_model = service_log_view(self)
        self.editor = BundleEditor(self)
        self._layout(ctx)
        self._set_frozen(None)
        if not adapters.available("bundles"):
            self.note.setText(_("Building bundles is not available in this version of Haven yet."))
            for w in (self.save_button, self.check_button, self.build_button, self.tabs, self.ranges,
                      self.serve_button, self.statement_button, self.supplement_button, self.move_button,
                      *self.editor.buttons()):
                w.setEnabled(False)

    def _layout(self, ctx: Context) -> None:
        move = QHBoxLayout()
        where = QLabel(_("Section of the selected tab:"))
        where.setBuddy(self.move_target)
        move.addWidget(where)
        move.addWidget(self.move_target, 1)
        move.addWidget(self.move_button)
        rows = self.editor.rows()
        for group in ((self.save_button, self.check_button, self.build_button, self.open_button),
                      (self.serve_button, self.statement_button, self.supplement_button)):
            row = QHBoxLayout()
            for b in group:
                row.addWidget(b)
            row.addStretch(1)
            rows.append(row)
        for b in (self.save_button, self.check_button, self.build_button, self.open_button, self.serve_button,
                  self.statement_button, self.supplement_button, *self.editor.buttons()):
            b.setVisible(ctx.can(Permission.BUILD))
        layout = QVBoxLayout(self)
        for w in (self.note, self.choice, self.frozen, self.tabs):
            layout.addWidget(w)
        layout.addLayout(move)
        layout.addWidget(self.ranges)
        layout.addWidget(self.count)
        for row in rows:
            layout.addLayout(row)
        layout.addWidget(self.problems)
        log_title = QLabel(_("Service log"))
        log_title.setBuddy(self.log_view)
        layout.addWidget(log_title)
        layout.addWidget(self.log_view)

    def open_result(self) -> None:
        if self.result_path is not None:
            open_saved(self, self.result_path)

    def _offer(self, path: Path, label: str) -> None:
        """Let "Open" show the file just written (a bundle, or a statement of service)."""
        self.result_path = path
        self.open_button.setText(label)
        self.open_button.setEnabled(True)

    # --- loading --------------------------------------------------------------------------------

    def set_data(self, bundle_refs: list[str], documents: list[dict[str, Any]]) -> None:
        self.pages_of = {d["ref"]: d.get("pages") for d in documents}
        self._titles = {d["ref"]: d["title"] for d in documents}
        self.documents = list(documents)
        if not bundle_refs:
            self.choice.clear()
            self.specs = {}
            self._show_spec()
            return
        self.reload()

    def reload(self) -> None:
        if adapters.available("bundles") and self.ctx.can(Permission.BUILD):
            bundle_ops.page_data(self.ctx.runner, matter_ref=self.matter_ref).success(self._loaded) \
                .failure(lambda exc: self.note.setText(describe(exc))).run()

    def _loaded(self, data: bundle_ops.PageData) -> None:
        """Show what was saved, except bundles with edits not saved yet: those keep the edits."""
        shown = self.current_ref()
        if shown in self.dirty and shown in self.specs:
            self._sync_order(self.specs[shown])
        current, self._wanted = self._wanted or shown, ""
        self.specs = {ref: self.specs[ref] if ref in self.dirty and ref in self.specs else copy.deepcopy(spec)
                      for ref, spec in data.projects}
        self.dirty &= set(self.specs)
        self.log = list(data.log)
        self.changed = dict(data.changed)
        self.log_model.set_rows(self.log)
        self.choice.blockSignals(True)
        self.choice.clear()
        for ref, spec in self.specs.items():
            self.choice.addItem(self._label(ref, spec), ref)
        if current in self.specs:
            self.choice.setCurrentIndex(self.choice.findData(current))
        self.choice.blockSignals(False)
        self._show_spec()

    @staticmethod
    def _label(ref: str, spec: BundleSpec) -> str:
        """What the selector shows: the bundle's title, with the ref the command line uses."""
        return _("{title} ({ref})").format(title=isolate(spec.title), ref=ref) if spec.title.strip() else ref

    def current_ref(self) -> str:
        """The ref of the bundle shown ("" when the matter has none)."""
        return str(self.choice.currentData() or "")

    def _spec(self) -> BundleSpec | None:
        return self.specs.get(self.current_ref())

    def served_entries(self, ref: str | None = None) -> list[Any]:
        ref = self.current_ref() if ref is None else ref
        return [e for e in self.log if e.bundle_ref == ref]

    def _show_spec(self, *_args: object) -> None:
        self.tabs.blockSignals(True)  # clear() reports rows of the old spec as current on the way
        self.tabs.clear()
        self.tabs.blockSignals(False)
        self.move_target.clear()
        spec = self._spec()
        self._set_frozen(self.served_entries() if spec is not None else None)
        if spec is None:
            self._update_count()
            return
        index = self.choice.currentIndex()
        if self.choice.itemText(index) != self._label(self.current_ref(), spec):  # a title edited in Settings
            self.choice.setItemText(index, self._label(self.current_ref(), spec))
        for row in bundle_ops.tab_rows(spec):
            tab = spec.sections[row.section].tabs[row.index]
            self.tabs.addItem(self._item(row, tab, bundle_ops.section_names(spec)))
        self.move_target.addItems(bundle_ops.section_names(spec))
        self._tab_chosen(self.tabs.currentRow())
        self._update_count()

    def _set_frozen(self, entries: list[Any] | None) -> None:
        """A served bundle's pages are frozen (the service refuses to save it): say so, and
        make the list read-only rather than let the person edit and be refused later."""
        served = bool(entries)
        spec = self._spec()
        editable = not served and adapters.available("bundles") and spec is not None
        self.tabs.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove if editable
                                  else QAbstractItemView.DragDropMode.NoDragDrop)
        self.tabs.setAccessibleName(_("Tabs of the bundle; drag to reorder") if editable
                                    else _("Tabs of the served bundle (read-only)"))
        self.ranges.setReadOnly(not editable)
        for w in (self.save_button, self.move_target, self.move_button):
            w.setEnabled(editable)
        has_bundle = entries is not None and adapters.available("bundles") and spec is not None
        for w in (self.check_button, self.build_button):
            w.setEnabled(has_bundle)
        # nothing to serve in a bundle without a single tab
        self.serve_button.setEnabled(has_bundle and spec is not None and any(True for _t in spec.iter_tabs()))
        self.serve_button.setToolTip(self._serve_tip if self.serve_button.isEnabled()
                                     else _("Add tabs and build the bundle before marking it as served"))
        self.statement_button.setEnabled(served)
        self.supplement_button.setEnabled(served)
        self.frozen.setVisible(served)
        self.frozen.setText(frozen_note(entries[0], self.changed.get(entries[0].bundle_ref)) if entries else "")
        self.editor.refresh()

    def is_frozen(self) -> bool:
        return bool(self.served_entries())

    def _item(self, row: bundle_ops.TabRow, tab: Tab, sections: list[str]) -> QListWidgetItem:
        ranges = ", ".join(p.pages for p in tab.parts if p.pages)
        kind = _("reference only") if tab.reference_only else ranges or _("all pages")
        item = QListWidgetItem(f"{row.label}. {isolate(tab.title)}  ({kind})")
        item.setData(Qt.ItemDataRole.UserRole, f"{row.section}|{row.index}|{row.label}")  # survives a drag
        if row.section < len(sections):
            item.setToolTip(_("Section {section}").format(section=sections[row.section]))
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
        if where.section >= len(spec.sections) or where.index >= len(spec.sections[where.section].tabs):
            return None  # a row of a spec no longer shown
        return spec.sections[where.section].tabs[where.index]

    def _update_count(self) -> None:
        spec = self._spec()
        tabs = [self._tab_at(i) for i in range(self.tabs.count())] if spec else []
        counts = [bundle_ops.tab_pages(t, self.pages_of) for t in tabs if t is not None]
        known = sum(c for c in counts if c is not None)
        text = ngettext("{pages} page of documents (before cover, index and tab pages)",
                        "{pages} pages of documents (before cover, index and tab pages)", known).format(pages=known)
        unknown = sum(1 for c in counts if c is None)
        if unknown:
            text += " " + ngettext("{count} tab not counted (no page count yet, or a wrong range).",
                                   "{count} tabs not counted (no page count yet, or a wrong range).",
                                   unknown).format(count=unknown)
        self.count.setText(text)

    def _tab_chosen(self, row: int) -> None:
        tab = self._tab_at(row)
        self.ranges.setEnabled(tab is not None and bool(tab.parts))
        self.ranges.setText(tab.parts[0].pages if tab is not None and tab.parts else "")
        if tab is not None:
            self.move_target.setCurrentIndex(self._row(row).section)  # shows where the tab is now
        self.editor.refresh()

    def mark_dirty(self, ref: str) -> None:
        """An edit not saved yet: "Save" keeps it, "Discard changes" forgets it."""
        self.dirty.add(ref)
        self.editor.refresh()

    # --- editing --------------------------------------------------------------------------------

    def _dragged(self, *_args: object) -> None:
        if self._spec() is not None:
            self.mark_dirty(self.current_ref())
        self._update_count()

    def _ranges_edited(self) -> None:
        row = self.tabs.currentRow()
        tab = self._tab_at(row)
        if tab is None or not tab.parts or self.is_frozen():
            return
        text = self.ranges.text().strip()
        if text == tab.parts[0].pages:
            return
        count = self.pages_of.get(tab.parts[0].document_id)
        try:
            resolve_pages(text, count) if count else parse_page_ranges(text)
        except HavenError as exc:
            self.note.setText(describe(exc))
            self.ranges.setText(tab.parts[0].pages)
            return
        tab.parts[0].pages = text
        self.tabs.item(row).setText(self._item(self._row(row), tab, []).text())
        self.mark_dirty(self.current_ref())
        self.note.clear()
        self._update_count()

    def _sync_order(self, spec: BundleSpec) -> None:
        """Apply the list's order (drags) to the spec, before anything rebuilds the list."""
        bundle_ops.reorder(spec, self._ordered())

    def move_by(self, step: int) -> bool:
        """The keyboard move: to the top of the next section, or the end of the previous one."""
        row = self.tabs.currentRow()
        if row < 0:
            return False
        target = self._row(row).section + step
        return self.move_to(target, 0 if step > 0 else None)

    def move_to(self, target: int, position: int | None = None) -> bool:
        """Move the selected tab into section `target` (at `position`, None: at the end).
        The list is rebuilt from the spec, so the labels show the new numbering at once."""
        spec, row = self._spec(), self.tabs.currentRow()
        if spec is None or row < 0 or self.is_frozen() or not 0 <= target < len(spec.sections):
            return False
        if self._row(row).section == target:
            self.note.setText(_("The tab is already in that section."))
            return False
        tab = self._tab_at(row)
        self._sync_order(spec)
        flat = next(i for i, (_s, t) in enumerate(spec.iter_tabs()) if t is tab)
        ref = self.current_ref()
        self.specs[ref], new_row = bundle_ops.move_tab(spec, flat, target, position)
        self.mark_dirty(ref)
        self._show_spec()
        self.tabs.setCurrentRow(new_row)
        self.tabs.setFocus()
        self.note.setText(_("Tab moved to section {section}. Save the order to keep it.").format(
            section=self.move_target.itemText(target)))
        return True

    def save(self) -> None:
        spec = self._spec()
        if spec is None or self.is_frozen():
            return
        ref = self.current_ref()
        self._sync_order(spec)
        bundle_ops.save_project(self.ctx.runner, ref=ref, matter_ref=self.matter_ref, spec=spec) \
            .success(lambda _c: self._saved(ref)).failure(lambda exc: self.note.setText(describe(exc))).run()

    def _saved(self, ref: str) -> None:
        self.dirty.discard(ref)
        self.editor.refresh()
        self.built.pop(ref, None)  # a build of the old order must not be recorded as served
        self.note.setText(_("Bundle saved."))

    # --- pre-flight and build -------------------------------------------------------------------

    def check(self) -> None:
        self.problems.clear()
        if self._spec() is None:
            return
        bundle_ops.preflight(self.ctx.runner, ref=self.current_ref()).success(self._show_problems) \
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
        ref = self.current_ref()
        if not ref:
            return
        path = ask_save_path(self, _("Save the bundle as"), file_name(self.matter_ref, _("Bundle {ref}").format(
            ref=ref)), _("PDF files (*.pdf)"))
        if path is not None:
            self.build(path)

    def build(self, out_path: Path) -> Any:
        dialog = QProgressDialog(_("Building the bundle…"), _("Cancel"), 0, 100, self)
        dialog.setWindowTitle(_("Building"))
        dialog.setMinimumDuration(0)
        ref = self.current_ref()
        op = bundle_ops.build(self.ctx.runner, ref=ref, out_path=out_path)
        dialog.canceled.connect(op.cancel.cancel)
        op.progress(lambda d, t, label: self._progress(dialog, d, t, label))
        op.success(lambda r: self._built(dialog, r, out_path, ref)) \
            .failure(lambda exc: self._build_failed(dialog, exc)).run()
        return op

    @staticmethod
    def _progress(dialog: QProgressDialog, done: int, total: int, label: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)
        dialog.setLabelText(label)

    def _built(self, dialog: QProgressDialog, result: Any, out_path: Path, ref: str) -> None:
        dialog.reset()
        volumes = list(getattr(result, "volumes", ()) or ())
        self.built[ref] = result
        self._offer(Path(volumes[0].path) if volumes else out_path, _("Open the result"))
        self.note.setText(messages.built(getattr(result, "total_pages", 0), max(1, len(volumes))))

    def _build_failed(self, dialog: QProgressDialog, exc: BaseException) -> None:
        dialog.reset()
        self.note.setText(describe(exc))

    # --- service --------------------------------------------------------------------------------

    def mark_served(self) -> ServeBundleDialog | None:
        """Service records the exact file served, so it needs this session's build of the bundle."""
        ref, spec = self.current_ref(), self._spec()
        if not ref or spec is None:
            return None
        if not any(True for _t in spec.iter_tabs()):
            self.note.setText(_("Bundle {ref} has no tabs: there is nothing to serve.").format(ref=ref))
            return None
        if ref in self.dirty:
            self.note.setText(_("Save the order and build the bundle before marking it as served."))
            return None
        result = self.built.get(ref)
        if result is None:
            self.note.setText(_("Build the bundle first: Haven records the exact file that was served."))
            self.build_button.setFocus()
            return None
        dialog = ServeBundleDialog(self.ctx, ref, result, self)
        dialog.accepted.connect(lambda: self._served(dialog))
        dialog.open()
        return dialog

    def _served(self, dialog: ServeBundleDialog) -> None:
        served = dialog.served
        if served is None:
            return
        entry = served.entry
        text = _("Bundle {ref} recorded as served on {whom}: pages {first} to {last} are now frozen.").format(
            ref=entry.bundle_ref, whom=entry.served_to, first=entry.first_page, last=entry.last_page)
        if served.statement is not None:
            text += " " + _("Statement of service saved to {path}.").format(path=served.statement)
            self._offer(Path(served.statement), _("Open the statement of service"))
        elif served.statement_error is not None:
            text += " " + _("The statement of service was not written: {reason}").format(
                reason=describe(served.statement_error))
        self.note.setText(text)
        self.ctx.status(text)
        self.reload()

    def choose_statement(self) -> None:
        ref = self.current_ref()
        path = ask_save_path(self, _("Save the statement of service as"), file_name(
            self.matter_ref, _("Statement of service {ref}").format(ref=ref)), _("PDF files (*.pdf)"))
        if path is not None:
            self.write_statement(path)

    def write_statement(self, out_path: Path) -> Any:
        return bundle_ops.statement(self.ctx.runner, ref=self.current_ref(), out_path=out_path) \
            .success(self._statement_written).failure(lambda exc: self.note.setText(describe(exc))).run()

    def _statement_written(self, path: Path) -> None:
        text = _("Statement of service saved to {path}.").format(path=path)
        self.note.setText(text)
        self.ctx.status(text)
        self._offer(Path(path), _("Open the statement of service"))

    def ask_supplementary(self) -> None:
        spec = self._spec()
        if spec is None or not self.is_frozen():
            return
        title, ok = QInputDialog.getText(self, _("Supplementary bundle"), _("Title of the supplementary bundle:"),
                                         text=_("Supplementary {title}").format(title=spec.title))
        if ok and title.strip():
            self.start_supplementary(title.strip())

    def start_supplementary(self, title: str) -> Any:
        return bundle_ops.supplementary(self.ctx.runner, served_ref=self.current_ref(), title=title,
                                        taken=list(self.specs)) \
            .success(self._supplemented).failure(lambda exc: self.note.setText(describe(exc))).run()

    def _supplemented(self, made: bundle_ops.Supplement) -> None:
        self._wanted = made.ref
        self.note.setText(_("Supplementary bundle {ref} created: its tabs and pages continue after the served "
                            "bundles, from tab {tab}, page {first}.").format(
            ref=made.ref, tab=made.spec.settings.first_tab_number, first=made.spec.settings.first_page_number))
        self.reload()

    def clear(self) -> None:
        self.specs = {}
        self.log = []
        self.changed = {}
        self.built = {}
        self.dirty = set()
        self.log_model.clear()
        self.tabs.clear()
        self.choice.clear()
        self.problems.clear()
        self.note.clear()
        self.ranges.clear()
        self.frozen.clear()
        self.documents = []

    def has_unsaved(self) -> bool:
        return bool(self.dirty)

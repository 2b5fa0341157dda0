"""Creating and editing bundle projects on the bundles page: a new bundle, adding the
matter's documents as tabs, reference-only entries, removing tabs, sections, a tab's
title and date, the bundle's settings, and discarding unsaved edits.

Every edit is a pure function of `operations.bundle_edit` applied to the page's copy of
the spec; the bundle then stays unsaved (the page's "Save" writes it, "Discard changes"
reloads what was saved, which is the undo). A served bundle is frozen: every edit is
disabled. Only creating a bundle and turning documents into tabs reach the vault, as Ops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QPushButton

from clinic_app.domain.bundle import BundleSpec, Tab
from clinic_app.errors import ValidationError
from clinic_app.gui.dialogs.add_documents import AddDocumentsDialog
from clinic_app.gui.dialogs.bundle_settings import BundleSettingsDialog, TabDetailsDialog, plain_message
from clinic_app.gui.dialogs.exhibits import ExhibitsDialog
from clinic_app.gui.operations import adapters
from clinic_app.gui.operations import bundle_edit as edit
from clinic_app.gui.operations import bundles as bundle_ops
from clinic_app.gui.presenter import describe
from clinic_app.i18n import _, ngettext

if TYPE_CHECKING:
    from clinic_app.gui.pages.bundles import BundlesTab


class BundleEditor(QObject):
    """The editing buttons of a BundlesTab and what they do."""

    def __init__(self, page: BundlesTab) -> None:
        super().__init__(page)
        self.page = page
        self.last_dialog: Any = None  # the dialog opened last (tests and screen readers find it)

        def button(text: str, tip: str, slot: Callable[[], Any]) -> QPushButton:
            b = QPushButton(text)
            b.setToolTip(tip)
            b.setAccessibleName(text.replace("&", "").rstrip("…"))
            b.clicked.connect(lambda: slot())
            return b

        self.new_button = button(_("Ne&w bundle…"), _("Start a new bundle for this matter"), self.ask_new)
        self.settings_button = button(_("Settin&gs…"), _("Title, language, date, paper, numbering, separator "
                                                         "pages and volume limits of the bundle"), self.settings)
        self.add_documents_button = button(_("Add doc&uments…"), _("Add documents of the matter as tabs; a "
                                                                  "translation travels with its original"),
                                           self.add_documents)
        self.reference_button = button(_("Add reference entr&y…"), _("List a document the tribunal already "
                                                                     "holds (a citation, no pages)"),
                                       self.add_reference)
        self.details_button = button(_("Tab deta&ils…"), _("Change the title and date of the selected tab"),
                                     self.tab_details)
        self.remove_button = button(_("Remove tab"), _("Remove the selected tab from the bundle (Delete)"),
                                    self.remove_tab)
        self.exhibits_button = button(_("E&xhibits…"), _("Make the selected tab an affidavit with exhibits: "
                                                        "choose them, in order, and who swore it"), self.exhibits)
        self.add_section_button = button(_("Add se&ction…"), _("Add a section at the end of the bundle"),
                                         self.add_section)
        self.rename_section_button = button(_("Re&name section…"), _("Rename the section chosen beside "
                                                                    "\"Move to section\""), self.rename_section)
        self.remove_section_button = button(_("Remove section"), _("Remove the chosen section; only an empty "
                                                                   "section can be removed"), self.remove_section)
        self.discard_button = button(_("Discard c&hanges"), _("Forget the edits not saved yet and show the bundle "
                                                             "as it was saved"), self.discard)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), page.tabs)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.remove_tab)

    def buttons(self) -> list[QPushButton]:
        return [self.new_button, self.settings_button, self.add_documents_button, self.reference_button,
                self.details_button, self.remove_button, self.exhibits_button, self.add_section_button,
                self.rename_section_button, self.remove_section_button, self.discard_button]

    def rows(self) -> list[QHBoxLayout]:
        buttons = self.buttons()
        rows = []
        for group in (buttons[:6], buttons[6:]):  # Exhibits… opens the second row
            row = QHBoxLayout()
            for b in group:
                row.addWidget(b)
            row.addStretch(1)
            rows.append(row)
        return rows

    def refresh(self) -> None:
        """Enable what the shown bundle allows: nothing but "New bundle" when it is served."""
        page = self.page
        available = adapters.available("bundles")
        spec = page._spec()
        editable = available and spec is not None and not page.is_frozen()
        has_tab = editable and page._tab_at(page.tabs.currentRow()) is not None
        self.new_button.setEnabled(available)
        for b in (self.settings_button, self.add_documents_button, self.reference_button, self.add_section_button,
                  self.rename_section_button, self.remove_section_button):
            b.setEnabled(editable)
        self.details_button.setEnabled(has_tab)
        self.remove_button.setEnabled(has_tab)
        self.exhibits_button.setEnabled(has_tab)
        self.discard_button.setEnabled(editable and page.current_ref() in page.dirty)

    # --- helpers ----------------------------------------------------------------------------

    def _synced(self) -> BundleSpec | None:
        """The shown spec with the list's order (drags) applied, or None when it cannot be edited."""
        spec = self.page._spec()
        if spec is None or self.page.is_frozen():
            return None
        self.page._sync_order(spec)
        return spec

    def current_section(self) -> int:
        """The section chosen beside "Move to section" (it follows the selected tab), else the last."""
        spec = self.page._spec()
        count = len(spec.sections) if spec is not None else 0
        index = self.page.move_target.currentIndex()
        return index if 0 <= index < count else count - 1

    def _show(self, ref: str, spec: BundleSpec, message: str, row: int | None = None,
              section: int | None = None) -> None:
        page = self.page
        page.specs[ref] = spec
        page.mark_dirty(ref)
        if page.current_ref() == ref:
            page._show_spec()
            if row is not None and 0 <= row < page.tabs.count():
                page.tabs.setCurrentRow(row)
            if section is not None:
                page.move_target.setCurrentIndex(section)
            self.refresh()
        page.note.setText(message)

    def _apply(self, change: Callable[[BundleSpec], BundleSpec], message: str, row: int | None = None,
               section: int | None = None) -> bool:
        spec = self._synced()
        if spec is None:
            return False
        try:
            edited = change(spec)
        except ValidationError as exc:
            self.page.note.setText(plain_message(exc))
            return False
        self._show(self.page.current_ref(), edited, message, row, section)
        return True

    # --- a new bundle -----------------------------------------------------------------------

    def ask_new(self) -> None:
        title, ok = QInputDialog.getText(self.page, _("New bundle"), _("Title of the new bundle:"))
        if ok and title.strip():
            self.create(title.strip())
        elif ok:
            self.page.note.setText(_("The bundle needs a title."))

    def create(self, title: str, documents: list[str] | None = None) -> Any:
        page = self.page
        return edit.new_project(page.ctx.runner, matter_ref=page.matter_ref, title=title, taken=list(page.specs),
                                documents=documents) \
            .success(self._created).failure(lambda exc: page.note.setText(describe(exc))).run()

    def _created(self, made: edit.NewProject) -> None:
        self.page._wanted = made.ref
        self.page.note.setText(_("Bundle {ref} created. Add its documents with \"Add documents…\".").format(
            ref=made.ref))
        self.page.reload()

    # --- tabs -------------------------------------------------------------------------------

    def add_documents(self) -> AddDocumentsDialog | None:
        page, spec = self.page, self._synced()
        if spec is None:
            return None
        dialog = AddDocumentsDialog(page.documents, bundle_ops.section_names(spec), self.current_section(),
                                    edit.documents_in(spec), page)
        ref = page.current_ref()
        dialog.accepted.connect(lambda: self.add_chosen(ref, dialog.chosen(), dialog.chosen_section()))
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def add_chosen(self, ref: str, refs: list[str], section: int) -> Any:
        """Make the tabs on the vault thread (a translation grouped with its original), then add them."""
        spec = self.page.specs.get(ref)
        if not refs or spec is None:
            return None
        return edit.tabs_for_documents(self.page.ctx.runner, refs=refs, language=spec.language) \
            .success(lambda tabs: self._add_tabs(ref, section, tabs)) \
            .failure(lambda exc: self.page.note.setText(describe(exc))).run()

    def _add_tabs(self, ref: str, section: int, tabs: list[Tab]) -> None:
        page = self.page
        spec = page.specs.get(ref)
        if spec is None or page.served_entries(ref):
            return
        if page.current_ref() == ref:
            page._sync_order(spec)
        try:
            edited = edit.add_tabs(spec, section, tabs)
        except IndexError:  # the section was removed meanwhile: the end of the bundle instead
            section = len(spec.sections) - 1
            edited = edit.add_tabs(spec, section, tabs)
        row = edit.first_row_of(edited, section) + len(spec.sections[section].tabs)
        added = ngettext("{count} tab added. Save the bundle to keep it.",
                         "{count} tabs added. Save the bundle to keep them.", len(tabs)).format(count=len(tabs))
        self._show(ref, edited, added,
                   row, section)

    def add_reference(self) -> TabDetailsDialog | None:
        if self._synced() is None:
            return None
        section = self.current_section()
        dialog = TabDetailsDialog("", None, "", self.page, window_title=_("Add reference entry"))
        dialog.check = lambda title, when, citation: edit.add_reference_entry(
            self._synced() or BundleSpec(""), section, title, citation, when)
        dialog.accepted.connect(lambda: self._dialog_done(dialog.result_spec, _("Reference entry added."),
                                                          section=section, last_of=section))
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def tab_details(self) -> TabDetailsDialog | None:
        row = self.page.tabs.currentRow()
        tab = self.page._tab_at(row)
        if self._synced() is None or tab is None:
            return None
        dialog = TabDetailsDialog(tab.title, tab.date, tab.reference if tab.reference_only else None, self.page)
        dialog.check = lambda title, when, citation: edit.set_tab_details(
            self._synced() or BundleSpec(""), row, title, when, citation)
        dialog.accepted.connect(lambda: self._dialog_done(dialog.result_spec, _("Tab details changed."), row=row))
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def _dialog_done(self, spec: BundleSpec | None, message: str, *, row: int | None = None,
                     section: int | None = None, last_of: int | None = None) -> None:
        if spec is None or self._synced() is None:
            return
        if last_of is not None:
            row = edit.first_row_of(spec, last_of) + len(spec.sections[last_of].tabs) - 1
        self._show(self.page.current_ref(), spec, message, row, section)

    def remove_tab(self) -> bool:
        row = self.page.tabs.currentRow()
        tab = self.page._tab_at(row)
        if tab is None:
            return False
        title = tab.title
        done = self._apply(lambda s: edit.remove_tab(s, row),
                           _("Tab \"{title}\" removed. Save the bundle to keep the change, or discard the "
                             "changes to get it back.").format(title=title),
                           row=max(0, min(row, self.page.tabs.count() - 2)))
        if done:
            self.page.tabs.setFocus()
        return done

    # --- exhibits ---------------------------------------------------------------------------

    def exhibits(self) -> ExhibitsDialog | None:
        """Choose the exhibits of the selected tab's affidavit; the parts are made on the vault
        thread (each exhibit's translation with it), then the tab is edited like any other."""
        row = self.page.tabs.currentRow()
        tab = self.page._tab_at(row)
        if self._synced() is None or tab is None or tab.reference_only:
            return None
        affidavit = tab.parts[0].document_id
        dialog = ExhibitsDialog(affidavit, self.page.documents, edit.exhibits_of_tab(tab), tab.deponent, tab.sworn,
                                self.page)
        ref = self.page.current_ref()
        dialog.accepted.connect(lambda: self.set_exhibits(ref, row, affidavit, dialog))
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def set_exhibits(self, ref: str, row: int, affidavit: str, dialog: ExhibitsDialog) -> Any:
        page, spec = self.page, self.page.specs.get(ref)
        if spec is None:
            return None
        refs = dialog.chosen_refs

        def made(tabs: list[Tab]) -> None:
            if self._synced() is None or page.current_ref() != ref:
                return
            done = self._apply(lambda s: edit.set_exhibits(s, row, tabs, dialog.chosen_deponent, dialog.chosen_sworn),
                               ngettext("{count} exhibit set. Save the bundle to keep it.",
                                        "{count} exhibits set. Save the bundle to keep them.",
                                        len(tabs)).format(count=len(tabs)), row=row)
            if done and dialog.remember.isChecked():
                edit.record_exhibits(page.ctx.runner, affidavit_ref=affidavit, exhibit_refs=refs) \
                    .failure(lambda exc: page.note.setText(describe(exc))).run()

        return edit.tabs_for_documents(page.ctx.runner, refs=refs, language=spec.language, separate=True) \
            .success(made).failure(lambda exc: page.note.setText(describe(exc))).run()

    # --- sections ---------------------------------------------------------------------------

    def add_section(self) -> bool:
        title, ok = QInputDialog.getText(self.page, _("Add section"), _("Title of the new section:"))
        if not ok:
            return False
        spec = self.page._spec()
        new = len(spec.sections) if spec is not None else 0
        return self._apply(lambda s: edit.add_section(s, title), _("Section added."), section=new)

    def rename_section(self) -> bool:
        spec, section = self.page._spec(), self.current_section()
        if spec is None or section < 0:
            return False
        title, ok = QInputDialog.getText(self.page, _("Rename section"), _("New title of the section:"),
                                         text=spec.sections[section].title)
        if not ok:
            return False
        return self._apply(lambda s: edit.rename_section(s, section, title), _("Section renamed."),
                           row=self.page.tabs.currentRow(), section=section)

    def remove_section(self) -> bool:
        section = self.current_section()
        if section < 0:
            return False
        return self._apply(lambda s: edit.remove_section(s, section), _("Section removed."),
                           section=max(0, section - 1))

    # --- settings and undo ------------------------------------------------------------------

    def settings(self) -> BundleSettingsDialog | None:
        spec = self._synced()
        if spec is None:
            return None
        dialog = BundleSettingsDialog(spec, self.page)
        dialog.accepted.connect(lambda: self._dialog_done(dialog.edited, _("Settings changed. Save the bundle "
                                                                           "to keep them.")))
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def discard(self) -> None:
        ref = self.page.current_ref()
        if ref not in self.page.dirty:
            return
        self.page.dirty.discard(ref)
        self.page.specs.pop(ref, None)
        self.page.note.setText(_("Changes discarded: the bundle is shown as it was saved."))
        self.refresh()
        self.page.reload()

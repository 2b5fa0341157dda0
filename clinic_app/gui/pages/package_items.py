"""What the package view does to checklist items: attach documents (dragged onto the item,
or picked in a chooser filtered to the item's categories), import files for an item,
take documents off, and write the drafts Haven can write.

Every action is a service call on the vault thread (gui/operations/packages.py); the
Changes it returns reload the matter, so the checklist shows the item filled and the
readiness line turns to "ready" on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMenu, QProgressDialog, QPushButton

from clinic_app.domain.packages import DRAFT_LABELS, Entry, Generated, Source
from clinic_app.gui.dialogs.choose_document import DocumentChooser
from clinic_app.gui.operations import packages as package_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.save_paths import ask_save_path, file_name
from clinic_app.i18n import _, current_language

if TYPE_CHECKING:
    from clinic_app.gui.pages.packages import PackagesTab


class ItemActions:
    """The item buttons of a PackagesTab (Attach…, Detach, Draft…) and its drops."""

    def __init__(self, tab: PackagesTab) -> None:
        self.tab = tab
        self.chooser: DocumentChooser | None = None
        self.attach_button = QPushButton(_("Attach…"))
        self.attach_button.setToolTip(_("Attach a document of the matter, or a file, to the selected item"))
        self.attach_button.clicked.connect(self.choose_for_selected)
        self.detach_button = QPushButton(_("Detach"))
        self.detach_button.setToolTip(_("Take a document you attached off the selected item"))
        self.detach_menu = QMenu(self.detach_button)
        self.detach_menu.aboutToShow.connect(self._fill_detach_menu)
        self.detach_button.setMenu(self.detach_menu)
        self.draft_button = QPushButton(_("Draft…"))
        self.draft_button.setToolTip(_("Write a draft for a person to finish and sign"))
        self.draft_menu = QMenu(self.draft_button)
        self.draft_button.setMenu(self.draft_menu)
        self.draft_path: Path | None = None

    def buttons(self) -> list[QPushButton]:
        return [self.attach_button, self.detach_button, self.draft_button]

    # --- which item --------------------------------------------------------------------------

    def entry_at(self, row: int) -> Entry | None:
        checklist = self.tab.checklist
        if checklist is None or not 0 <= row < len(checklist.entries):
            return None
        return checklist.entries[row]

    def selected(self) -> Entry | None:
        return self.entry_at(self.tab.table.currentRow())

    def _takes_documents(self, entry: Entry | None) -> bool:
        if entry is None:
            self.tab.note.setText(_("Select an item of the checklist first."))
            return False
        if entry.item.source not in (Source.DOCUMENT, Source.ATTACHED):
            self.tab.note.setText(_("{item} is not filled with documents: nothing can be attached to it.").format(
                item=entry.item.label_in(current_language())))
            return False
        return True

    # --- attaching ---------------------------------------------------------------------------

    def choose_for_selected(self) -> DocumentChooser | None:
        """The chooser, filtered to the item's categories; opened, not run: see `chosen`."""
        entry = self.selected()
        if not self._takes_documents(entry):
            return None
        assert entry is not None
        label = entry.item.label_in(current_language())
        self.chooser = DocumentChooser(
            _("Attach to {item}").format(item=label),
            _("Choose the document that fills “{item}”, or import a file for it.").format(item=label),
            self.tab.documents, [c.value for c in entry.item.categories], parent=self.tab)
        self.chooser.accepted.connect(lambda e=entry, c=self.chooser: self.chosen(e, c))
        self.chooser.open()
        return self.chooser

    def chosen(self, entry: Entry, chooser: DocumentChooser) -> None:
        if chooser.chosen:
            self.attach(entry, [chooser.chosen])
        elif chooser.chosen_file is not None:
            self.import_for(entry, [chooser.chosen_file])

    def dropped_documents(self, row: int, refs: list[str]) -> Any:
        entry = self.entry_at(row)
        return self.attach(entry, refs) if self._takes_documents(entry) else None

    def dropped_files(self, row: int, paths: list[Path]) -> Any:
        entry = self.entry_at(row)
        return self.import_for(entry, paths) if self._takes_documents(entry) else None

    def attach(self, entry: Entry | None, refs: list[str], detach: bool = False) -> Any:
        assert entry is not None
        tab, label = self.tab, entry.item.label_in(current_language())
        done = (_("Taken off {item}: {refs}.") if detach else _("Attached to {item}: {refs}.")).format(
            item=label, refs=", ".join(refs))
        return package_ops.attach(tab.ctx.runner, matter_ref=tab.matter_ref, package=tab.package(),
                                  item_id=entry.item.id, document_refs=refs, detach=detach) \
            .success(lambda _c: tab.note.setText(done)).failure(tab.failed).run()

    def import_for(self, entry: Entry | None, paths: list[Path]) -> Any:
        """Import on the vault thread, with a progress dialog that can cancel between files."""
        assert entry is not None
        tab = self.tab
        text = _("Importing for {item}…").format(item=entry.item.label_in(current_language()))
        tab.note.setText(text)
        dialog = QProgressDialog(text, _("Cancel"), 0, max(1, len(paths)), tab)
        dialog.setWindowTitle(_("Importing"))
        dialog.setMinimumDuration(500)
        op = package_ops.import_to_item(tab.ctx.runner, matter_ref=tab.matter_ref, package=tab.package(),
                                        item_id=entry.item.id, paths=paths)
        dialog.canceled.connect(op.cancel.cancel)
        op.progress(lambda done, total, label: tab.progress(dialog, done, total, label))
        op.success(lambda done: self._imported(dialog, entry, done.files))
        return op.failure(lambda exc: self._import_failed(dialog, exc)).run()

    def _import_failed(self, dialog: QProgressDialog, exc: BaseException) -> None:
        dialog.reset()
        self.tab.failed(exc)

    def _imported(self, dialog: QProgressDialog, entry: Entry, outcomes: list[Any]) -> None:
        dialog.reset()
        taken = [o.document_ref for o in outcomes if o.outcome != "refused" and o.document_ref]
        refused = [o.message for o in outcomes if o.outcome == "refused"]
        text = _("Attached to {item}: {refs}.").format(item=entry.item.label_in(current_language()),
                                                       refs=", ".join(taken)) if taken else ""
        if refused:
            text = " ".join([text, _("Not imported: {reasons}").format(reasons="; ".join(refused))]).strip()
        self.tab.note.setText(text)

    def _fill_detach_menu(self) -> None:
        self.detach_menu.clear()
        entry = self.selected()
        refs = entry.attached if entry is not None else ()
        if not refs:
            text = _("Nothing attached by hand to this item")
            action = self.detach_menu.addAction(text)
            action.triggered.connect(lambda _c=False: self.tab.note.setText(text))
            action.setEnabled(False)
            return
        for ref in refs:
            action = self.detach_menu.addAction(_("Take {ref} off").format(ref=ref))
            action.triggered.connect(lambda _c=False, e=entry, r=ref: self.attach(e, [r], detach=True))

    # --- drafts ------------------------------------------------------------------------------

    def fill_drafts(self) -> None:
        """One menu entry per draft this package can use (deferral request, affidavits...)."""
        self.draft_menu.clear()
        checklist = self.tab.checklist
        kinds = checklist.package.drafts() if checklist is not None else ()
        for kind in kinds:
            action = self.draft_menu.addAction(_(DRAFT_LABELS[kind]) + "…")
            action.setData(kind.value)
            action.triggered.connect(lambda _c=False, k=kind.value: self.choose_draft_path(k))
        self.draft_button.setEnabled(bool(kinds) and self.tab.choice.isEnabled())

    def choose_draft_path(self, kind: str) -> None:
        """The suggested name says which matter and which draft, never whose."""
        name = file_name(self.tab.matter_ref, _(DRAFT_LABELS[Generated(kind)]), _("draft"))
        path = ask_save_path(self.tab, _("Save the draft as"), name, _("PDF files (*.pdf)"))
        if path is not None:
            self.write_draft(kind, path)

    def write_draft(self, kind: str, out_path: Path) -> Any:
        tab = self.tab
        tab.note.setText(_("Writing the draft…"))
        return package_ops.write_draft(tab.ctx.runner, matter_ref=tab.matter_ref, package=tab.package(),
                                       kind=kind, out_path=out_path) \
            .success(self._drafted).failure(lambda exc: tab.note.setText(describe(exc))).run()

    def _drafted(self, path: Path) -> None:
        self.draft_path = Path(path)
        self.tab.result_path = Path(path)
        self.tab.open_button.setEnabled(True)
        self.tab.note.setText(_("Draft saved to {path}. Finish it, have it signed, then attach the signed "
                                "document to its item. Use “Open the result” to see it.").format(path=path))

"""Linking a support letter to its scanned letter, from a matter's letter list.

Only a letter whose scan is linked can go into a package, so the list shows each
letter's scan and "Scanned letter…" links one: a document of the matter (the chooser
offers support letters and correspondence first), a file to import, or none.
Through services.letters_workflow (link_scan, import_scan), as the command line.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton

from clinic_app.domain.document import DocumentCategory
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.roles import Permission
from clinic_app.gui.dialogs.choose_document import DocumentChooser
from clinic_app.gui.operations import letters as letter_ops
from clinic_app.gui.presenter import describe
from clinic_app.i18n import _

if TYPE_CHECKING:
    from clinic_app.gui.pages.letters import LettersTab

SCAN_CATEGORIES = (DocumentCategory.SUPPORT_LETTER.value, DocumentCategory.CORRESPONDENCE.value)


class ScanLinker:
    def __init__(self, tab: LettersTab) -> None:
        self.tab = tab
        self.documents: list[dict[str, Any]] = []
        self.chooser: DocumentChooser | None = None
        self.button = QPushButton(_("Scanned letter…"))
        self.button.setToolTip(_("Link the selected letter to its scan: only a letter with its scan goes into "
                                 "a package"))
        self.button.clicked.connect(self.choose)
        allowed = tab.matter_ref is not None and tab.ctx.can(Permission.READ_RECORDS) \
            and tab.ctx.can(Permission.MANAGE_LETTERS)
        self.button.setVisible(allowed)

    def row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch(1)
        return row

    def selected(self) -> SupportLetter | None:
        tab = self.tab
        index = tab.table.currentIndex()
        return tab.model.row(tab.proxy.mapToSource(index).row()) if index.isValid() else None

    def choose(self) -> DocumentChooser | None:
        """Opened, not run: the choice arrives through `accepted` (see `chosen`)."""
        letter = self.selected()
        if letter is None:
            self.tab.message.setText(_("Select a letter in the list first."))
            return None
        self.chooser = DocumentChooser(
            _("Scanned letter of {ref}").format(ref=letter.ref),
            _("Choose the document that is the scan of the letter from {writer}, or import the scan.").format(
                writer=letter.writer),
            self.documents, SCAN_CATEGORIES, clear_text=_("No scan") if letter.document_ref else "",
            parent=self.tab)
        self.chooser.accepted.connect(lambda x=letter, c=self.chooser: self.chosen(x, c))
        self.chooser.open()
        return self.chooser

    def chosen(self, letter: SupportLetter, chooser: DocumentChooser) -> Any:
        runner = self.tab.ctx.runner
        if chooser.chosen_file is not None:
            self.tab.message.setText(_("Importing the scan…"))
            return letter_ops.import_scan(runner, letter_ref=letter.ref, path=chooser.chosen_file) \
                .success(lambda done: self._imported(letter, done.outcome)).failure(self._failed).run()
        ref = None if chooser.cleared else chooser.chosen
        return letter_ops.link_scan(runner, letter_ref=letter.ref, document_ref=ref) \
            .success(lambda _c: self._linked(letter, ref)).failure(self._failed).run()

    def _imported(self, letter: SupportLetter, outcome: Any) -> None:
        if outcome.outcome == "refused" or not outcome.document_ref:
            self.tab.message.setText(_("The scan was not imported: {reason}").format(reason=outcome.message))
            return
        self._linked(letter, outcome.document_ref)

    def _linked(self, letter: SupportLetter, ref: str | None) -> None:
        form = self.tab.form
        if form.editing is not None and form.editing.ref == letter.ref:  # saving the form keeps the link
            form.editing = dataclasses.replace(form.editing, document_ref=ref)
        self.tab.message.setText(_("Letter {letter}: scan {document} linked.").format(letter=letter.ref, document=ref)
                                 if ref else _("Letter {letter}: no scan linked.").format(letter=letter.ref))

    def _failed(self, exc: BaseException) -> None:
        self.tab.message.setText(describe(exc))

    def clear(self) -> None:
        self.documents = []
        self.chooser = None

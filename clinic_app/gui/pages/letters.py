"""Support letters of a matter (or, for volunteers, every letter): the list, the fast form,
and the guidance sheet to hand to letter writers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QMenu, QPushButton, QSplitter, QTableView,
    QVBoxLayout, QWidget,
)

from clinic_app.domain.changes import Changes
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.roles import Permission
from clinic_app.errors import ValidationError
from clinic_app.gui import unsaved
from clinic_app.gui.context import Context
from clinic_app.gui.operations import letters as letter_ops
from clinic_app.gui.operations.records import Saved
from clinic_app.gui.pages.letter_form import LetterForm
from clinic_app.gui.pages.letter_scans import ScanLinker
from clinic_app.gui.presenter import describe
from clinic_app.gui.save_paths import ask_save_path, open_saved
from clinic_app.gui.undo import ServiceEdit
from clinic_app.gui.widgets.rows import Column, RowsModel, fit_columns
from clinic_app.i18n import _


class LettersTab(QWidget):
    def __init__(self, ctx: Context, matter_ref: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.matter_ref = ctx, matter_ref
        self.model = RowsModel([
            Column(_("Ref"), lambda x: x.ref),
            Column(_("Matter"), lambda x: x.matter_ref),
            Column(_("Writer"), lambda x: x.writer),
            Column(_("Organisation"), lambda x: x.organisation),
            Column(_("Date"), lambda x: x.letter_date.isoformat() if x.letter_date else ""),
            Column(_("Signed"), lambda x: _("yes") if x.signed else _("no")),
            Column(_("Status"), lambda x: x.status.label),
            Column(_("Scanned letter"), lambda x: x.document_ref or ""),
        ], self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Filter letters"))
        self.filter.setAccessibleName(_("Filter letters"))
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(_("Support letters"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        fit_columns(self.table, 2)
        self.table.activated.connect(self._edit)
        if matter_ref is not None:
            self.table.hideColumn(1)
        self.form = LetterForm(ask_matter=matter_ref is None, may=ctx.can)
        self.form.submitted.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(_("Letter form messages"))
        new_button = QPushButton(_("&New letter"))
        new_button.clicked.connect(lambda: self.new_letter())
        save_button = QPushButton(_("&Save letter (Enter)"))
        save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(new_button)
        buttons.addStretch(1)
        buttons.addWidget(save_button)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.addWidget(self.form)
        rv.addWidget(self.message)
        rv.addLayout(buttons)
        rv.addStretch(1)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.filter)
        lv.addWidget(self.table)
        if matter_ref is not None:
            lv.addWidget(self._factor_view())
        lv.addLayout(self._guidance_row())
        self.scans = ScanLinker(self)
        lv.addLayout(self.scans.row())
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        QVBoxLayout(self).addWidget(split)
        ctx.runner.changed.connect(self.on_changed)
        self.refresh()

    def _factor_view(self) -> QWidget:
        """What supports each H&C factor and what is still missing, so the lawyer sees which
        letters and documents to chase before the application is filed."""
        self.factors = RowsModel([
            Column(_("H&C factor"), lambda f: f.factor.label),
            Column(_("Documents"), lambda f: ", ".join(f.documents)),
            Column(_("Letters ready"), lambda f: ", ".join(f.letters_ready)),
            Column(_("Letters pending"), lambda f: ", ".join(f.letters_pending)),
            Column(_("Still missing"), lambda f: "; ".join(_(m) for m in f.missing)),
        ], self, warn=lambda f: not f.supported)
        self.factor_table = QTableView()
        self.factor_table.setModel(self.factors)
        self.factor_table.setAccessibleName(_("Support for each H&C factor"))
        self.factor_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.factor_table.verticalHeader().hide()
        fit_columns(self.factor_table, 4)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("Support for each H&C factor")))
        layout.addWidget(self.factor_table)
        return box

    def _guidance_row(self) -> QHBoxLayout:
        """The guide is handed to writers before they write, so it is one menu away from the list."""
        self.guidance_path: Path | None = None
        self.guidance_button = QPushButton(_("Guidance sheet for letter writers…"))
        self.guidance_button.setAccessibleName(_("Guidance sheet for letter writers: choose its language"))
        self.guidance_menu = QMenu(self.guidance_button)
        for lang, label in (("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))):
            action = self.guidance_menu.addAction(label)
            action.setData(lang)
            action.triggered.connect(lambda _checked=False, code=lang: self.choose_guidance(code))
        self.guidance_button.setMenu(self.guidance_menu)
        self.open_guidance = QPushButton(_("Open the guidance sheet"))
        self.open_guidance.setEnabled(False)
        self.open_guidance.clicked.connect(self.open_guidance_sheet)
        allowed = self.ctx.can(Permission.MANAGE_LETTERS)
        row = QHBoxLayout()
        for button in (self.guidance_button, self.open_guidance):
            button.setVisible(allowed)
            row.addWidget(button)
        row.addStretch(1)
        return row

    def choose_guidance(self, lang: str) -> None:
        """The default file name says what the sheet is and nothing about any client."""
        path = ask_save_path(self, _("Save the guidance sheet as"), f"letter-writer-guidance-{lang}.pdf",
                             _("PDF files (*.pdf)"))
        if path is not None:
            self.write_guidance(lang, path)

    def write_guidance(self, lang: str, out_path: Path) -> Any:
        self.message.setText(_("Writing the guidance sheet…"))
        return letter_ops.guidance_sheet(self.ctx.runner, lang=lang, out_path=out_path) \
            .success(self._guidance_written).failure(lambda exc: self.message.setText(describe(exc))).run()

    def _guidance_written(self, path: Path) -> None:
        self.guidance_path = Path(path)
        self.open_guidance.setEnabled(True)
        text = _("Guidance sheet saved to {path}.").format(path=path)
        self.message.setText(text + " " + _("Use “Open the guidance sheet” to see or print it."))
        self.ctx.status(text)

    def open_guidance_sheet(self) -> None:
        if self.guidance_path is not None:
            open_saved(self, self.guidance_path)

    def set_documents(self, documents: list[dict[str, Any]]) -> None:
        """The matter's documents (rows of the matter view), to choose a letter's scan among."""
        self.scans.documents = list(documents)

    def refresh(self) -> None:
        letter_ops.letters(self.ctx.runner, matter_ref=self.matter_ref).success(self._show).run()
        if self.matter_ref is not None:
            letter_ops.factor_support(self.ctx.runner, matter_ref=self.matter_ref) \
                .success(lambda view: self.factors.set_rows(view.factors)).run()

    def _show(self, letters: list[SupportLetter]) -> None:
        self.model.set_rows(sorted(letters, key=lambda x: x.ref))
        if self.matter_ref is None:
            self.form.set_matter_choices([x.matter_ref for x in letters])

    def on_changed(self, changes: Changes, initiator: object) -> None:
        if changes.letters or changes.documents or changes.links:  # a document's factors count too
            self.refresh()

    def _edit(self, index: object) -> None:
        letter = self.model.row(self.proxy.mapToSource(index).row())  # type: ignore[arg-type]
        if letter is not None and self.may_replace_form(
                _("The letter in the form has changes that are not saved. Save it before opening letter "
                  "{ref}?").format(ref=letter.ref)):
            self.form.load(letter)

    def new_letter(self) -> None:
        """A blank form for the next letter (New letter, Ctrl+Shift+L), after asking about one typed."""
        if self.may_replace_form(_("The letter in the form has changes that are not saved. Save it before "
                                   "starting a new letter?")):
            self.form.reset()

    def may_replace_form(self, question: str) -> bool:
        """True when the form may be emptied or replaced: nothing typed is unsaved, or the person
        chose Save (and the letter was valid, so it is on its way to the vault) or Discard."""
        if not self.has_unsaved():
            return True
        answer = unsaved.ask(self, _("Unsaved letter"), question, can_save=True)
        if answer == "save":
            return self.send()
        if answer == "cancel":
            self.form.writer.setFocus()
        return answer == "discard"

    def save(self) -> None:
        """Validate here, clear the form at once for the next letter, save in the background."""
        self.send()  # a slot returns nothing (see gui/actions.py _invoke)

    def send(self) -> bool:
        """`save`, saying whether the letter went: False when it is not valid, and it stays
        in the form with the reason."""
        try:
            letter = self.form.record(self.matter_ref or "")
        except ValidationError as exc:
            self.message.setText(describe(exc))
            self.form.focus_field(exc.field)
            return False
        before = self.form.editing
        self.form.reset()
        self.message.setText(_("Saving…"))
        letter_ops.save_letter(self.ctx.runner, letter=letter, new=before is None).by(self) \
            .success(lambda saved: self._saved(saved, before, letter)) \
            .failure(lambda exc: self._failed(exc, before, letter)).run()
        return True

    def _saved(self, saved: Saved, before: SupportLetter | None, letter: SupportLetter) -> None:
        if before is not None:
            def save(x: SupportLetter):  # noqa: ANN202 - an Op
                return letter_ops.save_letter(self.ctx.runner, letter=x, new=False)

            self.ctx.undo.push(ServiceEdit(_("Edit letter {ref}").format(ref=saved.ref), save, before, letter))
        self.message.setText(_("Letter {ref} saved. Type the next one.").format(ref=saved.ref))
        self.ctx.status(_("Letter {ref} saved.").format(ref=saved.ref))

    def _failed(self, exc: BaseException, before: SupportLetter | None, letter: SupportLetter) -> None:
        """Put the letter back in the form, as typed, with the reason it was not saved."""
        self.form.load(letter)
        self.form.editing = before
        if before is None:
            self.form.mode.setText(_("New letter"))
        self.form.dirty = True
        self.message.setText(describe(exc))
        if isinstance(exc, ValidationError):
            self.form.focus_field(exc.field)

    def has_unsaved(self) -> bool:
        return self.form.dirty and bool(self.form.writer.text().strip())

    def clear(self) -> None:
        self.model.clear()
        self.form.reset(keep_matter=False)
        self.filter.clear()
        self.message.clear()
        self.guidance_path = None
        self.open_guidance.setEnabled(False)
        self.scans.clear()

"""The exhibits of an affidavit tab: which of the matter's documents, in which order, who
swore the affidavit and when (printed in each exhibit's stamp), and whether filing packages
should bring the same exhibits along.

The list is what the matter page already loaded, so opening the dialog reaches no vault;
the caller makes the exhibit parts on the vault thread afterwards (a document's
translation travels with it, as in any tab).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
    QWidget,
)

from clinic_app.errors import ValidationError
from clinic_app.gui.dialogs.add_documents import document_label
from clinic_app.gui.widgets.dialog_parts import dialog_buttons, stack
from clinic_app.gui.widgets.fields import line, parse_date, show_date
from clinic_app.gui.dialogs.bundle_settings import plain_message
from clinic_app.i18n import _


class ExhibitsDialog(QDialog):
    def __init__(self, affidavit: str, documents: list[dict[str, Any]], exhibits: list[str], deponent: str,
                 sworn: date | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Exhibits to the affidavit"))
        self.affidavit = affidavit
        self.labels = {d["ref"]: document_label(d, False) for d in documents}
        self.deponent = line(deponent, name=_("Deponent: who swore or affirmed the affidavit"))
        self.sworn = line(show_date(sworn), name=_("Date sworn"), placeholder=_("YYYY-MM-DD, or empty"))
        self.exhibits = QListWidget()
        self.exhibits.setAccessibleName(_("Exhibits, in order: the first is A (or 1)"))
        for ref in exhibits:
            self._add_item(ref)
        self.choice = QComboBox()
        self.choice.setAccessibleName(_("Document to add as the next exhibit"))
        for doc in documents:
            if doc["ref"] != affidavit:
                self.choice.addItem(self.labels[doc["ref"]], doc["ref"])
        self.add_button = QPushButton(_("&Add as next exhibit"))
        self.add_button.clicked.connect(self.add_chosen)
        self.remove_button = QPushButton(_("&Remove"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button = QPushButton(_("Move &up"))
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button = QPushButton(_("Move do&wn"))
        self.down_button.clicked.connect(lambda: self.move(1))
        self.remember = QCheckBox(_("Also &record these exhibits for the affidavit document (filing packages "
                                    "use them)"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("&Deponent:"), self.deponent)
        form.addRow(_("Date &sworn:"), self.sworn)
        adding = QHBoxLayout()
        adding.addWidget(self.choice, 1)
        adding.addWidget(self.add_button)
        moving = QHBoxLayout()
        for button in (self.remove_button, self.up_button, self.down_button):
            moving.addWidget(button)
        moving.addStretch(1)
        note = QLabel(_("Each exhibit's first page is stamped with its mark and the commissioner's block; the "
                        "index lists the exhibits under the affidavit."))
        note.setWordWrap(True)
        self.buttons = dialog_buttons(self, self.apply)
        stack(self, form, self.exhibits, adding, moving, note, self.remember, self.error, self.buttons)
        self.chosen_refs: list[str] = list(exhibits)
        self.chosen_deponent, self.chosen_sworn = deponent, sworn

    def _add_item(self, ref: str) -> None:
        item = QListWidgetItem(self.labels.get(ref, ref))
        item.setData(Qt.ItemDataRole.UserRole, ref)
        self.exhibits.addItem(item)

    def refs(self) -> list[str]:
        return [str(self.exhibits.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.exhibits.count())]

    def add_chosen(self) -> None:
        ref = self.choice.currentData()
        if ref and ref not in self.refs():
            self._add_item(str(ref))
            self.exhibits.setCurrentRow(self.exhibits.count() - 1)

    def remove_selected(self) -> None:
        row = self.exhibits.currentRow()
        if row >= 0:
            self.exhibits.takeItem(row)

    def move(self, step: int) -> None:
        row = self.exhibits.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.exhibits.count():
            return
        item = self.exhibits.takeItem(row)
        self.exhibits.insertItem(target, item)
        self.exhibits.setCurrentRow(target)

    def apply(self) -> None:
        try:
            sworn = parse_date(self.sworn.text(), "sworn")
        except ValidationError as exc:
            self.error.setText(_("Date sworn: {problem}").format(problem=plain_message(exc)))
            self.sworn.setFocus()
            return
        refs = self.refs()
        if refs and not self.deponent.text().strip():
            self.error.setText(_("An affidavit with exhibits needs the name of the person who swore it."))
            self.deponent.setFocus()
            return
        self.chosen_refs, self.chosen_deponent, self.chosen_sworn = refs, self.deponent.text().strip(), sworn
        self.accept()

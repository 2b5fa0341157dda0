"""Choosing which of the matter's documents to add to a bundle, and into which section.

The list is what the matter page already loaded (ref, title, pages, date, language), so
opening the dialog reaches no vault. The tabs themselves are made on the vault thread
afterwards: a document's translation and translator's declaration are grouped into its
tab there, so choosing the original is enough.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
    QPushButton, QVBoxLayout, QWidget,
)

from clinic_app.i18n import _, ngettext


def document_label(doc: dict[str, Any], in_bundle: bool) -> str:
    details = [str(doc["ref"])]
    if doc.get("date"):
        details.append(str(doc["date"]))
    if doc.get("pages"):
        details.append(ngettext("{count} page", "{count} pages", doc["pages"]).format(count=doc["pages"]))
    if doc.get("language"):
        details.append(str(doc["language"]))
    text = f"{doc['title']}  ({', '.join(details)})"
    return text + "  – " + _("already in this bundle") if in_bundle else text


class AddDocumentsDialog(QDialog):
    def __init__(self, documents: list[dict[str, Any]], sections: list[str], section: int = 0,
                 in_bundle: set[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add documents to the bundle"))
        in_bundle = in_bundle or set()
        self.documents = QListWidget()
        self.documents.setAccessibleName(_("Documents of the matter; check the ones to add"))
        for doc in documents:
            item = QListWidgetItem(document_label(doc, doc["ref"] in in_bundle))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, doc["ref"])
            self.documents.addItem(item)
        self.documents.itemChanged.connect(lambda _i: self._update())
        self.section = QComboBox()
        self.section.setAccessibleName(_("Section to add the documents to"))
        self.section.addItems(sections)
        self.section.setCurrentIndex(max(0, min(section, len(sections) - 1)))
        note = QLabel(_("A document's translation and translator's declaration are added in its tab: "
                        "check the original only."))
        note.setWordWrap(True)
        self.all_button = QPushButton(_("Check &all"))
        self.all_button.clicked.connect(lambda: self.check_all(True))
        self.none_button = QPushButton(_("Check &none"))
        self.none_button.clicked.connect(lambda: self.check_all(False))
        checks = QHBoxLayout()
        checks.addWidget(self.all_button)
        checks.addWidget(self.none_button)
        checks.addStretch(1)
        form = QFormLayout()
        form.addRow(_("&Section:"), self.section)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setText(_("A&dd"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        heading = QLabel(_("&Documents:"))
        heading.setBuddy(self.documents)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.documents)
        layout.addLayout(checks)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update()
        self.documents.setFocus()
        if self.documents.count():
            self.documents.setCurrentRow(0)

    def _items(self) -> list[QListWidgetItem]:
        return [self.documents.item(i) for i in range(self.documents.count())]

    def check_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for item in self._items():
            item.setCheckState(state)

    def set_checked(self, refs: list[str]) -> None:
        for item in self._items():
            on = item.data(Qt.ItemDataRole.UserRole) in refs
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def chosen(self) -> list[str]:
        """Refs of the checked documents, in the list's order."""
        return [str(item.data(Qt.ItemDataRole.UserRole)) for item in self._items()
                if item.checkState() == Qt.CheckState.Checked]

    def chosen_section(self) -> int:
        return self.section.currentIndex()

    def _update(self) -> None:
        self.add_button.setEnabled(bool(self.chosen()) and self.section.count() > 0)

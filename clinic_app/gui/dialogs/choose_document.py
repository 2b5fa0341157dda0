"""Choose one of the matter's documents (for a checklist item, or as a letter's scan),
or a file to import for it.

The list starts filtered to the categories that fit (forms for a form item, decisions
for a decision...), with a box to show every document of the matter. The dialog is
opened with `open()`, never `exec()`: the window keeps running, and `chosen` /
`chosen_file` / `cleared` say what the person picked when `accepted` fires.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from clinic_app.domain.document import DocumentCategory
from clinic_app.gui import file_dialogs
from clinic_app.gui.save_paths import start_folder
from clinic_app.gui.widgets.dialog_parts import dialog_buttons, stack
from clinic_app.i18n import _


def document_text(row: dict[str, Any]) -> str:
    """ "d-001 — Direction to report (Removal direction)" for one row of the matter view."""
    category = DocumentCategory(row["category"]).label
    return f"{row['ref']} \u2014 {row['title']} ({category})"


class DocumentChooser(QDialog):
    def __init__(self, title: str, prompt: str, documents: list[dict[str, Any]],
                 categories: Iterable[str] = (), *, clear_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.documents = documents
        self.categories = frozenset(categories)
        self.chosen: str | None = None
        self.chosen_file: Path | None = None
        self.cleared = False
        self.prompt = QLabel(prompt)
        self.prompt.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Documents of the matter"))
        self.list.itemActivated.connect(lambda _item: self.choose())
        self.show_all = QCheckBox(_("Show every document of the matter"))
        self.show_all.setChecked(not self.categories)
        self.show_all.setVisible(bool(self.categories))
        self.show_all.toggled.connect(self._fill)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.import_button = QPushButton(_("Import a file…"))
        self.import_button.setToolTip(_("Import a file from this computer and use it"))
        self.import_button.clicked.connect(self.choose_file)
        self.buttons = dialog_buttons(self, self.choose, ok_text=_("Use this document"))
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.clear_button: QPushButton | None = None
        if clear_text:
            self.clear_button = QPushButton(clear_text)
            self.clear_button.clicked.connect(self.clear_choice)
            self.buttons.addButton(self.clear_button, QDialogButtonBox.ButtonRole.ResetRole)
        stack(self, self.prompt, self.list, self.show_all, self.empty, self.buttons)
        self.resize(560, 420)
        self._fill()

    def _fill(self, *_args: object) -> None:
        self.list.clear()
        every = self.show_all.isChecked() or not self.categories
        for row in self.documents:
            if every or row["category"] in self.categories:
                item = QListWidgetItem(document_text(row))
                item.setData(Qt.ItemDataRole.UserRole, row["ref"])
                self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
            self.empty.clear()
        elif every:
            self.empty.setText(_("The matter has no documents yet: import a file."))
        else:
            self.empty.setText(_("No document of the matter has a fitting category: show every document, "
                                 "or import a file."))

    def choose(self) -> None:
        item = self.list.currentItem()
        if item is None:
            self.empty.setText(_("Choose a document in the list first."))
            return
        self.chosen = str(item.data(Qt.ItemDataRole.UserRole))
        self.accept()

    def choose_file(self) -> None:
        name = file_dialogs.open_file(self, _("Import a file"), str(start_folder()))
        if name:
            self.chosen_file = Path(name)
            self.accept()

    def clear_choice(self) -> None:
        self.cleared = True
        self.accept()

"""Linking an original, its translation and the translator's declaration (one tab in bundles)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from clinic_app.domain.roles import Permission
from clinic_app.gui.context import Context
from clinic_app.gui.operations import documents as doc_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.widgets.rows import Column, RowsModel, fit_columns
from clinic_app.i18n import _


class TranslationsTab(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._titles: dict[str, str] = {}
        title = lambda ref: f"{self._titles.get(ref, '')} ({ref})" if ref else _("not received yet")  # noqa: E731
        self.model = RowsModel([
            Column(_("Original"), lambda t: title(t["original_ref"])),
            Column(_("Translation"), lambda t: title(t["translation_ref"])),
            Column(_("Declaration"), lambda t: title(t.get("declaration_ref"))),
        ], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Translations"))
        self.table.verticalHeader().hide()
        fit_columns(self.table, 0)
        self.original, self.translation, self.declaration = QComboBox(), QComboBox(), QComboBox()
        for combo, name in ((self.original, _("Original document")), (self.translation, _("Translation")),
                            (self.declaration, _("Translator's declaration"))):
            combo.setAccessibleName(name)
            combo.currentIndexChanged.connect(self._chosen)
        self.link_button = QPushButton(_("Link"))
        self.link_button.setEnabled(False)
        self.link_button.clicked.connect(self.link)
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Original:"), self.original)
        form.addRow(_("Translation:"), self.translation)
        form.addRow(_("Declaration:"), self.declaration)
        form.addRow("", self.link_button)
        form.addRow(self.message)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        if ctx.can(Permission.EDIT_RECORDS):
            layout.addLayout(form)

    def set_data(self, documents: list[dict[str, Any]], links: list[dict[str, Any]]) -> None:
        """Nothing is chosen in advance: a default would pair the first document with itself."""
        self._titles = {d["ref"]: d["title"] for d in documents}
        self.model.set_rows(links)
        for combo, first in ((self.original, _("(choose the original)")),
                             (self.translation, _("(choose its translation)")), (self.declaration, _("(none yet)"))):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, "")
            for d in documents:
                combo.addItem(f"{d['title']} ({d['ref']})", d["ref"])
            if current is not None and combo.findData(current) >= 0:
                combo.setCurrentIndex(combo.findData(current))
            combo.blockSignals(False)
        self._chosen()

    def _chosen(self, *_args: object) -> None:
        """Link only two different documents."""
        original, translation = self.original.currentData(), self.translation.currentData()
        self.link_button.setEnabled(bool(original) and bool(translation) and original != translation)

    def link(self) -> None:
        doc_ops.link_translation(self.ctx.runner, original=self.original.currentData() or "",
                                 translation=self.translation.currentData() or "",
                                 declaration=self.declaration.currentData() or None) \
            .success(lambda _c: self.message.setText(_("Linked."))) \
            .failure(lambda exc: self.message.setText(describe(exc))).run()

    def clear(self) -> None:
        self.model.clear()
        for combo in (self.original, self.translation, self.declaration):
            combo.clear()
        self._titles = {}
        self.message.clear()

    def has_unsaved(self) -> bool:
        return False

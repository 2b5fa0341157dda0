"""A client's contact points and relatives, as two editable tables of the client form.

Plain item tables, because every cell is then reachable from the keyboard: arrow
keys move, F2 or typing edits, Space ticks a box, and a screen reader hears each
column's header. Tab leaves the table for its buttons instead of walking every
cell. Rows become domain records only when the form saves, so the domain's own
checks (an email that is not one, a required name) decide what is valid, and a
refusal points at the very cell it is about.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.client import (
    MAX_CONTACTS,
    MAX_RELATIVES,
    ContactKind,
    ContactPoint,
    Relative,
)
from clinic_app.errors import BadInput, ValidationError
from clinic_app.i18n import _

TEXT, CHECK, CHOICE = "text", "check", "choice"
CODE = Qt.ItemDataRole.UserRole  # a choice cell's code (the cell shows its label)
ORIGINAL = Qt.ItemDataRole.UserRole + 1  # the record a row was loaded from: keeps a relative's id
PROBLEM_BACKGROUND = QColor("#fde7ea")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Col:
    key: str  # the domain field this column edits
    header: str
    kind: str = TEXT
    choices: tuple[tuple[str, str], ...] = ()  # (code, label), for CHOICE


class RowError(BadInput):
    """A row the domain refused, with the cell the form should point at."""

    def __init__(self, message: str, editor: RowsEditor, row: int, column: int) -> None:
        super().__init__(message)
        self.editor, self.row, self.column = editor, row, column


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box to edit a column of codes; the cell itself shows the label."""

    def __init__(self, col: Col, parent: QWidget) -> None:
        super().__init__(parent)
        self.col = col

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName(self.col.header)
        for code, label in self.col.choices:
            combo.addItem(label, code)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(editor.findData(index.data(CODE)), 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), CODE)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.DisplayRole)


class RowsEditor(QWidget):
    """A table of records with Add and Remove. Subclasses name the columns, say how
    a row becomes a record (`build`) and how a refused row is described."""

    def __init__(self, columns: list[Col], *, name: str, add_text: str, remove_text: str, limit: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns, self.limit = columns, limit
        self._quiet = False  # set while the editor itself changes items
        self.table = QTableWidget(0, len(columns))
        self.table.setAccessibleName(name)
        self.table.setAccessibleDescription(
            _("Arrow keys move between cells, F2 or typing edits a cell, Space ticks or unticks a box."))
        self.table.setHorizontalHeaderLabels([c.header for c in columns])
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        triggers = QAbstractItemView.EditTrigger
        self.table.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed | triggers.AnyKeyPressed
                                   | triggers.SelectedClicked)
        self.table.horizontalHeader().setStretchLastSection(True)
        for c, col in enumerate(columns):
            if col.kind == CHOICE:
                self.table.setItemDelegateForColumn(c, ChoiceDelegate(col, self.table))
        self.table.itemChanged.connect(self._item_changed)
        self.table.currentCellChanged.connect(lambda *_a: self._update_buttons())
        self.add_button = QPushButton(add_text)
        self.remove_button = QPushButton(remove_text)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_current)
        self.note = QLabel()
        self.note.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        self._update_buttons()

    # --- rows ----------------------------------------------------------------------------
    def load(self, records: Iterable[Any]) -> None:
        self.table.setRowCount(0)
        for record in records:
            values = {col.key: getattr(record, col.key) for col in self.columns}
            self._append({k: v.value if isinstance(v, Enum) else v for k, v in values.items()}, record)
        self.table.setCurrentCell(-1, -1)
        self._update_buttons()

    def add_row(self) -> int:
        """A new row with the defaults, its first cell already in edit for the keyboard."""
        row = self._append({}, None)
        self.table.setCurrentCell(row, 0)
        self.table.setFocus()
        self.table.editItem(self.cell(row, 0))
        return row

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        column = max(self.table.currentColumn(), 0)
        self.table.removeRow(row)
        if self.table.rowCount():
            self.table.setCurrentCell(min(row, self.table.rowCount() - 1), column)
            self.table.setFocus()
        else:
            self.add_button.setFocus()
        self.rows_changed()

    def values(self, row: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for c, col in enumerate(self.columns):
            item = self.cell(row, c)
            if col.kind == CHECK:
                out[col.key] = item.checkState() == Qt.CheckState.Checked
            elif col.kind == CHOICE:
                out[col.key] = item.data(CODE)
            else:
                out[col.key] = item.text()
        return out

    def records(self) -> tuple[Any, ...]:
        """Every row that is not left blank, as a domain record; RowError for the first refused."""
        self.clear_marks()
        out = []
        for row in range(self.table.rowCount()):
            values = self.values(row)
            if self._blank(values):  # an added row nobody filled in
                continue
            try:
                out.append(self.build(values, self.cell(row, 0).data(ORIGINAL)))
            except ValidationError as exc:
                raise self._refuse(row, exc) from None
        return tuple(out)

    def cell(self, row: int, column: int) -> QTableWidgetItem:
        """The item of a cell: every cell of these tables holds one."""
        item = self.table.item(row, column)
        assert item is not None
        return item

    def point_at(self, row: int, column: int) -> None:
        self.table.setCurrentCell(row, column)
        self.table.scrollToItem(self.cell(row, column))
        self.table.setFocus()

    def clear(self) -> None:
        self.table.setRowCount(0)
        self._update_buttons()

    # --- for subclasses ------------------------------------------------------------------
    def build(self, values: dict[str, Any], original: Any) -> Any:
        raise NotImplementedError

    def describe_row(self, row: int, column: str, problem: str) -> str:
        raise NotImplementedError

    def item_changed(self, row: int, col: Col, item: QTableWidgetItem) -> None:
        """A person changed a cell (not the editor itself)."""

    def rows_changed(self) -> None:
        self._update_buttons()

    # --- inner workings ------------------------------------------------------------------
    def _append(self, values: dict[str, Any], original: Any) -> int:
        row = self.table.rowCount()
        self._quiet = True
        try:
            self.table.insertRow(row)
            for c, col in enumerate(self.columns):
                self.table.setItem(row, c, self._item(col, values.get(col.key)))
            self.cell(row, 0).setData(ORIGINAL, original)
        finally:
            self._quiet = False
        self.rows_changed()
        return row

    @staticmethod
    def _item(col: Col, value: Any) -> QTableWidgetItem:
        item = QTableWidgetItem()
        if col.kind == CHECK:
            flags = Qt.ItemFlag
            item.setFlags(flags.ItemIsEnabled | flags.ItemIsSelectable | flags.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, col.header)
        elif col.kind == CHOICE:
            code = value or col.choices[0][0]
            item.setData(CODE, code)
            item.setText(dict(col.choices).get(code, code))
        else:
            item.setText(value or "")
        return item

    def _blank(self, values: dict[str, Any]) -> bool:
        return all(not (values[col.key].strip() if col.kind == TEXT else values[col.key])
                   for col in self.columns if col.kind != CHOICE)

    def _refuse(self, row: int, exc: ValidationError) -> RowError:
        column = next((c for c, col in enumerate(self.columns) if col.key == exc.field), 0)
        problem = str(exc)
        if exc.field and problem.startswith(f"{exc.field}: "):  # the header names the field instead
            problem = problem[len(exc.field) + 2:]
        self._quiet = True
        try:
            item = self.cell(row, column)
            item.setBackground(PROBLEM_BACKGROUND)
            item.setToolTip(problem)
        finally:
            self._quiet = False
        return RowError(self.describe_row(row + 1, self.columns[column].header, problem), self, row, column)

    def clear_marks(self) -> None:
        self._quiet = True
        try:
            for row in range(self.table.rowCount()):
                for c in range(self.table.columnCount()):
                    item = self.cell(row, c)
                    item.setBackground(QBrush())
                    item.setToolTip("")
        finally:
            self._quiet = False

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._quiet:
            return
        self._quiet = True
        try:
            self.item_changed(item.row(), self.columns[item.column()], item)
        finally:
            self._quiet = False

    def _update_buttons(self) -> None:
        full = self.table.rowCount() >= self.limit
        self.add_button.setEnabled(not full)
        self.add_button.setToolTip(_("At most {limit} entries.").format(limit=self.limit) if full else "")
        self.remove_button.setEnabled(self.table.currentRow() >= 0)


class ContactsEditor(RowsEditor):
    """Contact points. "Safe to contact" and "Do not contact" exclude each other, so
    ticking one unticks the other: the form never offers the contradiction."""

    EXCLUSIVE: ClassVar[dict[str, str]] = {"safe_to_contact": "do_not_contact", "do_not_contact": "safe_to_contact"}

    def __init__(self, contacts: Iterable[ContactPoint] = (), parent: QWidget | None = None) -> None:
        super().__init__([
            Col("kind", _("Kind"), CHOICE, tuple((k.value, k.label) for k in ContactKind)),
            Col("value", _("Address, phone or email")),
            Col("safe_to_contact", _("Safe to contact"), CHECK),
            Col("do_not_contact", _("Do not contact"), CHECK),
            Col("note", _("Note")),
        ], name=_("Contact points"), add_text=_("Add contact"), remove_text=_("Remove contact"),
            limit=MAX_CONTACTS, parent=parent)
        self.note.setText(_("Documents only ever print an address or phone marked safe to contact."))
        self.load(contacts)

    def build(self, values: dict[str, Any], original: Any) -> ContactPoint:
        return ContactPoint(**values)

    def describe_row(self, row: int, column: str, problem: str) -> str:
        return _("Contact {row}, {column}: {problem}").format(row=row, column=column, problem=problem)

    def item_changed(self, row: int, col: Col, item: QTableWidgetItem) -> None:
        other = self.EXCLUSIVE.get(col.key)
        if other and item.checkState() == Qt.CheckState.Checked:
            column = next(c for c, x in enumerate(self.columns) if x.key == other)
            self.cell(row, column).setCheckState(Qt.CheckState.Unchecked)


class RelativesEditor(RowsEditor):
    """Relatives. "Include in outputs" starts unticked: a relative's name in a filing
    can reach the people the client fled, so including one is a choice someone makes."""

    def __init__(self, relatives: Iterable[Relative] = (), parent: QWidget | None = None) -> None:
        super().__init__([
            Col("name", _("Name")),
            Col("relationship", _("Relationship")),
            Col("location", _("Location")),
            Col("country", _("Country")),
            Col("status_in_canada", _("Status in Canada")),
            Col("in_country_of_origin", _("In country of origin"), CHECK),
            Col("include_in_outputs", _("Include in outputs"), CHECK),
            Col("notes", _("Notes")),
        ], name=_("Relatives"), add_text=_("Add relative"), remove_text=_("Remove relative"),
            limit=MAX_RELATIVES, parent=parent)
        self.load(relatives)

    def build(self, values: dict[str, Any], original: Any) -> Relative:
        return dataclasses.replace(original, **values) if isinstance(original, Relative) else Relative(**values)

    def describe_row(self, row: int, column: str, problem: str) -> str:
        return _("Relative {row}, {column}: {problem}").format(row=row, column=column, problem=problem)

    def item_changed(self, row: int, col: Col, item: QTableWidgetItem) -> None:
        self._show_warning()

    def rows_changed(self) -> None:
        super().rows_changed()
        self._show_warning()

    def _show_warning(self) -> None:
        risky = any(v["include_in_outputs"] and v["in_country_of_origin"]
                    for v in (self.values(r) for r in range(self.table.rowCount())))
        if risky:
            self.note.setText(_("A relative still in the country of origin is included in outputs: their name "
                                "in a filing can reach the people the client fled. Include them only if that "
                                "was decided with the client."))
            self.note.setStyleSheet("color: #b00020;")
        else:
            self.note.setText(_("Relatives stay out of every generated document unless “Include in outputs” "
                                "is ticked."))
            self.note.setStyleSheet("")

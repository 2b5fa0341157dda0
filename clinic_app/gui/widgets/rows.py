"""A read-only table model over plain rows, cleared in one call at lock."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[Any], str]
    tooltip: Callable[[Any], str] | None = None


class RowsModel(QAbstractTableModel):
    """Rows are any objects; columns say how to show them. `warn(row)` paints a row red."""

    def __init__(self, columns: Sequence[Column], parent: Any = None,
                 warn: Callable[[Any], bool] | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []
        self._warn = warn

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def update_rows(self, changed: dict[int, Any]) -> None:
        """Replace rows in place (row number -> new row), keeping the selection and scroll."""
        for number, row in changed.items():
            if 0 <= number < len(self._rows):
                self._rows[number] = row
                self.dataChanged.emit(self.index(number, 0), self.index(number, len(self._columns) - 1))

    def row(self, index: int) -> Any:
        return self._rows[index] if 0 <= index < len(self._rows) else None

    @property
    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.ForegroundRole and self._warn is not None and self._warn(row):
            return QBrush(QColor("#b00020"))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section].header
        return None


def fit_columns(table: Any, stretch: int) -> None:
    """Columns sized to their contents, with `stretch` taking the remaining width."""
    from PySide6.QtWidgets import QHeaderView

    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(False)


def rows_table(model: RowsModel, *, name: str, stretch: int, wrap: bool = False) -> Any:
    """A read-only table over `model`, one row selected at a time; with `wrap`, long texts
    wrap onto more lines (rows grow) instead of being cut short with "…"."""
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    fit_columns(table, stretch)
    if wrap:
        table.setWordWrap(True)
        table.setTextElideMode(Qt.TextElideMode.ElideNone)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def wrapping_list(name: str) -> Any:
    """A list whose long lines (pre-flight problems, import results) wrap at the list's width
    instead of running off its edge behind a scroll bar; rows re-wrap when it is resized."""
    from PySide6.QtWidgets import QListView, QListWidget

    view = QListWidget()
    view.setAccessibleName(name)
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return view


def cap_columns(table: Any, caps: dict[int, int]) -> None:
    """Size the columns in `caps` to their contents, but never wider than their cap (pixels),
    so the stretching column (a title) keeps room; longer texts end in "…" (full in a tooltip
    or the details beside). Call after the rows change; the person can still drag them wider."""
    from PySide6.QtWidgets import QHeaderView

    header = table.horizontalHeader()
    for column, cap in caps.items():
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        table.resizeColumnToContents(column)
        table.setColumnWidth(column, min(table.columnWidth(column), cap))

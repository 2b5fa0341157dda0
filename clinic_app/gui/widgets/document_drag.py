"""Dragging documents onto a checklist item: a list the matter's documents are dragged
from, and a checklist table that takes them (or files from the desktop) on a row.

Documents travel as their refs under Haven's own MIME type, so only Haven's lists can
drop them, and dropping names nothing but refs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QTableWidget

from clinic_app.gui.qtcompat import emit

DOCUMENT_MIME = "application/x-haven-document-refs"


def document_mime(refs: list[str]) -> QMimeData:
    data = QMimeData()
    data.setData(DOCUMENT_MIME, "\n".join(refs).encode("utf-8"))
    return data


def refs_of(mime: QMimeData) -> list[str]:
    if not mime.hasFormat(DOCUMENT_MIME):
        return []
    return [r for r in bytes(mime.data(DOCUMENT_MIME).data()).decode("utf-8").split("\n") if r]


class DocumentSource(QListWidget):
    """The matter's documents, to drag onto an item (each item's UserRole is its ref)."""

    def __init__(self) -> None:
        super().__init__()
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:  # noqa: N802 - Qt override
        return document_mime([str(i.data(Qt.ItemDataRole.UserRole)) for i in items])

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt override
        return [DOCUMENT_MIME]


class ChecklistTable(QTableWidget):
    """Checklist rows that take documents of the matter, or files, dropped on them."""

    documents_dropped = Signal(int, list)  # row, refs
    files_dropped = Signal(int, list)  # row, paths

    def __init__(self, rows: int, columns: int) -> None:
        super().__init__(rows, columns)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    @staticmethod
    def _wanted(mime: QMimeData) -> bool:
        return mime.hasFormat(DOCUMENT_MIME) or mime.hasUrls()

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if self._wanted(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if self._wanted(event.mimeData()) and self.rowAt(int(event.position().y())) >= 0:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        row = self.rowAt(int(event.position().y()))
        mime = event.mimeData()
        if row < 0:
            event.ignore()
            return
        refs = refs_of(mime)
        paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()] if not refs else []
        if not refs and not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.selectRow(row)
        if refs:
            emit(self.documents_dropped, row, refs)
        else:
            emit(self.files_dropped, row, paths)

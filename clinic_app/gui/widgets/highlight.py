"""A table cell that shows a search snippet with its matches in bold.

The search index marks matches (services/records.py `SearchResult.parts`); shown as
plain text they would need brackets, and a "[" in a document would look like one.
The cell's text (what screen readers and copy get) stays the plain snippet.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

Parts = tuple[tuple[str, bool], ...]


def parts_html(parts: Parts) -> str:
    """Escaped text with each match in <b>; whitespace kept on one line."""
    body = "".join(f"<b>{escape(text)}</b>" if match else escape(text) for text, match in parts)
    return f"<span style='white-space: pre'>{body}</span>"


class MatchDelegate(QStyledItemDelegate):
    """Paints the parts `parts_of(index)` gives; other cells as usual."""

    def __init__(self, parts_of: Callable[[QModelIndex | QPersistentModelIndex], Parts], parent: Any = None) -> None:
        super().__init__(parent)
        self.parts_of = parts_of

    def html(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return parts_html(self.parts_of(index))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        parts = self.parts_of(index)
        if not any(match for _text, match in parts):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)
        doc.setDocumentMargin(0)
        doc.setHtml(parts_html(parts))
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if opt.state & QStyle.StateFlag.State_Selected \
            else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(rect.left(), rect.top() + max(0.0, (rect.height() - doc.size().height()) / 2))
        painter.setClipRect(0, 0, rect.width(), rect.height())
        doc.documentLayout().draw(painter, context)
        painter.restore()

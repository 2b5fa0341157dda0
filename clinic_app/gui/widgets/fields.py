"""Turning form text into domain values, with errors a person can act on."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from clinic_app.errors import ValidationError
from clinic_app.i18n import _


def parse_date(text: str, field: str) -> date | None:
    """"" -> None; otherwise an ISO date (YYYY-MM-DD)."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("{value} is not a date: use YYYY-MM-DD").format(value=text[:20]),
                              field=field) from None


def show_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def split_list(text: str) -> tuple[str, ...]:
    """Names are separated by semicolons (a name may contain a comma: "Reyes, Ana")."""
    return tuple(part.strip() for part in text.split(";") if part.strip())


def join_list(values: tuple[str, ...] | list[str]) -> str:
    return "; ".join(values)


def line(text: str = "", *, name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setAccessibleName(name)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


def keep_hidden(widget: QWidget, owner: QWidget) -> None:
    """A field `owner` keeps but does not show: hidden, and its child, so Qt deletes it with
    `owner` on the GUI thread (a widget without a parent is Python's to free, and a
    garbage collection on another thread would free it there: gui/collector.py)."""
    widget.setParent(owner)
    widget.hide()


def choice(items: list[tuple[str, str]], *, name: str, current: str = "") -> QComboBox:
    """A combo of (code, label) pairs; `current` is a code."""
    combo = QComboBox()
    combo.setAccessibleName(name)
    for code, label in items:
        combo.addItem(label, code)
    index = combo.findData(current)
    if index >= 0:
        combo.setCurrentIndex(index)
    return combo


def clear_texts(root: QWidget) -> None:
    """Empty every line edit under `root` (used at lock, before the widgets are deleted)."""
    for edit in root.findChildren(QLineEdit):
        edit.clear()

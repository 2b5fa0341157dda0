"""The parts every form dialog shares: OK/Cancel (or Save/Cancel) wired to the dialog, a
vertical stack of its pieces, and a path field with its "Choose…" button. OK calls the
dialog's own check-and-save method, which decides whether to close, so a refused value
keeps the dialog open with its error shown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from clinic_app.i18n import _


def dialog_buttons(dialog: QDialog, accept: Callable[[], object], *, ok_text: str = "",
                   save: bool = False) -> QDialogButtonBox:
    """OK (or Save) and Cancel; `ok_text` renames the first. Cancel rejects the dialog."""
    first = QDialogButtonBox.StandardButton.Save if save else QDialogButtonBox.StandardButton.Ok
    buttons = QDialogButtonBox(first | QDialogButtonBox.StandardButton.Cancel)
    if ok_text:
        buttons.button(first).setText(ok_text)
    buttons.accepted.connect(accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def stack(dialog: QDialog, *parts: QWidget | QLayout) -> QVBoxLayout:
    """Lay `parts` (widgets or layouts) out top to bottom as the dialog's layout."""
    layout = QVBoxLayout(dialog)
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    return layout


def with_browse(edit: QLineEdit, choose: Callable[[], object], text: str = "") -> tuple[QHBoxLayout, QPushButton]:
    """A path field with its "Choose…" button beside it (the button opens the native dialog)."""
    browse = QPushButton(text or _("Choose…"))
    browse.clicked.connect(choose)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(browse)
    return row, browse

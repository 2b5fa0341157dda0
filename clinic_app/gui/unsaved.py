"""Asking before typed work is thrown away, as the lock asks (gui/lock_sequence.py).

Whatever replaces or closes a form with changes not saved asks first: Save, Discard
or Cancel where the form can be saved from there, else Discard or Cancel. Cancel is
the default button (Enter and Escape keep the changes), and anything but an explicit
Save or Discard keeps them too.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtWidgets import QMessageBox, QWidget

Answer = Literal["save", "discard", "cancel"]


def ask(parent: QWidget | None, title: str, text: str, *, can_save: bool = False) -> Answer:
    buttons = QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
    if can_save:
        buttons |= QMessageBox.StandardButton.Save
    answer = QMessageBox.question(parent, title, text, buttons, QMessageBox.StandardButton.Cancel)
    if can_save and answer == QMessageBox.StandardButton.Save:
        return "save"
    if answer == QMessageBox.StandardButton.Discard:
        return "discard"
    return "cancel"


def may_discard(parent: QWidget | None, title: str, text: str) -> bool:
    """True when the person chose to discard the changes (Discard / Cancel)."""
    return ask(parent, title, text) == "discard"

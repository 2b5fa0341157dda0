"""The one place errors become messages on screen.

Haven's own errors already carry a clear, translated message without client data;
anything else is reported by its kind only, like the command line does.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from clinic_app.domain.deadlines import RulesFileError
from clinic_app.errors import HavenError, ValidationError
from clinic_app.gui.field_labels import shown_error
from clinic_app.i18n import _


def describe(exc: BaseException, labels: Mapping[str, str] | None = None) -> str:
    """The message to show; a field a ValidationError names is given as the window labels it
    (`labels`: a page's own words for field names, see gui/field_labels.py)."""
    if isinstance(exc, RulesFileError):  # names the file, rule and field as written in the file
        return str(exc)
    if isinstance(exc, ValidationError):
        return shown_error(exc, labels)
    if isinstance(exc, HavenError):
        return str(exc)
    if isinstance(exc, OSError):
        return _("The file system refused: {reason}. Nothing was changed.").format(
            reason=exc.strerror or type(exc).__name__)
    return _("Something went wrong inside Haven ({kind}). Nothing was changed.").format(kind=type(exc).__name__)


class ErrorPresenter:
    """Shows an error as a window-modal message that the lock sequence can close."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.last: str = ""

    def __call__(self, exc: BaseException) -> None:
        self.last = describe(exc)
        if os.environ.get("HAVEN_GUI_DEBUG") == "1":  # developers only; never on by default
            traceback.print_exception(exc)
        box = QMessageBox(QMessageBox.Icon.Warning, _("Haven"), self.last, QMessageBox.StandardButton.Ok,
                          self.parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

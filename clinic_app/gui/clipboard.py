"""Copying identifiers without leaving them on the clipboard (KeePassXC's rules).

What Haven copies is marked as a secret for clipboard managers, cleared after
`CLEAR_AFTER_S` seconds and at lock or quit, but only if the clipboard still
holds Haven's value: something the user copied since is never touched.
"""

from __future__ import annotations

import hashlib
import sys

from PySide6.QtCore import QMimeData, QObject, QTimer
from PySide6.QtGui import QGuiApplication

CLEAR_AFTER_S = 20


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class SecureClipboard(QObject):
    def __init__(self, parent: QObject | None = None, clear_after_s: float = CLEAR_AFTER_S) -> None:
        super().__init__(parent)
        self._ours: bytes | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(clear_after_s * 1000))
        self._timer.timeout.connect(self._expire)

    def copy(self, text: str) -> None:
        mime = QMimeData()
        mime.setText(text)
        mime.setData("x-kde-passwordManagerHint", b"secret")
        if sys.platform == "win32":
            mime.setData("ExcludeClipboardContentFromMonitorProcessing", b"1")
        QGuiApplication.clipboard().setMimeData(mime)
        self._ours = _digest(text)
        self._timer.start()

    def _expire(self) -> None:  # slots return None: PySide mishandles returned bools
        self.clear_if_ours()

    @property
    def holds_ours(self) -> bool:
        return self._ours is not None and _digest(QGuiApplication.clipboard().text()) == self._ours

    def clear_if_ours(self) -> bool:
        """Clear the clipboard if it still holds what Haven put there; True if it did."""
        self._timer.stop()
        cleared = False
        if self.holds_ours:
            QGuiApplication.clipboard().clear()
            cleared = True
        self._ours = None
        return cleared

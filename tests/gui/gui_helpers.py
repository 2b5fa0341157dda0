"""Helpers shared by the GUI tests: unlocking, waiting, and the widget-tree text walk."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QComboBox, QPlainTextEdit, QStatusBar, QTabBar, QTextEdit,
)

from support import ADMIN, ADMIN_PASS

MARKER = "Zyxqwmarker"


def unlock(qtbot, window, user: str = ADMIN, passphrase: str = ADMIN_PASS) -> None:
    page = window.unlock_page
    page.user.setCurrentText(user)
    page.passphrase.setText(passphrase)
    page.unlock()
    qtbot.waitUntil(lambda: window.desk is not None, timeout=15000)
    wait_idle(qtbot, window)
    activate(qtbot, window)


def activate(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The offscreen platform drops window activation when the focused page is swapped out;
    a desktop's window manager keeps it. Keyboard tests re-activate before typing."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def bundles_page(window, matter_ref: str = "m-001"):  # type: ignore[no-untyped-def]
    """Open `matter_ref` in an unlocked window and show its bundles page."""
    window.open_matter(matter_ref)
    ws = window.desk.current_workspace()
    ws.setCurrentWidget(ws.bundles)
    return ws.bundles


def drop_on_documents(qtbot, window, paths, matter_ref: str = "m-001"):  # type: ignore[no-untyped-def]
    """Open `matter_ref`'s documents in an unlocked window and drop `paths` on its list,
    as a person drags files or folders from the desktop; returns the documents tab."""
    from pathlib import Path

    from PySide6.QtCore import QMimeData, QPoint, QUrl
    from PySide6.QtGui import QDropEvent

    window.open_matter(matter_ref)
    ws = window.desk.current_workspace()
    wait_idle(qtbot, window)
    ws.setCurrentWidget(ws.documents)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(Path(p))) for p in paths])
    ws.documents.table.dropEvent(QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime,
                                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))
    return ws.documents


def wait_idle(qtbot, window, timeout: int = 15000) -> None:
    qtbot.waitUntil(lambda: window.runner.pending == 0, timeout=timeout)


def _model_texts(model) -> Iterator[str]:  # type: ignore[no-untyped-def]
    def count(fn, parent: QModelIndex, default: int) -> int:  # type: ignore[no-untyped-def]
        try:
            return int(fn(parent))
        except TypeError:  # list models keep these private to Python
            return default

    def walk(parent: QModelIndex) -> Iterator[str]:
        for r in range(count(model.rowCount, parent, 0) if parent.isValid() else model.rowCount()):
            for c in range(max(1, count(model.columnCount, parent, 1))):
                index = model.index(r, c, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.EditRole):
                    value = model.data(index, role)
                    if isinstance(value, str):
                        yield value
                if c == 0 and index.isValid() and count(model.rowCount, index, 0) > 0:
                    yield from walk(index)

    yield from walk(QModelIndex())


def all_texts() -> list[str]:
    """Every string a person or a screen reader could get from any live widget."""
    texts: list[str] = []
    for w in QApplication.allWidgets():
        for name in ("text", "toolTip", "windowTitle", "placeholderText", "accessibleName",
                     "accessibleDescription", "statusTip", "whatsThis", "title"):
            fn = getattr(w, name, None)
            if callable(fn):
                try:
                    value = fn()
                except TypeError:
                    continue
                if isinstance(value, str):
                    texts.append(value)
        if isinstance(w, (QTextEdit, QPlainTextEdit)):
            texts.append(w.toPlainText())
        if isinstance(w, QComboBox):
            texts.extend(w.itemText(i) for i in range(w.count()))
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            texts.extend(_model_texts(w.model()))
        if isinstance(w, QTabBar):
            for i in range(w.count()):
                texts.extend([w.tabText(i), w.tabToolTip(i)])
        if isinstance(w, QStatusBar):
            texts.append(w.currentMessage())
        for action in w.actions():
            texts.extend([action.text(), action.toolTip()])
    texts.append(QGuiApplication.clipboard().text())
    return texts


def marker_visible(marker: str = MARKER) -> bool:
    return any(marker in t for t in all_texts())


def in_vault(qtbot, window, fn):  # type: ignore[no-untyped-def]
    """Run a service call `fn(session)` on the window's vault thread and return its result."""
    from clinic_app.gui.tasks import Op

    op = Op(window.runner, lambda job: fn(job.session)).run()
    qtbot.waitUntil(lambda: op.done, timeout=10000)
    assert op.error is None, op.error
    return op.result


def press_ok(dialog) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialogButtonBox

    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

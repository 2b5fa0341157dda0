"""The real window as tests drive it, shared by tests/gui and tests/sync (which also needs PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

import clinic_app.gui.qtcompat  # noqa: F401 - before any Qt call: see its docstring


@pytest.fixture
def make_window(qtbot, tmp_path: Path):
    """Build a MainWindow on `folder`; closes it (and its threads) at the end."""
    from clinic_app.gui.main_window import MainWindow
    from clinic_app.gui.settings import Settings

    made = []

    def make(folder: Path, autolock_seconds: int = 600):
        settings = Settings(tmp_path / "gui.ini")
        settings.autolock_seconds = autolock_seconds
        window = MainWindow(folder=folder, settings=settings, kdf_profile="fast")
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # keyboard focus needs an active window
        made.append(window)
        return window

    yield make
    for window in made:
        window.tear_down()  # no unsaved-edit question at teardown
        window.close()  # the real exit path: lock on the vault thread, then stop the threads


@pytest.fixture(autouse=True)
def _empty_clipboard_after(qapp):
    """Leave nothing on the clipboard: besides hygiene, a QMimeData still held by the
    offscreen clipboard at interpreter exit crashes PySide 6.12 during finalisation.

    Then delete the test's closed windows and collect its garbage here, on the GUI thread:
    left to a later test, a collection on one of its worker threads would free them there
    (clinic_app/gui/collector.py says why that crashes)."""
    yield
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().clear()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()

"""Qt objects are freed on the GUI thread only.

A worker once crashed in CI walking the top-level windows during a lock: a field kept
out of every layout had no parent, so Python owned it, and a garbage collection
triggered on the vault thread freed it there. These tests hold the two guards: every
widget the window makes has a parent, and while a window is open the cycle collector
runs on the GUI thread, whichever thread allocates.
"""

from __future__ import annotations

import gc
import threading
import weakref
from pathlib import Path

import shiboken6
from gui_helpers import unlock, wait_idle
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication


def _parentless() -> set[int]:
    return {id(w) for w in QApplication.topLevelWidgets() if w.parent() is None}


def test_every_widget_the_window_makes_has_a_parent(qtbot, make_window, marked_vault: Path) -> None:
    from clinic_app.gui.dialogs.bundle_settings import TabDetailsDialog

    before = _parentless()
    window = make_window(marked_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    ws = window.desk.current_workspace()
    for index in range(ws.count()):  # every page of the matter, the letters form among them
        ws.setCurrentIndex(index)
        wait_idle(qtbot, window)
    assert ws.letters.form.matter.parent() is ws.letters.form  # its matter is the tab's: kept, not shown
    details = TabDetailsDialog("Medical report", None, None, window)  # an ordinary tab: no citation shown
    assert details.citation.parent() is details and not details.citation.isVisibleTo(details)
    stray = [w for w in QApplication.topLevelWidgets()
             if w.parent() is None and w is not window and id(w) not in before]
    assert stray == [], [(type(w).__name__, w.accessibleName()) for w in stray]

    desk = window.desk
    window.lock_now()  # the desk goes, deleted by Qt on this thread rather than freed by Python
    assert window.desk is None and desk.parent() is window.stack
    qtbot.waitUntil(lambda: not shiboken6.isValid(desk), timeout=5000)


def test_garbage_is_collected_on_the_gui_thread_while_a_window_is_open(qtbot, make_window,
                                                                       marked_vault: Path) -> None:
    window = make_window(marked_vault)
    assert not gc.isenabled()  # the window's collector has taken over
    freed_on: list[str] = []
    cycle = QObject()
    cycle.me = cycle  # unreachable once dropped, yet never freed by reference counting
    watch = weakref.ref(cycle, lambda _ref: freed_on.append(threading.current_thread().name))
    del cycle

    def allocate() -> None:  # enough container objects to cross every collection threshold
        junk = []
        for i in range(200_000):
            pair: list[object] = [i]
            pair.append(pair)
            junk.append(pair)
        junk.clear()

    worker = threading.Thread(target=allocate, name="allocating-worker")
    worker.start()
    worker.join()
    assert watch() is not None and freed_on == []  # nothing was collected on the worker
    qtbot.waitUntil(lambda: freed_on != [], timeout=5000)
    assert freed_on == ["MainThread"]

    window.close()
    assert gc.isenabled()  # the last window closed: CPython collects again

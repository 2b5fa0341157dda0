"""Python's cycle collector, run on the GUI thread only (after pyqtgraph's GarbageCollector).

CPython runs a collection on whichever thread happens to allocate when a threshold
is crossed. When the garbage holds a Qt object that Python owns (a window, a
field kept out of every layout), Qt destroys it on that thread, the vault or
render thread, while the GUI thread may be walking the same list of widgets: a
segfault, rarely and anywhere (the lock sequence's walk of the top-level windows
crashed this way in CI). So while a window is open, automatic collection is off
and a timer on the GUI thread collects instead, generation by generation, at the
thresholds CPython would use.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class _Collector(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.holders = 0
        self.was_enabled = True
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(collect_due)


_collector: _Collector | None = None


def hold() -> None:
    """A window opened: collect on the GUI thread from now until the last one `release`s."""
    global _collector
    if _collector is None:
        _collector = _Collector()
    if _collector.holders == 0:
        _collector.was_enabled = gc.isenabled()
        gc.disable()
        _collector.timer.start()
    _collector.holders += 1


def release() -> None:
    """The window closed: the last one out collects what is left and hands back to CPython."""
    if _collector is None or _collector.holders == 0:
        return
    _collector.holders -= 1
    if _collector.holders == 0:
        _collector.timer.stop()
        gc.collect()
        if _collector.was_enabled:
            gc.enable()


def collect_due() -> None:
    """Collect the generations CPython would have collected by now (on the calling thread,
    which must be the GUI thread)."""
    t0, t1, t2 = gc.get_threshold()
    c0, c1, c2 = gc.get_count()
    if c0 > t0:
        gc.collect(0)
        if c1 > t1:
            gc.collect(1)
            if c2 > t2:
                gc.collect(2)

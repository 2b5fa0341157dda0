"""Work-arounds for a reference-counting bug of PySide6 6.12 on Python 3.11.

PySide6 6.12 returns `None` (from every method that returns nothing) and `True`
(from `Signal.emit()`) without taking a reference to them. Python 3.12 made those
objects immortal, so there it is harmless; on Python 3.11 each call takes one
reference too many, and after some thousands of calls the interpreter aborts with
"Fatal Python error: none_dealloc" or "bool_dealloc" (found by the GUI tests and
the latency benchmark; PySide6 6.11.3 does not do it). Until the dependency is
pinned below 6.12 (or Python 3.12 is required), `immortalise()` gives None, True
and False a reserve of references as large as 3.12's immortality, once, when the
bug is measured; `emit()` also gives back what each emit takes.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal

_leaks: bool | None = None


class _Probe(QObject):
    ping = Signal()


def _measure() -> bool:
    if sys.version_info >= (3, 12):
        return False
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    for _ in range(max(0, lost)):  # repair what the probe itself took
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return lost >= 8


_RESERVE = 1 << 40  # more calls than a process makes in centuries


def _leaks_none() -> bool:
    probe = _Probe()
    before = sys.getrefcount(None)
    for _ in range(8):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= 8


def immortalise() -> bool:
    """Top up the reference counts of None, True and False if this PySide drops them."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython" or not _leaks_none():
        return False
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += _RESERVE  # ob_refcnt is the first field
    return True


IMMORTALISED = immortalise()


def emit(signal: Any, *args: Any) -> None:
    """`signal.emit(*args)`, keeping Python's reference counts right."""
    global _leaks
    if _leaks is None:
        _leaks = _measure()
    result = signal.emit(*args)
    if _leaks and isinstance(result, bool):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))

"""Progress reporting and cancellation for long work, with no Qt.

Services take a `progress(done, total, label)` callable and a `CancelToken`.
The GUI adapts them to signals; the CLI prints or ignores them. Labels never
contain client data (they say "Importing file 3 of 40", not the file's name)
because the GUI may show them in places a bystander can read.
"""

from __future__ import annotations

import threading
from typing import Protocol

from clinic_app.errors import Cancelled


class Progress(Protocol):
    def __call__(self, done: int, total: int, label: str) -> None: ...


def no_progress(done: int, total: int, label: str) -> None:
    """A progress sink that ignores every report."""


class CancelToken:
    """Thread-safe cancellation flag checked by long-running work between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()

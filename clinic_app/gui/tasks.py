"""The vault thread, and the Op that every user action returns.

sqlite connections are bound to the thread that opened them, so one thread owns
the session from creation or unlock until lock and runs every service call, in
the order the actions were taken (a lock queued behind an import waits for it).
Page rendering uses a second thread so previews never hold up a save, and checking
that the clinic's server answers a third (gui/sync_status.py). Widgets
only ever see results: they cross back to the GUI thread through one queued
signal carrying plain data.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal

from clinic_app.domain.changes import Changes
from clinic_app.domain.progress import CancelToken
from clinic_app.errors import Cancelled, VaultLocked
from clinic_app.gui.qtcompat import emit


class VaultState:
    """What lives on the vault thread: the open session, or None when locked."""

    def __init__(self) -> None:
        self.session: Any = None

    def require(self) -> Any:
        if self.session is None or self.session.locked:
            raise VaultLocked()
        return self.session


class Job:
    """What a work function receives on its worker thread."""

    def __init__(self, state: VaultState, cancel: CancelToken, report: Callable[[int, int, str], None]) -> None:
        self.state = state
        self.cancel = cancel
        self.progress = report

    @property
    def session(self) -> Any:
        return self.state.require()


class Op:
    """One user action run in the background: chain `.success()`, `.failure()`,
    `.progress()`, then `.run()`. Without a failure handler errors go to the
    runner's presenter, the one place that shows them."""

    def __init__(self, runner: TaskRunner, work: Callable[[Job], Any], *, writes: bool = False,
                 pool: str = "vault") -> None:
        self.runner = runner
        self.work = work
        self.writes = writes
        self.pool = pool
        self.cancel = CancelToken()
        self.epoch = -1
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.initiator: object = None
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_progress: Callable[[int, int, str], None] | None = None

    def success(self, callback: Callable[[Any], None]) -> Op:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op:
        self._on_failure = callback
        return self

    def progress(self, callback: Callable[[int, int, str], None]) -> Op:
        self._on_progress = callback
        return self

    def by(self, initiator: object) -> Op:
        """Name the view that asked, so it can skip refreshing from its own change."""
        self.initiator = initiator
        return self

    def run(self) -> Op:
        self.runner.submit(self)
        return self


class TaskRunner(QObject):
    """Runs Ops on the vault thread (or the render or network thread) and delivers results."""

    changed = Signal(object, object)  # Changes, initiator
    finished = Signal(object)  # the Op, after its callbacks ran
    busy_changed = Signal(bool)
    _deliver = Signal(object, str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = VaultState()
        self._pools = {
            "vault": ThreadPoolExecutor(max_workers=1, thread_name_prefix="haven-vault"),
            "render": ThreadPoolExecutor(max_workers=1, thread_name_prefix="haven-render"),
            # waiting on the clinic's server (no vault): a slow network holds up neither saves nor previews
            "network": ThreadPoolExecutor(max_workers=1, thread_name_prefix="haven-network"),
        }
        self._deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)
        self.pending = 0
        self.writes_pending = 0
        self.epoch = 0
        self.presenter: Callable[[BaseException], None] = lambda exc: None
        self.stale_errors: list[BaseException] = []
        self.closed = False

    def submit(self, op: Op) -> None:
        if self.closed:  # after the window closed: nothing may reach the vault any more
            return
        op.epoch = self.epoch
        self.pending += 1
        self.writes_pending += int(op.writes)
        if self.pending == 1:
            emit(self.busy_changed, True)
        self._pools[op.pool].submit(self._execute, op)

    def new_epoch(self) -> None:
        """Called at lock: results of work queued before it no longer reach any view."""
        self.epoch += 1

    def _execute(self, op: Op) -> None:  # on a worker thread
        last = [0.0]

        def report(done: int, total: int, label: str) -> None:
            # at most ~20 updates a second: a bundle reports per page, and a flood of
            # queued signals would keep the event loop busy repainting the dialog
            now = time.monotonic()
            if done >= total or now - last[0] >= 0.05:
                last[0] = now
                emit(self._deliver, op, "progress", (done, total, label))

        job = Job(self._state, op.cancel, report)
        try:
            result = op.work(job)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            emit(self._deliver, op, "failed", exc)
        else:
            emit(self._deliver, op, "done", result)

    def _on_deliver(self, op: Op, kind: str, payload: Any) -> None:  # on the GUI thread
        stale = op.epoch != self.epoch
        if kind == "progress":
            if not stale and op._on_progress is not None:
                op._on_progress(*payload)
            return
        self.pending -= 1
        self.writes_pending -= int(op.writes)
        op.done = True
        try:
            if kind == "done":
                op.result = payload
                changes = payload if isinstance(payload, Changes) else getattr(payload, "changes", None)
                if not stale:
                    if isinstance(changes, Changes) and not changes.is_empty:
                        emit(self.changed, changes, op.initiator)
                    if op._on_success is not None:
                        op._on_success(payload)
            else:
                op.error = payload
                if stale:
                    if not isinstance(payload, (VaultLocked, Cancelled)):
                        self.stale_errors.append(payload)
                elif op._on_failure is not None:
                    op._on_failure(payload)
                else:
                    self.presenter(payload)
        finally:
            emit(self.finished, op)
            if self.pending == 0:
                emit(self.busy_changed, False)

    def shutdown(self) -> None:
        """Wait for queued work (the final lock among it), then stop the threads."""
        self.closed = True
        for pool in self._pools.values():
            pool.shutdown(wait=True)
        # Deliver what the threads sent last, so no queued signal outlives this object.
        QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)

"""Several parser children at once, one per core, each exactly as sandboxed as ever.

A batch of 200 files used one core while the other sat idle. Here each child is a
`sandbox.Worker` with the same limits as before (its own memory cap, CPU limit and
wall-clock timeout per job), driven by a thread of this process that mostly waits on
the child's pipe. Jobs carry a key and the lowest key runs first: callers number
files in the order the person gave them, so a file's OCR pages go before the next
file and results are ready roughly in the order they will be stored. A child starts
only when there is a job for it (one file starts one child), is recycled after
RECYCLE_AFTER_JOBS jobs, and is killed (with everything it started) when its job is
cancelled, times out, or the pool closes with work still running.
"""

from __future__ import annotations

import heapq
import itertools
import os
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinic_app.domain.progress import CancelToken
from clinic_app.errors import Cancelled
from clinic_app.intake import office
from clinic_app.intake.errors import ParseOutOfMemory
from clinic_app.intake.limits import MB, Limits
from clinic_app.intake.sandbox import Worker

RECYCLE_AFTER_JOBS = 200  # bounds slow leaks and fragmentation in a long-lived child
MAX_WORKERS = 8


def default_workers(memory_mb: int = 512) -> int:
    """One child per core this process may use, as many as half the RAM holds at their cap."""
    try:
        cores = len(os.sched_getaffinity(0))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        ram_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // MB
    except (AttributeError, ValueError, OSError):
        ram_mb = 0
    fits = max(1, ram_mb // 2 // memory_mb) if ram_mb else cores
    return max(1, min(cores, fits, MAX_WORKERS))


class _Either:
    """Cancelled when the job's own token or the pool's is (a Worker polls `.cancelled`)."""

    def __init__(self, *tokens: CancelToken | None) -> None:
        self._tokens = [t for t in tokens if t is not None]

    @property
    def cancelled(self) -> bool:
        return any(t.cancelled for t in self._tokens)


@dataclass(order=True)
class _Task:
    key: tuple[int, ...]
    seq: int
    job: dict[str, Any] = field(compare=False)
    payload: bytes | None = field(compare=False)
    cancel: CancelToken | None = field(compare=False)
    scratch: Path | None = field(compare=False)
    future: Future[tuple[Any, bytes]] = field(compare=False)


class Pool:
    """Runs jobs on up to `size` workers; `run` returns a future of the child's (header, pdf)."""

    def __init__(self, limits: Limits, size: int, *, allow_test_ops: bool = False) -> None:
        self.limits, self.size = limits, max(1, size)
        self._allow_test_ops = allow_test_ops
        self._cond = threading.Condition()
        self._queue: list[_Task] = []
        self._seq = itertools.count()
        self._threads: list[threading.Thread] = []
        self.workers: list[Worker] = []
        self._idle = 0
        self._closing = CancelToken()

    def run(self, key: tuple[int, ...], job: dict[str, Any], *, payload: bytes | None = None,
            cancel: CancelToken | None = None, scratch: Path | None = None) -> Future[tuple[Any, bytes]]:
        """Queue one job; the future raises WorkerDied, Cancelled, or gives (header, pdf)."""
        future: Future[tuple[Any, bytes]] = Future()
        with self._cond:
            if self._closing.cancelled:
                raise Cancelled()
            heapq.heappush(self._queue, _Task(key, next(self._seq), job, payload, cancel, scratch, future))
            if self._idle == 0 and len(self._threads) < self.size:
                self._add_worker()
            self._cond.notify()
        return future

    def _add_worker(self) -> None:
        worker = Worker(self.limits, allow_test_ops=self._allow_test_ops)
        thread = threading.Thread(target=self._serve, args=(worker,), name="haven-intake-pool", daemon=True)
        self.workers.append(worker)
        self._threads.append(thread)
        thread.start()

    def _next(self) -> _Task | None:
        with self._cond:
            self._idle += 1
            while not self._queue and not self._closing.cancelled:
                self._cond.wait()
            self._idle -= 1
            return None if self._closing.cancelled else heapq.heappop(self._queue)

    def _serve(self, worker: Worker) -> None:
        try:
            while (task := self._next()) is not None:
                if task.future.set_running_or_notify_cancel():
                    self._do(worker, task)
        finally:
            worker.stop()

    def _do(self, worker: Worker, task: _Task) -> None:
        cancel = _Either(task.cancel, self._closing)
        try:
            if cancel.cancelled:
                raise Cancelled()
            if worker.jobs_done >= RECYCLE_AFTER_JOBS:
                worker.stop()
            if not worker.running:
                worker.start()
            header, pdf = worker.request(task.job, self.limits.timeout_s, cancel,  # type: ignore[arg-type]
                                         payload=task.payload)
            if isinstance(header, dict) and header.get("key") == ParseOutOfMemory.key:
                worker.kill()  # a fresh heap for the next job
            task.future.set_result((header, pdf))
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits on the future
            task.future.set_exception(exc)
        finally:
            if task.scratch is not None:
                office.remove_scratch(task.scratch)

    def close(self) -> None:
        """Stop every child; jobs still queued or running end with Cancelled."""
        with self._cond:
            self._closing.cancel()
            queued, self._queue = self._queue, []
            self._cond.notify_all()
        for task in queued:
            if task.future.set_running_or_notify_cancel():
                task.future.set_exception(Cancelled())
            if task.scratch is not None:
                office.remove_scratch(task.scratch)
        for thread in self._threads:
            thread.join()

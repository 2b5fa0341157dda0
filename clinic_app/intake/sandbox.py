"""Parent side of the sandbox: one long-lived parser child, killed and replaced at will.

Starting a Python child costs about half a second, so a batch of 200 files reuses
one. The parent never trusts it: every job has a wall-clock deadline, after which
the child's whole process group (the child and any Tesseract or LibreOffice it
started) is killed with SIGKILL and a fresh child is started for the next job. A
child that dies on its own (native crash, CPU limit, out-of-memory kill) is noticed
through the pipe and replaced the same way. The answer is size-capped raw bytes.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from typing import Any

from clinic_app.domain.progress import CancelToken
from clinic_app.errors import Cancelled
from clinic_app.intake.limits import MB, Limits
from clinic_app.intake.worker import worker_main

STARTUP_TIMEOUT_S = 60.0  # a cold start on a slow laptop with antivirus scanning
POLL_S = 0.05
MAX_HEADER_MB = 64  # 5 million characters of text, as UTF-8 JSON


class WorkerDied(Exception):
    """The child did not answer: `kind` is "timeout", "memory", "crashed" or "too_big"."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class Worker:
    """One parser child process and the pipe to it. Not thread-safe: the caller locks."""

    def __init__(self, limits: Limits, *, allow_test_ops: bool = False) -> None:
        self._limits = limits
        self._allow_test_ops = allow_test_ops
        self._process: Any = None
        self._conn: Any = None
        self.jobs_done = 0

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def start(self) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt
        parent_end, child_end = context.Pipe(duplex=True)
        process = context.Process(
            target=worker_main,
            args=(child_end, self._limits.to_dict(), self._allow_test_ops),
            name="haven-intake",
            daemon=True,
        )
        process.start()
        child_end.close()
        self._process, self._conn, self.jobs_done = process, parent_end, 0
        try:
            header, _pdf = self._receive(time.monotonic() + STARTUP_TIMEOUT_S, None)
        except WorkerDied:
            self.kill()
            raise WorkerDied("crashed") from None
        if not (isinstance(header, dict) and header.get("ready") is True):
            self.kill()
            raise WorkerDied("crashed")

    def request(
        self, job: dict[str, Any], timeout_s: float, cancel: CancelToken | None = None,
        payload: bytes | None = None,
    ) -> tuple[Any, bytes]:
        """Send one job (and the bytes it works on, if any) and wait for its answer,
        killing the child at the deadline."""
        import json

        if not self.running:
            self.kill()
            self.start()
        message = json.dumps({**job, "payload": True} if payload is not None else job,  # a non-UTF-8 name too
                             ensure_ascii=False).encode("utf-8", "surrogatepass")
        try:
            self._send(message, payload)
        except OSError:  # the idle child died since the last job: one fresh start
            self.kill()
            self.start()
            self._send(message, payload)
        answer = self._receive(time.monotonic() + timeout_s, cancel)
        self.jobs_done += 1
        return answer

    def _send(self, message: bytes, payload: bytes | None) -> None:
        self._conn.send_bytes(message)
        if payload is not None:
            self._conn.send_bytes(payload)

    def _receive(self, deadline: float, cancel: CancelToken | None) -> tuple[Any, bytes]:
        """The child's (header, pdf) answer, within the deadline."""
        import json

        raw = self._receive_one(deadline, cancel, MAX_HEADER_MB * MB)
        pdf = self._receive_one(deadline, cancel, self._limits.max_result_mb * MB)
        try:
            return json.loads(raw.decode("utf-8", "surrogatepass")), pdf
        except ValueError:
            self.kill()
            raise WorkerDied("crashed") from None

    def _receive_one(self, deadline: float, cancel: CancelToken | None, max_bytes: int) -> bytes:
        while True:
            if cancel is not None and cancel.cancelled:
                self.kill()
                raise Cancelled()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise WorkerDied("timeout")
            try:
                if self._conn.poll(min(POLL_S, remaining)):
                    return bytes(self._conn.recv_bytes(max_bytes))
            except (EOFError, ConnectionError):
                raise WorkerDied(self._death_kind()) from None
            except OSError:  # the message is larger than max_bytes
                self.kill()
                raise WorkerDied("too_big") from None

    def _death_kind(self) -> str:
        process = self._process
        if process is not None:
            process.join(2)
        code = process.exitcode if process is not None else None
        self.kill()
        if code == -getattr(signal, "SIGXCPU", 24):
            return "timeout"
        if code == -getattr(signal, "SIGKILL", 9):
            return "memory"  # the kernel's out-of-memory killer; our own kills return earlier
        return "crashed"

    def kill(self) -> None:
        """Kill the child and everything it started; safe to call at any time."""
        process, self._process = self._process, None
        conn, self._conn = self._conn, None
        if process is not None:
            if hasattr(os, "killpg"):
                try:  # the child leads its own group: this also ends Tesseract or LibreOffice
                    os.killpg(process.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass  # not yet its own group leader, or the group is gone
            if process.is_alive():
                process.kill()
            process.join(5)
            if not process.is_alive():
                process.close()
        if conn is not None:
            conn.close()

    def stop(self) -> None:
        """Ask the child to exit, then make sure it has."""
        if self.running:
            try:
                self._conn.send_bytes(b'{"op": "stop"}')
                self._process.join(2)
            except (OSError, ValueError):
                pass
        self.kill()

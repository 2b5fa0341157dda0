"""Build a bundle in a child process, for the desktop app.

qpdf and reportlab hold the GIL through long calls (saving a 40 MB bundle takes
about 0.1 s in one call), so a build on a thread of the window's process makes the
window stutter. Here the vault thread prepares the build (permissions, the project,
which blob holds each document), a spawned child reads the working copies over its
own read-only connection and runs the engine, and the vault thread records the
audit entry. The child also keeps qpdf's parsing of documents out of the process
that holds the window.

The child gets the data key over the pipe, never on disk or its command line; it
refuses core dumps like the parent, stops when the parent dies, and reports
progress at most 20 times a second. Its errors come back with their type and
message, so the window shows the same text an in-process build would.
"""

from __future__ import annotations

import importlib
import multiprocessing
import multiprocessing.connection
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

from clinic_app.domain.progress import CancelToken, Progress, no_progress
from clinic_app.errors import Cancelled, HavenError
from clinic_app.i18n import _
from clinic_app.pdf.engine import BuildResult
from clinic_app.services import bundles
from clinic_app.services.session import Session
from clinic_app.vault.reader import ReaderSource

STARTUP_TIMEOUT_S = 60.0  # a cold start on a slow laptop with antivirus scanning
CANCEL_GRACE_S = 30.0  # after a cancel, how long the child may take to remove its temp file
POLL_S = 0.05
PROGRESS_EVERY_S = 0.05


class BuildStopped(HavenError):
    def __init__(self) -> None:
        super().__init__(_("The bundle build stopped unexpectedly. Nothing was written. Try again."))


def build_in_child(session: Session, bundle_ref: str, out_path: Path, *, progress: Progress = no_progress,
                   cancel: CancelToken | None = None, today: date | None = None) -> BuildResult:
    """`bundles.build`, with the engine in a child process (same result, same errors)."""
    order = bundles.prepare_build(session, bundle_ref, today=today)
    result = run_in_child(order, session.vault.reader_source(), Path(out_path), progress, cancel)
    bundles.record_build(session, bundle_ref, result)
    return result


def run_in_child(order: bundles.BuildOrder, reader: ReaderSource, out_path: Path, progress: Progress,
                 cancel: CancelToken | None) -> BuildResult:
    from clinic_app.i18n import current_language

    context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt
    stop = context.Event()
    parent_end, child_end = context.Pipe(duplex=True)
    process = context.Process(target=_child_main, args=(child_end, stop), name="haven-build", daemon=True)
    process.start()
    child_end.close()
    try:
        parent_end.send({"order": order, "reader": reader, "out": str(out_path), "language": current_language()})
        return _wait(process, parent_end, stop, progress, cancel)
    finally:
        parent_end.close()
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()


def _wait(process: Any, conn: Any, stop: Any, progress: Progress, cancel: CancelToken | None) -> BuildResult:
    started = time.monotonic()
    cancelled_at: float | None = None
    ready = False
    while True:
        if cancel is not None and cancel.cancelled and cancelled_at is None:
            stop.set()
            cancelled_at = time.monotonic()
        if conn.poll(POLL_S):
            try:
                kind, *payload = conn.recv()
            except (EOFError, OSError):
                raise BuildStopped() from None
            if kind == "ready":
                ready = True
            elif kind == "progress":
                progress(*payload)
            elif kind == "done":
                return payload[0]
            elif kind == "error":
                raise _rebuild_error(*payload)
            continue
        if not process.is_alive():
            raise BuildStopped()
        now = time.monotonic()
        if (not ready and now - started > STARTUP_TIMEOUT_S) or (
                cancelled_at is not None and now - cancelled_at > CANCEL_GRACE_S):
            process.kill()
            if cancelled_at is not None:
                raise Cancelled()
            raise BuildStopped()


def _rebuild_error(module: str, qualname: str, message: str, attrs: dict[str, Any]) -> BaseException:
    """The child's error as the same type with the same message (no constructor runs)."""
    if module.startswith("clinic_app."):
        try:
            cls = getattr(importlib.import_module(module), qualname)
        except (ImportError, AttributeError):
            cls = None
        if isinstance(cls, type) and issubclass(cls, HavenError):
            error = cls.__new__(cls)
            Exception.__init__(error, message)
            for name, value in attrs.items():
                setattr(error, name, value)
            return error
    return BuildStopped()


# --- the child ----------------------------------------------------------------------------


class _SharedCancel(CancelToken):
    """A CancelToken over a multiprocessing Event, set by the parent (or by its death)."""

    def __init__(self, event: Any) -> None:  # the event replaces the thread-local one
        self._event = event


def _child_main(conn: Any, stop: Any) -> None:
    """Entry point of the spawned child: receive one job, build, answer, exit."""
    from clinic_app.allocator import use_one_arena
    from clinic_app.hardening import harden_process
    from clinic_app.i18n import set_language
    from clinic_app.temp_journal import sweep

    harden_process()
    use_one_arena()  # before the reader thread: see clinic_app/allocator.py
    sweep()  # like every Haven process at start: temp files of killed writers
    _stop_with_parent(stop)
    try:
        job = conn.recv()
    except (EOFError, OSError):
        return
    set_language(job["language"])
    conn.send(("ready",))
    last = [0.0]

    def report(done: int, total: int, label: str) -> None:
        now = time.monotonic()
        if done >= total or now - last[0] >= PROGRESS_EVERY_S:
            last[0] = now
            try:
                conn.send(("progress", done, total, label))
            except OSError:
                stop.set()  # nobody is listening any more

    try:
        result = bundles.run_build(job["order"], job["reader"], Path(job["out"]), progress=report,
                                   cancel=_SharedCancel(stop))
        answer: tuple[Any, ...] = ("done", result)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        answer = ("error", *_describe(exc))
    try:
        conn.send(answer)
    except OSError:
        pass  # the parent is gone: the build was cancelled and its temp file removed
    finally:
        conn.close()


def _describe(exc: BaseException) -> tuple[str, str, str, dict[str, Any]]:
    """Type, message and plain attributes of a user-facing error; nothing else crosses."""
    if isinstance(exc, HavenError):
        attrs = {k: v for k, v in vars(exc).items() if isinstance(v, str | int | float | bool)}
        return type(exc).__module__, type(exc).__qualname__, str(exc), attrs
    return "", type(exc).__name__, "", {}


def _stop_with_parent(stop: Any) -> None:
    """If the window's process dies, cancel: the engine then removes its temp file."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        stop.set()

    threading.Thread(target=watch, name="haven-build-watch", daemon=True).start()

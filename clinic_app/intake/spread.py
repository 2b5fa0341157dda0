"""One file through the worker pool, its OCR pages spread over every free worker.

A scanned 30-page declaration was recognised page after page by one child (about a
second a page) while the others had nothing to do. Now the file is parsed by one
worker; when more than one page needs OCR, that worker stops before OCR and hands
back the working copy; its pages go out in small parts to whichever workers are
free (before any later file: they share the file's place in the queue); and one
worker lays the recognised pages over the working copy, exactly as a single worker
does (pipeline.finish_ocr), so the stored bytes and text are the same however many
workers there were. Each job keeps the sandbox's limits. A part whose worker died
or ran out of time leaves its pages unrecognised, with the usual warning: OCR is a
bonus, the file still imports.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from clinic_app.domain.progress import CancelToken
from clinic_app.errors import Cancelled
from clinic_app.intake.errors import FileTooLarge, IntakeError, ParseOutOfMemory, ParseTimeout, ReaderCrashed, error_from_child
from clinic_app.intake.limits import OCR_SHARE_OF_TIMEOUT, Limits
from clinic_app.intake.pool import Pool
from clinic_app.intake.sandbox import WorkerDied

PARTS_PER_WORKER = 4  # enough parts to keep every worker busy to the end
MAX_PAGES_PER_PART = 8  # within a job's OCR time at a few seconds a page
PARSE, OCR, FINISH = 0, 1, 2  # stages: within a file, in this order in the queue


def pages_per_part(pages: int, workers: int) -> int:
    """Small parts balance the workers; but each part is sent the whole working copy, so a
    long scan is cut into a few parts per worker, of at most MAX_PAGES_PER_PART pages."""
    return max(2, min(MAX_PAGES_PER_PART, -(-pages // (PARTS_PER_WORKER * workers))))


def error_for_death(kind: str, name: str, limits: Limits) -> IntakeError:
    if kind == "timeout":
        return ParseTimeout(name, seconds=round(limits.timeout_s))
    if kind == "memory":
        return ParseOutOfMemory(name, limit_mb=limits.memory_mb)
    if kind == "too_big":
        return FileTooLarge(name, limit_mb=limits.max_result_mb)
    return ReaderCrashed(name)


def answer(future: Future[tuple[Any, bytes]], name: str, limits: Limits) -> tuple[dict[str, Any], bytes]:
    """The child's answer, or the refusal (an IntakeError naming the file) it stands for."""
    try:
        header, pdf = future.result()
    except WorkerDied as died:
        raise error_for_death(died.kind, name, limits) from None
    if isinstance(header, dict) and header.get("ok") is True:
        return header, pdf
    fields = header if isinstance(header, dict) else {}
    raise error_from_child(fields.get("key"), fields.get("params"), name)


class FileParse:
    """Drives one file's jobs; `result` resolves to `build(header, pdf, name)` or an error."""

    def __init__(self, pool: Pool, order: int, name: str, cancel: CancelToken | None,
                 build: Callable[[dict[str, Any], bytes, str], Any]) -> None:
        self._pool, self._order, self._name, self._cancel, self._build = pool, order, name, cancel, build
        self.result: Future[Any] = Future()
        self._lock = threading.Lock()
        self._sha256 = ""
        self._elapsed = 0.0
        self._started = 0.0  # when the parse job began running (a queued file has not begun)

    def start(self, job: dict[str, Any], scratch: Any) -> Future[Any]:
        first = self._pool.run((self._order, PARSE, 0), job, cancel=self._cancel, scratch=scratch)
        first.add_done_callback(self._parsed)
        return self.result

    def _step(self, then: Callable[[], None]) -> None:
        try:
            then()
        except (KeyError, TypeError, ValueError):  # an answer not shaped as ours: from a broken child
            self._fail(ReaderCrashed(self._name))
        except BaseException as exc:  # noqa: BLE001 - the caller waiting on `result` gets it
            self._fail(exc)

    def _fail(self, exc: BaseException) -> None:
        if not self.result.done():
            self.result.set_exception(exc)

    def _parsed(self, future: Future[tuple[Any, bytes]]) -> None:
        def then() -> None:
            header, pdf = answer(future, self._name, self._pool.limits)
            self._sha256 = str(header.get("sha256", ""))
            self._elapsed += float(header.get("elapsed_s", 0.0))
            self._started = time.monotonic() - float(header.get("elapsed_s", 0.0))
            if header.get("stage") == "ocr":
                self._spread(header["state"], pdf)
            else:
                self._finished(header, pdf)

        self._step(then)

    def _spread(self, state: dict[str, Any], working: bytes) -> None:
        todo = [int(i) for i in state["todo"]]
        size = pages_per_part(len(todo), self._pool.size)
        parts = [todo[i:i + size] for i in range(0, len(todo), size)]
        # the file's OCR ends when one worker's would have (its share of the file's time, parse
        # included), however many parts it was cut into: pages not reached stay unrecognised
        until = self._started + self._pool.limits.timeout_s * OCR_SHARE_OF_TIMEOUT
        futures = [self._pool.run((self._order, OCR, n), {"op": "ocr", "pages": part, "until": until},
                                  payload=working, cancel=self._cancel) for n, part in enumerate(parts)]
        left = [len(futures)]

        def one_done(_future: Future[tuple[Any, bytes]]) -> None:
            with self._lock:
                left[0] -= 1
                if left[0]:
                    return
            self._step(lambda: self._finish(state, working, futures))

        for future in futures:
            future.add_done_callback(one_done)

    def _finish(self, state: dict[str, Any], working: bytes, futures: list[Future[tuple[Any, bytes]]]) -> None:
        found: list[list[int]] = []
        pages: list[bytes] = []
        for future in futures:
            try:
                header, data = answer(future, self._name, self._pool.limits)
            except Cancelled:
                raise
            except IntakeError:
                continue  # that part's pages stay unrecognised (finish_ocr warns)
            self._elapsed += float(header.get("elapsed_s", 0.0))
            at = 0
            for index, length in header.get("found", []):
                found.append([int(index), int(length)])
                if length >= 0:
                    pages.append(data[at:at + length])
                    at += length
        job = {"op": "finish", "state": state, "found": found, "working": len(working)}
        last = self._pool.run((self._order, FINISH, 0), job, payload=working + b"".join(pages),
                              cancel=self._cancel)
        last.add_done_callback(lambda f: self._step(lambda: self._spread_done(*answer(f, self._name,
                                                                                       self._pool.limits))))

    def _spread_done(self, header: dict[str, Any], pdf: bytes) -> None:
        elapsed = self._elapsed + float(header.get("elapsed_s", 0.0))
        self._finished({**header, "sha256": self._sha256, "elapsed_s": round(elapsed, 3)}, pdf)

    def _finished(self, header: dict[str, Any], pdf: bytes) -> None:
        self.result.set_result(self._build(header, pdf, self._name))

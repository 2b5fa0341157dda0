"""Read documents' working copies ahead of the bundle engine, on a second connection.

Decrypting a working copy (AES and HMAC per SQLCipher page, then SHA-256 of the
whole) releases the GIL, so a helper thread can do it while the engine copies and
stamps the previous document: for a 1,000-page bundle this hides most of the
vault's cost. The helper holds at most `budget` bytes that nobody has asked for yet;
a document asked for out of order (or a second time) is read next, ahead of the
rest. Errors are raised to the caller of `get`, as a direct read would.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import threading
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType

from clinic_app.vault import blobs
from clinic_app.vault.connection import Connection

DEFAULT_BUDGET = 32 * 1024 * 1024


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector out of a build: the build makes no cycles to speak
    of, but a full collection walks every object of the process, the vault's included
    (measured: 0.331 s -> 0.315 s and 0.393 s -> 0.353 s for a 1,000-page build)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class Prefetcher:
    def __init__(self, connect: Callable[[], Connection], blob_ids: dict[str, int], order: Iterable[str],
                 budget: int = DEFAULT_BUDGET) -> None:
        self._connect = connect
        self._blob_ids = dict(blob_ids)
        self._wanted: collections.deque[str] = collections.deque(r for r in order if r in self._blob_ids)
        self._ready: dict[str, bytes | BaseException] = {}
        self._held = 0
        self._asked: str | None = None
        self._stop = False
        self._failure: BaseException | None = None
        self._budget = budget
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="haven-prefetch", daemon=True)
        self._thread.start()

    def get(self, ref: str) -> bytes:
        """The working copy of `ref`, waiting for the helper if it is still reading it."""
        if ref not in self._blob_ids:
            raise KeyError(ref)
        with self._cond:
            if ref not in self._ready:
                if ref in self._wanted:
                    self._wanted.remove(ref)
                self._wanted.appendleft(ref)
                self._asked = ref
                self._cond.notify_all()
                while ref not in self._ready and self._thread.is_alive():
                    self._cond.wait()
                self._asked = None
            item = self._ready.pop(ref, None)
            if isinstance(item, bytes):
                self._held -= len(item)
            self._cond.notify_all()
        if item is None:
            raise self._failure or RuntimeError("the document reader stopped")
        if isinstance(item, BaseException):
            raise item
        return item

    def close(self) -> None:
        with self._cond:
            self._stop = True
            self._ready.clear()
            self._held = 0
            self._cond.notify_all()
        self._thread.join()

    def __enter__(self) -> Prefetcher:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _next(self) -> str | None:
        """The next ref to read, once the budget allows (or someone is waiting for it)."""
        with self._cond:
            while not self._stop:
                if self._wanted and (self._held < self._budget or self._wanted[0] == self._asked):
                    ref = self._wanted.popleft()
                    if ref not in self._ready:
                        return ref
                    continue
                self._cond.wait()
            return None

    def _run(self) -> None:
        conn: Connection | None = None
        try:
            conn = self._connect()
            while (ref := self._next()) is not None:
                item: bytes | BaseException
                try:
                    item = blobs.read_all(conn, self._blob_ids[ref])
                except Exception as exc:  # handed to the caller of get()
                    item = exc
                with self._cond:
                    if self._stop:
                        return
                    self._ready[ref] = item
                    if isinstance(item, bytes):
                        self._held += len(item)
                    self._cond.notify_all()
        except Exception as exc:  # could not even connect: every waiting get() sees why
            with self._cond:
                self._failure = exc
                self._cond.notify_all()
        finally:
            if conn is not None:
                conn.close()
            with self._cond:
                self._cond.notify_all()

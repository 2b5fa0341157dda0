"""Read documents' working copies ahead of the bundle engine, on a second connection.

Decrypting a working copy (AES and HMAC per SQLCipher page, then SHA-256 of the
whole) releases the GIL, so a helper thread can do it while the engine copies and
stamps the previous document: for a 1,000-page bundle this hides most of the
vault's cost. The helper streams every copy through one statement, holding at most
`budget` bytes that nobody has asked for yet; a document asked for out of order (or
a second time) is read on its own, ahead of the rest. Errors are raised to the
caller of `get`, as a direct read would.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from types import TracebackType

from clinic_app.vault import blobs
from clinic_app.vault.connection import Connection

DEFAULT_BUDGET = 8 * 1024 * 1024  # a few documents ahead of the engine, which closes each once copied


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


@contextlib.contextmanager
def quick_handover(interval: float = 0.0002) -> Iterator[None]:
    """Let the reader thread take the GIL sooner. It needs the GIL once per row it reads;
    at the default 5 ms switch interval, reading 150 working copies took 0.12 s alone
    but 0.25-0.43 s beside the engine, mostly spent waiting for the GIL."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, interval))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


class Prefetcher:
    """Serves `get(ref)` from one streaming read of every working copy, in `order`.

    The stream (see `blobs.read_many`) runs ahead while the unclaimed bytes stay under
    `budget`; a ref asked for out of order, or a second time, is read on its own at once.
    """

    def __init__(self, connect: Callable[[], Connection], blob_ids: dict[str, int], order: Iterable[str],
                 budget: int = DEFAULT_BUDGET) -> None:
        self._connect = connect
        self._blob_ids = dict(blob_ids)
        self._refs_of: dict[int, list[str]] = {}  # one blob may hold several documents' bytes
        for ref in dict.fromkeys(r for r in order if r in self._blob_ids):
            self._refs_of.setdefault(self._blob_ids[ref], []).append(ref)
        self._stream_order = list(self._refs_of)
        self._streamed = 0  # blobs of `_stream_order` the stream has yielded
        self._ready: dict[str, bytes | BaseException] = {}
        self._served: set[str] = set()
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
                self._asked = ref
                self._cond.notify_all()
                while ref not in self._ready and self._thread.is_alive():
                    self._cond.wait()
                self._asked = None
            item = self._ready.pop(ref, None)
            self._served.add(ref)
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

    def _next_task(self) -> str | object | None:
        """`_STREAM` to take the stream's next blob, a ref to read on its own, or None to stop."""
        with self._cond:
            while not self._stop:
                upcoming = self._stream_order[self._streamed] if self._streamed < len(self._stream_order) else None
                asked = self._asked
                if asked is not None and asked not in self._ready:
                    return _STREAM if upcoming == self._blob_ids[asked] else asked
                if upcoming is not None and self._held < self._budget:
                    return _STREAM
                self._cond.wait()
            return None

    def _deliver(self, refs: Iterable[str], item: bytes | BaseException) -> None:
        with self._cond:
            if self._stop:
                return
            for ref in refs:
                if ref in self._ready or (ref in self._served and ref != self._asked):
                    continue  # nobody will ask for these bytes again
                self._ready[ref] = item
                if isinstance(item, bytes):
                    self._held += len(item)
            self._cond.notify_all()

    def _run(self) -> None:
        conn: Connection | None = None
        stream: Generator[tuple[int, bytes | Exception], None, None] | None = None
        try:
            conn = self._connect()
            stream = blobs.read_many(conn, self._stream_order)
            while (task := self._next_task()) is not None:
                if task is _STREAM:
                    blob_id, item = next(stream)
                    self._streamed += 1
                    self._deliver(self._refs_of[blob_id], item)
                else:
                    assert isinstance(task, str)
                    self._deliver([task], blobs.read_or_error(conn, self._blob_ids[task]))
        except Exception as exc:  # could not even connect: every waiting get() sees why
            with self._cond:
                self._failure = exc
                self._cond.notify_all()
        finally:
            if stream is not None:
                stream.close()
            if conn is not None:
                conn.close()
            with self._cond:
                self._cond.notify_all()


_STREAM = object()  # the task "take the stream's next blob"

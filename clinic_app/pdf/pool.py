"""Open sources, a bounded number of bytes of them at a time.

qpdf copies a page's objects at once but reads their stream data from the source only
when the bundle is saved, so a source must stay open until then, or its stream data
must first be copied into the bundle ("detached"). The pool keeps sources open while
their total size is under `budget` (so a typical bundle opens each source once and never
copies stream data twice) and detaches and closes them when it goes over (so a
5,000-page bundle holds at most `budget` bytes of sources plus the output itself).
Sources opened to count pages are kept for the copy when they fit in the budget.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

import pikepdf

from clinic_app.errors import HavenError, VaultDamaged
from clinic_app.pdf import sources
from clinic_app.pdf.errors import SourceEncrypted, SourceMissing, SourceUnreadable

SourceFn = Callable[[str], "BinaryIO | bytes"]
DEFAULT_BUDGET = 64 * 1024 * 1024  # a typical bundle never detaches; 5,000 pages from the vault peak under 600 MB


@dataclass(frozen=True)
class SourceFacts:
    page_count: int
    size: int


@dataclass
class Opened:
    pdf: pikepdf.Pdf
    stream: BinaryIO
    size: int

    def close(self) -> None:
        self.pdf.close()
        self.stream.close()


def _fetch(fetch: SourceFn, doc_id: str, where: str) -> tuple[BinaryIO, int]:
    """The caller's bytes or stream as a seekable stream, and its size."""
    try:
        data = fetch(doc_id)
    except VaultDamaged:
        raise  # damage is not "missing": the user must restore, not re-import
    except (KeyError, LookupError, FileNotFoundError, HavenError) as exc:
        raise SourceMissing(where) from exc
    if data is None:
        raise SourceMissing(where)
    if isinstance(data, bytes | bytearray | memoryview):
        stream: BinaryIO = io.BytesIO(bytes(data))
    elif getattr(data, "seekable", lambda: False)():
        stream = data
    else:
        with contextlib.closing(data):
            stream = io.BytesIO(data.read())
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    return stream, size


def open_source(fetch: SourceFn, doc_id: str, where: str) -> Opened:
    """Fetch and open one source; every failure becomes a clear, client-data-free error."""
    stream, size = _fetch(fetch, doc_id, where)
    try:
        pdf = pikepdf.open(stream)
    except pikepdf.PasswordError as exc:
        stream.close()
        raise SourceEncrypted(where) from exc
    except Exception as exc:  # qpdf raises many kinds on damaged input
        stream.close()
        raise SourceUnreadable(where) from exc
    return Opened(pdf, stream, size)


class SourcePool:
    def __init__(self, fetch: SourceFn, budget: int | None = None) -> None:
        self.fetch = fetch
        self.budget = DEFAULT_BUDGET if budget is None else budget
        self._spare: dict[str, Opened] = {}  # opened to count pages, not used yet
        self._live: list[Opened] = []  # pages copied from them still read their data
        self._held = 0
        self._dest: pikepdf.Pdf | None = None
        self._undetached = 0  # first object of `_dest` whose stream data may be foreign

    def inspect(self, doc_id: str, where: str) -> SourceFacts:
        """Page count and size; keeps the source open for the copy if it fits the budget."""
        opened = open_source(self.fetch, doc_id, where)
        try:
            count = len(opened.pdf.pages)
        except Exception as exc:
            opened.close()
            raise SourceUnreadable(where) from exc
        if count < 1:
            opened.close()
            raise SourceUnreadable(where)
        if doc_id not in self._spare and self._held + opened.size <= self.budget:
            self._spare[doc_id] = opened
            self._held += opened.size
        else:
            opened.close()
        return SourceFacts(count, opened.size)

    def begin(self, dest: pikepdf.Pdf) -> None:
        """Start a volume: objects created in `dest` from here on are tracked."""
        self._dest = dest
        self._undetached = sources.marker(dest)

    def take(self, doc_id: str, where: str) -> Opened:
        """An open source to copy pages from (each use gets a fresh copy of its pages)."""
        opened = self._spare.pop(doc_id, None)
        if opened is None:
            opened = open_source(self.fetch, doc_id, where)
            self._held += opened.size
        return opened

    def copied(self, opened: Opened) -> None:
        """Pages of `opened` are in the volume now; detach everything if over budget."""
        self._live.append(opened)
        if self._held > self.budget:
            self.release()

    def release(self) -> None:
        """Copy pending stream data into the volume and close the sources it came from."""
        if self._dest is not None:
            end = sources.marker(self._dest)
            sources.detach(self._dest, self._undetached, end)
            self._undetached = end
        for opened in self._live:
            self._held -= opened.size
            opened.close()
        self._live = []

    def end_volume(self) -> None:
        """The volume is saved: its sources can go."""
        for opened in self._live:
            self._held -= opened.size
            opened.close()
        self._live = []
        self._dest = None

    def close(self) -> None:
        self.end_volume()
        for opened in self._spare.values():
            opened.close()
        self._spare.clear()
        self._held = 0

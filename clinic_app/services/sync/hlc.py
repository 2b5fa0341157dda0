"""A hybrid logical clock: every stamp is unique, later than any stamp this laptop has seen,
and as close to the wall clock as that allows (Kulkarni et al., "Logical Physical Clocks").

A stamp is the text `<13-digit ms>-<6-digit counter>-<device id>`, so stamps compare as
strings: the physical time first, then the counter, then the device (a fixed tie-break
that every laptop applies the same way, so concurrent edits merge identically everywhere).
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone

_STAMP = re.compile(r"^(\d{13})-(\d{6})-([0-9a-f]{1,64})$")
ZERO = "0000000000000-000000-0"
MAX_COUNTER = 999_999  # a seventh digit would make a stamp no laptop can parse


def parse(stamp: str) -> tuple[int, int, str]:
    found = _STAMP.match(stamp)
    if not found:
        raise ValueError(f"not a clock stamp: {stamp!r}")
    return int(found.group(1)), int(found.group(2)), found.group(3)


MAX_AHEAD_MS = 24 * 3600 * 1000  # a laptop's clock may be this far ahead of ours, no further


def check_received(stamp: str, now_ms: int | None = None) -> None:
    """Raise ValueError for a received stamp that is not one, or is more than a day ahead of
    this laptop's clock. A stamp far in the future won every later edit of its field and
    pinned every clock that saw it there; the largest one overflowed the 13 digits, and the
    laptop's own stamps were then refused everywhere and its saved clock unreadable."""
    ms, _counter, _device = parse(stamp)
    if ms > (int(time.time() * 1000) if now_ms is None else now_ms) + MAX_AHEAD_MS:
        raise ValueError(f"a clock stamp too far ahead: {stamp!r}")


def format_stamp(ms: int, counter: int, device: str) -> str:
    return f"{ms:013d}-{counter:06d}-{device}"


def ms_of_iso(text: str) -> int:
    """Milliseconds since the epoch of an ISO time written by SQLite (UTC, no zone)."""
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return int(when.timestamp() * 1000)


class Clock:
    def __init__(self, device: str, last: str = ZERO, now_ms=lambda: int(time.time() * 1000)) -> None:  # type: ignore[no-untyped-def]
        self.device = device
        self._ms, self._counter, _dev = parse(last)
        self._now = now_ms

    @property
    def last(self) -> str:
        return format_stamp(self._ms, self._counter, self.device)

    def stamp(self, physical_ms: int | None = None) -> str:
        """A new local stamp, for an edit made at `physical_ms` (default: now)."""
        wall = self._now() if physical_ms is None else min(physical_ms, self._now())
        if wall > self._ms:
            self._ms, self._counter = wall, 0
        elif self._counter < MAX_COUNTER:
            self._counter += 1
        else:  # six digits are full: tick the clock itself, still later than every stamp seen
            self._ms, self._counter = self._ms + 1, 0
        return self.last

    def observe(self, stamp: str) -> None:
        """Move past a stamp received from another laptop."""
        ms, counter, _device = parse(stamp)
        if (ms, counter) > (self._ms, self._counter):
            self._ms, self._counter = ms, counter

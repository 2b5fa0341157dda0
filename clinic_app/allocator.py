"""One malloc arena per process (glibc only), set at start-up before any thread runs.

glibc gives each thread that allocates its own arena. A bundle build decrypts working
copies on a reader thread and frees them on the engine's thread, so every copy crosses
arenas. Measured on a 1,000-page build from the vault (benchmarks/bundle.py): median
351/374/307 ms with per-thread arenas, 305/307/314 ms with one (MALLOC_ARENA_MAX=1),
in alternating runs. Elsewhere (macOS, Windows, musl) this does nothing.
"""

from __future__ import annotations

import contextlib
import sys

_M_ARENA_MAX = -8  # glibc's mallopt parameter number


def use_one_arena() -> bool:
    """Ask glibc for a single arena; True when it agreed. Threads started later share it."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None)
        if not hasattr(libc, "gnu_get_libc_version"):
            return False  # not glibc: its mallopt (if any) may mean something else
        return bool(libc.mallopt(_M_ARENA_MAX, 1))
    return False

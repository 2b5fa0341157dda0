"""Process hardening at start-up: no core dumps, so memory holding keys never hits disk."""

from __future__ import annotations

import contextlib
import sys


def harden_process() -> None:
    if sys.platform.startswith(("linux", "darwin", "freebsd")):
        import resource

        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_dumpable = 4
            libc.prctl(pr_set_dumpable, 0, 0, 0, 0)

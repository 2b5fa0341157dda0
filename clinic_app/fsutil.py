"""Atomic, private file writes: temp file in the same folder, 0600 first, fsync, rename.

Every file Haven writes outside the database goes through here, so a crash or a
full disk leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from clinic_app.errors import DiskFull


TEMP_PREFIX = ".haven-tmp-"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but not ours, or cannot tell: leave its file alone
    return True


def sweep_stale_temps(folder: Path) -> int:
    """Delete temp files left in `folder` by a Haven process that was killed mid-write.

    Only files named `.haven-tmp-<pid>-…` whose process no longer exists are removed,
    so a write in progress in another Haven process is never touched. A killed bundle
    build leaves plaintext behind; this removes it at the next write to that folder.
    """
    removed = 0
    if os.name != "posix":
        return removed
    try:
        names = [p for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]
    except OSError:
        return removed
    for path in names:
        pid_text, _sep, token = path.name[len(TEMP_PREFIX):].partition("-")
        if pid_text.isdigit() and len(pid_text) <= 10 and len(token) == 16 and not _alive(int(pid_text)):
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
    return removed


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_writer(target: Path, mode: int = 0o600) -> Iterator[BinaryIO]:
    """Yield a binary file; on clean exit it replaces `target` atomically.

    The temp name is random and says nothing about the content. On any error the
    temp file is removed and `target` is untouched.
    """
    target = Path(target)
    folder = target.parent
    sweep_stale_temps(folder)
    tmp = folder / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(8)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _fsync_dir(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFull(str(folder)) from exc
        raise
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write_bytes(target: Path, data: bytes, mode: int = 0o600) -> None:
    with atomic_writer(target, mode) as fh:
        fh.write(data)

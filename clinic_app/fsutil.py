"""Atomic, private file writes: a crash, a kill or a full disk leaves the old file or the new one.

Every file Haven writes outside the database goes through here. On Linux the file is
written without a name (O_TMPFILE, 0600) in the target folder, fsynced, and linked
into place at the end, so a kill at any moment leaves either nothing or the finished
file. Over an existing file it is linked to a temp name and renamed over the target
at once: a kill in that instant leaves the *finished* file under the temp name,
recorded in `temp_journal` and removed at the next start of any Haven process.
Elsewhere (macOS, Windows, file systems without O_TMPFILE, or HAVEN_NAMED_TEMP=1)
the file is written under a recorded temp name `.haven-tmp-<pid>-<random>` and
renamed; a kill leaves it until the next start of any Haven process.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from clinic_app import temp_journal
from clinic_app.errors import DiskFull
from clinic_app.temp_journal import TEMP_PREFIX, sweep_folder

__all__ = ["TEMP_PREFIX", "atomic_write_bytes", "atomic_writer", "fsync_dir", "named_temp", "open_input",
           "sweep_stale_temps"]

NAMED_TEMP_ENV = "HAVEN_NAMED_TEMP"  # "1": always the named temp file (tests of the fallback)
_UNSUPPORTED = {errno.EOPNOTSUPP, errno.ENOTSUP, errno.EISDIR, errno.EINVAL}
_PROC_FD = "/proc/self/fd"
_BINARY = getattr(os, "O_BINARY", 0)

sweep_stale_temps = sweep_folder  # the per-folder sweep, under its older name


def temp_name() -> str:
    """A temp file name that says nothing about the content: pid and 64 random bits."""
    return f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(8)}"


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def named_temp(folder: Path, mode: int = 0o600) -> Iterator[tuple[Path, int]]:
    """A new, owner-only `.haven-tmp-<pid>-<random>` in `folder` and its open descriptor.

    The file is recorded in the journal before it exists and forgotten when the block
    ends; the caller renames it into place, and whatever is still there at the end
    (with an SQLite `-journal` beside it) is removed. The caller closes the descriptor.
    """
    folder = Path(folder)
    name = temp_name()
    entry = temp_journal.record(folder, name)
    tmp = folder / name
    try:
        yield tmp, os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | _BINARY, mode)
    finally:
        for path in (tmp, folder / f"{name}-journal"):
            with contextlib.suppress(OSError):
                path.unlink()
        temp_journal.forget(entry)


def _open_unnamed(folder: Path, mode: int) -> int | None:
    """An unnamed file in `folder` (Linux O_TMPFILE), or None where that is not possible."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or os.environ.get(NAMED_TEMP_ENV) == "1" or not os.path.isdir(_PROC_FD):
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY, mode)
    except OSError as exc:
        if exc.errno in _UNSUPPORTED:  # vfat, some FUSE and network file systems, old kernels
            return None
        raise


def _link_into_place(fd: int, target: Path) -> None:
    """Give the finished unnamed file `fd` the name `target`, replacing a file already there."""
    source = f"{_PROC_FD}/{fd}"
    dir_fd = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            os.link(source, target.name, dst_dir_fd=dir_fd)  # linkat(..., AT_SYMLINK_FOLLOW)
        except FileExistsError:
            # linkat never replaces: link under a temp name, rename over the target at once.
            name = temp_name()
            entry = temp_journal.record(target.parent, name)
            try:
                os.link(source, name, dst_dir_fd=dir_fd)
                os.replace(name, target.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(name, dir_fd=dir_fd)
                raise
            finally:
                temp_journal.forget(entry)
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@contextlib.contextmanager
def atomic_writer(target: Path, mode: int = 0o600) -> Iterator[BinaryIO]:
    """Yield a binary file; on clean exit it replaces `target` atomically.

    On any error nothing is left behind and `target` is untouched.
    """
    target = Path(target)
    folder = target.parent
    sweep_folder(folder)
    try:
        fd = _open_unnamed(folder, mode)
        if fd is not None:
            with os.fdopen(fd, "wb") as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
                _link_into_place(fh.fileno(), target)
            return
        with named_temp(folder, mode) as (tmp, fd):
            with os.fdopen(fd, "wb") as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        fsync_dir(folder)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFull(str(folder)) from exc
        raise


def atomic_write_bytes(target: Path, data: bytes, mode: int = 0o600) -> None:
    with atomic_writer(target, mode) as fh:
        fh.write(data)


def open_input(path: Path) -> BinaryIO:
    """Open a file the person named (a backup, a case file) for reading, never blocking.

    A named pipe, socket or device given in its place would block a plain `open()` with
    the vault unlocked; here it is opened non-blocking and refused unless `fstat` shows a
    regular file (OSError EINVAL, "not a regular file"), then read as usual.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
                 | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise

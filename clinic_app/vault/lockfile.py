"""One process per vault: an OS lock on `haven.lock`, released when the process dies.

The file's bytes never change (a wrong passphrase must leave every vault file
byte-identical); only the advisory lock on it says the vault is in use.

A lock is held on a file, not on a name. If `haven.lock` is deleted or replaced (a
sync client, a clean-up) while a vault is open, a second process would lock the new
file and both would write. So: the lock is taken only on an ordinary file reached
without following a link, it counts only once the name still leads to the very file
locked, and `confirm()` asks again before a write only one process may make (the
key-slot file, a rekey). Where the system allows it (Linux, macOS), the vault folder
itself is locked too, so a second process is kept out even while `haven.lock` is gone.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from clinic_app.errors import LockFileUnusable, VaultInUse, VaultLockLost, VaultNotFound

LOCK_NAME = "haven.lock"
_ATTEMPTS = 5  # the name moved between open and lock this many times: someone is playing with it
_FLAGS = (os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
          | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


class VaultLock:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / LOCK_NAME
        self._fd: int | None = None
        self._folder_fd: int | None = None

    def acquire(self) -> None:
        fd = _take(self.folder, self.path)
        try:
            self._folder_fd = _lock_folder(self.folder)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def confirm(self) -> None:
        """Make sure this process still holds the vault's lock, before a write only one may make.

        When `haven.lock` was removed or replaced, the new file is locked in its place if no
        other process holds it; otherwise VaultLockLost, and the caller writes nothing.
        """
        if self._fd is None:
            raise VaultLockLost(str(self.folder))
        if _names(self._fd, self.path):
            return
        try:
            fresh = _take(self.folder, self.path)
        except (VaultInUse, LockFileUnusable):
            raise VaultLockLost(str(self.folder)) from None
        old, self._fd = self._fd, fresh
        os.close(old)

    def release(self) -> None:
        if self._folder_fd is not None:
            os.close(self._folder_fd)  # closing the last descriptor releases its lock
            self._folder_fd = None
        if self._fd is not None:
            try:
                _unlock(self._fd)
            finally:
                os.close(self._fd)
                self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def _take(folder: Path, path: Path) -> int:
    """Open and lock `path`; the locked descriptor, once the name is known to lead to it."""
    for _attempt in range(_ATTEMPTS):
        fd = _open(folder, path)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise VaultInUse(str(folder)) from None
        if _names(fd, path):
            return fd
        os.close(fd)  # the name now leads elsewhere: what we locked is no longer the vault's lock
    raise VaultInUse(str(folder))


def _open(folder: Path, path: Path) -> int:
    """The lock file, opened without following a link; a folder, link or pipe is refused."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            raise LockFileUnusable(str(folder))
    except FileNotFoundError:
        pass  # created below
    try:
        fd = os.open(path, _FLAGS, 0o600)
    except FileNotFoundError:
        raise VaultNotFound(str(folder)) from None  # the folder itself is gone
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO, errno.EMLINK):
            raise LockFileUnusable(str(folder)) from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise LockFileUnusable(str(folder))
    except BaseException:
        os.close(fd)
        raise
    return fd


def _names(fd: int, path: Path) -> bool:
    """Whether `path` (not followed if a link) is the file open as `fd`."""
    try:
        here = os.lstat(path)
    except OSError:
        return False
    held = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (held.st_dev, held.st_ino)


if os.name == "nt":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _lock_folder(folder: Path) -> int | None:
        return None  # Windows keeps an open haven.lock from being deleted instead

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock_folder(folder: Path) -> int | None:
        """The folder's own lock; None where the file system cannot lock a folder (haven.lock
        still keeps a second process out there)."""
        try:
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise VaultInUse(str(folder)) from None
        except OSError:
            os.close(fd)
            return None
        return fd

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

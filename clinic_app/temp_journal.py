"""Named temp files in flight: one record each, and a sweep at the start of every Haven process.

Where a file cannot be written without a name (macOS, Windows, file systems without
O_TMPFILE, and backups, which SQLite writes by name), `fsutil` writes under
`.haven-tmp-<pid>-<random>` and renames at the end, so a kill in between leaves that
file behind: plaintext, for a bundle. Before such a file is created, a record named
`<pid>-<random>` goes into `<state folder>/in-flight/` (folder 0700, record 0600); it
holds the folder's path and nothing else, and is removed after the rename. Every Haven
process (command line, window, build child) calls `sweep()` at start: a record whose
process is gone has its temp file, and an SQLite `-journal` beside it, deleted.

A record only ever leads to a regular file named `.haven-tmp-<its pid>-<its random>`,
so a planted record cannot delete anything else. This module stays light (no
`clinic_app.errors`, no i18n): it runs on the window's start-up path.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from pathlib import Path

from clinic_app import paths

TEMP_PREFIX = ".haven-tmp-"
FOLDER = "in-flight"
MAX_RECORD = 8192
_TOKEN = re.compile(r"(\d{1,10})-[0-9a-f]{16}")
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def alive(pid: int) -> bool:
    """Whether process `pid` exists; True when in doubt (its files are then left alone)."""
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists but not ours, or cannot tell
    return True


def _alive_windows(pid: int) -> bool:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() != 87  # ERROR_INVALID_PARAMETER: no such process
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _dead_owner(token: str) -> bool:
    """`token` is `<pid>-<16 hex>` and that process no longer exists."""
    match = _TOKEN.fullmatch(token)
    return match is not None and not alive(int(match.group(1)))


def _journal() -> Path:
    return paths.state_dir() / FOLDER


def record(folder: Path, name: str) -> Path | None:
    """Note that `folder/name` (a `.haven-tmp-` name) is about to exist.

    None when the state folder cannot be written: the write goes on, and the sweep
    of `folder` at the next write there remains.
    """
    journal = _journal()
    entry = journal / name[len(TEMP_PREFIX):]
    try:
        journal.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        journal.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(entry, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except OSError:
        return None
    try:
        os.write(fd, os.fsencode(os.path.abspath(folder)))
    except OSError:
        pass  # an empty record is only removed, never followed
    finally:
        os.close(fd)
    return entry


def forget(entry: Path | None) -> None:
    if entry is not None:
        with contextlib.suppress(OSError):
            entry.unlink()


def _remove_temp(path: str) -> int:
    """Delete `path` and its SQLite `-journal` if they are regular files (never a link)."""
    removed = 0
    for candidate in (path, path + "-journal"):
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.lstat(candidate).st_mode):
                os.unlink(candidate)
                removed += 1
    return removed


def _read_record(entry: str) -> str:
    """The folder a record names, or "" (a link, a FIFO or garbage is never followed)."""
    try:
        fd = os.open(entry, _READ_FLAGS)
    except OSError:
        return ""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        folder = os.fsdecode(os.read(fd, MAX_RECORD))
    except (OSError, ValueError):
        return ""
    finally:
        os.close(fd)
    return folder if os.path.isabs(folder) and "\0" not in folder else ""


def sweep() -> int:
    """Delete the temp files of Haven processes that died mid-write; how many were removed.

    Cheap when there is nothing to do (one failed directory listing): it runs at
    every start.
    """
    removed = 0
    with contextlib.suppress(OSError):
        journal = str(_journal())
        for token in os.listdir(journal):
            if not _dead_owner(token):
                continue
            entry = os.path.join(journal, token)
            folder = _read_record(entry)
            if folder:
                removed += _remove_temp(os.path.join(folder, TEMP_PREFIX + token))
            with contextlib.suppress(OSError):
                os.unlink(entry)
    return removed


def sweep_folder(folder: Path) -> int:
    """Delete `.haven-tmp-<pid>-…` files in `folder` whose process no longer exists.

    The older net under the journal: it also catches temp files whose record could
    not be written. A write in progress in another Haven process is never touched.
    """
    removed = 0
    try:
        names = [name for name in os.listdir(folder) if name.startswith(TEMP_PREFIX)]
    except OSError:
        return removed
    for name in names:
        token = name[len(TEMP_PREFIX):].removesuffix("-journal")
        if _dead_owner(token):
            removed += _remove_temp(os.path.join(folder, TEMP_PREFIX + token))
    return removed

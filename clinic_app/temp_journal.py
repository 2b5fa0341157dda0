"""Named temp files in flight: one record each, and a sweep at the start of every Haven process.

Where a file cannot be written without a name (macOS, Windows, file systems without
O_TMPFILE, and backups, which SQLite writes by name), `fsutil` writes under
`.haven-tmp-<pid>-<random>` and renames at the end, so a kill in between leaves that
file behind: plaintext, for a bundle. Before such a file is created, a record named
`<pid>-<random>` goes into `<state folder>/in-flight/` (folder 0700, record 0600); it
holds the folder's path and nothing else, and is removed after the rename. Every Haven
process (command line, window, build child) calls `sweep()` at start: a record whose
process is gone has its temp file, and an SQLite `-journal` beside it, deleted.

The folders in which `init` builds a new vault and `restore` unpacks a backup
(`.haven-new-<pid>-<random>`, `.haven-restore-<pid>-<random>`: a whole vault, which
the passphrase opens) are recorded the same way before they exist, and a sweep removes
those of dead processes too: a kill before the rename into place left them for good.

A record only ever leads to a regular file named `.haven-tmp-<its pid>-<its random>`,
or a real folder (never a link) named with a staging prefix and that same token, so a
planted record cannot delete anything else, and nothing of a live process is touched.
This module stays light (no `clinic_app.errors`, no i18n): it runs on the window's
start-up path.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import stat
from pathlib import Path

from clinic_app import paths

TEMP_PREFIX = ".haven-tmp-"
NEW_VAULT_PREFIX = ".haven-new-"  # `init` builds the vault here, then renames it into place
RESTORE_PREFIX = ".haven-restore-"  # `restore` unpacks and checks the backup here
STAGING_PREFIXES = (NEW_VAULT_PREFIX, RESTORE_PREFIX)
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
    return _record_token(folder, name[len(TEMP_PREFIX):])


def _record_token(folder: Path, token: str) -> Path | None:
    journal = _journal()
    entry = journal / token
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


def make_staging(parent: Path, prefix: str) -> tuple[Path, Path | None]:
    """Create the owner-only folder `parent/<prefix><pid>-<random>`, recorded first, so a kill
    before it is renamed into place leaves it only until the next start. Returns the folder and
    its record; `forget` the record once the folder is renamed or removed."""
    if prefix not in STAGING_PREFIXES:
        raise ValueError(prefix)
    token = f"{os.getpid()}-{secrets.token_hex(8)}"
    entry = _record_token(parent, token)
    staging = Path(parent) / f"{prefix}{token}"
    try:
        staging.mkdir(mode=0o700)
    except BaseException:
        forget(entry)
        raise
    return staging, entry


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


def _remove_staging(folder: str, token: str) -> tuple[int, bool]:
    """Delete the staging folders named by `token` in `folder` (real folders only, never a link);
    (how many were removed, whether one is still there)."""
    removed, left = 0, False
    for prefix in STAGING_PREFIXES:
        path = os.path.join(folder, prefix + token)
        try:
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                continue
        except OSError:
            continue
        shutil.rmtree(path, ignore_errors=True)
        if os.path.lexists(path):
            left = True
        else:
            removed += 1
    return removed, left


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
    """Delete the temp files and staging folders of Haven processes that died mid-write; how
    many were removed.

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
            left = False
            if folder:
                removed += _remove_temp(os.path.join(folder, TEMP_PREFIX + token))
                gone, left = _remove_staging(folder, token)
                removed += gone
            if not left:  # a staging folder that would not go is tried again at the next start
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

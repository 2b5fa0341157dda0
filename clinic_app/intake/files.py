"""Finding and opening evidence files without following a link or blocking on a pipe.

Folders handed to Haven come from elsewhere (a USB stick, a shared folder, an
unzipped e-mail). A link inside one could lead to /etc or another client's files;
a named pipe would block `open()` forever with the vault unlocked. So:

- `walk` lists folders without following any symbolic link (file or folder, at any
  depth, or given directly), and names each link and special file (pipe, socket,
  device) it meets as refused, by its type (`lstat`), without opening it. Hidden
  files and folders (names starting with ".") are skipped, as they always were.
- `open_regular` is the only way intake opens an evidence file: type checked with
  `lstat` first, then opened with O_NOFOLLOW | O_NONBLOCK, then `fstat` must show a
  regular file that is the very one looked at (same device and inode), so a file
  swapped for a link, a pipe or another file in between is refused, never followed
  or waited on.

The path given by the person (its parent folders) is theirs to choose and is used
as given; only what lies inside a given folder is held to "no links".
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from clinic_app.domain.display import display_name
from clinic_app.intake.errors import ChangedWhileReading, FileUnreadable, IntakeError, LinkRefused, SpecialFile

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | _NONBLOCK
               | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_JUNCTION = getattr(stat, "IO_REPARSE_TAG_MOUNT_POINT", None)


@dataclass(frozen=True)
class Found:
    """One entry an import will report on: a regular file to read, or a refusal."""

    path: Path
    identity: tuple[int, int] | None = None  # (device, inode) the walk saw, for open_regular
    refusal: IntakeError | None = None

    @property
    def name(self) -> str:
        return self.path.name


def _is_link(st: os.stat_result) -> bool:
    return stat.S_ISLNK(st.st_mode) or (
        _JUNCTION is not None and getattr(st, "st_reparse_tag", 0) == _JUNCTION)


def _kind(st: os.stat_result) -> str:
    if stat.S_ISFIFO(st.st_mode):
        return "fifo"
    if stat.S_ISSOCK(st.st_mode):
        return "socket"
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        return "device"
    return ""


def refusal_for(st: os.stat_result, name: str) -> IntakeError | None:
    """Why a file with this `lstat` cannot be imported, or None for a regular file."""
    if _is_link(st):
        return LinkRefused(name)
    if not stat.S_ISREG(st.st_mode):
        return SpecialFile(name, _kind(st))
    return None


def _identity(st: os.stat_result) -> tuple[int, int] | None:
    return (st.st_dev, st.st_ino) if st.st_ino else None


def walk(paths: Iterable[Path]) -> list[Found]:
    """Every file an import of `paths` will take or refuse, in order: each given path,
    folders as their contents (sorted, recursively, never through a link)."""
    found: list[Found] = []
    for path in map(Path, paths):
        try:
            st = os.lstat(path)
        except OSError:
            found.append(Found(path))  # reported when it is opened ("no longer exists")
            continue
        if stat.S_ISDIR(st.st_mode) and not _is_link(st):
            found += _walk_folder(path)
        else:
            found.append(Found(path, _identity(st), refusal_for(st, display_name(path.name))))
    return found


def _walk_folder(top: Path) -> list[Found]:
    entries: list[Found] = []
    pending = [top]
    while pending:  # a stack, not recursion: any depth
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                children = [(Path(e.path), e.name) for e in listing]
        except OSError:
            entries.append(Found(folder, refusal=FileUnreadable(display_name(folder.name))))
            continue
        for path, name in children:
            if name.startswith("."):
                continue
            try:
                st = os.lstat(path)
            except OSError:
                entries.append(Found(path, refusal=FileUnreadable(display_name(name))))
                continue
            if stat.S_ISDIR(st.st_mode) and not _is_link(st):
                pending.append(path)
            else:
                entries.append(Found(path, _identity(st), refusal_for(st, display_name(name))))
    return sorted(entries, key=lambda f: f.path)


def open_regular(path: Path, *, identity: tuple[int, int] | None = None, name: str | None = None) -> BinaryIO:
    """Open an evidence file for reading, race-safely (see the module docstring).

    Raises FileNotFoundError when it is gone, else an IntakeError naming it."""
    name = name or display_name(path.name)
    try:
        before = os.lstat(path)
    except FileNotFoundError:
        raise
    except OSError as exc:  # a folder on the way that may not be entered
        raise FileUnreadable(name) from exc
    problem = refusal_for(before, name)
    if problem is not None:
        raise problem
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise
    except OSError as exc:  # ELOOP: swapped for a link since the lstat; EACCES; ENXIO
        raise (LinkRefused(name) if os.path.islink(path) else FileUnreadable(name)) from exc
    try:
        after = os.fstat(fd)
        problem = refusal_for(after, name)
        if problem is not None:
            raise problem
        seen = _identity(before)
        if (identity and _identity(after) != identity) or (seen and _identity(after) != seen):
            raise ChangedWhileReading(name)
        if _NONBLOCK:
            os.set_blocking(fd, True)  # a regular file: ordinary reads from here on
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def check_regular(path: Path, name: str) -> None:
    """Refuse, by type and without opening it, anything but a regular file at `path`."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise FileUnreadable(name) from exc
    problem = refusal_for(st, name)
    if problem is not None:
        raise problem

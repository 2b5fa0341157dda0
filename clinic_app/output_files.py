"""Writing a file the person chose (a bundle, an export, a calendar, a draft): atomically,
through `fsutil.atomic_writer`, with every way the chosen place can fail said plainly.

Without this, a folder that no longer exists, a read-only USB stick or a name too long
for the disk reached the person as "Internal error", or as a disk error in the *vault's*
folder (the command line's last-resort mapping), which sent them to check the wrong drive.
Here each such failure names the folder or file they chose, says nothing was written, and
says what to do. Files Haven keeps for itself (key slots, history marks) keep using
`atomic_writer`, whose errors are about the vault.

Only an ordinary file is ever replaced: `--out /dev/null`, run as root, used to swap the
device for a regular file, since the atomic rename replaces whatever has the name.

Nothing is ever written into a vault's folder: `--out VAULT/vault.db` used to replace the
encrypted database with the bundle, losing every record, and an export there would put
plaintext beside the vault. Backups already refused that folder (`services.backup`).
Nor into Haven's own state and settings folders, where a bundle named like a history mark
would have replaced the record that detects an older copy of a vault.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from clinic_app import paths
from clinic_app.domain.display import display_name
from clinic_app.errors import DiskFull, HavenError, OutputNotWritten
from clinic_app.fsutil import TEMP_PREFIX, atomic_writer
from clinic_app.i18n import _

_DRIVE_FAILED = frozenset(
    getattr(errno, name) for name in ("EIO", "ENXIO", "ENODEV", "ESTALE", "ENOTCONN", "EREMOTEIO", "EHOSTDOWN")
    if hasattr(errno, name)
)
_NOT_ALLOWED = frozenset((errno.EACCES, errno.EPERM, errno.EROFS))
VAULT_FILES = ("vault.db", "keyslots.json")  # vault.store's DB_NAME and SLOTS_NAME (a test holds them equal)


@contextlib.contextmanager
def output_writer(target: Path, mode: int = 0o600) -> Iterator[BinaryIO]:
    """`atomic_writer` for a file the person chose; its failures become `output_error`s."""
    target = Path(target)
    check_target(target)
    refuse_special(target)
    try:
        with atomic_writer(target, mode) as fh:
            yield fh
    except OSError as exc:
        mapped = output_error(exc, target) if _about_output(exc, target) else None
        if mapped is None:
            raise
        raise mapped from exc


def output_write_bytes(target: Path, data: bytes, mode: int = 0o600) -> None:
    with output_writer(target, mode) as fh:
        fh.write(data)


def check_target(target: Path) -> None:
    """Refuse, before any work, a name that is no file's or a vault's folder. (The bundle
    engine checks this of the name it was given, then writes `-vol1`... beside it.)"""
    target = Path(target)
    if target.name in ("", ".", ".."):
        raise OutputNotWritten(_("{path} names a folder, not a file. Nothing was written; add a file "
                                 "name.").format(path=display_name(str(target))))
    refuse_vault_folder(target)
    refuse_haven_folders(target)


def refuse_haven_folders(target: Path) -> None:
    """Raise OutputNotWritten when `target` lies inside Haven's state or settings folder."""
    folder = Path(target).parent
    for own in (paths.state_dir(), paths.config_dir()):
        if _inside(folder, own):
            raise OutputNotWritten(_(
                "{folder} is one of Haven's own folders, where it keeps its settings and what it "
                "remembers of each vault. Nothing was written; choose another folder.").format(
                    folder=display_name(str(folder))))


def _inside(folder: Path, root: Path) -> bool:
    """Whether `folder` is `root` or below it, after links are followed."""
    try:
        folder.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def refuse_vault_folder(target: Path) -> None:
    """Raise OutputNotWritten when `target`'s folder holds a Haven vault (this one or another)."""
    folder = Path(target).parent
    if any(os.path.lexists(folder / name) for name in VAULT_FILES):
        raise OutputNotWritten(_(
            "{folder} holds a Haven vault: Haven keeps nothing else there, so that no file of the vault "
            "can be overwritten. Nothing was written; choose another folder.").format(
                folder=display_name(str(folder))))


def refuse_special(target: Path) -> None:
    """Raise OutputNotWritten when `target` is something other than an ordinary file (a folder,
    a device, a pipe, a socket): the rename would replace it. A symbolic link is itself replaced."""
    folder, name = display_name(str(target.parent)), display_name(target.name)
    try:
        mode = os.lstat(target).st_mode
    except OSError:
        return  # nothing there (or nothing Haven may look at): the write itself will say
    if stat.S_ISDIR(mode):
        raise _folder_in_the_way(folder, name)
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise OutputNotWritten(_("{name} in {folder} is not an ordinary file (a device, a pipe or a "
                                 "socket), and Haven replaces only ordinary files. Nothing was written; "
                                 "choose another name.").format(folder=folder, name=name))


def _folder_in_the_way(folder: str, name: str) -> OutputNotWritten:
    return OutputNotWritten(_("{name} in {folder} is a folder, not a file. Nothing was written; choose "
                              "another name.").format(folder=folder, name=name))


def output_error(exc: OSError, target: Path) -> HavenError | None:
    """The message for `exc` met while writing `target`, or None for an error it does not know."""
    folder = display_name(str(target.parent))
    name = display_name(target.name)
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(folder)
    if code == errno.ENOENT:
        text = _("The folder {folder} does not exist: it may have been moved or renamed, or its drive "
                 "removed. Nothing was written; choose another place to save.")
    elif code == errno.ENOTDIR:
        text = _("{folder} is not a folder. Nothing was written; choose another place to save.")
    elif code == errno.EISDIR:
        return _folder_in_the_way(folder, name)
    elif code in _NOT_ALLOWED:
        text = _("Haven may not write in {folder}: it is read-only, or you do not have permission to "
                 "write there. Nothing was written; choose another folder.")
    elif code == errno.ENAMETOOLONG:
        text = _("The name {name} is too long for the disk of {folder}. Nothing was written; choose a "
                 "shorter name.")
    elif code == errno.EFBIG:
        text = _("{name} is too large for the disk of {folder} (drives formatted FAT32 hold files of at "
                 "most 4 GB). Nothing was written; save it on another drive, or split the bundle into "
                 "volumes in its settings.")
    elif code in _DRIVE_FAILED:
        text = _("The drive of {folder} reported an error while Haven wrote {name}: it may have been "
                 "removed or disconnected. Nothing was written; check the drive and try again.")
    else:
        return None
    return OutputNotWritten(text.format(folder=folder, name=name))


def _about_output(exc: OSError, target: Path) -> bool:
    """Whether `exc` came from writing `target` (opening its folder, its temp file, its data,
    the rename) rather than from something the caller read while writing it."""
    if exc.filename is None:
        return True  # write() and fsync() of the output name no file
    named = os.fsdecode(exc.filename)
    base = os.path.basename(named)
    return (named in (str(target), str(target.parent)) or base == target.name
            or base.startswith(TEMP_PREFIX) or named.startswith("/proc/self/fd/"))

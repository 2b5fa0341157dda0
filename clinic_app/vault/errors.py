"""Errors of backups, restores, case transfers, purges and the location guard.

Kept apart from `clinic_app.errors` so those classes stay as they are. Every
message names files by the path the user gave and never carries client data.
`storage_error` turns the many ways a disk can fail (SQLite result codes,
OSError numbers) into one clear, translatable error.
"""

from __future__ import annotations

import errno

from clinic_app.errors import AuthError, BadInput, DiskFull, ExitCode, HavenError, VaultDamaged
from clinic_app.i18n import _

SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_READONLY = 8
SQLITE_NOTADB = 26


class StorageError(HavenError):
    """The disk refused a read or a write (I/O error, removed drive, read-only folder)."""

    exit_code = ExitCode.FAILED

    def __init__(self, where: str) -> None:
        super().__init__(
            _("The disk reported an error while writing to {where}. Nothing was changed; "
              "check the drive and try again.").format(where=where)
        )


class NotRecorded(HavenError):
    """The work is done and safe, but the vault's disk failed while auditing it."""

    exit_code = ExitCode.FAILED

    def __init__(self, what: str) -> None:
        super().__init__(_("{what} The vault's disk reported an error while recording this in the audit "
                           "log; check the drive that holds the vault.").format(what=what))


class FolderNotWritable(BadInput):
    def __init__(self, where: str) -> None:
        super().__init__(_("Haven may not write to {where}. Choose another folder or check its "
                           "permissions.").format(where=where))


class BackupInvalid(HavenError):
    exit_code = ExitCode.DAMAGED

    def __init__(self, name: str, detail: str = "") -> None:
        msg = _("{name} is not a complete Haven backup, or it is damaged.").format(name=name)
        super().__init__(f"{msg} ({detail})" if detail else msg)


class RestoreRefused(BadInput):
    """The target folder holds a vault (or other files) and replacing was not confirmed."""


class LocationRefused(BadInput):
    def __init__(self, folder: str, reason: str) -> None:
        super().__init__(
            _("Haven will not keep a vault in {folder}: {reason} Move the vault to a folder "
              "on this computer's own disk.").format(folder=folder, reason=reason)
        )


class WrongTransferPassphrase(AuthError):
    def __init__(self) -> None:
        super().__init__(_("That passphrase does not open this case file, or the file is damaged. "
                           "Nothing was imported."))


class TransferInvalid(HavenError):
    exit_code = ExitCode.DAMAGED

    def __init__(self, name: str, detail: str = "") -> None:
        msg = _("{name} is not a complete Haven case file, or it was changed after it was made. "
                "Nothing was imported.").format(name=name)
        super().__init__(f"{msg} ({detail})" if detail else msg)


class TransferTooNew(HavenError):
    """A case file written by a newer Haven: not damaged, only beyond what this version reads."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, name: str, found: int) -> None:
        super().__init__(_("{name} was made by a newer version of Haven (case file version {found}). Install "
                           "the newer Haven to import it. Nothing was imported.").format(name=name, found=found))


class TransferConflicts(HavenError):
    """Records in a case file collide with records in this vault; the user must choose."""

    exit_code = ExitCode.FAILED

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        head = _("The case file conflicts with records already in this vault; nothing was imported. "
                 "Choose what to do with --on-conflict skip or --on-conflict rename.")
        super().__init__("\n".join([head, *("- " + line for line in lines)]))


def storage_error(exc: BaseException, where: str) -> HavenError | None:
    """The user-facing error for a disk failure, or None when `exc` is something else.

    Follows the exception's cause and context too: a failed COMMIT is often followed by
    a failed ROLLBACK ("no transaction is active") that hides the disk error behind it.
    """
    seen: BaseException | None = exc
    for _depth in range(8):
        if seen is None:
            return None
        found = _one_storage_error(seen, where)
        if found is not None:
            return found
        seen = seen.__cause__ or seen.__context__
    return None


def _one_storage_error(exc: BaseException, where: str) -> HavenError | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        primary = code & 0xFF
        if primary == SQLITE_FULL:
            return DiskFull(where)
        if primary == SQLITE_IOERR:
            return StorageError(where)
        if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
            return VaultDamaged()
        if primary in (SQLITE_CANTOPEN, SQLITE_READONLY):
            return FolderNotWritable(where)
        return None
    if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return DiskFull(where)
        if exc.errno in (errno.EIO, errno.EROFS, errno.ENXIO, errno.ENODEV):
            return StorageError(where)
        if exc.errno in (errno.EACCES, errno.EPERM):
            return FolderNotWritable(where)
    return None


class KeySlotsAltered(VaultDamaged):
    """keyslots.json was changed outside Haven (or damaged): nothing in it is used."""

    def __init__(self, detail: str = "") -> None:
        HavenError.__init__(self, _(
            "The vault's key-slot file (keyslots.json) was changed outside Haven or is damaged: {detail}. "
            "Haven did not use it. Put back the keyslots.json of a backup you trust (or restore the whole "
            "vault from a backup) and tell whoever looks after Haven at your clinic.").format(
                detail=detail or _("it does not match what Haven wrote")))


class KeySlotsOlder(VaultDamaged):
    """keyslots.json is an older copy than the one the database was last used with."""

    def __init__(self, found: int, expected: int) -> None:
        HavenError.__init__(self, _(
            "The vault's key-slot file (keyslots.json) is an older copy (version {found}; the database was "
            "last used with version {expected}). An older key-slot file can bring back removed users and "
            "old passphrases, so Haven did not use it. Put back the current keyslots.json, or restore the "
            "whole vault from a backup.").format(found=found, expected=expected))


class DatabaseBeforeKeyChange(VaultDamaged):
    """vault.db is this vault's database, but from before its data key was last changed."""

    def __init__(self, changed_at: str) -> None:
        when = changed_at[:19].replace("T", " ") + " UTC" if changed_at else _("an unknown date")
        HavenError.__init__(self, _(
            "vault.db is an older copy of this vault's database, from before its data key was changed on "
            "{when} (a user was removed then): it is not damaged, but it no longer opens with the vault's "
            "keys. Put back the current vault.db, or restore a backup made after {when}.").format(when=when))


class VaultOlderCopy(HavenError):
    """The database is behind (or beside) what this computer saw the last time it opened it."""

    exit_code = ExitCode.DAMAGED

    def __init__(self, *, ends_at: str, ends_seq: int, seen_seq: int, seen_entry_at: str, seen_on: str,
                 diverged: bool) -> None:
        self.ends_at, self.ends_seq, self.seen_seq = ends_at, ends_seq, seen_seq
        self.seen_entry_at, self.seen_on, self.diverged = seen_entry_at, seen_on, diverged
        fmt = {"ends": _day(ends_at), "ends_seq": ends_seq, "seen_seq": seen_seq,
               "seen_entry": _day(seen_entry_at), "seen_on": _day(seen_on)}
        if diverged:
            text = _("This vault's history is not the one this computer saw: on {seen_on} its audit record "
                     "{seen_seq} (made {seen_entry}) was different. Someone may have put another copy of "
                     "vault.db in its place; records added since {seen_entry} may be missing.")
        else:
            text = _("This vault is an older copy than the one this computer last opened: its history ends "
                     "at record {ends_seq} ({ends}), but on {seen_on} this computer saw it reach record "
                     "{seen_seq} (made {seen_entry}). Records added after {ends} may be missing: someone may "
                     "have copied an older vault.db over it.")
        super().__init__(text.format(**fmt) + " " + _(
            "Open it only if you restored it on purpose (in the window: \"Open this older copy\"; on the "
            "command line: --accept-older-copy). Otherwise put back the newer copy or restore your newest "
            "backup."))


def _day(iso: str) -> str:
    return iso[:16].replace("T", " ") + " UTC" if iso else _("an unknown date")


class VaultFileUnusable(BadInput):
    """vault.db-wal or vault.db-shm is there but Haven cannot use it (another account's, a folder,
    a link): naming the file, since restoring a backup, the advice for damage, would not help."""

    def __init__(self, name: str, folder: str, *, ordinary: bool, other_owner: bool) -> None:
        where = {"name": name, "folder": folder}
        if not ordinary:
            text = _("{name} in {folder} is not an ordinary file (it is a folder, a link or a device), so Haven "
                     "cannot open the vault. Nothing was changed. While no Haven is running, move {name} out "
                     "of that folder, then open the vault again.")
        elif other_owner:
            text = _("{name} in {folder} belongs to another account, so Haven cannot open the vault (it may have "
                     "been left by running Haven as administrator). Nothing was changed. Ask whoever manages "
                     "this computer to give it back to your account.")
        else:
            text = _("{name} in {folder} cannot be opened (it may have been left by running Haven as "
                     "administrator). Nothing was changed. Ask whoever manages this computer to give it back "
                     "to your account.")
        extra = (_("Do not delete it: it may hold the latest changes.") if name.endswith("-wal") and ordinary
                 else "")
        super().__init__(" ".join(p for p in (text.format(**where), extra) if p))


class KeySlotsMissing(VaultDamaged):
    """vault.db is there but keyslots.json is not (or is not a file): a vault without its key
    slots, not a folder without a vault (which suggested creating one over it)."""

    def __init__(self, folder: str) -> None:
        HavenError.__init__(self, _(
            "The vault in {folder} has its database (vault.db), but its key-slot file (keyslots.json) is "
            "missing or is not a file, so no passphrase can open it. Nothing was changed. Put back the "
            "keyslots.json of a backup of this vault (or restore the whole vault from a backup).").format(
                folder=folder))

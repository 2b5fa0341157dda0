"""Errors a user can meet, each with a clear, translatable message and an exit code.

Messages never contain client data: they name files by the name the user gave,
users by their login name, and vault folders by path, nothing more.
"""

from __future__ import annotations

from enum import IntEnum

from clinic_app.i18n import _


class ExitCode(IntEnum):
    """Documented exit codes of `clinic-app` (see README, "Exit codes")."""

    OK = 0
    FAILED = 1  # the command ran but reports a problem (e.g. a file was refused)
    USAGE = 2
    AUTH = 3  # wrong passphrase, unknown user, vault in use by another process
    BAD_INPUT = 4
    DAMAGED = 5
    PERMISSION = 6
    INTERNAL = 70


class HavenError(Exception):
    """Base for every error shown to a user. `str(err)` is the user message."""

    exit_code = ExitCode.INTERNAL


class UsageError(HavenError):
    exit_code = ExitCode.USAGE


class BadInput(HavenError):
    exit_code = ExitCode.BAD_INPUT


class ValidationError(BadInput):
    """Bad data in a record or manifest; names the item and the field."""

    def __init__(self, message: str, *, item: str = "", field: str = "") -> None:
        self.item = item
        self.field = field
        where = " ".join(p for p in (item, field) if p)
        super().__init__(f"{where}: {message}" if where else message)


class AuthError(HavenError):
    exit_code = ExitCode.AUTH


class WrongPassphrase(AuthError):
    def __init__(self) -> None:
        super().__init__(_("Wrong user name or passphrase. Nothing was changed."))


class WrongRecoveryKey(AuthError):
    def __init__(self) -> None:
        super().__init__(_("That recovery key does not open this vault. Nothing was changed."))


class VaultInUse(AuthError):
    def __init__(self, folder: str) -> None:
        super().__init__(
            _(
                "The vault in {folder} is already open in another Haven window or "
                "command. Close it there first."
            ).format(folder=folder)
        )


class LockFileUnusable(BadInput):
    """`haven.lock` is a folder, a link or a pipe: Haven neither follows nor replaces it."""

    def __init__(self, folder: str) -> None:
        super().__init__(_("The vault in {folder} cannot be opened: its lock file haven.lock is not an ordinary "
                           "file (a folder, a link or a pipe has that name). Haven did not touch it; move that "
                           "item out of the vault folder, then try again.").format(folder=folder))


class VaultLockLost(AuthError):
    """Someone removed `haven.lock` while this process held it, and another Haven took the new one."""

    def __init__(self, folder: str) -> None:
        text = _("Another Haven window or command opened the vault in {folder} after its lock file "
                 "(haven.lock) was removed. So that neither undoes the other's users or passphrases, "
                 "nothing was changed here. Close Haven everywhere, then open the vault again.")
        super().__init__(text.format(folder=folder))


class KeySlotsChangedMeanwhile(AuthError):
    """keyslots.json changed under this process and cannot be taken over safely."""

    def __init__(self, folder: str) -> None:
        super().__init__(_(
            "The key-slot file (keyslots.json) of the vault in {folder} was changed by another Haven window or "
            "command while this one had the vault open. So that no user or passphrase is lost, nothing was "
            "changed here. Lock the vault, open it again and repeat the change.").format(folder=folder))


class VaultLocked(AuthError):
    def __init__(self) -> None:
        super().__init__(_("The vault is locked. Unlock it to continue."))


class VaultNotFound(BadInput):
    def __init__(self, folder: str) -> None:
        super().__init__(
            _("There is no Haven vault in {folder}. Create one with 'clinic-app init'.").format(
                folder=folder
            )
        )


class VaultExists(BadInput):
    def __init__(self, folder: str) -> None:
        super().__init__(
            _("{folder} already holds a Haven vault or other files; choose an empty folder.").format(
                folder=folder
            )
        )


class VaultPlaceNotFolder(BadInput):
    """A new vault was asked for where a file (not a folder) already is."""

    def __init__(self, folder: str) -> None:
        super().__init__(
            _("{folder} is a file, not a folder. A vault is a folder: give a new folder's name, or an "
              "empty folder.").format(folder=folder)
        )


class VaultDamaged(HavenError):
    exit_code = ExitCode.DAMAGED

    def __init__(self, detail: str = "") -> None:
        msg = _("The vault is damaged and cannot be trusted. Restore it from a backup.")
        super().__init__(f"{msg} ({detail})" if detail else msg)


class PermissionDenied(HavenError):
    exit_code = ExitCode.PERMISSION

    def __init__(self, role: str, action: str) -> None:
        super().__init__(
            _("Your role ({role}) does not allow this: {action}.").format(role=role, action=action)
        )


class NotFound(BadInput):
    pass


class Cancelled(HavenError):
    exit_code = ExitCode.FAILED

    def __init__(self) -> None:
        super().__init__(_("Cancelled. Nothing was changed."))


class DiskFull(HavenError):
    exit_code = ExitCode.FAILED

    def __init__(self, where: str) -> None:
        super().__init__(
            _("There is not enough free disk space in {where}. Nothing was changed.").format(
                where=where
            )
        )


class OutputNotWritten(HavenError):
    """A file the person chose to write (a bundle, an export, a calendar) could not be
    written there: the message names that place, never the vault's folder."""

    exit_code = ExitCode.FAILED

"""Users, passphrases, backups and restore: the admin actions of the window.

Each function returns an `Op`; its work calls services on a worker thread and
hands back plain dataclasses, so the dialogs never see the session. Work that
only reads files (a backup's header, a folder's location) needs no session and
runs on the second thread, so it does not wait behind a long write.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clinic_app.gui.tasks import Job, Op, TaskRunner
from clinic_app.i18n import _


@dataclass(frozen=True)
class UserRow:
    name: str
    role: str  # Role value: admin, lawyer, staff, volunteer
    since: str = ""


@dataclass(frozen=True)
class BackupDone:
    path: Path
    size: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class BackupEntry:
    """One readable backup in a folder, newest first in a listing."""

    path: Path
    created_at: str
    automatic: bool
    verified: bool | None = None  # its header MAC verified under the open vault's key; None: no key to check


@dataclass(frozen=True)
class BackupPreview:
    """What the restore dialog shows before asking: who can open it, and what it replaces."""

    users: tuple[str, ...]
    created_at: str
    folder_state: str  # restore.folder_state of the target: missing, empty, vault, other


@dataclass(frozen=True)
class Restored:
    folder: Path
    moved_aside: Path | None
    documents: int
    created_at: str
    warnings: tuple[str, ...] = ()


# --- users ------------------------------------------------------------------------------------------

def list_users(runner: TaskRunner) -> Op:
    def work(job: Job) -> list[UserRow]:
        from clinic_app.services import users

        return [UserRow(u.name, u.role.value, u.created_at[:10]) for u in users.list_users(job.session)]

    return Op(runner, work)


def add_user(runner: TaskRunner, *, name: str, role: str, passphrase: str) -> Op:
    def work(job: Job) -> UserRow:
        from clinic_app.domain.roles import parse_role
        from clinic_app.services import users

        user = users.add_user(job.session, name, parse_role(role), passphrase)
        return UserRow(user.name, user.role.value)

    return Op(runner, work, writes=True)


def remove_user(runner: TaskRunner, *, name: str) -> Op:
    """Remove a user; the service re-encrypts the vault under a new key (seconds on a big vault)."""

    def work(job: Job) -> str:
        from clinic_app.services import users

        job.progress(0, 1, _("Re-encrypting the vault under a new key…"))
        users.remove_user(job.session, name)
        return name

    return Op(runner, work, writes=True)


def change_passphrase(runner: TaskRunner, *, old: str, new: str) -> Op:
    def work(job: Job) -> None:
        from clinic_app.services import users

        users.change_passphrase(job.session, old, new)

    return Op(runner, work, writes=True)


# --- backups ----------------------------------------------------------------------------------------

def backup_now(runner: TaskRunner, *, target: Path, into_folder: bool = False) -> Op:
    """Write one backup to the file `target`, or (into_folder) an automatically named one in it."""

    def work(job: Job) -> BackupDone:
        from clinic_app.services import backup

        session = job.session
        if into_folder:
            Path(target).expanduser().mkdir(mode=0o700, parents=True, exist_ok=True)
        job.progress(0, 1, _("Checking the vault and writing the backup…"))
        result = backup.make_backup(session, Path(target))
        job.progress(1, 1, _("Backup written"))
        return BackupDone(result.path, result.header.db_size, tuple(result.warnings))

    return Op(runner, work, writes=True)


def list_backups(runner: TaskRunner, *, folder: Path) -> Op:
    """Whole backups in `folder`: verified ones first (when a vault is open), newest first."""

    def work(job: Job) -> list[BackupEntry]:
        from clinic_app.services import backup

        from clinic_app.errors import HavenError

        try:
            verify = job.session.vault.backup_verifier()  # VaultLocked when no vault is open
        except HavenError:
            verify = None  # locked (as for a restore): every date is only what its file claims
        good, _bad = backup.list_backups(Path(folder), verify=verify)
        return [BackupEntry(b.path, b.header.created_at, b.header.automatic, b.verified if verify else None)
                for b in good]

    return Op(runner, work, pool="render")


def folder_warnings(runner: TaskRunner, *, folder: Path) -> Op:
    """Why a backup folder may be a poor place (cloud-synced, network); [] when it is fine."""

    def work(job: Job) -> list[str]:
        from clinic_app.services.location_guard import backup_folder_warnings

        return list(backup_folder_warnings(Path(folder).expanduser())) if str(folder).strip() else []

    return Op(runner, work, pool="render")


def inspect_backup(runner: TaskRunner, *, backup: Path, folder: Path) -> Op:
    def work(job: Job) -> BackupPreview:
        from clinic_app.services import backup as backups
        from clinic_app.services import restore

        path = Path(backup)
        users = tuple(restore.users_in_backup(path))  # raises BackupInvalid for a file that is not one
        found = [b for b in backups.list_backups(path.parent)[0] if b.path.name == path.name]
        created = found[0].header.created_at if found else ""
        return BackupPreview(users, created, restore.folder_state(Path(folder)))

    return Op(runner, work, pool="render")


def restore_backup(runner: TaskRunner, *, backup: Path, folder: Path, user: str, passphrase: str) -> Op:
    """Restore into `folder` (an existing vault there is moved aside, never deleted).

    Runs on the vault thread, so it waits for the lock queued before it; it refuses
    to run while a vault is still open in this window.
    """

    def work(job: Job) -> Restored:
        from clinic_app.errors import BadInput
        from clinic_app.services import restore

        session = job.state.session
        if session is not None and not session.locked:
            raise BadInput(_("Lock Haven before restoring a backup."))
        def progress(done: int, total: int, label: str) -> None:
            job.progress(done, total, label)

        result = restore.restore(Path(backup), Path(folder), user=user, passphrase=passphrase, replace=True,
                                 progress=progress)
        return Restored(result.folder, result.moved_aside, result.documents_verified, result.backup_created_at,
                        tuple(result.warnings))

    return Op(runner, work, writes=True)

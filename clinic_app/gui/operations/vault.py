"""Creating, unlocking and locking a vault: the session is made and dropped on the vault thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from clinic_app.domain.roles import Permission
from clinic_app.gui.operations import adapters
from clinic_app.gui.tasks import Job, Op, TaskRunner


@dataclass(frozen=True)
class Opened:
    """Who is working, as plain data for the GUI thread (the session stays on the vault thread)."""

    folder: Path
    user: str
    role: str
    permissions: frozenset[Permission]
    recovery_key: str = field(default="", repr=False)
    failed_attempts: str = ""  # failed_unlocks.summary of the attempts this unlock moved into the audit log

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions


def _opened(job: Job, folder: Path, recovery: str = "") -> Opened:
    session = job.session
    from clinic_app.services.failed_unlocks import summary

    allowed = frozenset(p for p in Permission if session.can(p))
    return Opened(Path(folder), session.user.name, session.role.value, allowed, recovery,
                  summary(getattr(session, "failed_attempts", ())))


def users_of(folder: Path) -> list[str]:
    """Login names from the key-slot file (no key, no query), or [] if there is no vault."""
    from clinic_app.errors import HavenError
    from clinic_app.services.session import users_of as slot_users

    try:
        return slot_users(Path(folder))
    except (HavenError, OSError, ValueError):
        return []


def create_vault(runner: TaskRunner, *, folder: Path, admin: str, passphrase: str,
                 kdf_profile: str = "standard") -> Op:
    def work(job: Job) -> Opened:
        from clinic_app.services.session import create_vault as create

        _lock_current(job)
        session, recovery = create(Path(folder), admin=admin, passphrase=passphrase, kdf_profile=kdf_profile)
        job.state.session = session
        return _opened(job, folder, recovery)

    return Op(runner, work, writes=True)


def join_clinic(runner: TaskRunner, *, folder: Path, invitation: Path, code: str, passphrase: str,
                kdf_profile: str = "standard") -> Op:
    """Create this laptop's vault from an invitation and pull what its role may see
    (services.sync.enrol.join); opens it like a new vault, recovery key included."""

    def work(job: Job) -> Opened:
        from clinic_app.services.sync import enrol

        _lock_current(job)
        joined = enrol.join(Path(folder), Path(invitation), code, passphrase, kdf_profile=kdf_profile)
        job.state.session = joined.session
        return _opened(job, folder, joined.recovery_key)

    return Op(runner, work, writes=True)


def unlock(runner: TaskRunner, *, folder: Path, user: str, passphrase: str, accept_older: bool = False) -> Op:
    def work(job: Job) -> Opened:
        from clinic_app.services.session import unlock as open_vault

        _lock_current(job)
        job.state.session = open_vault(Path(folder), user=user, passphrase=passphrase, accept_older=accept_older)
        return _opened(job, folder)

    return Op(runner, work, writes=True)


def lock(runner: TaskRunner, *, backup_folder: Path | None = None) -> Op:
    """Back up if the backup service exists, then close the database and drop the key."""

    def work(job: Job) -> str:
        session = job.state.session
        note = ""
        if session is not None and not session.locked:
            try:
                note = adapters.auto_backup(session, backup_folder)
            finally:
                _lock_current(job)
        return note

    return Op(runner, work, writes=True)


def _lock_current(job: Job) -> None:
    session = job.state.session
    job.state.session = None
    if session is not None:
        session.lock()


def assess_passphrase(passphrase: str, user: str) -> tuple[int, tuple[str, ...]]:
    """Strength for the meter (zxcvbn, pure computation: safe on the GUI thread)."""
    from clinic_app.services.passphrase_policy import assess

    strength = assess(passphrase, user_inputs=(user,) if user else ())
    return strength.score, strength.problems


def recover(runner: TaskRunner, *, folder: Path, admin: str, recovery_key: str, new_passphrase: str) -> Op:
    """A forgotten admin passphrase: a new one set with the printed recovery key (services.users.recover,
    as `clinic-app recover`). Runs while the window is locked: nothing is open, and the vault's own
    lock keeps any other Haven out while the new key slot is written."""

    def work(job: Job) -> str:
        from clinic_app.services.users import recover as set_new

        set_new(Path(folder), recovery_key=recovery_key, admin=admin, new_passphrase=new_passphrase)
        return admin.strip()

    return Op(runner, work, writes=True)


@dataclass(frozen=True)
class CheckShown:
    """The check's report as the window shows it: what is fine, what is wrong, what to do."""

    ok: bool
    fine: tuple[str, ...]
    wrong: tuple[str, ...]
    todo: tuple[str, ...]


def check_vault(runner: TaskRunner, *, backups_folder: Path | None) -> Op:
    """Vault → Check vault: services.vault_check on the open vault, worded as `clinic-app check`."""

    def work(job: Job) -> CheckShown:
        from clinic_app.services import vault_check

        found = vault_check.check_open(job.session, backups_folder=backups_folder)
        return _shown(found)

    return Op(runner, work, writes=True)  # it records the check in the audit log


def _shown(found) -> CheckShown:  # type: ignore[no-untyped-def]
    from clinic_app.i18n import _
    from clinic_app.services import vault_check

    report = found.report
    fine: list[str] = []
    if report is not None:
        if not (report.database_problems or found.damaged_pages):
            fine.append(_("The database: every page verified, no damage found."))
        if not report.document_problems:
            fine.append(_("The stored documents: each one matches its SHA-256."))
        if not report.audit_problems:
            fine.append(_("The audit log: its chain is intact."))
        if not report.user_problems:
            fine.append(_("The users: each one has a key slot and can log in."))
    wrong = [_("Warning: {text}").format(text=line) for line in found.location_problems]
    wrong += vault_check.findings(found)
    todo: list[str] = []
    if found.ok and report is not None:
        fine.insert(0, vault_check.intact_line(report))
    elif not found.suggest_restore:
        todo += vault_check.backup_lines(found)
    else:
        todo.append(vault_check.damaged_line())
        todo += vault_check.backup_lines(found)
        if found.backup is not None:
            todo.append(_("To restore it, choose {menu} → {command} and choose that file.").format(
                menu=_("&File").replace("&", ""), command=_("&Restore from backup…").replace("&", "")))
        elif found.backups_looked_in is not None:
            todo.append(_("No good backup of this vault was found in {folder}.").format(
                folder=found.backups_looked_in))
        else:
            todo.append(_("Choose your backup folder in {menu} → {command} so that Haven can find the newest "
                          "good backup.").format(menu=_("&File").replace("&", ""),
                                                 command=_("&Settings…").replace("&", "").rstrip("…")))
    return CheckShown(found.ok, tuple(fine), tuple(wrong), tuple(todo))

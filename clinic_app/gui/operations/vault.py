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

"""An unlocked vault together with who unlocked it: the handle every use case takes.

Opening and creating vaults, recording failed attempts, and the permission check
live here. `lock()` closes the database and drops the key; a locked session
refuses every further call.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from clinic_app.domain.roles import PERMISSION_LABELS, Permission, Role, User, allows, validate_user_name
from clinic_app.errors import PermissionDenied, VaultLocked, WrongPassphrase
from clinic_app.i18n import _
from clinic_app.services import failed_unlocks, vault_history
from clinic_app.services.passphrase_policy import require_strong
from clinic_app.vault import audit, users
from clinic_app.vault.connection import Connection
from clinic_app.vault.errors import VaultOlderCopy
from clinic_app.vault.kdf import profile
from clinic_app.vault.store import Vault


class Session:
    def __init__(self, vault: Vault, user: User, *, remember_history: bool = True) -> None:
        self._vault: Vault | None = vault
        self.user = user
        self.folder = vault.folder
        self._remember_history = remember_history  # False while `check` looks at an older copy
        # Failed attempts since the previous unlock, moved into the audit log by this one:
        # shown to the person who just unlocked ({"at": UTC time, "user": login or UNKNOWN_USER}).
        self.failed_attempts: tuple[dict[str, str], ...] = ()

    @property
    def vault(self) -> Vault:
        if self._vault is None:
            raise VaultLocked()
        return self._vault

    @property
    def locked(self) -> bool:
        return self._vault is None

    @property
    def role(self) -> Role:
        return self.user.role

    def can(self, permission: Permission) -> bool:
        return allows(self.user.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(self.user.role.value, _(PERMISSION_LABELS[permission]))

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self.vault.transaction() as conn:
            yield conn

    def audit(self, action: str, target: str = "", detail: dict[str, Any] | None = None) -> None:
        """Append an audit row as this user (inside the caller's transaction, if any)."""
        audit.append(self.vault.conn, self.vault.vault_id, actor=self.user.name, action=action,
                     target=target, detail=detail)

    def lock(self) -> None:
        if self._vault is not None and self._remember_history:
            with contextlib.suppress(Exception):  # a damaged or full disk must not keep the vault open
                vault_history.remember(self._vault.vault_id, self._vault.folder, self._vault.conn)
        if self._vault is not None:
            self._vault.close()
            self._vault = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock()


def create_vault(
    folder: Path, *, admin: str, passphrase: str, kdf_profile: str = "standard", role: Role = Role.ADMIN
) -> tuple[Session, str]:
    """A new vault with `admin` as its first user (with `role`: another role only when a laptop
    joins a clinic); returns the session and the recovery key."""
    admin = validate_user_name(admin)
    require_strong(passphrase, user_inputs=(admin,))
    vault, recovery = Vault.create(Path(folder), admin=admin, passphrase=passphrase,
                                   kdf=profile(kdf_profile), role=role)
    vault_history.remember(vault.vault_id, vault.folder, vault.conn)
    return Session(vault, User(admin, role)), recovery


def unlock(folder: Path, *, user: str, passphrase: str, accept_older: bool = False) -> Session:
    """Open the vault as `user`. A failure is remembered for the audit log, nothing else.

    A vault on a network file system is refused (SQLite's locking and fsync are not
    trustworthy there); a cloud-synced folder is allowed, with warnings the caller
    can show from `location_warnings(folder)`. A database older than the one this
    computer last opened is refused (VaultOlderCopy) before anything is written,
    unless the person chose to open it (`accept_older`).
    """
    older: list[VaultOlderCopy] = []
    vault = open_vault(folder, user=user, passphrase=passphrase, older=older if accept_older else None)
    return start_session(vault, user, accepted=older[0] if older else None)


def open_vault(folder: Path, *, user: str, passphrase: str, older: list[VaultOlderCopy] | None = None) -> Vault:
    """Unwrap and open the vault (no audit row yet). An older copy raises, or, when `older` is
    a list, is appended to it and the vault opens anyway (for `check` and for accepting it)."""
    from clinic_app.services.location_guard import guard_vault_folder

    guard_vault_folder(Path(folder))
    slots = Vault.peek_slots(Path(folder))

    def inspect(conn: Connection) -> None:
        problem = vault_history.compare(slots.vault_id, Path(folder), conn)
        if problem is not None:
            if older is None:
                raise problem
            older.append(problem)

    try:
        return Vault.open(Path(folder), user=user, passphrase=passphrase, inspect=inspect)
    except WrongPassphrase:
        failed_unlocks.record(slots.vault_id, user if user in slots.users() else None)
        raise


def start_session(vault: Vault, user: str, *, accepted: VaultOlderCopy | None = None,
                  look_only: bool = False) -> Session:
    """The session for `user` on an opened vault: pending failed attempts and the unlock are
    audited, and this computer remembers how far the history now reaches. With `look_only`
    (`check` reporting on an older copy the person has not accepted) nothing is written."""
    try:
        record = users.get(vault.conn, user)
        if record is None:  # a slot left behind by an interrupted removal
            raise WrongPassphrase()
        session = Session(vault, record, remember_history=not look_only)
        if look_only:
            return session
        attempts = failed_unlocks.pending(vault.vault_id)
        with session.transaction():
            for attempt in attempts:
                audit.append(vault.conn, vault.vault_id, actor=attempt["user"], action="unlock_failed",
                             detail={"attempted_at": attempt["at"]})
            if accepted is not None:
                session.audit("older_copy_opened", detail={"ends_at_row": accepted.ends_seq,
                                                           "computer_had_seen_row": accepted.seen_seq})
            session.audit("unlock")
        failed_unlocks.clear(vault.vault_id)
        session.failed_attempts = tuple(attempts)
        vault_history.remember(vault.vault_id, vault.folder, vault.conn)
    except BaseException:
        vault.close()
        raise
    return session


def users_of(folder: Path) -> list[str]:
    """Login names that can unlock the vault (read from the key-slot file, no key needed)."""
    return Vault.peek_slots(Path(folder)).users()

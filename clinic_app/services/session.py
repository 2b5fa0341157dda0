"""An unlocked vault together with who unlocked it: the handle every use case takes.

Opening and creating vaults, recording failed attempts, and the permission check
live here. `lock()` closes the database and drops the key; a locked session
refuses every further call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from clinic_app.domain.roles import PERMISSION_LABELS, Permission, Role, User, allows, validate_user_name
from clinic_app.errors import PermissionDenied, VaultLocked, WrongPassphrase
from clinic_app.i18n import _
from clinic_app.services import failed_unlocks
from clinic_app.services.passphrase_policy import require_strong
from clinic_app.vault import audit, users
from clinic_app.vault.connection import Connection
from clinic_app.vault.kdf import PROFILES
from clinic_app.vault.store import Vault


class Session:
    def __init__(self, vault: Vault, user: User) -> None:
        self._vault: Vault | None = vault
        self.user = user
        self.folder = vault.folder

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
        if self._vault is not None:
            self._vault.close()
            self._vault = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock()


def create_vault(
    folder: Path, *, admin: str, passphrase: str, kdf_profile: str = "standard"
) -> tuple[Session, str]:
    """A new vault with `admin` as its first user; returns the session and the recovery key."""
    admin = validate_user_name(admin)
    require_strong(passphrase, user_inputs=(admin,))
    vault, recovery = Vault.create(Path(folder), admin=admin, passphrase=passphrase,
                                   kdf=PROFILES[kdf_profile])
    return Session(vault, User(admin, Role.ADMIN)), recovery


def unlock(folder: Path, *, user: str, passphrase: str) -> Session:
    """Open the vault as `user`. A failure is remembered for the audit log, nothing else.

    A vault on a network file system is refused (SQLite's locking and fsync are not
    trustworthy there); a cloud-synced folder is allowed, with warnings the caller
    can show from `location_warnings(folder)`.
    """
    from clinic_app.services.location_guard import guard_vault_folder

    guard_vault_folder(Path(folder))
    slots = Vault.peek_slots(Path(folder))
    try:
        vault = Vault.open(Path(folder), user=user, passphrase=passphrase)
    except WrongPassphrase:
        failed_unlocks.record(slots.vault_id, user if user in slots.users() else None)
        raise
    try:
        record = users.get(vault.conn, user)
        if record is None:  # a slot left behind by an interrupted removal
            raise WrongPassphrase()
        session = Session(vault, record)
        with session.transaction():
            for attempt in failed_unlocks.pending(vault.vault_id):
                audit.append(vault.conn, vault.vault_id, actor=attempt["user"], action="unlock_failed",
                             detail={"attempted_at": attempt["at"]})
            session.audit("unlock")
        failed_unlocks.clear(vault.vault_id)
    except BaseException:
        vault.close()
        raise
    return session


def users_of(folder: Path) -> list[str]:
    """Login names that can unlock the vault (read from the key-slot file, no key needed)."""
    return Vault.peek_slots(Path(folder)).users()

"""Managing who can open the vault: add, remove (with rekey), change passphrase, recover."""

from __future__ import annotations

from pathlib import Path

from clinic_app.domain.roles import Permission, Role, User, validate_user_name
from clinic_app.errors import BadInput, NotFound
from clinic_app.i18n import _
from clinic_app.services.passphrase_policy import require_strong
from clinic_app.services.session import Session
from clinic_app.services.sync import local as sync_local
from clinic_app.vault import audit
from clinic_app.vault import users as user_rows
from clinic_app.vault.store import Vault


def list_users(session: Session) -> list[User]:
    session.require(Permission.MANAGE_USERS)
    return user_rows.all_users(session.vault.conn)


def add_user(session: Session, name: str, role: Role, passphrase: str) -> User:
    session.require(Permission.MANAGE_USERS)
    name = validate_user_name(name)
    vault = session.vault
    existing = user_rows.get(vault.conn, name)
    vault.catch_up_slots()  # a slot another Haven added since this vault was opened counts too
    if existing is not None and vault.slots.user_slot(name) is not None:
        raise BadInput(_("There is already a user called {name}.").format(name=name))
    require_strong(passphrase, user_inputs=(name,))
    with session.transaction():
        if existing is None:
            user_rows.add(vault.conn, name, role)
        session.audit("user_added", target=name, detail={"role": role.value})
    vault.add_user_slot(name, passphrase)  # after the row: a crash here is mended by re-adding
    return User(name, role)


def remove_user(session: Session, name: str) -> None:
    """Remove the user's row and key slot, then rekey so their old key opens nothing."""
    session.require(Permission.MANAGE_USERS)
    vault = session.vault
    record = user_rows.get(vault.conn, name)
    if record is None and vault.slots.user_slot(name) is None:
        raise NotFound(_("There is no user called {name}.").format(name=name))
    if name == session.user.name:
        raise BadInput(_("You cannot remove yourself; ask another admin."))
    if record is not None and record.role is Role.ADMIN and user_rows.admin_count(vault.conn) <= 1:
        raise BadInput(_("{name} is the last admin and cannot be removed.").format(name=name))
    if sync_local.is_connected(vault.conn):
        # their laptops leave the clinic first (new epoch, logins cut): done offline, this laptop
        # would forget the person while their laptops stayed in; the server must answer
        from clinic_app.services.sync.connection import server_errors
        from clinic_app.services.sync.enrol import remove_member

        with server_errors():
            remove_member(session, name)
    with session.transaction():
        user_rows.remove(vault.conn, name)
        session.audit("user_removed", target=name)
    vault.remove_user_slot_and_rekey(name)
    with session.transaction():
        session.audit("data_key_rotated", detail={"reason": "user_removed"})


def change_passphrase(session: Session, old: str, new: str) -> None:
    require_strong(new, user_inputs=(session.user.name,))
    session.vault.change_passphrase(session.user.name, old, new)
    with session.transaction():
        session.audit("passphrase_changed", target=session.user.name)


def recover(folder: Path, *, recovery_key: str, admin: str, new_passphrase: str) -> None:
    """Give an admin a new passphrase using the printed recovery key."""
    admin = validate_user_name(admin)
    with Vault.open_with_recovery(Path(folder), recovery_key) as vault:
        record = user_rows.get(vault.conn, admin)
        if record is None or record.role is not Role.ADMIN:
            raise BadInput(_("{name} is not an admin of this vault.").format(name=admin))
        require_strong(new_passphrase, user_inputs=(admin,))
        vault.add_user_slot(admin, new_passphrase)  # a brand-new slot: the old passphrase is unknown
        with vault.transaction():
            audit.append(vault.conn, vault.vault_id, actor="recovery-key", action="recovery_used",
                         target=admin)

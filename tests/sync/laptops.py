"""Laptops for the sharing tests: vault folders that set up, invite, join and sync through the services."""

from __future__ import annotations

from pathlib import Path

from clinic_app.domain.roles import Role
from clinic_app.services import users
from clinic_app.services.session import create_vault, unlock
from clinic_app.services.sync import enrol
from clinic_app.services.sync.engine import SyncReport, sync_now

from support import ADMIN, ADMIN_PASS, PASSES


class _Borrowed:
    """An open session lent to a `with` block without locking it at the end."""

    def __init__(self, session) -> None:  # type: ignore[no-untyped-def]
        self.session = session

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self.session

    def __exit__(self, *exc: object) -> None:
        pass


class Laptop:
    def __init__(self, folder: Path, user: str, passphrase: str) -> None:
        self.folder, self.user, self.passphrase = folder, user, passphrase
        self._held = None

    def session(self):  # type: ignore[no-untyped-def]
        if self._held is not None:
            return _Borrowed(self._held)
        return unlock(self.folder, user=self.user, passphrase=self.passphrase)

    def hold(self) -> None:
        """Keep the vault unlocked (as a window would) until `release`."""
        if self._held is None:
            self._held = unlock(self.folder, user=self.user, passphrase=self.passphrase)

    def release(self) -> None:
        if self._held is not None:
            self._held.lock()
            self._held = None

    def sync(self) -> SyncReport:
        with self.session() as s:
            return sync_now(s)


def admin_laptop(tmp: Path, url: str, *, users_to_add: dict[str, Role] | None = None) -> Laptop:
    folder = tmp / "admin-laptop"
    session, _recovery = create_vault(folder, admin=ADMIN, passphrase=ADMIN_PASS, kdf_profile="fast")
    with session as s:
        for name, role in (users_to_add or {}).items():
            users.add_user(s, name, role, PASSES.get(role.value, "a long passphrase for " + name))
        enrol.setup(s, url)
        sync_now(s)
    return Laptop(folder, ADMIN, ADMIN_PASS)


def join_laptop(admin: Laptop, tmp: Path, user: str, role: Role, name: str = "") -> Laptop:
    invitation = tmp / f"invite-{name or user}.haveninvite"
    with admin.session() as s:
        made = enrol.invite(s, user, invitation)
    folder = tmp / f"laptop-{name or user}"
    passphrase = PASSES.get(role.value, "a long passphrase for " + user)
    joined = enrol.join(folder, invitation, made.code, passphrase, kdf_profile="fast")
    assert not joined.first_sync_error, joined.first_sync_error
    joined.session.lock()
    return Laptop(folder, user, passphrase)

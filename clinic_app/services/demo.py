"""The demo vault: fictional people only, so anyone can try Haven safely."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from clinic_app.domain.roles import Role
from clinic_app.services import users
from clinic_app.services.session import create_vault, unlock
from clinic_app.services.vault_check import CheckReport, check

DEMO_ADMIN = "demo"
DEMO_PASSPHRASE = "fictional clinic demo passphrase"
DEMO_USERS = {
    "lawyer": (Role.LAWYER, "fictional lawyer demo passphrase"),
    "volunteer": (Role.VOLUNTEER, "fictional volunteer demo passphrase"),
}


@dataclass(frozen=True)
class DemoVault:
    folder: Path
    recovery_key: str
    report: CheckReport
    users: dict[str, str]  # name -> role


def create_demo(folder: Path | None = None, *, kdf_profile: str = "standard") -> DemoVault:
    target = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="haven-demo-")) / "vault"
    session, recovery = create_vault(target, admin=DEMO_ADMIN, passphrase=DEMO_PASSPHRASE,
                                     kdf_profile=kdf_profile)
    with session:
        for name, (role, passphrase) in DEMO_USERS.items():
            users.add_user(session, name, role, passphrase)
    with unlock(target, user=DEMO_ADMIN, passphrase=DEMO_PASSPHRASE) as session:
        report = check(session)
        roster = {u.name: u.role.value for u in users.list_users(session)}
    return DemoVault(target, recovery, report, roster)

"""Key slots on a real vault: wrong passphrase, add/change/remove with rekey, recovery."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.domain.roles import Role
from clinic_app.errors import VaultInUse, WrongPassphrase, WrongRecoveryKey
from clinic_app.services import users
from clinic_app.services.session import unlock
from clinic_app.vault import audit, connection, keyslots
from clinic_app.vault.store import Vault

from support import ADMIN, ADMIN_PASS, folder_digest


def test_wrong_passphrase_leaves_every_file_identical_and_is_audited_later(vault_folder: Path) -> None:
    before = folder_digest(vault_folder)
    for attempt in range(5):
        with pytest.raises(WrongPassphrase):
            unlock(vault_folder, user=ADMIN, passphrase=f"not it {attempt}")
    with pytest.raises(WrongPassphrase):
        unlock(vault_folder, user="nobody", passphrase=ADMIN_PASS)
    assert folder_digest(vault_folder) == before
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        rows = audit.entries(session.vault.conn)
    failed = [e for e in rows if e.action == "unlock_failed"]
    assert [e.actor for e in failed] == [ADMIN] * 5 + ["(unknown user)"]
    assert rows[-1].action == "unlock"


def test_slot_file_holds_no_data_key_in_clear(vault_folder: Path) -> None:
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        key = bytes(session.vault._data_key)
    raw = (vault_folder / "keyslots.json").read_bytes()
    assert key.hex().encode() not in raw and key not in raw
    slots = keyslots.loads(raw)
    assert {s.kind for s in slots.slots} == {"user", "recovery"}
    assert all(s.kdf.algorithm == "argon2id" for s in slots.slots)


def test_add_user_then_change_passphrase_rewrites_only_that_slot(vault_folder: Path) -> None:
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as admin:
        users.add_user(admin, "bea", Role.STAFF, "bea keeps careful records")
    before = keyslots.read(vault_folder / "keyslots.json")
    with unlock(vault_folder, user="bea", passphrase="bea keeps careful records") as bea:
        users.change_passphrase(bea, "bea keeps careful records", "a new phrase for bea today")
    after = keyslots.read(vault_folder / "keyslots.json")
    changed = [s.user for s in after.slots if s not in before.slots]
    assert changed == ["bea"]
    with pytest.raises(WrongPassphrase):
        unlock(vault_folder, user="bea", passphrase="bea keeps careful records")
    unlock(vault_folder, user="bea", passphrase="a new phrase for bea today").lock()
    unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS).lock()


def test_removing_a_user_rekeys_so_the_old_key_opens_nothing(vault_folder: Path) -> None:
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as admin:
        users.add_user(admin, "bob", Role.LAWYER, "bob argues cases well")
        old_key = bytes(admin.vault._data_key)
        users.remove_user(admin, "bob")
        new_key = bytes(admin.vault._data_key)
    assert old_key != new_key
    with pytest.raises(connection.WrongKey):
        connection.connect(vault_folder / "vault.db", old_key)
    connection.connect(vault_folder / "vault.db", new_key).close()
    with pytest.raises(WrongPassphrase):
        unlock(vault_folder, user="bob", passphrase="bob argues cases well")
    slots = keyslots.read(vault_folder / "keyslots.json")
    assert slots.pending_key_id is None and slots.users() == [ADMIN]
    assert all(len(s.sealed) == 1 for s in slots.slots)
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as admin:
        actions = [e.action for e in audit.entries(admin.vault.conn)]
    assert "user_removed" in actions and "data_key_rotated" in actions


def test_interrupted_rekey_is_finished_by_the_next_unlock(vault_folder: Path) -> None:
    """Simulate a crash after step 1 of the rekey: slots hold old+new keys, file has old."""
    import secrets
    from dataclasses import replace

    vault = Vault.open(vault_folder, user=ADMIN, passphrase=ADMIN_PASS)
    new_key = secrets.token_bytes(32)
    staged = replace(
        vault.slots,
        slots=tuple(keyslots.add_keys(vault.vault_id, s, [new_key]) for s in vault.slots.slots),
        pending_key_id=keyslots.key_id(new_key),
    )
    vault._save_slots(staged)
    vault.close()  # "crash" before PRAGMA rekey
    unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS).lock()
    connection.connect(vault_folder / "vault.db", new_key).close()
    assert keyslots.read(vault_folder / "keyslots.json").pending_key_id is None


def test_recovery_key_sets_a_new_admin_passphrase(new_vault) -> None:
    folder, recovery = new_vault()
    with pytest.raises(WrongRecoveryKey):
        users.recover(folder, recovery_key="AAAA-" * 7 + "AAAA", admin=ADMIN, new_passphrase="x" * 20)
    typed = recovery.lower().replace("-", " ")  # forgiving of case and spacing
    users.recover(folder, recovery_key=typed, admin=ADMIN, new_passphrase="the admin forgot and came back")
    with pytest.raises(WrongPassphrase):
        unlock(folder, user=ADMIN, passphrase=ADMIN_PASS)
    with unlock(folder, user=ADMIN, passphrase="the admin forgot and came back") as session:
        assert "recovery_used" in [e.action for e in audit.entries(session.vault.conn)]


def test_second_open_is_refused_until_the_first_closes(vault_folder: Path) -> None:
    first = unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS)
    with pytest.raises(VaultInUse):
        unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS)
    first.lock()
    unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS).lock()


def test_weak_passphrases_are_refused(tmp_path: Path) -> None:
    from clinic_app.errors import BadInput
    from clinic_app.services.session import create_vault

    for weak in ("short", "password1234", "aaaaaaaaaaaaaaaa"):
        with pytest.raises(BadInput):
            create_vault(tmp_path / "v", admin="ana", passphrase=weak, kdf_profile="fast")
    assert not (tmp_path / "v").exists()


def test_vault_files_are_private_to_the_owner(vault_folder: Path) -> None:
    import os
    import stat

    if os.name != "posix":
        pytest.skip("POSIX permissions only")
    assert stat.S_IMODE(vault_folder.stat().st_mode) == 0o700
    for path in vault_folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name

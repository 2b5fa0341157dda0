"""Version-1 key-slot files (every frozen fixture) are upgraded to authenticated version 2.

A version-1 file carries no MAC, so the upgrade is the one moment it is trusted; it keeps
only what Haven could have written: one slot per user recorded in the database, one
recovery slot, and no pending key that the database itself does not prove.
"""

from __future__ import annotations

import json
import secrets
import shutil
from pathlib import Path

import pytest

from clinic_app.domain.roles import Role
from clinic_app.errors import HavenError
from clinic_app.services import users
from clinic_app.services.session import unlock
from clinic_app.vault import connection, keyslot_auth, keyslots
from clinic_app.vault.errors import KeySlotsAltered
from clinic_app.vault.kdf import PROFILES, WEAK_ENV

from keyslot_tools import seal_to_every_slot
from support import ADMIN, ADMIN_PASS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "vaults"
FROZEN = sorted(p for p in FIXTURES.iterdir() if p.is_dir())
STAFF_PASS = "staff keep the files in order"


@pytest.fixture(params=FROZEN, ids=[p.name for p in FROZEN])
def legacy(request, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / request.param.name
    shutil.copytree(request.param, folder)
    assert json.loads((folder / "keyslots.json").read_text())["version"] == 1
    return folder


def _doc(folder: Path) -> dict:
    return json.loads((folder / "keyslots.json").read_text())


def _key_in_file(folder: Path) -> bytes:
    """The admin's data key read straight from the (version-1) file, without opening the vault."""
    slots = keyslots.read(folder / "keyslots.json")
    slot = slots.user_slot(ADMIN)
    private = keyslots.open_private(slots.vault_id, slot, ADMIN_PASS)
    (key,) = keyslots.data_keys(slots.vault_id, slot, private).values()
    return key


def _key(folder: Path, user: str = ADMIN, passphrase: str = ADMIN_PASS) -> bytes:
    with unlock(folder, user=user, passphrase=passphrase) as s:
        return bytes(s.vault._data_key)


def test_the_first_unlock_upgrades_the_file_and_signs_it(legacy: Path) -> None:
    key = _key(legacy)
    slots = keyslots.read(legacy / "keyslots.json")
    assert slots.version == 2 and slots.generation >= 1 and slots.db_salt == (legacy / "vault.db").read_bytes()[:16]
    assert keyslot_auth.verify(slots, key)
    assert sorted(slots.users()) == [ADMIN, "staff"] and slots.recovery_slot() is not None
    assert _key(legacy, "staff", STAFF_PASS) == key  # the upgrade needs nobody else's passphrase


def test_a_slot_planted_in_a_version_1_file_is_dropped_and_the_key_rotated(legacy: Path) -> None:
    old_key = _key_in_file(legacy)
    doc = _doc(legacy)
    planted = keyslots.new_slot(doc["vault_id"], keyslots.USER, "mallory", "mallory's own passphrase here",
                                PROFILES["fast"], [secrets.token_bytes(32)])
    doc["slots"].append({k: v for k, v in keyslots._slot_to_json(planted).items()})
    doc["slots"][-1]["private_key"].pop("check")  # shaped like a version-1 slot
    (legacy / "keyslots.json").write_text(json.dumps(doc))
    with unlock(legacy, user=ADMIN, passphrase=ADMIN_PASS) as s:
        new_key = bytes(s.vault._data_key)
        users.remove_user(s, "staff")  # a later removal seals the new key to nobody else
    slots = keyslots.read(legacy / "keyslots.json")
    assert slots.users() == [ADMIN] and "mallory" not in json.dumps(_doc(legacy))
    assert new_key != old_key
    with pytest.raises(HavenError):
        unlock(legacy, user="mallory", passphrase="mallory's own passphrase here")


def test_a_pending_key_injected_into_a_version_1_file_is_never_used(legacy: Path) -> None:
    real = _key_in_file(legacy)
    evil = secrets.token_bytes(32)
    doc = _doc(legacy)
    seal_to_every_slot(doc, evil)
    (legacy / "keyslots.json").write_text(json.dumps(doc))
    now = _key(legacy)
    assert now not in (real, evil)  # moved to a fresh key of Haven's own, not the offered one
    with pytest.raises(connection.WrongKey):
        connection.connect(legacy / "vault.db", evil)
    slots = keyslots.read(legacy / "keyslots.json")
    assert slots.pending_key_id is None and all(s.key_id == keyslots.key_id(now) for sl in slots.slots
                                                   for s in sl.sealed)


def test_two_slots_for_one_user_in_a_version_1_file_are_refused(legacy: Path) -> None:
    doc = _doc(legacy)
    doc["slots"].append(dict(doc["slots"][0], id="feedfacefeedface"))
    (legacy / "keyslots.json").write_text(json.dumps(doc))
    with pytest.raises(KeySlotsAltered):
        unlock(legacy, user=ADMIN, passphrase=ADMIN_PASS)


def test_weak_defaults_are_raised_when_not_testing(legacy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixtures use the test profile (8 MiB, 1 pass): outside a test run Haven never seals with it."""
    monkeypatch.delenv(WEAK_ENV, raising=False)
    with unlock(legacy, user=ADMIN, passphrase=ADMIN_PASS) as s:
        assert s.vault.slots.kdf_defaults == PROFILES["standard"]
        users.add_user(s, "vic", Role.VOLUNTEER, "vic types the letters on tuesdays")
    slots = keyslots.read(legacy / "keyslots.json")
    assert slots.kdf_defaults == PROFILES["standard"] and slots.user_slot("vic").kdf == PROFILES["standard"]
    assert slots.user_slot(ADMIN).kdf == PROFILES["fast"]  # others' slots need their passphrases to change

"""Attacks on the files around the vault by someone who can write its folder but knows no passphrase.

Each test edits the files on disk the way such a person would (plain JSON, or Haven's own
format code, which is public), then runs the real command line as the clinic's user would
and checks that Haven names what happened (exit 5, a clear message) instead of using it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from pathlib import Path

import pytest

from clinic_app.domain.roles import Role
from clinic_app.services import users
from clinic_app.services.session import unlock
from clinic_app.vault import connection, keyslots
from clinic_app.vault.kdf import PROFILES

from rel_support import haven, sha256_file, vault_args
from keyslot_tools import seal_to_every_slot
from support import ADMIN, ADMIN_PASS, PASSES

SLOTS = "keyslots.json"


def _doc(folder: Path) -> dict:
    return json.loads((folder / SLOTS).read_text())


def _put(folder: Path, doc: dict) -> None:
    (folder / SLOTS).write_text(json.dumps(doc, indent=2))


def _key(folder: Path) -> bytes:
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        return bytes(s.vault._data_key)


def _run(folder: Path, *args: str, stdin: str = ADMIN_PASS + "\n", **kw):  # type: ignore[no-untyped-def]
    return haven(*vault_args(folder), "--user", ADMIN, *args, stdin=stdin, **kw)


def _refused_as_altered(run) -> None:  # type: ignore[no-untyped-def]
    assert run.returncode == 5, (run.returncode, run.stdout, run.stderr)
    text = run.stdout + run.stderr
    assert "keyslots.json" in text and "changed outside Haven" in text, text
    assert "Wrong user name or passphrase" not in text and "Internal error" not in text


@pytest.fixture
def two_users(new_vault) -> Path:
    folder, _recovery = new_vault()
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        users.add_user(s, "bob", Role.LAWYER, PASSES["lawyer"])
    return folder


def test_a_key_sealed_to_every_slot_as_a_pending_rekey_is_refused(two_users: Path) -> None:
    """Attack 1: seal a key of the attacker's choosing to each slot's public key and mark it as
    the pending rekey; the old code finished the "rekey" onto it at the next unlock."""
    folder = two_users
    real_key = _key(folder)
    evil = secrets.token_bytes(32)
    doc = _doc(folder)
    seal_to_every_slot(doc, evil)
    _put(folder, doc)
    db_before = sha256_file(folder / "vault.db")
    for args in (("list", "clients"), ("check",), ("audit", "--verify")):
        _refused_as_altered(_run(folder, *args))
    assert sha256_file(folder / "vault.db") == db_before  # nothing was rekeyed
    with pytest.raises(connection.WrongKey):
        connection.connect(folder / "vault.db", evil)
    connection.connect(folder / "vault.db", real_key).close()


def test_a_planted_slot_is_refused_and_never_receives_a_key(two_users: Path) -> None:
    """Attack 2: add a slot by hand (the attacker's own passphrase, any key inside)."""
    folder = two_users
    slots = keyslots.read(folder / SLOTS)
    planted = keyslots.new_slot(slots.vault_id, keyslots.USER, "mallory", "mallory's own passphrase here",
                                PROFILES["fast"], [secrets.token_bytes(32)])
    doc = _doc(folder)
    doc["slots"].append(keyslots._slot_to_json(planted))
    _put(folder, doc)
    before = (folder / SLOTS).read_bytes()
    _refused_as_altered(_run(folder, "user", "list"))
    _refused_as_altered(_run(folder, "user", "remove", "bob"))
    _refused_as_altered(_run(folder, "check"))
    assert (folder / SLOTS).read_bytes() == before  # bob was not removed, no key sealed to mallory
    with pytest.raises(Exception):
        unlock(folder, user="mallory", passphrase="mallory's own passphrase here")


@pytest.mark.parametrize("edit", [
    {"memory_kib": 8, "iterations": 1, "parallelism": 1},  # the downgrade of the issue: 8 KiB, 1 pass
    {"memory_kib": 8192, "iterations": True, "parallelism": 1},  # a boolean is not a number
    {"memory_kib": 65536, "iterations": 2, "parallelism": 1},  # in range, but not what Haven signed
])
def test_edited_kdf_defaults_are_refused(two_users: Path, edit: dict) -> None:
    """Attack 3: weaken the defaults that every later user add, recovery and export would use."""
    folder = two_users
    doc = _doc(folder)
    doc["kdf_defaults"].update(edit)
    _put(folder, doc)
    edited = (folder / SLOTS).read_bytes()
    _refused_as_altered(_run(folder, "user", "add", "carol", "--role", "staff",
                             stdin=ADMIN_PASS + "\n" + "carol has her own strong phrase\n" * 2))
    assert (folder / SLOTS).read_bytes() == edited  # no slot was sealed with the edited parameters


def test_a_slot_kdf_asking_for_gigabytes_is_refused_before_any_work(two_users: Path) -> None:
    """Attack 5: a header asking for 4 GiB x 100 passes x 64 lanes ran for minutes at 4 GB."""
    folder = two_users
    doc = _doc(folder)
    for slot in doc["slots"]:
        slot["kdf"].update(memory_kib=4 * 1024 * 1024, iterations=100, parallelism=64)
    _put(folder, doc)
    started = time.monotonic()
    run = _run(folder, "list", "clients")
    assert time.monotonic() - started < 20  # the process start, not an Argon2 run of minutes
    _refused_as_altered(run)


def test_a_tampered_slot_is_not_reported_as_a_wrong_passphrase(two_users: Path) -> None:
    folder = two_users
    doc = _doc(folder)
    mine = next(s for s in doc["slots"] if s["user"] == ADMIN)
    ct = bytearray(keyslots._unb64(mine["private_key"]["ciphertext"]))
    ct[5] ^= 0x40
    mine["private_key"]["ciphertext"] = keyslots._b64(bytes(ct))
    _put(folder, doc)
    run = _run(folder, "list", "clients")
    _refused_as_altered(run)
    assert "slot of ana was changed" in run.stderr
    wrong = _run(folder, "list", "clients", stdin="not the passphrase at all\n")
    assert wrong.returncode == 3  # a wrong passphrase is still just that


def test_malformed_slot_files_are_refused_cleanly(two_users: Path) -> None:
    folder = two_users
    original = (folder / SLOTS).read_bytes()
    cases = {
        "deep nesting": b"[" * 100_000 + b"]" * 100_000,
        "a field twice": original.replace(b'"version": 2', b'"version": 2, "version": 2', 1),
        "unknown field": original.replace(b'"version": 2', b'"version": 2, "extra": 1', 1),
        "huge": b'{"format": "haven-keyslots", "pad": "' + b"x" * (2 * 1024 * 1024) + b'"}',
        "not json": b"\xff\xfe garbage",
    }
    for name, raw in cases.items():
        (folder / SLOTS).write_bytes(raw)
        run = _run(folder, "check")
        assert run.returncode == 5, (name, run.stdout, run.stderr)
        assert "Internal error" not in run.stderr + run.stdout, name
        assert (folder / SLOTS).read_bytes() == raw, name  # nothing written


def test_an_empty_database_file_is_refused_and_left_alone(two_users: Path) -> None:
    folder = two_users
    (folder / "vault.db").write_bytes(b"")
    for args in (("list", "clients"), ("check",)):
        run = _run(folder, *args)
        assert run.returncode == 5, (run.stdout, run.stderr)
        assert "vault.db is empty or cut short" in run.stdout + run.stderr
    assert (folder / "vault.db").stat().st_size == 0
    assert not (folder / "vault.db-wal").exists() or (folder / "vault.db-wal").stat().st_size == 0


# --- rollback ------------------------------------------------------------------------------------


def _client(folder: Path, ref: str) -> None:
    from clinic_app.domain.client import Client
    from clinic_app.services import case_record

    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref=ref, legal_name=f"Person {ref}"))


def test_an_older_vault_db_copied_back_is_named_as_older_and_the_user_chooses(two_users: Path,
                                                                             tmp_path: Path) -> None:
    """Attack 4: copy an older vault.db over the current one; the newer records vanish silently."""
    folder = two_users
    old = tmp_path / "old.db"
    shutil.copy2(folder / "vault.db", old)
    _client(folder, "c-newer")
    shutil.copy2(old, folder / "vault.db")
    for args in (("check",), ("audit", "--verify"), ("list", "clients")):
        run = _run(folder, *args)
        assert run.returncode == 5, (args, run.stdout, run.stderr)
        text = run.stdout + run.stderr
        assert "older copy" in text and "this computer" in text and "UTC" in text, text
    check = _run(folder, "check", "--json")
    data = json.loads(check.stdout)
    assert data["older_copy"]["computer_saw_row"] > data["older_copy"]["history_ends_at_row"]
    assert data["damaged"] is False and data["ok"] is False
    accepted = _run(folder, "--accept-older-copy", "list", "clients", "--json")
    assert accepted.returncode == 0, accepted.stderr
    assert "c-newer" not in accepted.stdout
    after = _run(folder, "audit", "--json")
    assert after.returncode == 0  # accepting reset this computer's mark
    assert "older_copy_opened" in after.stdout


def test_an_old_vault_db_from_before_a_rekey_is_named_as_an_old_copy_not_damage(two_users: Path,
                                                                                 tmp_path: Path) -> None:
    folder = two_users
    old = tmp_path / "old.db"
    shutil.copy2(folder / "vault.db", old)
    removed = _run(folder, "user", "remove", "bob")
    assert removed.returncode == 0, removed.stderr
    shutil.copy2(old, folder / "vault.db")
    for args in (("list", "clients"), ("check",)):
        run = _run(folder, *args)
        assert run.returncode == 5
        text = run.stdout + run.stderr
        assert "older copy of this vault's database" in text and "data key was changed" in text, text
        assert "header" not in text and "Restore it from a backup." not in text


def test_an_older_keyslots_file_cannot_bring_back_an_old_passphrase(two_users: Path, tmp_path: Path) -> None:
    folder = two_users
    shutil.copy2(folder / SLOTS, tmp_path / "old-slots.json")
    new = "a completely different passphrase now"
    changed = _run(folder, "user", "passwd", stdin=f"{ADMIN_PASS}\n{new}\n{new}\n")
    assert changed.returncode == 0, changed.stderr
    shutil.copy2(tmp_path / "old-slots.json", folder / SLOTS)
    run = _run(folder, "list", "clients")  # the old passphrase, through the old slot file
    assert run.returncode == 5, (run.stdout, run.stderr)
    assert "older copy" in run.stderr and "keyslots.json" in run.stderr


def test_a_deliberate_restore_resets_the_mark(two_users: Path, tmp_path: Path) -> None:
    folder = two_users
    made = _run(folder, "backup", str(tmp_path / "b.havenbak"))
    assert made.returncode == 0, made.stderr
    _client(folder, "c-after-backup")
    restored = _run(folder, "restore", str(tmp_path / "b.havenbak"), "--replace")
    assert restored.returncode == 0, restored.stderr
    run = _run(folder, "list", "clients", "--json")
    assert run.returncode == 0, run.stderr  # no "older copy" after a restore the person asked for
    assert "c-after-backup" not in run.stdout


def test_the_mark_lives_outside_the_vault_and_holds_no_path(two_users: Path) -> None:
    state = Path(os.environ["HAVEN_STATE_DIR"]) / "history"
    marks = list(state.iterdir())
    assert marks and all(str(two_users) not in p.read_text() for p in marks)
    assert not any(p.name.startswith("history") for p in two_users.iterdir())

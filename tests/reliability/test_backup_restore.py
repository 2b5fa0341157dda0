"""Backups and restores: round trip, checks before replacing, keys, rotation, the CLI."""

from __future__ import annotations

import hashlib
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from clinic_app.domain.roles import Role
from clinic_app.errors import PermissionDenied, WrongPassphrase
from clinic_app.services import backup as backups
from clinic_app.services import restore, users
from clinic_app.services.session import unlock
from clinic_app.vault import backup as backup_file
from clinic_app.vault import connection, pages
from clinic_app.vault.errors import BackupInvalid, RestoreRefused
from clinic_app.vault.store import Vault

from rel_support import flip_byte, haven, vault_args
from support import ADMIN, ADMIN_PASS, PASSES, folder_digest, open_original

MARKER = "QXZBACKUPMARKER"


def _documents(folder: Path) -> dict[str, str]:
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        return {ref: hashlib.sha256(open_original(s, ref).read()).hexdigest()
                for ref in ("d-0", "d-1", "d-2", "d-3")}


def test_round_trip_damage_then_restore_every_document_matches(seeded, tmp_path: Path) -> None:
    folder, originals = seeded()
    expected = {ref: hashlib.sha256(data).hexdigest() for ref, data in originals.items()}
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        from clinic_app.domain.client import Client
        from clinic_app.services import case_record

        case_record.save_client(s, Client(ref="c-m", legal_name=f"Ana {MARKER}", notes=MARKER * 20))
        made = backups.make_backup(s, tmp_path / "one.havenbak")
        key = bytes(s.vault._data_key)
    raw = made.path.read_bytes()
    for enc in ("utf-8", "utf-16-le"):
        assert MARKER.encode(enc) not in raw
    assert not raw.startswith(b"SQLite format 3")  # needs a key: no plaintext header
    header = backup_file.read_header(made.path)
    assert backup_file.verify_data(made.path, header)
    # the database inside needs the data key: a wrong key does not read it
    db = tmp_path / "inner.db"
    db.write_bytes(raw[: header.db_size])
    with pytest.raises(connection.WrongKey):
        connection.connect(db, os.urandom(32))
    assert pages.scan(db, key).ok

    # damage a page in the middle of the live vault
    size = (folder / "vault.db").stat().st_size
    flip_byte(folder / "vault.db", (size // 4096 // 2) * 4096 + 1000)
    result = restore.restore(made.path, folder, user=ADMIN, passphrase=ADMIN_PASS, replace=True)
    assert result.moved_aside is not None and result.moved_aside.is_dir()
    assert (result.moved_aside / "vault.db").is_file()  # the damaged vault was kept, not deleted
    assert result.documents_verified == 4
    assert _documents(folder) == expected
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        from clinic_app.vault import audit

        actions = [e.action for e in audit.entries(s.vault.conn)]
        assert "vault_restored" in actions and not audit.verify(s.vault.conn, s.vault.vault_id)


def test_backup_opens_with_every_passphrase_and_the_recovery_key(new_vault, tmp_path: Path) -> None:
    folder, recovery = new_vault()
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        users.add_user(s, "lawyer", Role.LAWYER, PASSES["lawyer"])
        users.add_user(s, "bob", Role.ADMIN, "bob the second admin of the clinic")
        made = backups.make_backup(s, tmp_path / "b.havenbak")
    assert sorted(restore.users_in_backup(made.path)) == [ADMIN, "bob", "lawyer"]
    restore.restore(made.path, tmp_path / "r1", user="bob", passphrase="bob the second admin of the clinic")
    restore.restore(made.path, tmp_path / "r2", recovery_key=recovery)
    with pytest.raises(WrongPassphrase):
        restore.restore(made.path, tmp_path / "r3", user=ADMIN, passphrase="not the passphrase at all")
    with pytest.raises(PermissionDenied):  # a lawyer may not restore (admins only)
        restore.restore(made.path, tmp_path / "r4", user="lawyer", passphrase=PASSES["lawyer"])
    assert not (tmp_path / "r3").exists() and not (tmp_path / "r4").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".haven-restore-")]
    unlock(tmp_path / "r1", user="lawyer", passphrase=PASSES["lawyer"]).lock()


def test_a_damaged_backup_is_refused_before_anything_is_replaced(seeded, tmp_path: Path) -> None:
    folder, _originals = seeded()
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        made = backups.make_backup(s, tmp_path / "b.havenbak")
    before = folder_digest(folder)
    header = backup_file.read_header(made.path)
    for position, reason in ((header.db_size // 2, "database"), (made.path.stat().st_size - 3, "footer")):
        broken = tmp_path / f"broken-{reason}.havenbak"
        broken.write_bytes(made.path.read_bytes())
        flip_byte(broken, position)
        with pytest.raises(BackupInvalid):
            restore.restore(broken, folder, user=ADMIN, passphrase=ADMIN_PASS, replace=True)
        assert folder_digest(folder) == before
    truncated = tmp_path / "short.havenbak"
    truncated.write_bytes(made.path.read_bytes()[:-100])
    with pytest.raises(BackupInvalid):
        backup_file.read_header(truncated)


def test_backup_whose_pages_fail_their_hmac_is_refused_even_with_a_valid_checksum(seeded, tmp_path: Path) -> None:
    """A backup re-sealed by an attacker (header checksum recomputed) still fails the page HMACs."""
    folder, _originals = seeded()
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        made = backups.make_backup(s, tmp_path / "b.havenbak")
    header = backup_file.read_header(made.path)
    db = bytearray(made.path.read_bytes()[: header.db_size])
    db[len(db) // 2] ^= 0x40
    forged = tmp_path / "forged.havenbak"
    backup_file.write(forged, lambda tmp: tmp.write_bytes(bytes(db)), header)
    with pytest.raises(BackupInvalid):
        restore.restore(forged, tmp_path / "target", user=ADMIN, passphrase=ADMIN_PASS)
    assert not (tmp_path / "target").exists()


def test_restore_refuses_to_replace_without_confirmation_or_into_foreign_files(seeded, tmp_path: Path) -> None:
    folder, _originals = seeded()
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        made = backups.make_backup(s, tmp_path / "b.havenbak")
    with pytest.raises(RestoreRefused):
        restore.restore(made.path, folder, user=ADMIN, passphrase=ADMIN_PASS)
    other = tmp_path / "photos"
    other.mkdir()
    (other / "holiday.jpg").write_bytes(b"x")
    with pytest.raises(RestoreRefused):
        restore.restore(made.path, other, user=ADMIN, passphrase=ADMIN_PASS, replace=True)
    empty = tmp_path / "empty"
    empty.mkdir()
    restore.restore(made.path, empty, user=ADMIN, passphrase=ADMIN_PASS)
    unlock(empty, user=ADMIN, passphrase=ADMIN_PASS).lock()


def test_backup_needs_the_backup_permission_and_is_audited(role_sessions, tmp_path: Path) -> None:
    with role_sessions("lawyer") as lawyer, pytest.raises(PermissionDenied):
        backups.make_backup(lawyer, tmp_path / "x.havenbak")
    with role_sessions("volunteer") as volunteer:  # automatic backups run for whoever locks
        auto = backups.auto_backup(volunteer, tmp_path / "auto")
        assert auto.path.is_file()
    with role_sessions("admin") as admin:
        from clinic_app.vault import audit

        rows = [e for e in audit.entries(admin.vault.conn) if e.action == "backup_created"]
        assert rows[-1].detail["automatic"] is True


def test_rotation_keeps_seven_days_and_four_weeks() -> None:
    start = datetime(2025, 1, 1, 9, tzinfo=timezone.utc)
    stamps = [start + timedelta(days=d, hours=h) for d in range(60) for h in (0, 5)]
    keep = backups.keep_set(stamps)
    newest = max(stamps)
    days = sorted({t.date() for t in keep}, reverse=True)
    assert newest in keep
    assert days[:7] == [(newest - timedelta(days=i)).date() for i in range(7)]
    assert all(t.hour == 14 for t in keep)  # the newest backup of each day or week
    assert len({t.isocalendar()[:2] for t in keep}) == 4
    assert len(keep) <= 7 + 4
    assert backups.keep_set([]) == set()
    assert backups.keep_set(stamps[:1]) == set(stamps[:1])
    # a long pause never deletes everything: the last days *with backups* count
    old = [start - timedelta(days=400 + d) for d in range(10)]
    assert len(backups.keep_set(old)) >= 7


def test_auto_backup_rotates_only_its_own_files(seeded, tmp_path: Path) -> None:
    folder, _originals = seeded(size=2000)
    target = tmp_path / "backups"
    target.mkdir()
    (target / "notes.txt").write_text("not a backup")
    (target / "haven-deadbeef-20200101T000000Z.havenbak").write_bytes(b"damaged, not ours to judge")
    base = datetime(2025, 3, 1, 12, tzinfo=timezone.utc)
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        for day in range(12):
            result = backups.auto_backup(s, target, now=base + timedelta(days=day))
    names = sorted(p.name for p in target.iterdir())
    mine = [n for n in names if n.startswith("haven-") and "deadbeef" not in n]
    assert len(mine) == 7 + 1  # 7 days, plus the newest of an older ISO week
    assert "notes.txt" in names and "haven-deadbeef-20200101T000000Z.havenbak" in names
    assert result.removed
    good, bad = backups.list_backups(target)
    assert len(good) == 8 and [p.name for p in bad] == ["haven-deadbeef-20200101T000000Z.havenbak"]
    assert backups.newest_good_backup(target).path == result.path


def test_cli_backup_and_restore(seeded, tmp_path: Path) -> None:
    folder, originals = seeded(size=5000)
    v = vault_args(folder)
    done = haven(*v, "backup", str(tmp_path / "cli.havenbak"), stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    again = haven(*v, "backup", str(tmp_path / "cli.havenbak"), stdin=ADMIN_PASS + "\n")
    assert again.returncode == 4 and "already exists" in again.stderr
    refused = haven(*v, "restore", str(tmp_path / "cli.havenbak"), stdin=ADMIN_PASS + "\n")
    assert refused.returncode == 4 and "--replace" in refused.stderr
    done = haven(*v, "restore", str(tmp_path / "cli.havenbak"), "--replace", stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    assert "4 documents verified" in done.stdout and "kept as" in done.stdout
    fresh = haven(*vault_args(tmp_path / "fresh"), "restore", str(tmp_path / "cli.havenbak"),
                  stdin=ADMIN_PASS + "\n")
    assert fresh.returncode == 0, fresh.stderr
    assert _documents(tmp_path / "fresh") == {r: hashlib.sha256(d).hexdigest() for r, d in originals.items()}
    rotated = haven(*v, "backup", str(tmp_path), "--rotate", stdin=ADMIN_PASS + "\n")
    assert rotated.returncode == 0 and "haven-" in rotated.stdout


def test_backup_refused_inside_a_transaction_and_keeps_the_vault_usable(seeded, tmp_path: Path) -> None:
    folder, _originals = seeded(size=1000)
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        with s.transaction(), pytest.raises(RuntimeError):
            s.vault.sqlcipher_export(tmp_path / "x.db", bytes(s.vault._data_key))
        backups.make_backup(s, tmp_path / "after.havenbak")  # ATTACH/DETACH left nothing behind
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".haven-tmp")] == []
    assert Vault.peek_slots(folder).vault_id == backup_file.read_header(tmp_path / "after.havenbak").vault_id

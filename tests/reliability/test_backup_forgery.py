"""Hostile files in the backup folder: forged dates, relabelled old backups, dates that do not parse.

Anyone who can write the backup folder can plant `.havenbak` files or rewrite a header
(its checksum is not a secret). Rotation, `check --backups` and restore must not trust
such a header: only a header whose MAC verifies under the vault's key is ranked, kept or
deleted by its date (docs/backups.md).
"""

from __future__ import annotations

import hashlib
import json
import struct
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from clinic_app.services import backup as backups
from clinic_app.services import restore, vault_check
from clinic_app.services.session import unlock
from clinic_app.vault import backup as backup_file
from clinic_app.vault.errors import BackupInvalid

from rel_support import flip_byte, haven, vault_args
from support import ADMIN, ADMIN_PASS

FOOTER = struct.Struct(">32sQIHH8s")


def _relabel(source: Path, target: Path, **changes: object) -> None:
    """Rewrite header fields of a real backup and fix the footer's checksum (no key needed)."""
    data = source.read_bytes()
    _sha, db_len, header_len, version, flags, magic = FOOTER.unpack(data[-FOOTER.size:])
    doc = json.loads(data[db_len:db_len + header_len])
    for key, value in changes.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    raw = json.dumps(doc, sort_keys=True).encode()
    target.write_bytes(data[:db_len] + raw + FOOTER.pack(hashlib.sha256(raw).digest(), db_len, len(raw),
                                                         version, flags, magic))


def _junk(folder: Path, vault_id: str, when: datetime) -> Path:
    """A file that looks like one of our automatic backups, dated `when`, holding nothing."""
    db = b"\0" * 4096
    doc = dict(vault_id=vault_id, created_at=when.isoformat(), schema_version=12, db_size=len(db),
               db_sha256=hashlib.sha256(db).hexdigest(), keyslots="e30=", app_version="", automatic=True,
               audit_head=0, format="haven-backup", version=1)
    raw = json.dumps(doc, sort_keys=True).encode()
    path = folder / f"haven-{vault_id[:8]}-{when.strftime('%Y%m%dT%H%M%SZ')}.havenbak"
    path.write_bytes(db + raw + FOOTER.pack(hashlib.sha256(raw).digest(), len(db), len(raw), 1, 0, b"HAVENBK1"))
    return path


def test_planted_future_backups_never_rotate_real_ones_away(seeded, tmp_path: Path) -> None:
    folder, _originals = seeded(size=1000)
    target = tmp_path / "backups"
    base = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        real = [backups.auto_backup(s, target, now=base + timedelta(days=d)).path for d in range(3)]
        vault_id = s.vault.vault_id
        far = datetime(2099, 1, 1, tzinfo=timezone.utc)
        junk = [_junk(target, vault_id, far + timedelta(days=i)) for i in range(7)]
        junk += [_junk(target, vault_id, far + timedelta(weeks=w)) for w in range(1, 5)]
        done = backups.auto_backup(s, target, now=base + timedelta(days=3))
        assert done.path.is_file() and done.removed == ()
        assert all(p.is_file() for p in real + junk)  # unverified files are never deleted either
        good, _bad = backups.list_backups(target, vault_id, verify=s.vault.backup_verifier())
        newest = backups.newest_good_backup(target, vault_id, verify=s.vault.backup_verifier())
    assert [b.path for b in good if b.verified] == [done.path, *reversed(real)]
    assert {b.path for b in good if not b.verified} == set(junk)
    assert newest is not None and newest.path == done.path and newest.verified


def test_verified_backups_dated_in_the_future_are_neither_trusted_nor_deleted(seeded, tmp_path: Path) -> None:
    folder, _originals = seeded(size=1000)
    target = tmp_path / "backups"
    base = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:  # a laptop whose clock once ran years ahead
        ahead = [backups.auto_backup(s, target, now=base + timedelta(days=4000 + d)).path for d in range(12)]
        ahead = [p for p in ahead if p.is_file()]  # rotated among themselves while that clock ran
        assert len(ahead) == 8
        real = [backups.auto_backup(s, target, now=base + timedelta(days=d)).path for d in range(12)]
        rotated = backups.rotate(target, s.vault.vault_id, verify=s.vault.backup_verifier(),
                                 now=base + timedelta(days=11), keep=(real[-1],))
    assert all(p.is_file() for p in ahead)
    assert rotated == []  # each automatic backup already thinned the real ones, as if the others were not there
    stamps = [base + timedelta(days=d) for d in range(12)]
    assert [p.is_file() for p in real] == [t in backups.keep_set(stamps) for t in stamps]


def test_cli_rotate_and_check_ignore_planted_files(seeded, tmp_path: Path) -> None:
    folder, _originals = seeded(size=1000)
    target = tmp_path / "backups"
    v = vault_args(folder)
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:  # yesterday's: kept by any honest rotation
        real = backups.auto_backup(s, target, now=datetime.now(timezone.utc) - timedelta(days=1)).path
        vault_id = s.vault.vault_id
    far = datetime(2099, 1, 1, tzinfo=timezone.utc)
    for i in range(7):
        _junk(target, vault_id, far + timedelta(days=i))
    for w in range(1, 5):
        _junk(target, vault_id, far + timedelta(weeks=w))
    second = haven(*v, "backup", str(target), "--rotate", stdin=ADMIN_PASS + "\n")
    assert second.returncode == 0, second.stderr
    assert "Removed" not in second.stdout and real.is_file()
    written = [p for p in target.iterdir() if "2099" not in p.name and p != real]
    assert len(written) == 1
    flip_byte(folder / "vault.db", 4096 * 3 + 100)
    check = haven(*v, "check", "--backups", str(target), stdin=ADMIN_PASS + "\n")
    assert check.returncode == 5, check.stderr
    assert f"Newest good backup: {written[0]}" in check.stdout
    assert "2099" not in check.stdout.split("Newest good backup")[1].splitlines()[0]
    assert "could not be verified" in check.stdout


def test_relabelled_old_backup_is_not_recommended_and_restores_under_its_true_date(seeded, tmp_path: Path) -> None:
    folder, _originals = seeded(size=1000)
    target = tmp_path / "backups"
    target.mkdir()
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        old_date = s.vault.conn.execute("SELECT at FROM audit ORDER BY seq DESC LIMIT 1").fetchone()[0]
        old = backups.make_backup(s, tmp_path / "old.havenbak").path  # its own audit row comes after
        new = backups.make_backup(s, target / "new.havenbak").path
        verify = s.vault.backup_verifier()
    forged = target / "old-relabelled.havenbak"
    _relabel(old, forged, created_at="2099-01-01T00:00:00+00:00", audit_head=999999)
    found = backups.newest_good_backup(target, verify=verify)
    assert found is not None and found.path == new
    flip_byte(folder / "vault.db", 4096 * 3 + 100)
    report = vault_check.check_folder(folder, user=ADMIN, passphrase=ADMIN_PASS, backups_folder=target)
    assert report.backup is not None and report.backup.path == new
    assert report.unverified_backups == (forged,)
    done = restore.restore(forged, tmp_path / "restored", user=ADMIN, passphrase=ADMIN_PASS)
    assert not done.backup_created_at.startswith("2099")
    assert done.backup_created_at[:19] == old_date[:19]
    assert any("could not be verified" in w for w in done.warnings)
    cli = haven(*vault_args(tmp_path / "again"), "restore", str(forged), stdin=ADMIN_PASS + "\n")
    assert cli.returncode == 0, cli.stderr
    assert "2099" not in cli.stdout and "could not be verified" in cli.stderr


def test_a_genuine_backup_restores_under_its_verified_date(seeded, tmp_path: Path) -> None:
    folder, _originals = seeded(size=1000)
    when = datetime(2026, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        made = backups.auto_backup(s, tmp_path / "backups", now=when)
    done = restore.restore(made.path, tmp_path / "restored", user=ADMIN, passphrase=ADMIN_PASS)
    assert done.backup_created_at == when.isoformat() and done.warnings == ()


def test_backup_from_before_header_macs_is_unverified_but_restores(seeded, tmp_path: Path) -> None:
    folder, _originals = seeded(size=1000)
    target = tmp_path / "backups"
    base = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        made = backups.auto_backup(s, target, now=base).path
        _relabel(made, made, mac=None)  # what Haven wrote before header MACs existed
        for d in range(1, 14):
            backups.auto_backup(s, target, now=base + timedelta(days=d))
        listed, _bad = backups.list_backups(target, verify=s.vault.backup_verifier())
    assert made.is_file()  # never rotated away: it cannot be proved to be ours
    assert [b.verified for b in listed if b.path == made] == [False]
    done = restore.restore(made, tmp_path / "restored", user=ADMIN, passphrase=ADMIN_PASS)
    assert done.documents_verified == 4 and any("could not be verified" in w for w in done.warnings)


@pytest.mark.parametrize("created_at", ["yesterday", "2026-01-01T00:00:00", 20260101, None])
def test_a_header_date_that_is_not_a_time_with_a_zone_makes_the_file_not_a_backup(
        seeded, tmp_path: Path, created_at: object) -> None:
    folder, _originals = seeded(size=1000)
    target = tmp_path / "backups"
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        made = backups.auto_backup(s, target).path
        bad = target / f"haven-{s.vault.vault_id[:8]}-20260101T000000Z.havenbak"
        _relabel(made, bad, created_at=created_at if created_at is not None else "")
        with pytest.raises(BackupInvalid, match="date"):
            backup_file.read_header(bad)
        again = backups.auto_backup(s, target)
        assert again.path.is_file() and bad.is_file()
    good, not_whole = backups.list_backups(target)
    assert not_whole == [bad] and [b.path for b in good] == [again.path]  # same day: the older was rotated
    v = vault_args(folder)
    rotated = haven(*v, "backup", str(target), "--rotate", stdin=ADMIN_PASS + "\n")
    assert rotated.returncode == 0, rotated.stderr
    broken = tmp_path / "broken"  # key slots but no database: the check looks in the backups at once
    broken.mkdir()
    (broken / "keyslots.json").write_bytes((folder / "keyslots.json").read_bytes())
    check = haven(*vault_args(broken), "check", "--backups", str(target), stdin=ADMIN_PASS + "\n")
    assert check.returncode != 70 and "Internal error" not in check.stderr
    refused = haven(*vault_args(tmp_path / "restored"), "restore", str(bad), stdin=ADMIN_PASS + "\n")
    assert refused.returncode == 5 and "date" in refused.stderr and "Internal error" not in refused.stderr

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

"""`check`: damage page by page, even when the vault does not open, and the newest good backup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinic_app.errors import VaultDamaged
from clinic_app.services import backup as backups
from clinic_app.services import vault_check
from clinic_app.services.session import unlock
from clinic_app.vault.pages import PAGE_SIZE

from rel_support import flip_byte, haven, vault_args
from support import ADMIN, ADMIN_PASS


def _backups(folder: Path, target: Path, count: int) -> list[Path]:
    made = []
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        for _ in range(count):
            made.append(backups.make_backup(s, target).path)
    return made


def test_intact_vault(seeded) -> None:
    folder, _docs = seeded(size=2000)
    found = vault_check.check_folder(folder, user=ADMIN, passphrase=ADMIN_PASS)
    assert found.ok and found.report is not None and found.damaged_pages == ()
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:  # the old API still works
        report = vault_check.check(s)
        assert report.ok and report.database_problems == () and report.audit_problems == ()


def test_damaged_page_is_named_and_the_newest_good_backup_found(seeded, tmp_path: Path) -> None:
    folder, _docs = seeded(size=50_000)
    target = tmp_path / "backups"
    target.mkdir()
    older, newest = _backups(folder, target, 2)
    flip_byte(newest, 4096 * 2)  # the newest backup is itself damaged: the older one is the good one
    page = (folder / "vault.db").stat().st_size // PAGE_SIZE - 3
    flip_byte(folder / "vault.db", (page - 1) * PAGE_SIZE + 123)
    found = vault_check.check_folder(folder, user=ADMIN, passphrase=ADMIN_PASS, backups_folder=target)
    assert not found.ok and page in found.damaged_pages
    assert found.backup is not None and found.backup.path == older


def test_a_damaged_vault_refuses_to_make_a_backup(seeded, tmp_path: Path) -> None:
    folder, _docs = seeded(size=50_000)
    target = tmp_path / "auto"
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        backups.auto_backup(s, target)
    page = (folder / "vault.db").stat().st_size // PAGE_SIZE - 2
    flip_byte(folder / "vault.db", (page - 1) * PAGE_SIZE + 10)
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s, pytest.raises(VaultDamaged) as info:
        backups.auto_backup(s, target)
    assert f"page {page}" in str(info.value)
    assert len(list(target.iterdir())) == 1  # nothing written, nothing rotated away


def test_vault_that_does_not_open_still_gets_a_page_report(seeded, tmp_path: Path) -> None:
    folder, _docs = seeded(size=2000)
    target = tmp_path / "b"
    target.mkdir()
    _backups(folder, target, 1)
    flip_byte(folder / "vault.db", 200)  # page 1: the schema page; SQLite cannot open the file
    found = vault_check.check_folder(folder, user=ADMIN, passphrase=ADMIN_PASS, backups_folder=target)
    assert found.report is None and "damaged" in found.cannot_open
    assert found.pages is not None and found.damaged_pages == (1,)
    assert found.backup is not None
    cli = haven(*vault_args(folder), "check", "--backups", str(target), "--json", stdin=ADMIN_PASS + "\n")
    assert cli.returncode == 5, cli.stderr
    data = json.loads(cli.stdout)
    assert data["opened"] is False and data["damaged_pages"] == [1]
    assert data["newest_good_backup"]["path"] == str(found.backup.path)
    text = haven(*vault_args(folder), "check", "--backups", str(target), stdin=ADMIN_PASS + "\n")
    assert "Damaged pages: 1" in text.stdout and "restore" in text.stdout


def test_missing_key_slots_still_point_to_a_backup(seeded, tmp_path: Path) -> None:
    folder, _docs = seeded(size=2000)
    target = tmp_path / "b"
    target.mkdir()
    _backups(folder, target, 1)
    (folder / "keyslots.json").write_text("{ not json")
    cli = haven(*vault_args(folder), "check", "--backups", str(target), stdin=ADMIN_PASS + "\n")
    assert cli.returncode == 5
    assert "cannot be opened" in cli.stdout and "Newest good backup" in cli.stdout

"""Vault files Haven cannot use are named as what they are, never as damage.

A vault.db-wal or vault.db-shm left by another account (Haven run once as administrator),
or replaced by a folder or a link, and a keyslots.json that is missing or not a file:
restoring a backup is the wrong advice for each, so the message names the file and what to
do, and the vault is left as it is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from clinic_app.errors import VaultDamaged
from clinic_app.services.session import unlock
from clinic_app.vault.errors import KeySlotsMissing, VaultFileUnusable

from rel_support import BASE_ENV, haven, haven_cmd, vault_args
from support import ADMIN, ADMIN_PASS


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return haven(*vault_args(folder), *args, stdin=ADMIN_PASS + "\n")


def _files(folder: Path) -> dict[str, bytes | str]:
    return {p.name: p.read_bytes() if p.is_file() and not p.is_symlink() else "other"
            for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("name", ["vault.db-wal", "vault.db-shm"])
@pytest.mark.parametrize("shape", ["folder", "outward link"])
def test_a_wal_or_shm_that_is_not_a_file_is_named(vault_folder: Path, tmp_path: Path, name: str, shape: str) -> None:
    place = vault_folder / name
    if shape == "folder":
        place.mkdir()
    else:
        (tmp_path / "elsewhere").write_bytes(b"")
        place.symlink_to(tmp_path / "elsewhere")
    before = _files(vault_folder)
    for args in (("list", "clients"), ("check",)):
        run = _run(vault_folder, *args)
        text = run.stdout + run.stderr
        assert run.returncode == 4, (args, text)
        assert f"{name} in {vault_folder} is not an ordinary file" in text, text
        assert "damaged" not in text and "backup" not in text and "may not write to" not in text, text
        assert text.count("is not an ordinary file") == 1, text  # said once
    assert _files(vault_folder) == before


def test_a_wal_of_another_account_is_named_not_called_damage(vault_folder: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    wal = vault_folder / "vault.db-wal"
    wal.write_bytes(b"")
    if os.geteuid() == 0:
        os.chown(wal, 54321, 54321)  # as `sudo clinic-app` leaves it, seen from the clinic's account
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if str(path) == str(wal)
                        else real_access(path, mode, **kw))
    with pytest.raises(VaultFileUnusable) as info:
        unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS)
    text = str(info.value)
    assert f"vault.db-wal in {vault_folder}" in text and "administrator" in text
    if os.geteuid() == 0:
        assert "belongs to another account" in text
    assert not isinstance(info.value, VaultDamaged) and "Do not delete it" in text
    monkeypatch.undo()
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS):
        pass  # the same files open once the file is usable again


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_a_wal_the_system_refuses_to_open_is_named(vault_folder: Path) -> None:
    """The open itself fails (EACCES, injected): SQLite's "read-only" is not a wrong key."""
    wal = vault_folder / "vault.db-wal"
    wal.write_bytes(b"")
    cmd = ["strace", "-f", "-qq", "-o", "/dev/null", "-P", str(wal), "-e", "trace=openat", "-e",
           "inject=openat:error=EACCES", *haven_cmd(*vault_args(vault_folder), "list", "clients")]
    run = subprocess.run(cmd, input=ADMIN_PASS + "\n", capture_output=True, text=True,
                         env={**os.environ, **BASE_ENV}, timeout=180)
    if "ptrace" in run.stderr and "Operation not permitted" in run.stderr:
        pytest.skip("ptrace is not permitted here")
    assert run.returncode == 4, run.stderr
    assert f"vault.db-wal in {vault_folder} cannot be opened" in run.stderr
    assert "damaged" not in run.stderr


def test_a_wrong_key_is_still_damage(vault_folder: Path) -> None:
    """The new checks must not hide real damage: page 1 altered still says damaged."""
    with open(vault_folder / "vault.db", "r+b") as fh:
        fh.seek(200)
        byte = fh.read(1)
        fh.seek(200)
        fh.write(bytes([byte[0] ^ 1]))
    run = _run(vault_folder, "list", "clients")
    assert run.returncode == 5 and "damaged" in run.stderr, run.stderr


@pytest.mark.parametrize("shape", ["missing", "folder", "pipe", "link to /dev/zero"])
def test_missing_key_slots_are_named_once_and_init_is_not_suggested(vault_folder: Path, shape: str) -> None:
    slots = vault_folder / "keyslots.json"
    slots.unlink()
    if shape == "folder":
        slots.mkdir()
    elif shape == "pipe":
        os.mkfifo(slots)
    elif shape == "link to /dev/zero":
        slots.symlink_to("/dev/zero")
    for args in (("list", "clients"), ("check",)):
        run = _run(vault_folder, *args)
        text = run.stdout + run.stderr
        assert run.returncode == 5, (args, text)
        assert "keyslots.json" in text and "is missing or is not a file" in text, text
        assert "init" not in text and "There is no Haven vault" not in text, text
        assert text.count("is missing or is not a file") == 1 and "Restore it from a backup" not in text, text
    with pytest.raises(KeySlotsMissing):
        unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS)


def test_a_folder_without_a_vault_still_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "nothing"
    empty.mkdir()
    run = _run(empty, "list", "clients")
    assert run.returncode == 4 and "There is no Haven vault" in run.stderr, run.stderr

"""One writer per vault, even when `haven.lock` is deleted, replaced or is not a file at all.

A second process must be kept out while the first holds the vault; when that fails (a
file system without folder locks), a key-slot write never drops a slot another process
wrote, and `check` names a user left without a slot.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clinic_app.domain.roles import Role
from clinic_app.errors import BadInput, KeySlotsChangedMeanwhile, LockFileUnusable, VaultInUse, VaultLockLost
from clinic_app.services import users, vault_check
from clinic_app.services.session import unlock
from clinic_app.vault import keyslots, lockfile
from clinic_app.vault.lockfile import LOCK_NAME, VaultLock

from support import ADMIN, ADMIN_PASS, PASSES, run_cli

posix_only = pytest.mark.skipif(os.name != "posix", reason="links, pipes and deletable open files are POSIX")
NEW_PASS = "a brand new passphrase for the admin"


def _cli(folder: Path, *args: str, passphrase: str = ADMIN_PASS, more: str = "", user: str = ADMIN):
    return run_cli("--vault", str(folder), "--user", user, *args, "--passphrase-stdin",
                   stdin=f"{passphrase}\n{more}", env={"HAVEN_GUI": "0"})


@pytest.fixture
def no_folder_locks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file system that cannot lock a folder: only haven.lock keeps a second process out."""
    monkeypatch.setattr(lockfile, "_lock_folder", lambda folder: None, raising=False)


@posix_only
def test_lock_file_deleted_while_open_still_keeps_a_second_process_out(vault_folder: Path) -> None:
    session = unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS)
    try:
        (vault_folder / LOCK_NAME).unlink()
        added = _cli(vault_folder, "user", "add", "bob", "--role", "lawyer",
                     more=f"{PASSES['lawyer']}\n{PASSES['lawyer']}\n")
        assert added.returncode == 3 and "already open" in added.stderr, added.stderr
        users.change_passphrase(session, ADMIN_PASS, NEW_PASS)  # takes the name back
        assert (vault_folder / LOCK_NAME).is_file()
        again = _cli(vault_folder, "list", "clients", passphrase=NEW_PASS)
        assert again.returncode == 3 and "already open" in again.stderr
    finally:
        session.lock()
    assert _cli(vault_folder, "user", "list", passphrase=NEW_PASS).returncode == 0


@posix_only
def test_a_name_that_moves_between_open_and_lock_is_not_trusted(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "v"
    folder.mkdir()
    real_lock, moved = lockfile._lock, []

    def lock_after_a_swap(fd: int) -> None:
        if not moved:  # someone replaces haven.lock just after we opened it
            moved.append(True)
            os.replace(_other_file(tmp_path), folder / LOCK_NAME)
        real_lock(fd)

    monkeypatch.setattr(lockfile, "_lock", lock_after_a_swap)
    lock = VaultLock(folder)
    lock.acquire()
    try:
        held = os.fstat(lock._fd)  # type: ignore[arg-type]
        here = os.lstat(folder / LOCK_NAME)
        assert moved and (held.st_dev, held.st_ino) == (here.st_dev, here.st_ino)
    finally:
        lock.release()


def _other_file(tmp_path: Path) -> Path:
    other = tmp_path / "other.lock"
    other.write_bytes(b"")
    return other


@posix_only
def test_a_holder_whose_lock_file_was_taken_writes_no_key_slot(vault_folder: Path, no_folder_locks: None) -> None:
    first = VaultLock(vault_folder)
    first.acquire()
    try:
        (vault_folder / LOCK_NAME).unlink()
        second = VaultLock(vault_folder)
        second.acquire()  # without a folder lock, the new file lets a second process in
        with pytest.raises(VaultLockLost) as lost:
            first.confirm()
        assert str(vault_folder) in str(lost.value)
        second.release()
        first.confirm()  # nobody holds it now: the name is taken back
        with pytest.raises(VaultInUse):
            VaultLock(vault_folder).acquire()
    finally:
        first.release()


@posix_only
@pytest.mark.parametrize("kind", ["folder", "dangling link", "link to a file", "pipe"])
def test_a_lock_file_that_is_not_a_file_is_refused_clearly(vault_folder: Path, tmp_path: Path, kind: str) -> None:
    path, target = vault_folder / LOCK_NAME, tmp_path / "elsewhere.lock"
    path.unlink()
    if kind == "folder":
        path.mkdir()
    elif kind == "dangling link":
        path.symlink_to(tmp_path / "no" / "such" / "place")
    elif kind == "link to a file":
        path.symlink_to(target)
    else:
        os.mkfifo(path)
    done = _cli(vault_folder, "list", "clients")
    assert done.returncode == 4, done.stderr
    assert str(vault_folder) in done.stderr and "haven.lock" in done.stderr
    assert "Internal error" not in done.stderr
    assert not target.exists()  # a link is never followed to create a file
    with pytest.raises(LockFileUnusable):
        VaultLock(vault_folder).acquire()


def test_a_slot_written_by_another_process_is_kept(vault_folder: Path, no_folder_locks: None) -> None:
    """The attack review's case: the window holds the vault, haven.lock is deleted, a command
    adds bob, then the window changes a passphrase from what it read at unlock."""
    window = unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS)
    try:
        (vault_folder / LOCK_NAME).unlink()
        with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as command:
            users.add_user(command, "bob", Role.LAWYER, PASSES["lawyer"])
        with pytest.raises(BadInput):  # bob's slot, written elsewhere, counts here too
            users.add_user(window, "bob", Role.STAFF, PASSES["staff"])
        users.change_passphrase(window, ADMIN_PASS, NEW_PASS)
    finally:
        window.lock()
    assert sorted(keyslots.read(vault_folder / "keyslots.json").users()) == [ADMIN, "bob"]
    with unlock(vault_folder, user="bob", passphrase=PASSES["lawyer"]):
        pass
    with unlock(vault_folder, user=ADMIN, passphrase=NEW_PASS) as session:
        assert vault_check.check(session, documents=False).ok


def test_a_slot_file_that_cannot_be_taken_over_is_not_overwritten(vault_folder: Path, no_folder_locks: None) -> None:
    """Another process removed a user (a new data key): this one's view is stale, so it writes nothing."""
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        users.add_user(s, "bob", Role.LAWYER, PASSES["lawyer"])
    window = unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS)
    try:
        (vault_folder / LOCK_NAME).unlink()
        with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as command:
            users.add_user(command, "carol", Role.STAFF, PASSES["staff"])
            users.remove_user(command, "bob")
        before = (vault_folder / "keyslots.json").read_bytes()
        with pytest.raises(KeySlotsChangedMeanwhile) as refused:
            users.change_passphrase(window, ADMIN_PASS, NEW_PASS)
        assert str(vault_folder) in str(refused.value)
        assert (vault_folder / "keyslots.json").read_bytes() == before
    finally:
        window.lock()
    with unlock(vault_folder, user="carol", passphrase=PASSES["staff"]):
        pass


def test_check_names_a_user_without_a_key_slot(vault_folder: Path) -> None:
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        users.add_user(s, "bob", Role.LAWYER, PASSES["lawyer"])
        s.vault._save_slots(s.vault.slots.without_user("bob"))  # what a stale writer used to leave
    done = _cli(vault_folder, "check")
    assert done.returncode == 5, done.stdout + done.stderr
    assert "bob" in done.stdout and "key slot" in done.stdout
    assert "Restore it from a backup" not in done.stdout
    assert "Internal error" not in done.stderr
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        assert vault_check.check(s, documents=False).user_problems
        users.add_user(s, "bob", Role.LAWYER, PASSES["lawyer"])  # the cure the message names
        assert vault_check.check(s, documents=False).ok

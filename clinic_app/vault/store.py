"""A vault folder: one SQLCipher database, one key-slot file, one lock file.

`Vault` owns the open connection, the data key and the process lock. It knows
how to create a vault, open it with a passphrase or the recovery key, manage key
slots and rotate the data key. Who may do what is the services layer's business.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from clinic_app import temp_journal
from clinic_app.domain.roles import Role
from clinic_app.errors import KeySlotsChangedMeanwhile, VaultDamaged, VaultExists, VaultNotFound, VaultPlaceNotFolder
from clinic_app.i18n import _
from clinic_app.vault import audit, connection, keyslot_auth, keyslots, migrations, pages, recovery_key, users
from clinic_app.vault import backup as backup_file
from clinic_app.vault.backup import BackupHeader
from clinic_app.vault.connection import Connection
from clinic_app.vault.kdf import KdfParams, for_sealing
from clinic_app.vault.errors import KeySlotsAltered, KeySlotsMissing, KeySlotsOlder
from clinic_app.vault.keyslots import LEGACY_VERSION, RECOVERY, USER, SlotFile, key_id
from clinic_app.vault.lockfile import LOCK_NAME, VaultLock
from clinic_app.vault.opening import check_legacy_shape, connect_any, settle_plan
from clinic_app.vault.reader import ReaderSource

Inspect = Callable[[Connection], None]  # looks at the opened database before anything is written

DB_NAME = "vault.db"
SLOTS_NAME = "keyslots.json"


def is_vault(folder: Path) -> bool:
    return (folder / SLOTS_NAME).is_file()


class Vault:
    """An unlocked vault. Use as a context manager or call close()."""

    def __init__(self, folder: Path, conn: Connection, slots: SlotFile, data_key: bytes, lock: VaultLock):
        self.folder = folder
        self.conn = conn
        self.slots = slots
        self._on_disk = slots  # keyslots.json as this process last read or wrote it
        self._data_key = bytearray(data_key)
        self._lock = lock
        self._depth = 0

    # --- lifecycle ------------------------------------------------------------------

    @classmethod
    def create(cls, folder: Path, *, admin: str, passphrase: str, kdf: KdfParams,
               role: Role = Role.ADMIN) -> tuple[Vault, str]:
        """Create a vault with one user (an admin, unless a laptop joining a clinic says otherwise);
        returns it open, with the recovery key to print once."""
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise VaultPlaceNotFolder(str(folder))
        if folder.exists() and any(folder.iterdir()):
            raise VaultExists(str(folder))
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging, entry = temp_journal.make_staging(folder.parent, temp_journal.NEW_VAULT_PREFIX)
        lock = VaultLock(staging)
        try:
            lock.acquire()
            vault_id = uuid.uuid4().hex
            data_key = secrets.token_bytes(32)
            recovery = recovery_key.generate()
            slots = SlotFile(vault_id=vault_id, kdf_defaults=kdf)
            slots = slots.with_slot(keyslots.new_slot(vault_id, USER, admin, passphrase, kdf, [data_key]))
            slots = slots.with_slot(keyslots.new_slot(vault_id, RECOVERY, None, recovery, kdf, [data_key]))
            conn = connection.connect(staging / DB_NAME, data_key, create=True)
            try:
                migrations.migrate(conn)
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT INTO meta (key, value) VALUES ('vault_id', ?)", (vault_id,))
                users.add(conn, admin, role)
                audit.append(conn, vault_id, actor=admin, action="vault_created")
                audit.append(conn, vault_id, actor=admin, action="user_added", target=admin,
                             detail={"role": role.value})
                conn.execute("COMMIT")
                conn.close()
            except BaseException:
                conn.close()
                raise
            slots = replace(slots, generation=1, db_salt=pages.read_salt(staging / DB_NAME))
            keyslots.write(staging / SLOTS_NAME, keyslot_auth.sign(slots, [data_key]))
            _remember_generation(staging / DB_NAME, data_key, 1)
            if folder.exists():
                folder.rmdir()
            os.rename(staging, folder)
        except BaseException:
            lock.release()
            shutil.rmtree(staging, ignore_errors=True)
            if not staging.exists():
                temp_journal.forget(entry)
            raise
        temp_journal.forget(entry)
        lock.folder, lock.path = folder, folder / LOCK_NAME
        conn = connection.connect(folder / DB_NAME, data_key)
        return cls(folder, conn, keyslots.read(folder / SLOTS_NAME), data_key, lock), recovery

    @classmethod
    def open(cls, folder: Path, *, user: str, passphrase: str, inspect: Inspect | None = None) -> Vault:
        return cls._open(folder, lambda slots: _user_keys(slots, user, passphrase), inspect)

    @classmethod
    def open_with_recovery(cls, folder: Path, key: str, inspect: Inspect | None = None) -> Vault:
        return cls._open(folder, lambda slots: _recovery_keys(slots, key), inspect)

    @classmethod
    def peek_slots(cls, folder: Path) -> SlotFile:
        """Read the key-slot file without unlocking (user names and KDF settings only; nothing in
        it is trusted until the data key it yields has opened the database and verified it)."""
        folder = Path(folder)
        if not is_vault(folder):
            if (folder / DB_NAME).is_file():  # a vault that lost its key slots: init is not the answer
                raise KeySlotsMissing(str(folder))
            raise VaultNotFound(str(folder))
        return keyslots.read(folder / SLOTS_NAME)

    @classmethod
    def _open(cls, folder: Path, unlock, inspect: Inspect | None) -> Vault:  # type: ignore[no-untyped-def]
        """Unwrap, open, authenticate the slot file, let the caller inspect the history, then
        settle what a crash or an older Haven left (nothing is written before `inspect`)."""
        folder = Path(folder)
        cls.peek_slots(folder)
        lock = VaultLock(folder)
        lock.acquire()
        try:
            slots = keyslots.read(folder / SLOTS_NAME)  # re-read under the lock
            candidates = unlock(slots)
            conn, data_key = connect_any(folder / DB_NAME, candidates, slots)
            vault = cls(folder, conn, slots, data_key, lock)
        except BaseException:
            lock.release()
            raise
        try:
            vault._authenticate_slots()
            if inspect is not None:
                inspect(conn)
            vault._settle_slots(candidates)
            migrations.migrate(conn)
        except BaseException:
            vault.close()
            raise
        return vault

    def _authenticate_slots(self) -> None:
        """The slot file must verify under the key that opened the database, belong to this
        database, and be at least as new as the newest slot file the database has seen."""
        slots = self.slots
        if slots.version == LEGACY_VERSION:
            check_legacy_shape(slots)
        elif not keyslot_auth.verify(slots, bytes(self._data_key)):
            raise KeySlotsAltered(_("its contents do not match the vault's key"))
        stored_id = self.conn.execute("SELECT value FROM meta WHERE key = 'vault_id'").fetchone()
        if not stored_id or stored_id[0] != slots.vault_id:
            raise VaultDamaged("key-slot file belongs to another vault")
        seen = _stored_generation(self.conn)
        if slots.version != LEGACY_VERSION and seen is not None and slots.generation < seen:
            raise KeySlotsOlder(slots.generation, seen)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()
        for i in range(len(self._data_key)):
            self._data_key[i] = 0
        self._lock.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ---------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One atomic unit of work; nested calls become savepoints."""
        if self._depth:
            name = f"sp{self._depth}"
            self.conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield self.conn
                self.conn.execute(f"RELEASE {name}")
            except BaseException:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:  # a failed COMMIT may already have rolled back
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0

    @property
    def vault_id(self) -> str:
        return self.slots.vault_id

    @property
    def db_path(self) -> Path:
        return self.folder / DB_NAME

    @property
    def slots_path(self) -> Path:
        return self.folder / SLOTS_NAME

    # --- key slots ------------------------------------------------------------------

    def _save_slots(self, slots: SlotFile, keys: list[bytes] | None = None) -> None:
        """Write the slot file signed under `keys` (the current data key by default), with a
        higher generation that the database then remembers.

        Only while this process still holds the lock, and only over the very file it last
        read or wrote: a slot another process added since is never dropped.
        """
        self._lock.confirm()
        if not _same_file(self._read_disk_slots(), self._on_disk):
            raise KeySlotsChangedMeanwhile(str(self.folder))
        slots = replace(slots, generation=max(slots.generation, self.slots.generation) + 1,
                        db_salt=pages.read_salt(self.db_path), version=keyslots.VERSION)
        slots = keyslot_auth.sign(slots, keys or [bytes(self._data_key)])
        keyslots.write(self.slots_path, slots)
        self.slots = self._on_disk = slots
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('keyslots_generation', ?)",
                          (str(slots.generation),))

    def _read_disk_slots(self) -> SlotFile:
        try:
            return keyslots.read(self.slots_path)
        except VaultDamaged:  # gone or unreadable: not the file this process knows
            raise KeySlotsChangedMeanwhile(str(self.folder)) from None

    def catch_up_slots(self) -> None:  # public: a service checks "already a user?" against it
        """Take over a newer slot file another Haven process wrote while this one held the vault
        open (a window left open while a command added a user), before changing a slot in it.

        Only a file that verifies under this process's data key, with no rekey pending, newer
        than what this process and the database have seen; anything else is refused.
        """
        self._lock.confirm()
        disk = self._read_disk_slots()
        if _same_file(disk, self._on_disk):
            return
        if (disk.version != keyslots.VERSION or disk.vault_id != self.vault_id or disk.pending_key_id
                or self.slots.pending_key_id or disk.generation <= self.slots.generation
                or not keyslot_auth.verify(disk, bytes(self._data_key))  # a rekey elsewhere: this key is old
                or disk.generation < (_stored_generation(self.conn) or 0)):
            raise KeySlotsChangedMeanwhile(str(self.folder))
        self.slots = self._on_disk = disk

    def add_user_slot(self, user: str, passphrase: str) -> None:
        self.catch_up_slots()
        slot = keyslots.new_slot(
            self.vault_id, USER, user, passphrase, for_sealing(self.slots.kdf_defaults), [bytes(self._data_key)]
        )
        self._save_slots(self.slots.without_user(user).with_slot(slot))

    def change_passphrase(self, user: str, old: str, new: str) -> None:
        """Rewrite one slot under a new passphrase (one atomic file replace)."""
        self.catch_up_slots()
        slot = self.slots.user_slot(user)
        if slot is None:
            raise VaultDamaged("no key slot for this user")
        private = keyslots.open_private(self.vault_id, slot, old)
        rewrapped = keyslots.rewrap_secret(self.vault_id, slot, private, new, for_sealing(slot.kdf))
        self._save_slots(self.slots.with_slot(rewrapped))

    def remove_user_slot_and_rekey(self, user: str) -> None:
        """Drop `user`'s slot and move the database to a fresh data key."""
        self.catch_up_slots()
        self._rotate_key(self.slots.without_user(user))

    def _rotate_key(self, staged: SlotFile) -> None:
        """Move the database to a fresh data key, sealed to every slot in `staged`.

        Crash-safe in three steps: (1) slot file holding old and new keys in every slot,
        signed under both; (2) PRAGMA rekey; (3) slot file with the new key only. Whatever
        step a crash interrupts, some key in every slot opens the file, the key that opens
        it verifies the slot file, and the next unlock finishes the job.
        """
        old_key, new_key = bytes(self._data_key), secrets.token_bytes(32)
        staged = replace(
            staged,
            slots=tuple(keyslots.add_keys(self.vault_id, s, [new_key]) for s in staged.slots),
            pending_key_id=key_id(new_key),
        )
        self._save_slots(staged, [old_key, new_key])
        self._rekey_to(new_key)

    def _rekey_to(self, new_key: bytes) -> None:
        connection.rekey(self.conn, new_key)
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._data_key[:] = new_key
        self._finalize_slots()

    def _finalize_slots(self) -> None:
        kid = key_id(bytes(self._data_key))
        final = replace(
            self.slots,
            slots=tuple(keyslots.keep_only_key(s, kid) for s in self.slots.slots),
            pending_key_id=None,
            key_changed_at=audit.now_utc() if self.slots.pending_key_id else self.slots.key_changed_at,
        )
        self._save_slots(final)

    def _settle_slots(self, candidates: dict[str, bytes]) -> None:
        """Finish what a crash or an older Haven left (see `opening.settle_plan`)."""
        rows = {u.name for u in users.all_users(self.conn)}
        plan = settle_plan(self.slots, key_id(bytes(self._data_key)), set(candidates), rows)
        if not plan.needed:
            if _stored_generation(self.conn) != self.slots.generation:
                self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('keyslots_generation', ?)",
                                  (str(self.slots.generation),))
            return
        self.slots = replace(plan.slots, version=keyslots.VERSION)
        if plan.fresh_key:
            self._rotate_key(self.slots)
            with self.transaction():
                audit.append(self.conn, self.vault_id, actor="haven", action="data_key_rotated",
                             detail={"reason": "unfinished_change_completed"})
        elif plan.rekey_to_pending:
            self._rekey_to(candidates[str(self.slots.pending_key_id)])
        elif plan.finalize:
            self._finalize_slots()
        else:
            self._save_slots(self.slots)

    def reader_source(self) -> ReaderSource:
        """What a helper thread or child process needs to read this vault (see `vault.reader`)."""
        return ReaderSource(self.db_path, bytes(self._data_key))

    def data_key_matches(self, key: bytes) -> bool:
        return secrets.compare_digest(bytes(self._data_key), key)

    def sqlcipher_export(self, target: Path, key: bytes) -> None:
        """Write a complete, encrypted copy of the database to `target` under `key`.

        One read transaction on the live database (committed WAL frames included),
        never a copy of the file. `target` may be missing or an empty file, so a
        caller can create it owner-only first. The key is bound as a parameter, so
        it never appears in SQL text.
        """
        target = Path(target)
        if target.exists() and target.stat().st_size > 0:
            raise VaultExists(str(target))
        if self._depth:
            raise RuntimeError("sqlcipher_export cannot run inside a transaction")
        connection._key_literal(key)  # validates the length
        self.conn.execute("ATTACH DATABASE ? AS export KEY ?", (str(target), "x'" + key.hex() + "'"))
        try:
            self.conn.execute("BEGIN")
            try:
                self.conn.execute("SELECT sqlcipher_export('export')")
                version = migrations.current_version(self.conn)
                self.conn.execute(f"PRAGMA export.user_version = {int(version)}")
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    with contextlib.suppress(Exception):
                        self.conn.execute("ROLLBACK")
                raise
        except BaseException:
            with contextlib.suppress(Exception):  # never hide the error that brought us here
                self.conn.execute("DETACH DATABASE export")
            raise
        self.conn.execute("DETACH DATABASE export")

    # --- backups, damage reports (vault/backup.py, vault/pages.py) -------------------

    def backup_to(self, target: Path, *, automatic: bool = False, app_version: str = "",
                  created_at: str | None = None) -> BackupHeader:
        """Write a self-contained backup file that the vault's own key slots open.

        Every page's HMAC is checked first: a damaged vault must not produce a
        backup that looks good (and would rotate good old backups away).
        """
        damaged = [str(row[0]) for row in self.conn.execute("PRAGMA cipher_integrity_check")]
        if damaged:
            raise VaultDamaged("; ".join(damaged[:5]))
        key = bytes(self._data_key)
        kid = key_id(key)
        slots = replace(self.slots, slots=tuple(keyslots.keep_only_key(s, kid) for s in self.slots.slots),
                        pending_key_id=None)
        head = self.conn.execute("SELECT coalesce(max(seq), 0) FROM audit").fetchone()[0]
        header = BackupHeader(
            vault_id=self.vault_id, created_at=created_at or audit.now_utc(),
            schema_version=migrations.current_version(self.conn), db_size=0, db_sha256="",
            keyslots=b"", app_version=app_version, automatic=automatic,
            audit_head=int(head),
        )

        def export(tmp: Path) -> bytes:
            """The database copy, then the slot file that goes with it (its salt is the copy's)."""
            self.sqlcipher_export(tmp, key)
            return keyslots.dumps(keyslot_auth.sign(replace(slots, db_salt=pages.read_salt(tmp)), [key]))

        return backup_file.write(Path(target), export, header, backup_file.mac_key(key, self.vault_id))

    def backup_verifier(self) -> Callable[[BackupHeader], bool]:
        """Checks that a backup header was written under this vault's data key (its MAC).

        Headers are writable by anyone who can write the backup folder; only a verified
        one may rank, keep or delete backups by its date. Holds a derived key, not the data key.
        """
        return _header_verifier(bytes(self._data_key), self.vault_id)

    def page_report(self) -> pages.PageReport:
        """Check every page's HMAC in the file itself (after moving the WAL into it)."""
        with contextlib.suppress(connection.DatabaseError):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return pages.scan(self.db_path, bytes(self._data_key))

    def find_in_pages(self, needles: list[bytes]) -> list[tuple[str, int, bytes]]:
        """Where byte strings occur in the decrypted pages, used and free, and the WAL.

        For proving a purge left nothing behind; returns locations, never page contents.
        """
        return pages.find_plaintext(self.db_path, bytes(self._data_key), needles)

    @classmethod
    def diagnose(cls, folder: Path, *, user: str | None = None, passphrase: str | None = None,
                 recovery: str | None = None,
                 verifiers: list[Callable[[BackupHeader], bool]] | None = None) -> pages.PageReport:
        """Page-by-page damage report for a vault that may not open at all.

        Unwraps the data key from the key slots (so a wrong passphrase still fails
        as usual) and checks every page without SQLite. With two keys during an
        interrupted rekey, the key that fits more pages is the right one. When some page
        proves that key (its HMAC verifies), its backup_verifier is added to `verifiers`.
        """
        folder = Path(folder)
        slots = cls.peek_slots(folder)
        if recovery is not None:
            candidates = _recovery_keys(slots, recovery)
        else:
            candidates = _user_keys(slots, user or "", passphrase or "")
        lock = VaultLock(folder)
        lock.acquire()
        try:
            db_path = folder / DB_NAME
            if not db_path.is_file():
                raise VaultDamaged("database file missing")
            reports = [(pages.scan(db_path, key), key) for key in candidates.values()]
            if not reports:
                raise VaultDamaged("key slot holds no data key")
        finally:
            lock.release()
        best, key = min(reports, key=lambda rk: len(rk[0].bad_pages) + len(rk[0].bad_wal_pages))
        if verifiers is not None and best.pages > len(best.bad_pages):
            verifiers.append(_header_verifier(key, slots.vault_id))
        return best


def _header_verifier(data_key: bytes, vault_id: str) -> Callable[[BackupHeader], bool]:
    key = backup_file.mac_key(data_key, vault_id)
    return lambda header: header.vault_id == vault_id and backup_file.verify_header(header, key)


def _user_keys(slots: SlotFile, user: str, passphrase: str) -> dict[str, bytes]:
    from clinic_app.errors import WrongPassphrase

    slot = slots.user_slot(user)
    if slot is None:
        raise WrongPassphrase()
    private = keyslots.open_private(slots.vault_id, slot, passphrase)
    return keyslots.data_keys(slots.vault_id, slot, private)


def _recovery_keys(slots: SlotFile, key: str) -> dict[str, bytes]:
    from clinic_app.errors import WrongRecoveryKey

    slot = slots.recovery_slot()
    if slot is None:
        raise VaultDamaged("no recovery slot")
    private = keyslots.open_private(
        slots.vault_id, slot, recovery_key.normalise(key), error=WrongRecoveryKey()
    )
    return keyslots.data_keys(slots.vault_id, slot, private)


def _same_file(a: SlotFile, b: SlotFile) -> bool:
    """The same slot file as written (a version-1 file read once is compared as its fields)."""
    return keyslots.canonical(a) == keyslots.canonical(b) and a.macs == b.macs and a.version == b.version


def _stored_generation(conn: Connection) -> int | None:
    row = conn.execute("SELECT value FROM meta WHERE key = 'keyslots_generation'").fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else None


def _remember_generation(db_path: Path, key: bytes, generation: int) -> None:
    conn = connection.connect(db_path, key)
    try:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('keyslots_generation', ?)",
                     (str(generation),))
    finally:
        conn.close()

"""Opening SQLCipher connections with every safety setting, and nothing else.

Each connection: raw 256-bit key (never SQL built from a passphrase), pinned
SQLCipher 4 settings, temp data in memory only (asserted: a FILE temp store writes
plaintext), foreign keys, WAL with synchronous=FULL, SQLCipher's own log silenced.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2 as sqlcipher

from clinic_app.errors import VaultDamaged
from clinic_app.i18n import _
from clinic_app.vault.errors import VaultFileUnusable

Connection = Any  # sqlcipher3.dbapi2.Connection (no public type stubs)
DatabaseError = sqlcipher.DatabaseError
IntegrityError = sqlcipher.IntegrityError
InterfaceError = sqlcipher.InterfaceError
OperationalError = sqlcipher.OperationalError
Binary = sqlcipher.Binary


PAGE_SIZE = 4096  # SQLCipher 4's default, pinned by cipher_compatibility = 4
# The page cache holds decrypted pages, so a search reads and decrypts only what the last
# ones did not touch. SQLCipher's default (2,000 pages, 8 MiB) held about 2% of a
# 10,000-document vault's file: the index, its content and the record tables evicted each
# other between keystrokes. The benchmark's queries, alternating 8 and 128 MiB in one
# process with the cache emptied before each block: the window's p95 8.7 -> 7.3 ms (CLI
# 12.4 -> 7.4) at 10,000 documents, 21.5 -> 19.1 ms at 100,000. Pages are decrypted into
# memory either way; this keeps more of them, until the connection closes at lock.
# Readers that stream documents to a build set their own (vault/reader.py).
CACHE_KIB = 131_072
SQLITE_IOERR = 10
SQLITE_CANTOPEN = 14
SQLITE_READONLY = 8  # the -wal or -shm could not be opened for writing
COMPANIONS = ("-wal", "-shm")


class WrongKey(Exception):
    """The data key does not open this database file (internal: callers decide)."""


def _key_literal(key: bytes) -> str:
    if len(key) != 32:
        raise ValueError("data key must be 32 bytes")
    return "\"x'" + key.hex() + "'\""


def unusable_companion(db_path: Path, *, try_open: bool = False) -> VaultFileUnusable | None:
    """The error naming vault.db-wal or -shm when one is there but is not an ordinary file this
    account may read and write (a stale one from `sudo clinic-app`, a folder, a link), or None.
    SQLite reports these as a key that does not fit or as an unwritable folder, and both
    pointed the person to the wrong remedy. `try_open` also opens them, to catch what
    permission bits do not show."""
    euid = getattr(os, "geteuid", None)
    for suffix in COMPANIONS:
        path = db_path.with_name(db_path.name + suffix)
        try:
            st = os.lstat(path)
        except OSError:
            continue  # absent (SQLite creates it) or the folder itself is unreadable (said elsewhere)
        ordinary = stat.S_ISREG(st.st_mode)
        usable = ordinary and os.access(path, os.R_OK | os.W_OK)
        if usable and try_open:
            flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
            try:
                os.close(os.open(path, flags))
            except OSError:
                usable = False
        if not usable:
            return VaultFileUnusable(path.name, str(db_path.parent), ordinary=ordinary,
                                     other_owner=euid is not None and st.st_uid != euid())
    return None


def connect(db_path: Path, key: bytes, *, create: bool = False) -> Connection:
    """An open, keyed, fully configured connection; WrongKey if `key` does not fit."""
    if not create and not db_path.is_file():
        raise VaultDamaged("database file missing")
    if not create and db_path.stat().st_size < PAGE_SIZE:  # SQLite would treat it as new and write to it
        raise VaultDamaged(_("vault.db is empty or cut short"))
    if not create and (problem := unusable_companion(db_path)) is not None:
        raise problem
    if create and not db_path.exists():
        os.close(os.open(db_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # owner-only from the start
    conn = sqlcipher.connect(str(db_path), isolation_level=None, check_same_thread=True)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {_key_literal(key)}")
        conn.execute("PRAGMA cipher_compatibility = 4")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as exc:
            if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF in (SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_READONLY):
                if (problem := unusable_companion(db_path, try_open=True)) is not None:
                    raise problem from None
                raise  # the disk or the folder failed: not a key problem, and not damage
            raise WrongKey() from None
        configure(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def configure(conn: Connection) -> None:
    conn.execute("PRAGMA temp_store = MEMORY")
    temp_store = conn.execute("PRAGMA temp_store").fetchone()[0]
    if temp_store != 2:
        raise RuntimeError("SQLCipher temp_store is not MEMORY; refusing to continue")
    conn.execute("PRAGMA foreign_keys = ON")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise RuntimeError("could not enable WAL journal mode")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")


def rekey(conn: Connection, new_key: bytes) -> None:
    """Re-encrypt every page under `new_key` (atomic in SQLCipher: old or new, never mixed)."""
    conn.execute(f"PRAGMA rekey = {_key_literal(new_key)}")


def integrity_problems(conn: Connection) -> list[str]:
    """Both checks: SQLite's structure and SQLCipher's per-page HMACs. Empty means clean."""
    problems: list[str] = []
    for row in conn.execute("PRAGMA cipher_integrity_check").fetchall():
        problems.append(str(row[0]))
    for row in conn.execute("PRAGMA integrity_check").fetchall():
        if row[0] != "ok":
            problems.append(str(row[0]))
    for row in conn.execute("PRAGMA foreign_key_check").fetchall():
        problems.append(f"foreign key: {row[0]} row {row[1]} -> {row[2]}")
    return problems


def pragma(conn: Connection, name: str) -> Any:
    if not name.isidentifier():
        raise ValueError(name)
    row = conn.execute(f"PRAGMA {name}").fetchone()
    return row[0] if row else None

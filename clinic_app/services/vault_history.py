"""How far each vault's history had reached the last time this computer opened it.

Copying an older vault.db over the current one leaves a vault that opens, checks clean
and verifies its audit chain: every newer record is simply gone. The vault cannot
notice by itself, so each computer remembers, outside the vault (in Haven's state
folder), the newest audit row it saw: its number, its hash and its time. No client
data: the audit chain holds ids and counts only.

At the next unlock the database must still hold that row, unchanged. If it ends
earlier, it is an older copy; if the row differs, it is another history. Either way the
user is told, with dates, and chooses; accepting (or a deliberate restore) resets the
mark. Someone who can also edit this computer's state folder can delete the mark, which
only removes the warning; they cannot make an old copy look new.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from clinic_app.fsutil import atomic_write_bytes
from clinic_app.paths import state_dir
from clinic_app.vault import audit
from clinic_app.vault.connection import Connection
from clinic_app.vault.errors import VaultOlderCopy


@dataclass(frozen=True)
class Mark:
    seq: int
    hash: str
    entry_at: str  # when that audit row was written
    seen_on: str  # when this computer recorded it


def _path(vault_id: str, folder: Path) -> Path:
    """One mark per vault *and folder*: a backup restored into a second folder to look at it
    is another copy, not a rollback of the first. The name is a hash (no path in clear). The
    path is hashed as the file system's bytes: a folder name that is not UTF-8 (Latin-1 on an
    older USB drive) is a name like any other, and UTF-8 names keep their earlier hash."""
    where = os.fsencode(os.path.abspath(Path(folder).expanduser()))
    name = hashlib.sha256(vault_id.encode("utf-8") + b"\0" + where).hexdigest()[:32]
    return state_dir() / "history" / f"{name}.json"


def load(vault_id: str, folder: Path) -> Mark | None:
    try:
        doc = json.loads(_path(vault_id, folder).read_text(encoding="utf-8"))
        mark = Mark(int(doc["seq"]), str(doc["hash"]), str(doc["entry_at"]), str(doc["seen_on"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no mark (or an unreadable one): nothing to compare with
    return mark if mark.seq > 0 else None


def mark_of(conn: Connection) -> Mark | None:
    top = audit.head(conn)
    return Mark(top[0], top[1], top[2], audit.now_utc()) if top else None


def save(vault_id: str, folder: Path, mark: Mark | None) -> None:
    if mark is None:
        return
    with contextlib.suppress(OSError):  # the state folder is a convenience: never fail the work for it
        path = _path(vault_id, folder)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_bytes(path, json.dumps(asdict(mark), sort_keys=True).encode("utf-8"))


def remember(vault_id: str, folder: Path, conn: Connection) -> None:
    """Record the newest audit row as this computer's mark (callers only call this on a
    vault the person has opened, so an older copy moves the mark only once accepted)."""
    save(vault_id, folder, mark_of(conn))


def compare(vault_id: str, folder: Path, conn: Connection) -> VaultOlderCopy | None:
    """The problem with this database's history against this computer's mark, if any."""
    mark = load(vault_id, folder)
    if mark is None:
        return None
    top = audit.head(conn)
    ends_seq, ends_at = (top[0], top[2]) if top else (0, "")
    found = audit.hash_at(conn, mark.seq)
    if found == mark.hash:
        return None
    return VaultOlderCopy(ends_at=ends_at, ends_seq=ends_seq, seen_seq=mark.seq, seen_entry_at=mark.entry_at,
                          seen_on=mark.seen_on, diverged=found is not None)

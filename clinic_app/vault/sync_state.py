"""The sync tables of a vault (schema step 8): configuration, keys, members, base, outbox, conflicts.

Only SQL lives here; what the rows mean is services/sync's business. Records are kept
as JSON text: `{"fields": {name: [value, stamp, author]}, "deleted": [stamp, author] | null}`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from clinic_app.vault.connection import Connection


def _load(text: str | None) -> Any:
    return json.loads(text) if text else None


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# --- configuration -----------------------------------------------------------------------------


def get(conn: Connection, key: str, default: str | None = None) -> str | None:
    row = conn.execute("SELECT value FROM sync_config WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else default


def put(conn: Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO sync_config (key, value) VALUES (?, ?)", (key, value))


def connected(conn: Connection) -> bool:
    return get(conn, "clinic_id") is not None


def forget_everything(conn: Connection) -> None:
    for table in ("sync_config", "sync_keys", "sync_members", "sync_dirty", "sync_base", "sync_outbox", "sync_pending",
                  "sync_conflicts", "sync_peer_audit", "sync_row_ids"):
        conn.execute(f"DELETE FROM {table}")


# --- keys and members --------------------------------------------------------------------------


def put_key(conn: Connection, scope: str, epoch: int, key: bytes) -> None:
    conn.execute("INSERT OR REPLACE INTO sync_keys (scope, epoch, key) VALUES (?, ?, ?)", (scope, epoch, key))


def keys(conn: Connection) -> dict[tuple[str, int], bytes]:
    return {(str(s), int(e)): bytes(k) for s, e, k in conn.execute("SELECT scope, epoch, key FROM sync_keys")}


@dataclass(frozen=True)
class MemberRow:
    device_id: str
    user_name: str
    role: str
    sign_pub: bytes
    kx_pub: bytes
    added_at: int
    removed_at: int | None


def put_members(conn: Connection, members: list[MemberRow]) -> None:
    conn.execute("DELETE FROM sync_members")
    for m in members:
        conn.execute("INSERT INTO sync_members VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (m.device_id, m.user_name, m.role, m.sign_pub, m.kx_pub, m.added_at, m.removed_at))


def members(conn: Connection) -> list[MemberRow]:
    return [MemberRow(str(r[0]), str(r[1]), str(r[2]), bytes(r[3]), bytes(r[4]), int(r[5]),
                      None if r[6] is None else int(r[6]))
            for r in conn.execute("SELECT device_id, user_name, role, sign_pub, kx_pub, added_at, removed_at "
                                  "FROM sync_members ORDER BY added_at")]


# --- change capture ----------------------------------------------------------------------------


def dirty(conn: Connection) -> tuple[int, dict[tuple[str, str], str]]:
    """(highest mark id, {(kind, ref): latest change time}) of records touched since the last sync."""
    top = 0
    found: dict[tuple[str, str], str] = {}
    for mark_id, kind, ref, at in conn.execute("SELECT id, kind, ref, at FROM sync_dirty ORDER BY id"):
        top = max(top, int(mark_id))
        key = (str(kind), str(ref))
        found[key] = max(found.get(key, ""), str(at))
    return top, found


def clear_dirty(conn: Connection, up_to: int | None = None) -> None:
    if up_to is None:
        conn.execute("DELETE FROM sync_dirty")
    else:
        conn.execute("DELETE FROM sync_dirty WHERE id <= ?", (up_to,))


def last_dirty_id(conn: Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM sync_dirty").fetchone()[0])


# --- base (as last agreed with the server) and outbox (local edits not yet pushed) ---------------


def base(conn: Connection, kind: str, ref: str) -> tuple[dict[str, Any] | None, dict[str, int]]:
    row = conn.execute("SELECT record, versions FROM sync_base WHERE kind = ? AND ref = ?", (kind, ref)).fetchone()
    return (_load(row[0]), {str(k): int(v) for k, v in json.loads(row[1]).items()}) if row else (None, {})


def put_base(conn: Connection, kind: str, ref: str, record: dict[str, Any], versions: dict[str, int]) -> None:
    conn.execute("INSERT OR REPLACE INTO sync_base (kind, ref, record, versions) VALUES (?, ?, ?, ?)",
                 (kind, ref, _dump(record), _dump(versions)))


def drop_base(conn: Connection, kind: str, ref: str) -> None:
    conn.execute("DELETE FROM sync_base WHERE kind = ? AND ref = ?", (kind, ref))


def base_keys(conn: Connection) -> list[tuple[str, str]]:
    return [(str(k), str(r)) for k, r in conn.execute("SELECT kind, ref FROM sync_base")]


def outbox(conn: Connection, kind: str, ref: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT record FROM sync_outbox WHERE kind = ? AND ref = ?", (kind, ref)).fetchone()
    return _load(row[0]) if row else None


def put_outbox(conn: Connection, kind: str, ref: str, record: dict[str, Any] | None) -> None:
    if record is None or (not record["fields"] and record["deleted"] is None and not record.get("republish")):
        conn.execute("DELETE FROM sync_outbox WHERE kind = ? AND ref = ?", (kind, ref))
    else:
        conn.execute("INSERT OR REPLACE INTO sync_outbox (kind, ref, record) VALUES (?, ?, ?)",
                     (kind, ref, _dump(record)))


def outbox_keys(conn: Connection) -> list[tuple[str, str]]:
    return [(str(k), str(r)) for k, r in conn.execute("SELECT kind, ref FROM sync_outbox ORDER BY kind, ref")]


def put_row_record(conn: Connection, scope: str, record_id: str, kind: str, ref: str) -> None:
    conn.execute("INSERT OR REPLACE INTO sync_row_ids (scope, record_id, kind, ref) VALUES (?, ?, ?, ?)",
                  (scope, record_id, kind, ref))


def row_record(conn: Connection, scope: str, record_id: str) -> tuple[str, str] | None:
    row = conn.execute("SELECT kind, ref FROM sync_row_ids WHERE scope = ? AND record_id = ?",
                       (scope, record_id)).fetchone()
    return (str(row[0]), str(row[1])) if row else None


# --- pending (pulled, not applicable yet) ------------------------------------------------------


def put_pending(conn: Connection, kind: str, ref: str, entry: dict[str, Any]) -> None:
    conn.execute("INSERT OR REPLACE INTO sync_pending (kind, ref, record) VALUES (?, ?, ?)", (kind, ref, _dump(entry)))


def pending(conn: Connection) -> list[tuple[str, str, dict[str, Any]]]:
    return [(str(k), str(r), json.loads(rec)) for k, r, rec in
            conn.execute("SELECT kind, ref, record FROM sync_pending ORDER BY kind, ref")]


def drop_pending(conn: Connection, kind: str, ref: str) -> None:
    conn.execute("DELETE FROM sync_pending WHERE kind = ? AND ref = ?", (kind, ref))


# --- conflicts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictRow:
    id: int
    kind: str
    ref: str
    field: str
    kept_value: Any
    other_value: Any
    kept_stamp: str
    other_stamp: str
    other_author: str
    found_at: str
    resolved_at: str | None


def add_conflict(conn: Connection, kind: str, ref: str, field: str, kept: list[Any], other: list[Any],
                 found_at: str) -> None:
    conn.execute("INSERT INTO sync_conflicts (kind, ref, field, kept_value, other_value, kept_stamp, other_stamp, "
                 "other_author, found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (kind, ref, field, _dump(kept[0]), _dump(other[0]), str(kept[1]), str(other[1]), str(other[2]),
                  found_at))


def conflicts(conn: Connection, *, open_only: bool = True) -> list[ConflictRow]:
    where = "WHERE resolved_at IS NULL" if open_only else ""
    return [ConflictRow(int(r[0]), str(r[1]), str(r[2]), str(r[3]), _load(r[4]), _load(r[5]), str(r[6]), str(r[7]),
                        str(r[8]), str(r[9]), r[10])
            for r in conn.execute("SELECT id, kind, ref, field, kept_value, other_value, kept_stamp, other_stamp, "
                                  f"other_author, found_at, resolved_at FROM sync_conflicts {where} ORDER BY id")]


def resolve_conflict(conn: Connection, conflict_id: int, at: str) -> bool:
    """Close a conflict and forget both values: they were kept only for a person to choose
    (a narrative edited on a laptop while its client was deleted elsewhere stayed in the
    vault for good after the deletion, resolved or not)."""
    return conn.execute("UPDATE sync_conflicts SET resolved_at = ?, kept_value = 'null', other_value = 'null' "
                        "WHERE id = ? AND resolved_at IS NULL", (at, conflict_id)).rowcount > 0


# --- audit witnesses ---------------------------------------------------------------------------


def peer_heads(conn: Connection) -> dict[str, tuple[int, str]]:
    return {str(d): (int(s), str(h)) for d, s, h in conn.execute("SELECT device_id, seq, hash FROM sync_peer_audit")}


def put_peer_head(conn: Connection, device_id: str, seq: int, digest: str) -> None:
    conn.execute("INSERT OR REPLACE INTO sync_peer_audit (device_id, seq, hash) VALUES (?, ?, ?)",
                 (device_id, seq, digest))

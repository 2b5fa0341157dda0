"""The append-only, hash-chained audit log inside the vault.

Each row's hash covers its fields and the previous row's hash, so editing,
deleting or reordering any row breaks the chain from that row on. Triggers refuse
UPDATE and DELETE. Rows carry ids and counts, never client names, so purging a
client never has to touch the log.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from clinic_app.vault.connection import Connection


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str


def genesis_hash(vault_id: str) -> str:
    return hashlib.sha256(f"haven-audit-genesis\0{vault_id}".encode()).hexdigest()


def _row_hash(seq: int, at: str, actor: str, action: str, target: str, detail: str, prev: str) -> str:
    canonical = json.dumps([seq, at, actor, action, target, detail, prev], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def append(
    conn: Connection,
    vault_id: str,
    *,
    actor: str,
    action: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
    at: str | None = None,
) -> int:
    """Add one row; call inside the transaction that made the change it records."""
    last = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, genesis_hash(vault_id))
    at = at or now_utc()
    detail_text = json.dumps(detail or {}, sort_keys=True, ensure_ascii=False)
    digest = _row_hash(seq, at, actor, action, target, detail_text, prev)
    conn.execute(
        "INSERT INTO audit (seq, at, actor, action, target, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, actor, action, target, detail_text, prev, digest),
    )
    return seq


def entries(
    conn: Connection,
    *,
    limit: int | None = None,
    actor: str = "",
    action: str = "",
    since: str = "",
    before: str = "",
    below_seq: int | None = None,
) -> list[AuditEntry]:
    """Rows in order; with `limit`, the newest `limit` that match. `since`/`before` bound `at`
    (ISO text, `before` excluded); `below_seq` pages back from a row already shown."""
    where: list[str] = []
    params: list[object] = []
    for clause, value in (("actor = ?", actor), ("action = ?", action), ("at >= ?", since), ("at < ?", before)):
        if value:
            where.append(clause)
            params.append(value)
    if below_seq is not None:
        where.append("seq < ?")
        params.append(int(below_seq))
    sql = "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY seq"
    if limit:
        sql = f"SELECT * FROM ({sql} DESC LIMIT {int(limit)}) ORDER BY seq"
    return [
        AuditEntry(r[0], r[1], r[2], r[3], r[4], json.loads(r[5] or "{}"), r[6], r[7])
        for r in conn.execute(sql, params)
    ]


def count(conn: Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM audit").fetchone()[0])


def distinct(conn: Connection, column: str) -> list[str]:
    """Every actor or every action the log holds, sorted: what a filter can offer."""
    if column not in ("actor", "action"):
        raise ValueError(column)
    return [str(r[0]) for r in conn.execute(f"SELECT DISTINCT {column} FROM audit ORDER BY {column}")]


@dataclass(frozen=True)
class ChainBreak:
    """One break in the chain: row `seq` is "missing" (the next row is `next_seq`), does not follow
    the row before it ("order"), or its contents no longer give its hash ("changed")."""

    seq: int
    kind: str
    next_seq: int = 0


def breaks(conn: Connection, vault_id: str) -> list[ChainBreak]:
    found: list[ChainBreak] = []
    expected_prev = genesis_hash(vault_id)
    expected_seq = 1
    cursor = conn.execute(
        "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit ORDER BY seq"
    )
    for seq, at, actor, action, target, detail, prev, digest in cursor:
        if seq != expected_seq:
            found.append(ChainBreak(expected_seq, "missing", seq))
        if prev != expected_prev:
            found.append(ChainBreak(seq, "order"))
        if _row_hash(seq, at, actor, action, target, detail, prev) != digest:
            found.append(ChainBreak(seq, "changed"))
        expected_prev, expected_seq = digest, seq + 1
    return found


def describe_break(b: ChainBreak) -> str:
    if b.kind == "missing":
        return f"row {b.seq}: missing (next row is {b.next_seq})"
    if b.kind == "order":
        return f"row {b.seq}: does not follow the previous row"
    return f"row {b.seq}: contents were changed"


def verify(conn: Connection, vault_id: str) -> list[str]:
    """Every break in the chain, as text naming the row; empty when the log is intact."""
    return [describe_break(b) for b in breaks(conn, vault_id)]


def head(conn: Connection) -> tuple[int, str, str] | None:
    """(seq, hash, time) of the newest row: how far the vault's history has reached."""
    row = conn.execute("SELECT seq, hash, at FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1]), str(row[2])) if row else None


def hash_at(conn: Connection, seq: int) -> str | None:
    row = conn.execute("SELECT hash FROM audit WHERE seq = ?", (seq,)).fetchone()
    return str(row[0]) if row else None

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


def entries(conn: Connection, *, limit: int | None = None) -> list[AuditEntry]:
    sql = "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit ORDER BY seq"
    if limit:
        sql = f"SELECT * FROM ({sql} DESC LIMIT {int(limit)}) ORDER BY seq"
    return [
        AuditEntry(r[0], r[1], r[2], r[3], r[4], json.loads(r[5] or "{}"), r[6], r[7])
        for r in conn.execute(sql)
    ]


def verify(conn: Connection, vault_id: str) -> list[str]:
    """Every break in the chain, as text naming the row; empty when the log is intact."""
    problems: list[str] = []
    expected_prev = genesis_hash(vault_id)
    expected_seq = 1
    cursor = conn.execute(
        "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit ORDER BY seq"
    )
    for seq, at, actor, action, target, detail, prev, digest in cursor:
        if seq != expected_seq:
            problems.append(f"row {expected_seq}: missing (next row is {seq})")
        if prev != expected_prev:
            problems.append(f"row {seq}: does not follow the previous row")
        if _row_hash(seq, at, actor, action, target, detail, prev) != digest:
            problems.append(f"row {seq}: contents were changed")
        expected_prev, expected_seq = digest, seq + 1
    return problems


def head(conn: Connection) -> tuple[int, str, str] | None:
    """(seq, hash, time) of the newest row: how far the vault's history has reached."""
    row = conn.execute("SELECT seq, hash, at FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1]), str(row[2])) if row else None


def hash_at(conn: Connection, seq: int) -> str | None:
    row = conn.execute("SELECT hash FROM audit WHERE seq = ?", (seq,)).fetchone()
    return str(row[0]) if row else None

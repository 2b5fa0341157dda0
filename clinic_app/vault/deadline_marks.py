"""Rows of deadline marks (done / not applicable), one per matter and rule."""

from __future__ import annotations

from datetime import date

from clinic_app.domain.deadlines.marks import DeadlineMark
from clinic_app.vault.audit import now_utc
from clinic_app.vault.connection import Connection

_COLUMNS = "rule_id, due, state, reason, marked_by, marked_at"


def _mark(row: tuple[str, str, str, str, str, str]) -> DeadlineMark:
    return DeadlineMark(row[0], date.fromisoformat(row[1]), row[2], row[3], row[4], row[5])


def marks_of(conn: Connection, matter_id: int) -> dict[str, DeadlineMark]:
    rows = conn.execute(f"SELECT {_COLUMNS} FROM deadline_marks WHERE matter_id = ?", (matter_id,))
    return {row[0]: _mark(row) for row in rows}


def marks_by_matter(conn: Connection) -> dict[int, dict[str, DeadlineMark]]:
    found: dict[int, dict[str, DeadlineMark]] = {}
    for matter_id, *row in conn.execute(f"SELECT matter_id, {_COLUMNS} FROM deadline_marks"):
        found.setdefault(int(matter_id), {})[row[0]] = _mark(tuple(row))  # type: ignore[arg-type]
    return found


def save(conn: Connection, matter_id: int, mark: DeadlineMark) -> DeadlineMark:
    """Insert or replace the mark of (matter, rule); returns it as stored."""
    stored = DeadlineMark(mark.rule_id, mark.due, mark.state, mark.reason, mark.marked_by, now_utc())
    conn.execute(
        "INSERT INTO deadline_marks (matter_id, rule_id, due, state, reason, marked_by, marked_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (matter_id, rule_id) DO UPDATE SET due = excluded.due, "
        "state = excluded.state, reason = excluded.reason, marked_by = excluded.marked_by, "
        "marked_at = excluded.marked_at",
        (matter_id, stored.rule_id, stored.due.isoformat(), stored.state, stored.reason, stored.marked_by,
         stored.marked_at))
    return stored


def remove(conn: Connection, matter_id: int, rule_id: str) -> bool:
    cur = conn.execute("DELETE FROM deadline_marks WHERE matter_id = ? AND rule_id = ?", (matter_id, rule_id))
    return cur.rowcount > 0

"""Rows for package checklists: item statuses and attached documents, per matter."""

from __future__ import annotations

from dataclasses import dataclass

from clinic_app.vault.audit import now_utc
from clinic_app.vault.connection import Connection


@dataclass(frozen=True)
class ItemRow:
    item: str
    status: str | None  # None: never set (only attachments)
    note: str
    attached: tuple[str, ...]  # document refs in attachment order


def item_rows(conn: Connection, matter_id: int, package: str) -> dict[str, ItemRow]:
    """Every item of one matter's package that has a status or an attachment."""
    states: dict[str, tuple[str | None, str]] = {
        r[0]: (r[1], r[2]) for r in conn.execute(
            "SELECT item, status, note FROM package_items WHERE matter_id = ? AND package = ?",
            (matter_id, package))}
    attached: dict[str, list[str]] = {}
    for item, ref in conn.execute(
            "SELECT a.item, d.ref FROM package_attachments a JOIN documents d ON d.id = a.document_id "
            "WHERE a.matter_id = ? AND a.package = ? ORDER BY a.item, a.position, d.ref", (matter_id, package)):
        attached.setdefault(item, []).append(ref)
    return {item: ItemRow(item, *states.get(item, (None, "")), tuple(attached.get(item, ())))
            for item in sorted(set(states) | set(attached))}


def set_status(conn: Connection, matter_id: int, package: str, item: str, status: str, note: str) -> None:
    conn.execute(
        "INSERT INTO package_items (matter_id, package, item, status, note, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (matter_id, package, item) DO UPDATE SET status = excluded.status, note = excluded.note, "
        "updated_at = excluded.updated_at", (matter_id, package, item, status, note, now_utc()))


def clear_status(conn: Connection, matter_id: int, package: str, item: str) -> bool:
    cur = conn.execute("DELETE FROM package_items WHERE matter_id = ? AND package = ? AND item = ?",
                       (matter_id, package, item))
    return cur.rowcount > 0


def attach(conn: Connection, matter_id: int, package: str, item: str, document_id: int) -> bool:
    """Attach a document at the end of the item's list; False if it was already there."""
    row = conn.execute("SELECT coalesce(max(position), 0) FROM package_attachments "
                       "WHERE matter_id = ? AND package = ? AND item = ?", (matter_id, package, item)).fetchone()
    cur = conn.execute(
        "INSERT OR IGNORE INTO package_attachments (matter_id, package, item, document_id, position) "
        "VALUES (?, ?, ?, ?, ?)", (matter_id, package, item, document_id, int(row[0]) + 1))
    return cur.rowcount > 0


def detach(conn: Connection, matter_id: int, package: str, item: str, document_id: int) -> bool:
    cur = conn.execute("DELETE FROM package_attachments WHERE matter_id = ? AND package = ? AND item = ? "
                       "AND document_id = ?", (matter_id, package, item, document_id))
    return cur.rowcount > 0

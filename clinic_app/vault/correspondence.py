"""Rows of the correspondence log (schema step 9) and of exhibits to affidavits."""

from __future__ import annotations

from datetime import date

from clinic_app.domain.correspondence import CorrespondenceEntry
from clinic_app.domain.exhibits import ExhibitLink
from clinic_app.vault.audit import now_utc
from clinic_app.vault.connection import Connection
from clinic_app.vault.records import require_id

_COLUMNS = "c.entry, c.day, c.direction, c.party, c.subject, d.ref, c.note"


def entries(conn: Connection, matter_id: int) -> list[CorrespondenceEntry]:
    rows = conn.execute(f"SELECT {_COLUMNS} FROM correspondence AS c LEFT JOIN documents AS d "
                        "ON d.id = c.document_id WHERE c.matter_id = ? ORDER BY c.day, c.id", (matter_id,))
    return [CorrespondenceEntry(r[0], date.fromisoformat(r[1]), r[2], r[3], r[4], r[5], r[6]) for r in rows]


def save(conn: Connection, matter_id: int, entry: CorrespondenceEntry) -> bool:
    """Insert or replace the entry by its key; True if it is new."""
    document_id = require_id(conn, "documents", entry.document_ref) if entry.document_ref else None
    values = (entry.day.isoformat(), entry.direction.value, entry.party, entry.subject, document_id, entry.note,
              now_utc())
    cur = conn.execute("UPDATE correspondence SET day = ?, direction = ?, party = ?, subject = ?, document_id = ?, "
                       "note = ?, updated_at = ? WHERE matter_id = ? AND entry = ?", (*values, matter_id, entry.entry))
    if cur.rowcount:
        return False
    conn.execute("INSERT INTO correspondence (day, direction, party, subject, document_id, note, updated_at, "
                 "matter_id, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (*values, matter_id, entry.entry))
    return True


def delete(conn: Connection, matter_id: int, entry: str) -> bool:
    return conn.execute("DELETE FROM correspondence WHERE matter_id = ? AND entry = ?",
                        (matter_id, entry)).rowcount > 0


def set_exhibits(conn: Connection, affidavit_id: int, exhibit_ids: list[int]) -> None:
    """The affidavit's exhibits become exactly these, in order; each leaves any other affidavit."""
    conn.execute("DELETE FROM document_exhibits WHERE affidavit_id = ?", (affidavit_id,))
    for position, exhibit_id in enumerate(exhibit_ids):
        conn.execute("DELETE FROM document_exhibits WHERE exhibit_id = ?", (exhibit_id,))
        conn.execute("INSERT INTO document_exhibits (affidavit_id, exhibit_id, position) VALUES (?, ?, ?)",
                     (affidavit_id, exhibit_id, position))


def exhibits_of_matter(conn: Connection, matter_id: int) -> list[ExhibitLink]:
    """Exhibit links whose affidavit is one of the matter's documents."""
    rows = conn.execute(
        "SELECT a.ref, e.ref, x.position FROM document_exhibits AS x JOIN documents AS a ON a.id = x.affidavit_id "
        "JOIN documents AS e ON e.id = x.exhibit_id WHERE x.affidavit_id IN "
        "(SELECT document_id FROM document_matters WHERE matter_id = ?) ORDER BY a.ref, x.position", (matter_id,))
    return [ExhibitLink(r[0], r[1], int(r[2])) for r in rows]


def exhibits_of(conn: Connection, affidavit_id: int) -> list[str]:
    rows = conn.execute("SELECT e.ref FROM document_exhibits AS x JOIN documents AS e ON e.id = x.exhibit_id "
                        "WHERE x.affidavit_id = ? ORDER BY x.position", (affidavit_id,))
    return [str(r[0]) for r in rows]


def affidavits_with_exhibits(conn: Connection) -> set[str]:
    rows = conn.execute("SELECT DISTINCT d.ref FROM document_exhibits AS x JOIN documents AS d ON d.id = x.affidavit_id")
    return {str(r[0]) for r in rows}

"""The service log: which bundle was served on whom, when, how, with which pages, and the
content it froze (each source's SHA-256, kept in blob storage while an entry names it)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from clinic_app.vault.audit import now_utc
from clinic_app.vault.connection import Connection


# SHA-256 of every source a served snapshot froze (`snapshot.sources.<ref>.sha256`): blob
# storage keeps these bytes even when no document points at them any more.
SERVED_CONTENT_SQL = (
    "SELECT json_extract(src.value, '$.sha256') FROM bundle_service AS s, json_each(s.snapshot, '$.sources') AS src "
    "WHERE CASE WHEN src.type = 'object' THEN json_type(src.value, '$.sha256') END = 'text'"
)


@dataclass(frozen=True)
class ServiceEntry:
    bundle_ref: str
    served_on: str  # ISO date
    served_to: str
    method: str
    first_page: int
    last_page: int
    output_sha256: str
    recorded_by: str
    snapshot: dict[str, Any]


def record(conn: Connection, bundle_id: int, *, served_on: str, served_to: str, method: str, first_page: int,
           last_page: int, output_sha256: str, snapshot: dict[str, Any], recorded_by: str) -> None:
    conn.execute(
        "INSERT INTO bundle_service (bundle_id, served_on, served_to, method, first_page, last_page, "
        "output_sha256, snapshot, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (bundle_id, served_on, served_to, method, first_page, last_page, output_sha256,
         json.dumps(snapshot, ensure_ascii=False, sort_keys=True), now_utc(), recorded_by))


def entries(conn: Connection, bundle_id: int | None = None, matter_id: int | None = None) -> list[ServiceEntry]:
    sql = ("SELECT b.ref, s.served_on, s.served_to, s.method, s.first_page, s.last_page, s.output_sha256, "
           "s.recorded_by, s.snapshot FROM bundle_service s JOIN bundles b ON b.id = s.bundle_id ")
    if bundle_id is not None:
        rows = conn.execute(sql + "WHERE s.bundle_id = ? ORDER BY s.id", (bundle_id,))
    else:
        rows = conn.execute(sql + "WHERE b.matter_id = ? ORDER BY s.id", (matter_id,))
    return [ServiceEntry(r[0], r[1], r[2], r[3], int(r[4]), int(r[5]), r[6], r[7], json.loads(r[8])) for r in rows]


def served_content_elsewhere(conn: Connection, matter_ids: set[int]) -> set[str]:
    """SHA-256 of the content frozen by bundles served in matters other than `matter_ids`."""
    mine = ",".join(str(int(m)) for m in matter_ids) or "NULL"
    rows = conn.execute(SERVED_CONTENT_SQL + f" AND s.bundle_id IN (SELECT id FROM bundles WHERE matter_id "
                        f"NOT IN ({mine}))")
    return {str(r[0]) for r in rows}

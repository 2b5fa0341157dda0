"""Schema 6: a served bundle freezes content, not references.

Snapshots written from now on name each source's SHA-256 (`sources`), and blob storage
keeps those bytes while a snapshot names them. Bundles served before this step froze
only their spec: this step records, for each of their sources, the content the vault
holds now (working copy, else original), so from the upgrade on no replacement can
change them. Data only; self-contained on purpose (a step never changes once released).
"""

from __future__ import annotations

import json
from typing import Any

from clinic_app.vault.connection import Connection

VERSION = 6


def _document_refs(spec: Any) -> list[str]:
    refs: list[str] = []
    sections = spec.get("sections") if isinstance(spec, dict) else None
    for section in sections if isinstance(sections, list) else []:
        for tab in section.get("tabs", []) if isinstance(section, dict) else []:
            for part in tab.get("parts", []) if isinstance(tab, dict) else []:
                ref = part.get("document_id") if isinstance(part, dict) else None
                if isinstance(ref, str) and ref not in refs:
                    refs.append(ref)
    return refs


def _source(conn: Connection, ref: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT b.sha256, json_extract(d.data, '$.page_count'), json_extract(d.data, '$.title') "
        "FROM documents AS d JOIN blobs AS b ON b.id = COALESCE(d.working_blob_id, d.blob_id) WHERE d.ref = ?",
        (ref,)).fetchone()
    if row is None:
        return None
    pages = row[1] if isinstance(row[1], int) else None
    return {"sha256": str(row[0]), "pages": pages, "title": str(row[2] or "")}


def apply(conn: Connection) -> None:
    for service_id, raw in conn.execute("SELECT id, snapshot FROM bundle_service ORDER BY id").fetchall():
        try:
            snapshot = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(snapshot, dict) or "sources" in snapshot:
            continue
        sources = {}
        for ref in _document_refs(snapshot.get("spec")):
            found = _source(conn, ref)
            if found is not None:
                sources[ref] = found
        snapshot["sources"] = sources
        conn.execute("UPDATE bundle_service SET snapshot = ? WHERE id = ?",
                     (json.dumps(snapshot, ensure_ascii=False, sort_keys=True), service_id))

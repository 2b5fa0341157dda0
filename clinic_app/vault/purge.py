"""Deleting one client for good: the rows, their search entries, then the free space.

A deleted row is not gone from a SQLite file: its bytes stay in free pages, in
old FTS5 segments and in the WAL until overwritten. So the purge runs in two
steps. Inside the caller's transaction: secure_delete on (freed space is
zeroed), delete the client, their matters, letters, bundle projects and the
documents nobody else uses, drop their search entries and merge the FTS5 index
('optimize' rewrites every segment without the deleted terms). The service log of
their bundles goes too, with the content it froze (older versions of replaced
documents); content that a bundle served in another client's matter froze stays, as
part of that matter's record, and a document holding it is kept and listed as kept.
Then, outside any transaction, `scrub`: checkpoint the WAL into the file and truncate it,
VACUUM (rebuilds the file; temp_store is MEMORY, so the copy never touches disk
in plaintext), and checkpoint again. The audit log keeps only ids and counts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from clinic_app.domain.bundle import BundleSpec, BundleSpecError
from clinic_app.vault import blobs, bundle_service, search
from clinic_app.vault.connection import Connection


@dataclass(frozen=True)
class ClientFootprint:
    """Everything that goes when a client is deleted, and what stays because it is shared."""

    client_id: int
    matters: tuple[tuple[int, str], ...]
    letter_ids: tuple[int, ...]
    bundle_count: int
    documents_deleted: tuple[tuple[int, str], ...]
    documents_kept: tuple[tuple[int, str], ...]


def _ids(conn: Connection, sql: str, ids: Iterable[int]) -> set[int]:
    found: set[int] = set()
    ids = list(ids)
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        marks = ",".join("?" for _ in part)
        found.update(int(r[0]) for r in conn.execute(sql.format(marks=marks), part) if r[0] is not None)
    return found


def _refs(conn: Connection, ids: set[int]) -> tuple[tuple[int, str], ...]:
    rows = [(i, conn.execute("SELECT ref FROM documents WHERE id = ?", (i,)).fetchone()) for i in ids]
    return tuple(sorted(((i, str(r[0])) for i, r in rows if r), key=lambda x: x[1]))


def footprint(conn: Connection, client_id: int) -> ClientFootprint:
    matters = tuple((int(r[0]), str(r[1])) for r in conn.execute(
        "SELECT id, ref FROM matters WHERE client_id = ? ORDER BY ref", (client_id,)))
    mids = {m for m, _ref in matters}
    letters = _ids(conn, "SELECT id FROM letters WHERE matter_id IN ({marks})", mids)
    bundles = len(_ids(conn, "SELECT id FROM bundles WHERE matter_id IN ({marks})", mids))
    docs = _ids(conn, "SELECT document_id FROM document_matters WHERE matter_id IN ({marks})", mids)
    docs |= _ids(conn, "SELECT document_id FROM letters WHERE id IN ({marks})", letters)
    while True:  # translations and declarations of the client's documents go with them
        more = _ids(conn, "SELECT translation_id FROM translations WHERE original_id IN ({marks})", docs)
        more |= _ids(conn, "SELECT declaration_id FROM translations WHERE original_id IN ({marks})", docs)
        if more <= docs:
            break
        docs |= more
    mine = ",".join(str(m) for m in mids) or "NULL"
    elsewhere = set()
    for table in ("document_matters", "letters", "package_attachments"):  # other matters use it too
        elsewhere |= _ids(conn, f"SELECT document_id FROM {table} WHERE document_id IN ({{marks}}) "
                                f"AND matter_id NOT IN ({mine})", docs)
    elsewhere |= _in_other_bundles(conn, mine, docs)
    elsewhere |= _served_elsewhere(conn, mids, docs)
    return ClientFootprint(client_id, matters, tuple(sorted(letters)), bundles,
                           _refs(conn, docs - elsewhere), _refs(conn, docs & elsewhere))


def _in_other_bundles(conn: Connection, mine: str, docs: set[int]) -> set[int]:
    """Documents of `docs` that another matter's bundle project uses."""
    refs: set[str] = set()
    for (data,) in conn.execute(f"SELECT data FROM bundles WHERE matter_id NOT IN ({mine})"):
        try:
            refs.update(BundleSpec.from_dict(json.loads(data)).document_ids())
        except (BundleSpecError, ValueError):
            continue
    return {i for i, ref in _refs(conn, docs) if ref in refs}


def _served_elsewhere(conn: Connection, mids: set[int], docs: set[int]) -> set[int]:
    """Documents of `docs` whose content a bundle served in another matter froze: that service
    record keeps the bytes, so the document is kept and the plan says so."""
    frozen = json.dumps(sorted(bundle_service.served_content_elsewhere(conn, mids)))
    ids = sorted(docs)
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        marks = ",".join("?" for _ in part)
        found.update(int(r[0]) for r in conn.execute(
            "SELECT d.id FROM documents AS d JOIN blobs AS b ON b.id IN (d.blob_id, d.working_blob_id) "
            f"WHERE d.id IN ({marks}) AND b.sha256 IN (SELECT value FROM json_each(?))", (*part, frozen)))
    return found


def delete_client(conn: Connection, fp: ClientFootprint) -> int:
    """Delete the client and everything only they use; call inside a transaction.

    Returns how many stored files (blobs) were removed.
    """
    conn.execute("PRAGMA secure_delete = ON")
    search.remove(conn, "client", fp.client_id)
    for matter_id, _ref in fp.matters:
        search.remove(conn, "matter", matter_id)
    for letter_id in fp.letter_ids:
        search.remove(conn, "letter", letter_id)
    for doc_id, _ref in fp.documents_deleted:
        search.remove(conn, "document", doc_id)
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
    conn.execute("DELETE FROM clients WHERE id = ?", (fp.client_id,))  # matters, letters, bundles cascade
    removed = blobs.delete_unreferenced(conn)
    search.optimize(conn)
    return removed


def scrub(conn: Connection) -> bool:
    """Leave no deleted bytes in the file, its free pages or its WAL.

    Must run outside a transaction. True when the final checkpoint emptied the WAL.
    """
    if conn.in_transaction:
        raise RuntimeError("scrub must run outside a transaction")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("VACUUM")
    busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return int(busy) == 0

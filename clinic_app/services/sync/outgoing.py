"""Local edits on their way out: capture them from the tables, upload document chunks, push.

**Capture** turns the records that triggers marked dirty into outbox entries: each field
that differs from base + outbox is stamped by the clock with the time of the edit.
**Push** seals base + outbox for every scope the record travels in and compare-and-swaps
it on the server; chunks of a document's bytes go first, so a record never names a chunk
the server does not have. A lost swap (someone else's version got there first) leaves the
outbox as it is: the next pull merges, and the push is tried again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any


from clinic_app.domain.progress import CancelToken
from clinic_app.errors import Cancelled
from clinic_app.services.sync import envelope, merge, scopes, server
from clinic_app.services.sync.local import current_key
from clinic_app.services.sync.envelope import Identity, ScopeKey
from clinic_app.services.sync.hlc import Clock, ms_of_iso
from clinic_app.vault import blobs, sync_rows, sync_state
from clinic_app.vault.connection import Connection

if TYPE_CHECKING:
    import psycopg

DERIVED = ("chunks.",)  # fields sync adds itself: never a local edit


@dataclass
class PushReport:
    pushed: int = 0
    lost: int = 0  # swaps another laptop won: merged at the next pull, pushed again
    chunks_uploaded: int = 0
    chunks_present: int = 0
    deleted_chunks: int = 0
    retry: list[tuple[str, str]] = field(default_factory=list)
    deleted_records: list[merge.Record] = field(default_factory=list)  # their base before the tombstone


def _table_fields(record: dict[str, Any] | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {k: v for k, v in record.items() if not k.startswith(DERIVED)}


def _strip(record: merge.Record) -> merge.Record:
    return {"fields": {k: v for k, v in record["fields"].items() if not k.startswith(DERIVED)},
            "deleted": record["deleted"]}


def capture(conn: Connection, clock: Clock, role: str) -> int:
    """Outbox entries for every record a local write touched; returns how many changed."""
    top, touched = sync_state.dirty(conn)
    changed = 0
    for (kind, ref), at in sorted(touched.items()):
        if role == "volunteer" and kind not in scopes.LETTER_KINDS:
            continue  # a volunteer's stubs of matters and clients never leave the laptop
        changed += _capture_one(conn, clock, kind, ref, at, sync_rows.read_record(conn, kind, ref))
        if role != "volunteer" and kind in ("matter", "client"):
            for matter_ref in _matters_of(conn, kind, ref):
                changed += _capture_one(conn, clock, scopes.LABEL, matter_ref, at, _label(conn, matter_ref))
    sync_state.clear_dirty(conn, top)
    return changed


def _capture_one(conn: Connection, clock: Clock, kind: str, ref: str, at: str,
                 current: dict[str, Any] | None) -> int:
    base_rec, _versions = sync_state.base(conn, kind, ref)
    out = sync_state.outbox(conn, kind, ref) or merge.empty()
    base_rec = _strip(base_rec or merge.empty())
    stamp = clock.stamp(ms_of_iso(at))
    new = merge.capture(base_rec, out, _table_fields(current), stamp, clock.device)
    if new != out:
        sync_state.put_outbox(conn, kind, ref, new)
        return 1
    return 0


def _matters_of(conn: Connection, kind: str, ref: str) -> list[str]:
    if kind == "matter":
        return [ref]
    row_id = sync_rows.root_id(conn, "client", ref)
    if row_id is None:
        return []
    return [str(r[0]) for r in conn.execute("SELECT ref FROM matters WHERE client_id = ?", (row_id,))]


def _label(conn: Connection, matter_ref: str) -> dict[str, Any] | None:
    matter = sync_rows.read_record(conn, "matter", matter_ref)
    if matter is None:
        return None
    client_ref = matter.get("col.client_id")
    client = sync_rows.read_record(conn, "client", str(client_ref)) if client_ref else None
    return scopes.label_fields(matter, client)


def in_letters(conn: Connection, kind: str, ref: str) -> bool:
    if kind != "document":
        return kind in ("letter", scopes.LABEL)
    doc_id = sync_rows.root_id(conn, "document", ref)
    if doc_id is None:
        return False
    return conn.execute("SELECT 1 FROM letters WHERE document_id = ? LIMIT 1", (doc_id,)).fetchone() is not None


# --- pushing -----------------------------------------------------------------------------------


def _chunk_list(conn: Connection, pg: psycopg.Connection[Any], key: ScopeKey, sha: str,
                report: PushReport, cancel: CancelToken | None) -> dict[str, Any] | None:
    """Upload the chunks of stored bytes `sha` under `key` (only those the server lacks)."""
    blob_id = blobs.find(conn, sha)
    if blob_id is None:
        return None
    listed: list[list[str]] = []
    sealed: dict[str, bytes] = {}
    size = 0
    for plain in blobs.iter_chunks(conn, blob_id):
        cid, ckey = envelope.chunk_id_and_key(key, plain)
        listed.append([cid, ckey.hex(), hashlib.sha256(plain).hexdigest()])
        sealed[cid] = envelope.seal_chunk(ckey, plain)
        size += len(plain)
    missing = server.missing_chunks(pg, key.scope, list(sealed))
    for cid, body in sealed.items():
        if cid in missing:
            if cancel is not None and cancel.cancelled:
                raise Cancelled()
            server.put_chunk(pg, key.scope, cid, body)
            report.chunks_uploaded += 1
        else:
            report.chunks_present += 1
    return {"epoch": key.epoch, "size": size, "chunks": listed}


def push(conn: Connection, pg: psycopg.Connection[Any], me: Identity, clinic_id: str, role: str,
         keys: dict[tuple[str, int], ScopeKey], *, cancel: CancelToken | None = None) -> PushReport:
    report = PushReport()
    allowed = set(scopes.scopes_for_role(role))
    rows: list[server.PushRow] = []
    prepared: dict[tuple[str, str], tuple[merge.Record, dict[str, int], list[str]]] = {}
    for kind, ref in sync_state.outbox_keys(conn):
        base_rec, versions = sync_state.base(conn, kind, ref)
        out = sync_state.outbox(conn, kind, ref) or merge.empty()
        record = merge.combine(base_rec or merge.empty(), out)
        targets = set(scopes.record_scopes(kind, in_letters(conn, kind, ref))) | set(versions)
        targets &= allowed
        if not targets:
            sync_state.put_outbox(conn, kind, ref, None)  # nothing this laptop may send (e.g. a stub)
            continue
        if record["deleted"] is not None:
            if base_rec is not None:
                report.deleted_records.append(base_rec)
            record = {"fields": {}, "deleted": record["deleted"]}  # a tombstone carries nothing of the record
        elif kind in ("document", "bundle"):  # stored bytes travel as chunks, named by the record
            _add_chunk_lists(conn, pg, record, sorted(targets), keys, report, cancel)
        for scope in sorted(targets):
            key = current_key(keys, scope)
            if key is None:
                continue
            if record["deleted"] is not None and scope not in versions:
                continue  # never sent there: nothing to delete
            row_id = key.record_id(kind, ref)
            content = {"kind": kind, "ref": ref, "record": record}
            rows.append(server.PushRow(scope, row_id, versions.get(scope, 0), key.epoch,
                                       envelope.seal_row(clinic_id, key, row_id, content, me)))
        prepared[(kind, ref)] = (record, dict(versions), sorted(targets))
    if not rows:
        return report
    by_row = {(r.scope, r.record_id): r for r in rows}
    results = server.push(pg, me.device_id, rows)
    for (kind, ref), (record, versions, targets) in prepared.items():
        ok = True
        for scope in targets:
            key = current_key(keys, scope)
            row_id = key.record_id(kind, ref) if key else ""
            if (scope, row_id) not in by_row:
                continue
            version = results.get((scope, row_id))
            if version is None:
                ok = False
                report.lost += 1
            else:
                versions[scope] = version
                sync_state.put_row_record(conn, scope, row_id, kind, ref)
        if ok:
            report.pushed += 1
            sync_state.put_base(conn, kind, ref, record, versions)
            sync_state.put_outbox(conn, kind, ref, None)
        else:
            sync_state.put_base(conn, kind, ref, sync_state.base(conn, kind, ref)[0] or merge.empty(), versions)
            report.retry.append((kind, ref))
    return report



def _add_chunk_lists(conn: Connection, pg: psycopg.Connection[Any], record: merge.Record, targets: list[str],
                     keys: dict[tuple[str, int], ScopeKey], report: PushReport, cancel: CancelToken | None) -> None:
    fields = record["fields"]
    shas = sync_rows.blob_shas(merge.values(record))
    for scope in targets:
        key = current_key(keys, scope)
        if key is None:
            continue
        for sha in shas:
            name = f"chunks.{scope}.{sha}"
            if name in fields and fields[name][0] and fields[name][0].get("epoch") == key.epoch:
                continue
            listed = _chunk_list(conn, pg, key, sha, report, cancel)
            if listed is not None:
                stamp = max((v[1] for v in fields.values()), default="")
                fields[name] = [listed, stamp, fields.get("col.blob_id", [None, "", ""])[2] or ""]


def delete_orphan_chunks(conn: Connection, pg: psycopg.Connection[Any], deleted: list[merge.Record]) -> int:
    """After documents were deleted for good, remove their chunks unless another document still
    names them (this laptop holds every record of the "all" scope, so it knows)."""
    doomed: dict[str, set[str]] = {}
    for record in deleted:
        for name, value in record["fields"].items():
            if name.startswith("chunks.") and value[0]:
                scope = name.split(".")[1]
                doomed.setdefault(scope, set()).update(c[0] for c in value[0]["chunks"])
    if not doomed:
        return 0
    for kind, ref in sync_state.base_keys(conn):
        if kind != "document":
            continue
        rec, _v = sync_state.base(conn, kind, ref)
        if rec is None or rec["deleted"] is not None:
            continue
        for name, value in rec["fields"].items():
            if name.startswith("chunks.") and value[0]:
                scope = name.split(".")[1]
                doomed.get(scope, set()).difference_update(c[0] for c in value[0]["chunks"])
    return sum(server.delete_chunks(pg, scope, sorted(ids)) for scope, ids in doomed.items() if ids)


def forget_for_sharing(conn: Connection) -> None:
    """After a deletion for good on a connected vault: turn the deletions into tombstones now and
    drop the shared copy of what was deleted (the base keeps only what the tombstone's push
    needs: the server versions and the document chunks to remove), so scrubbing the file
    leaves nothing of them behind, even before the next sync."""
    if not sync_state.connected(conn):
        return
    from clinic_app.services.sync import local

    device = sync_state.get(conn, "device_id") or "0"
    clock = local.clock(conn, device)
    capture(conn, clock, sync_state.get(conn, "role") or "")
    local.save_clock(conn, clock)
    for kind, ref in sync_state.outbox_keys(conn):
        out = sync_state.outbox(conn, kind, ref)
        if out is None or out["deleted"] is None:
            continue
        base_rec, versions = sync_state.base(conn, kind, ref)
        if base_rec is not None:
            kept = {k: v for k, v in base_rec["fields"].items() if k.startswith(DERIVED)}
            sync_state.put_base(conn, kind, ref, {"fields": kept, "deleted": None}, versions)
